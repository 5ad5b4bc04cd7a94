// Multiband compressor: an LR4 crossover (2-5 bands, phase-compensated so the bands sum to an
// all-pass), one Compressor per band with its own parameters, bands summed. With every band at
// ratio 1 (and no make-up) the output is exactly the crossover's all-pass sum: flat magnitude.
import { assertProcessorShape, DENORMAL_FLOOR as SHARED_DENORMAL_FLOOR, type GainReductionMeter, type ParametricProcessor } from '../api.js';
import { Crossover } from '../filters/crossover.js';
import { Compressor, type CompressorParams } from './compressor.js';

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

  constructor(private readonly sampleRate: number, private readonly channelCount: number, params: Partial<MultibandCompressorParams> = {}) {
    assertProcessorShape('multiband compressor', sampleRate, channelCount);
    const merged = { ...MULTIBAND_DEFAULTS, ...params };
    this.current = { ...merged, frequenciesHz: [...merged.frequenciesHz], bands: merged.frequenciesHz.map((_, b) => ({ ...merged.bands[b] })).concat({ ...merged.bands[merged.frequenciesHz.length] }) };
    this.latency = Math.round(this.current.lookaheadSeconds * sampleRate);
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

  /** A new crossover (fresh state) and compressors for any new bands; existing bands keep their state. */
  private rebuild(p: MultibandCompressorParams): void {
    this.crossover = new Crossover(this.sampleRate, this.channelCount, { frequenciesHz: p.frequenciesHz });
    const bandCount = this.crossover.bandCount;
    this.compressors = Array.from({ length: bandCount }, (_, b) => {
      const band = { ...p.bands[b], lookaheadSeconds: p.lookaheadSeconds };
      const existing = this.compressors[b];
      if (existing) { existing.set(band); return existing; }
      return new Compressor(this.sampleRate, this.channelCount, band);
    });
    this.bandBuffers = Array.from({ length: bandCount }, () => Array.from({ length: this.channelCount }, () => new Float32Array(CHUNK)));
    this.bandGainReductionDb.length = bandCount;
    this.bandGainReductionDb.fill(0);
  }
}

export const createMultibandCompressor = (sampleRate: number, channelCount: number, params?: Partial<MultibandCompressorParams>) =>
  new MultibandCompressor(sampleRate, channelCount, params);
