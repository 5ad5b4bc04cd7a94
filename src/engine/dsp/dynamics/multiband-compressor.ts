// Multiband compressor: an LR4 crossover (2-5 bands, phase-compensated so the bands sum to an
// all-pass), one Compressor per band with its own parameters, bands summed. With every band at
// ratio 1 (and no make-up) the output is exactly the crossover's all-pass sum: flat magnitude.
// A stereo 2-band compressor (the mastering chain's) works in a KernelHeap: the block is copied in
// once, the split runs in the biquad SIMD kernel, the band compressors on the same heap, and the
// bands are summed in the gain kernel: the same arithmetic as the JS path, bit-identical.
import { assertProcessorShape, DENORMAL_FLOOR as SHARED_DENORMAL_FLOOR, type GainReductionMeter, type ParametricProcessor } from '../api.js';
import { BIQUAD_KERNEL, createBiquadKernel, type BiquadKernel } from '../filters/biquad-kernel.js';
import { Crossover } from '../filters/crossover.js';
import { HeapChannels, KernelHeap, type HeapBuffer } from '../utility/kernel-heap.js';
import { Compressor, type CompressorParams } from './compressor.js';
import { GainKernel } from './gain-kernel.js';

/** A module-local copy: hot loops read a constant, not a module binding (a getter call under some loaders). */
const DENORMAL_FLOOR = SHARED_DENORMAL_FLOOR;

export interface MultibandCompressorParams {
  /** 1-4 increasing split frequencies (2-5 bands). Changing them rebuilds the crossover. */
  frequenciesHz: number[];
  /** Parameters of each band's compressor, lowest band first (missing entries: COMPRESSOR_DEFAULTS). */
  bands: Partial<CompressorParams>[];
  /** Look-ahead shared by every band (so they stay aligned); fixed at construction. */
  lookaheadSeconds: number;
}

export const MULTIBAND_DEFAULTS: MultibandCompressorParams = { frequenciesHz: [120, 1000, 6000], bands: [], lookaheadSeconds: 0 };

const CHUNK = 256;
/** Frames a stereo multiband compressor copies into its heap per pass (a multiple of CHUNK). */
const HEAP_BLOCK = 4096;
/** Compressors the heap has room for: one per band of the most bands (5). */
const MAX_BANDS = 5;

/** The heap path's pieces. */
interface MultibandHeap {
  heap: KernelHeap;
  audio: HeapChannels;
  /** The two bands' block buffers (the kernel path runs with 2 bands only). */
  low: HeapChannels;
  high: HeapChannels;
  /** The crossover's state (room for 4 splits) and, for split2, the single split's b0, a1, a2. */
  state: HeapBuffer<Float64Array>;
  split: HeapBuffer<Float64Array>;
  biquads: BiquadKernel;
  gains: GainKernel;
  /** Compressors made on the heap so far (at most MAX_BANDS). */
  made: number;
}
export class MultibandCompressor implements ParametricProcessor<MultibandCompressorParams>, GainReductionMeter {
  readonly latency: number;
  gainReductionDb = 0;
  maxGainReductionDb = 0;
  /** Gain reduction of each band in the last block (dB). */
  readonly bandGainReductionDb: number[] = [];
  private current: MultibandCompressorParams;
  private crossover!: Crossover;
  private compressors: Compressor[] = [];
  private bandBuffers: Float32Array[][] = [];
  private readonly heap: MultibandHeap | null = null;

  constructor(private readonly sampleRate: number, private readonly channelCount: number, params: Partial<MultibandCompressorParams> = {}) {
    assertProcessorShape('multiband compressor', sampleRate, channelCount);
    const merged = { ...MULTIBAND_DEFAULTS, ...params };
    this.current = { ...merged, frequenciesHz: [...merged.frequenciesHz], bands: merged.frequenciesHz.map((_, b) => ({ ...merged.bands[b] })).concat({ ...merged.bands[merged.frequenciesHz.length] }) };
    this.latency = Math.round(this.current.lookaheadSeconds * sampleRate);
    if (channelCount === 2) {
      const heap = KernelHeap.create(3 * HeapChannels.bytes(channelCount, HEAP_BLOCK)
        + 8 * (Crossover.stateSize(channelCount, 4) + 8) + MAX_BANDS * Compressor.heapBytes(sampleRate, channelCount, this.current.lookaheadSeconds), BIQUAD_KERNEL);
      const biquads = heap && createBiquadKernel(heap), gains = heap && GainKernel.create(0, 0, 0, heap);
      if (heap && biquads && gains) {
        this.heap = {
          heap, audio: new HeapChannels(heap, channelCount, HEAP_BLOCK), low: new HeapChannels(heap, channelCount, HEAP_BLOCK), high: new HeapChannels(heap, channelCount, HEAP_BLOCK),
          state: heap.f64(Crossover.stateSize(channelCount, 4)), split: heap.f64(3), biquads, gains, made: 0,
        };
      }
    }
    this.rebuild(this.current);
  }

  get params(): Readonly<MultibandCompressorParams> {
    return this.current;
  }

  get bandCount(): number {
    return this.compressors.length;
  }

  /** `bands` entries are merged into each band's current parameters (an empty object leaves a band as it is). */
  set(params: Partial<MultibandCompressorParams>): void {
    if (params.lookaheadSeconds !== undefined && Math.round(params.lookaheadSeconds * this.sampleRate) !== this.latency) {
      throw new RangeError('multiband compressor: lookaheadSeconds is fixed at construction (it sets the latency)');
    }
    const frequenciesHz = params.frequenciesHz ?? this.current.frequenciesHz;
    const bandCount = frequenciesHz.length + 1;
    const bands = Array.from({ length: bandCount }, (_, b) => ({ ...this.current.bands[b], ...params.bands?.[b] }));
    const next = { ...this.current, ...params, frequenciesHz: [...frequenciesHz], bands };
    const splitChanged = frequenciesHz.length !== this.current.frequenciesHz.length || frequenciesHz.some((hz, i) => hz !== this.current.frequenciesHz[i]);
    if (splitChanged) this.rebuild(next);
    else bands.forEach((band, b) => this.compressors[b].set({ ...band, lookaheadSeconds: next.lookaheadSeconds }));
    this.current = next;
  }

  process(channels: Float32Array[], frames: number): void {
    const count = this.channelCount, bandCount = this.compressors.length, buffers = this.bandBuffers;
    for (let b = 0; b < bandCount; b++) this.bandGainReductionDb[b] = 0;
    if (this.heap !== null && bandCount === 2 && this.compressors[0].heap === this.heap.heap && this.compressors[1].heap === this.heap.heap) {
      this.processInHeap(this.heap, channels, frames);
      return;
    }
    for (let start = 0; start < frames; start += CHUNK) {
      const n = Math.min(CHUNK, frames - start);
      const first = buffers[0];
      for (let c = 0; c < count; c++) { const x = channels[c], f = first[c]; for (let i = 0; i < n; i++) f[i] = x[start + i]; }
      this.crossover.split(first, n, buffers);
      for (let b = 0; b < bandCount; b++) {
        const compressor = this.compressors[b];
        compressor.process(buffers[b], n);
        if (compressor.gainReductionDb > this.bandGainReductionDb[b]) this.bandGainReductionDb[b] = compressor.gainReductionDb;
      }
      for (let c = 0; c < count; c++) this.sumBands(channels[c], start, n, c);
    }
    let largest = 0;
    for (let b = 0; b < bandCount; b++) largest = Math.max(largest, this.bandGainReductionDb[b]);
    this.gainReductionDb = largest;
    if (largest > this.maxGainReductionDb) this.maxGainReductionDb = largest;
  }

  /**
   * process() for two bands in the heap: the same arithmetic (split2 over the block, the compressors on
   * the heap over the block, the sum kernel); a band's compressor does not depend on how its signal is
   * cut into calls, and its meter's largest reduction over the calls is the same.
   */
  private processInHeap(h: MultibandHeap, channels: Float32Array[], frames: number): void {
    const { audio, low, high, biquads, state, split } = h;
    const lowBand = this.compressors[0], highBand = this.compressors[1];
    const reduction = this.bandGainReductionDb;
    for (let done = 0; done < frames; done += HEAP_BLOCK) {
      const piece = Math.min(HEAP_BLOCK, frames - done);
      audio.load(channels, done, piece);
      biquads.split2(audio.at[0], audio.at[1], low.at[0], low.at[1], high.at[0], high.at[1], piece, split.at, state.at);
      lowBand.processInHeap(low, 0, null, 0, piece);
      if (lowBand.gainReductionDb > reduction[0]) reduction[0] = lowBand.gainReductionDb;
      highBand.processInHeap(high, 0, null, 0, piece);
      if (highBand.gainReductionDb > reduction[1]) reduction[1] = highBand.gainReductionDb;
      h.gains.sum(low.at[0], low.at[1], high.at[0], high.at[1], audio.at[0], audio.at[1], piece, 0);
      audio.store(channels, done, piece);
    }
    const largest = Math.max(reduction[0], reduction[1]);
    this.gainReductionDb = largest;
    if (largest > this.maxGainReductionDb) this.maxGainReductionDb = largest;
  }

  /**
   * x[start, start + n) = the sum of channel c's bands, accumulated in float32 band by band (each
   * partial sum rounded, as adding into the Float32Array does), flushed below DENORMAL_FLOOR (the
   * bands are flushed, but their sum can cancel to a denormal). One pass per channel.
   */
  private sumBands(x: Float32Array, start: number, n: number, c: number): void {
    const buffers = this.bandBuffers, bandCount = buffers.length, fround = Math.fround;
    const low = buffers[0][c];
    if (bandCount === 2) {
      const high = buffers[1][c];
      for (let i = 0; i < n; i++) { const v = fround(low[i] + high[i]); x[start + i] = Math.abs(v) < DENORMAL_FLOOR ? 0 : v; }
      return;
    }
    for (let i = 0; i < n; i++) {
      let v = low[i];
      for (let b = 1; b < bandCount; b++) v = fround(v + buffers[b][c][i]);
      x[start + i] = Math.abs(v) < DENORMAL_FLOOR ? 0 : v;
    }
  }

  reset(): void {
    this.crossover.reset();
    for (const c of this.compressors) c.reset();
    this.bandGainReductionDb.fill(0);
    this.gainReductionDb = 0;
    this.maxGainReductionDb = 0;
  }

  /**
   * A new crossover (fresh state) and compressors for any new bands; existing bands keep their state.
   * On the heap path, new compressors go on the heap while it has room for them (MAX_BANDS in all);
   * after that (many rebuilds adding bands) they work alone and the 2-band kernel path stops.
   */
  private rebuild(p: MultibandCompressorParams): void {
    const h = this.heap;
    this.crossover = new Crossover(this.sampleRate, this.channelCount, { frequenciesHz: p.frequenciesHz }, h?.state.array);
    const bandCount = this.crossover.bandCount;
    if (h) h.split.array.set(this.crossover.splitCoefficients.subarray(0, 3));
    this.compressors = Array.from({ length: bandCount }, (_, b) => {
      const band = { ...p.bands[b], lookaheadSeconds: p.lookaheadSeconds };
      const existing = this.compressors[b];
      if (existing) { existing.set(band); return existing; }
      const onHeap = h !== null && h.made < MAX_BANDS;
      if (onHeap) h.made++;
      return new Compressor(this.sampleRate, this.channelCount, band, onHeap ? h.heap : undefined);
    });
    this.bandBuffers = Array.from({ length: bandCount }, () => Array.from({ length: this.channelCount }, () => new Float32Array(CHUNK)));
    this.bandGainReductionDb.length = bandCount;
    this.bandGainReductionDb.fill(0);
  }
}

export const createMultibandCompressor = (sampleRate: number, channelCount: number, params?: Partial<MultibandCompressorParams>) =>
  new MultibandCompressor(sampleRate, channelCount, params);
