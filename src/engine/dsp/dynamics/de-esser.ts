// Split-band de-esser: a band-pass (or high-pass) around frequencyHz is the detector; a Linkwitz-
// Riley LR4 split at splitHz divides the audio, and a compressor keyed by the detector turns down only
// the high band, by at most rangeDb. The LR4 bands are in phase and sum to an all-pass, so without
// reduction the magnitude response is flat (the phase is the split's all-pass), and with reduction
// g it is |L| + g·|H|, falling smoothly from 1 below the split to g above. As in filters/crossover.ts,
// the high band is two cascaded Butterworth high-passes and the low band is the all-pass minus it
// (LP² + HP² = AP with the same poles): three biquads instead of four. The split is built from
// Biquad processors rather than the Crossover class so that splitHz glides like any other
// parameter. A stereo de-esser works in a KernelHeap: the block is copied in once; while no biquad
// glides, the four run over the whole block in the biquad SIMD kernel, two independent (biquad, step)
// pairs per pass; the low band, its compressor and the bands' sum run in the gain kernel on the same
// heap: the same arithmetic as the JS path, bit-identical.
import { assertProcessorShape, DENORMAL_FLOOR as SHARED_DENORMAL_FLOOR, type GainReductionMeter, type ParametricProcessor } from '../api.js';
import { Biquad, biquadCoefficients, biquadResponse } from '../filters/biquad.js';
import { BIQUAD_KERNEL, createBiquadKernel, heapBiquadBytes, heapBiquadStorage, PairRunner, type HeapBiquadStorage } from '../filters/biquad-kernel.js';
import { HeapChannels, KernelHeap } from '../utility/kernel-heap.js';
import { Compressor, type CompressorParams } from './compressor.js';
import { GainKernel } from './gain-kernel.js';

/** A module-local copy: hot loops read a constant, not a module binding (a getter call under some loaders). */
const DENORMAL_FLOOR = SHARED_DENORMAL_FLOOR;

export type SibilanceDetector = 'bandPass' | 'highPass';

export interface DeEsserParams {
  /** Centre (bandPass) or corner (highPass) of the detector filter, Hz. */
  frequencyHz: number;
  detector: SibilanceDetector;
  /** Q of the detector filter (bandPass: bandwidth ≈ frequencyHz / q). */
  detectorQ: number;
  /** Crossover frequency: only the band above it is turned down. */
  splitHz: number;
  /** RMS level (dBFS) of the detector band where reduction starts. */
  thresholdDb: number;
  ratio: number;
  /** Largest reduction of the high band, dB. */
  rangeDb: number;
  attackSeconds: number;
  releaseSeconds: number;
  /** 1: all channels share the reduction; 0: independent. */
  stereoLink: number;
}

export const DE_ESSER_DEFAULTS: DeEsserParams = {
  frequencyHz: 6500, detector: 'bandPass', detectorQ: 1, splitHz: 4500, thresholdDb: -30, ratio: 4, rangeDb: 6,
  attackSeconds: 0.001, releaseSeconds: 0.06, stereoLink: 1,
};

/** Time constant of the detector's RMS (short: sibilants last 50-200 ms). */
export const DE_ESSER_RMS_SECONDS = 0.005;
const CHUNK = 256;
/** Frames a stereo de-esser copies into its heap per pass (a multiple of CHUNK). */
const HEAP_BLOCK = 4096;
/** Frames per step of the heap path's filter pipeline. */
const STEP = 512;
/** The four biquads in the pipeline's order: detector, all-pass, high-pass 1, high-pass 2. */
const D = 0, AP = 1, HP1 = 2, HP2 = 3;
const BIQUADS = 4;

/** The heap path's pieces: the block's buffers, a chunk's (for gliding filters), the biquads' numbers, the kernels. */
interface DeEsserHeap {
  audio: HeapChannels;
  /** Block-long outputs of D, AP, HP1, HP2 (key, all-pass then low, the first high-pass, high). */
  out: HeapChannels[];
  low: HeapChannels;
  high: HeapChannels;
  key: HeapChannels;
  /** In the pipeline's order (D, AP, HP1, HP2). */
  storage: HeapBiquadStorage[];
  runner: PairRunner;
  gains: GainKernel;
}

export function validateDeEsserParams(p: DeEsserParams, sampleRate: number): void {
  const nyquistLimit = 0.45 * sampleRate;
  const fail = (what: string) => { throw new RangeError(`de-esser: ${what}`); };
  if (!(p.frequencyHz > 0 && p.frequencyHz < nyquistLimit)) fail(`frequencyHz must be in (0, ${nyquistLimit}), got ${p.frequencyHz}`);
  if (!(p.splitHz > 0 && p.splitHz < nyquistLimit)) fail(`splitHz must be in (0, ${nyquistLimit}), got ${p.splitHz}`);
  if (p.detector !== 'bandPass' && p.detector !== 'highPass') fail(`unknown detector ${String(p.detector)}`);
  if (!(p.detectorQ > 0 && p.detectorQ <= 20)) fail(`detectorQ must be in (0, 20], got ${p.detectorQ}`);
  if (!(p.rangeDb >= 0 && p.rangeDb <= 40)) fail(`rangeDb must be 0-40, got ${p.rangeDb}`);
}

function compressorParams(p: DeEsserParams): Partial<CompressorParams> {
  return {
    thresholdDb: p.thresholdDb, ratio: p.ratio, kneeDb: 0, rangeDb: p.rangeDb, attackSeconds: p.attackSeconds, releaseSeconds: p.releaseSeconds,
    stereoLink: p.stereoLink, detector: 'rms', rmsWindowSeconds: DE_ESSER_RMS_SECONDS,
  };
}

export class DeEsser implements ParametricProcessor<DeEsserParams>, GainReductionMeter {
  readonly latency = 0;
  gainReductionDb = 0;
  maxGainReductionDb = 0;
  private current: DeEsserParams;
  /** All-pass, high-pass, high-pass: the LR4 split (low = all-pass − high). */
  private readonly split: Biquad[];
  private readonly detectorFilter: Biquad;
  private readonly compressor: Compressor;
  private readonly low: Float32Array[];
  private readonly high: Float32Array[];
  private readonly key: Float32Array[];
  private readonly heap: DeEsserHeap | null = null;

  /** `heap`: a KernelHeap to work in (shared with other processors, e.g. a HeapChain's), with heapBytes(…) free. */
  constructor(private readonly sampleRate: number, private readonly channelCount: number, params: Partial<DeEsserParams> = {}, heap?: KernelHeap | null) {
    assertProcessorShape('de-esser', sampleRate, channelCount);
    const p = (this.current = { ...DE_ESSER_DEFAULTS, ...params });
    validateDeEsserParams(p, sampleRate);
    if (channelCount !== 2) heap = null;
    else if (!heap) heap = KernelHeap.create(DeEsser.heapBytes(sampleRate, channelCount), BIQUAD_KERNEL);
    const biquads = heap && createBiquadKernel(heap), gains = heap && GainKernel.create(0, 0, 0, heap);
    if (heap && biquads && gains) {
      // Pushed per step in the order D, AP, HP1, HP2: a biquad depends on itself one step earlier, and
      // HP2 on HP1 in the same step.
      const dependent = (a: number, ca: number, b: number, cb: number) => (a === b && cb === ca + 1) || (ca === cb && a === HP1 && b === HP2);
      this.heap = {
        audio: new HeapChannels(heap, channelCount, HEAP_BLOCK), out: Array.from({ length: BIQUADS }, () => new HeapChannels(heap, channelCount, HEAP_BLOCK)),
        low: new HeapChannels(heap, channelCount, CHUNK), high: new HeapChannels(heap, channelCount, CHUNK), key: new HeapChannels(heap, channelCount, CHUNK),
        storage: Array.from({ length: BIQUADS }, () => heapBiquadStorage(heap, channelCount)), runner: new PairRunner(heap, biquads, dependent), gains,
      };
    }
    const storage = this.heap?.storage;
    this.split = (['allPass', 'highPass', 'highPass'] as const).map((type, f) =>
      new Biquad(sampleRate, channelCount, { type, frequencyHz: p.splitHz, q: Math.SQRT1_2 }, storage?.[[AP, HP1, HP2][f]]));
    this.detectorFilter = new Biquad(sampleRate, channelCount, { type: p.detector, frequencyHz: p.frequencyHz, q: p.detectorQ }, storage?.[D]);
    this.compressor = new Compressor(sampleRate, channelCount, compressorParams(p), this.heap ? heap : undefined);
    const buffers = () => Array.from({ length: channelCount }, () => new Float32Array(CHUNK));
    this.low = this.heap ? this.heap.low.arrays : buffers();
    this.high = this.heap ? this.heap.high.arrays : buffers();
    this.key = this.heap ? this.heap.key.arrays : buffers();
  }

  /** Heap bytes a de-esser takes. */
  static heapBytes(sampleRate: number, channelCount: number): number {
    return (1 + BIQUADS) * HeapChannels.bytes(channelCount, HEAP_BLOCK) + 3 * HeapChannels.bytes(channelCount, CHUNK) + BIQUADS * heapBiquadBytes(channelCount)
      + PairRunner.heapBytes + Compressor.heapBytes(sampleRate, channelCount, 0);
  }

  get params(): Readonly<DeEsserParams> {
    return this.current;
  }

  set(params: Partial<DeEsserParams>): void {
    const next = { ...this.current, ...params };
    validateDeEsserParams(next, this.sampleRate);
    this.compressor.set(compressorParams(next));
    this.detectorFilter.set({ type: next.detector, frequencyHz: next.frequencyHz, q: next.detectorQ });
    for (const filter of this.split) filter.set({ frequencyHz: next.splitHz });
    this.current = next;
  }

  process(channels: Float32Array[], frames: number): void {
    if (this.heap !== null) {
      this.processInHeap(this.heap, channels, frames);
      return;
    }
    const low = this.low, high = this.high, key = this.key, count = this.channelCount;
    let largest = 0;
    for (let start = 0; start < frames; start += CHUNK) {
      const n = Math.min(CHUNK, frames - start);
      const fused = this.detectorFilter.settled && this.split[0].settled && this.split[1].settled && this.split[2].settled;
      if (!fused) {
        for (let c = 0; c < count; c++) {
          const x = channels[c], l = low[c], h = high[c], k = key[c];
          for (let i = 0; i < n; i++) { const v = x[start + i]; l[i] = v; h[i] = v; k[i] = v; }
        }
      }
      if (fused) {
        this.fusedFilters(channels, start, n);
      } else {
        this.detectorFilter.process(key, n);
        this.split[0].process(low, n);
        this.split[1].process(high, n);
        this.split[2].process(high, n);
        lowFromAllPass(low, high, count, n);
      }
      this.compressor.processWithSidechain(high, key, n);
      if (this.compressor.gainReductionDb > largest) largest = this.compressor.gainReductionDb;
      for (let c = 0; c < count; c++) {
        const x = channels[c], l = low[c], h = high[c];
        for (let i = 0; i < n; i++) {
          const v = Math.fround(l[i] + h[i]);
          // The bands are flushed, but their sum can cancel to a denormal.
          x[start + i] = Math.abs(v) < DENORMAL_FLOOR ? 0 : v;
        }
      }
    }
    this.gainReductionDb = largest;
    if (largest > this.maxGainReductionDb) this.maxGainReductionDb = largest;
  }

  /**
   * process() in the heap: the same chunks and the same arithmetic (filters in the biquad kernel while
   * settled, else the Biquads' own process() on the heap's buffers; the compressor on the same heap;
   * the bands' sum in the gain kernel).
   */
  private processInHeap(h: DeEsserHeap, channels: Float32Array[], frames: number): void {
    let largest = 0;
    for (let done = 0; done < frames; done += HEAP_BLOCK) {
      const piece = Math.min(HEAP_BLOCK, frames - done);
      h.audio.load(channels, done, piece);
      largest = Math.max(largest, this.runPiece(h, h.audio, 0, piece));
      h.audio.store(channels, done, piece);
    }
    this.gainReductionDb = largest;
    if (largest > this.maxGainReductionDb) this.maxGainReductionDb = largest;
  }

  /** HeapProcessor (utility/heap-chain.ts): process() of the first `frames` of stereo buffers in this de-esser's heap. */
  processHeap(buffers: HeapChannels, frames: number): void {
    const h = this.heap;
    if (h === null) {
      this.process(buffers.arrays, frames);
      return;
    }
    let largest = 0;
    for (let done = 0; done < frames; done += HEAP_BLOCK) largest = Math.max(largest, this.runPiece(h, buffers, done, Math.min(HEAP_BLOCK, frames - done)));
    this.gainReductionDb = largest;
    if (largest > this.maxGainReductionDb) this.maxGainReductionDb = largest;
  }

  /**
   * Frames [offset, offset + piece) of `io` (stereo heap buffers; piece <= HEAP_BLOCK) in place; returns
   * the largest gain reduction. While no biquad glides, the five run over the piece STEP frames at a
   * time, paired in the kernel, then the compressor and the sum run over the piece; otherwise chunk by
   * chunk through the Biquads' own process().
   */
  private runPiece(h: DeEsserHeap, io: HeapChannels, offset: number, piece: number): number {
    const { out, low, high, key, storage, runner, gains } = h;
    const filters = this.split, detector = this.detectorFilter;
    const ioL = io.at[0] + 4 * offset, ioR = io.at[1] + 4 * offset;
    let largest = 0;
    if (detector.settled && filters[0].settled && filters[1].settled && filters[2].settled) {
      for (let c = 0, start = 0; start < piece; c++, start += STEP) {
        const n = Math.min(STEP, piece - start), at = 4 * start;
        for (let f = 0; f < BIQUADS; f++) {
          const from = f === HP2 ? out[HP1] : null, to = out[f], s = storage[f];
          const fromL = from ? from.at[0] + at : ioL + at, fromR = from ? from.at[1] + at : ioR + at;
          runner.push(f, c, s.coefficientsAt, s.stateAt, fromL, fromR, to.at[0] + at, to.at[1] + at, n);
        }
      }
      runner.flush();
      detector.skipSettled(piece);
      for (let f = 0; f < 3; f++) filters[f].skipSettled(piece);
      // low = all-pass − high (in place), the compressor on the high band keyed by the detector, then the bands' sum into io.
      gains.sum(out[AP].at[0], out[AP].at[1], out[HP2].at[0], out[HP2].at[1], out[AP].at[0], out[AP].at[1], piece, 1);
      this.compressor.processInHeap(out[HP2], 0, out[D], 0, piece);
      largest = this.compressor.gainReductionDb;
      gains.sum(out[AP].at[0], out[AP].at[1], out[HP2].at[0], out[HP2].at[1], ioL, ioR, piece, 0);
      return largest;
    }
    for (let start = 0; start < piece; start += CHUNK) {
      const n = Math.min(CHUNK, piece - start);
      for (let c = 0; c < 2; c++) {
        const x = io.arrays[c], l = low.arrays[c], hi = high.arrays[c], k = key.arrays[c];
        for (let i = 0; i < n; i++) { const v = x[offset + start + i]; l[i] = v; hi[i] = v; k[i] = v; }
      }
      detector.process(key.arrays, n);
      filters[0].process(low.arrays, n);
      filters[1].process(high.arrays, n);
      filters[2].process(high.arrays, n);
      gains.sum(low.at[0], low.at[1], high.at[0], high.at[1], low.at[0], low.at[1], n, 1);
      this.compressor.processInHeap(high, 0, key, 0, n);
      if (this.compressor.gainReductionDb > largest) largest = this.compressor.gainReductionDb;
      gains.sum(low.at[0], low.at[1], high.at[0], high.at[1], ioL + 4 * start, ioR + 4 * start, n, 0);
    }
    return largest;
  }

  /**
   * The detector filter and the LR4 split (all-pass, high-pass²) of channels[·][start, start + n) into
   * key, low and high in one loop per channel, while none of the four biquads glides: the same
   * arithmetic on the same state arrays as Biquad.process() and lowFromAllPass(), so the output is identical.
   */
  private fusedFilters(channels: Float32Array[], start: number, n: number): void {
    const d = this.detectorFilter.fusedCoefficients, ap = this.split[0].fusedCoefficients;
    const hp1 = this.split[1].fusedCoefficients, hp2 = this.split[2].fusedCoefficients;
    const ds = this.detectorFilter.fusedState, as = this.split[0].fusedState;
    const h1s = this.split[1].fusedState, h2s = this.split[2].fusedState;
    for (let c = 0; c < this.channelCount; c++) {
      const x = channels[c], l = this.low[c], h = this.high[c], k = this.key[c];
      detectorLoop(d, ds, c, this.channelCount, x, start, k, n);
      splitLoop(ap, hp1, hp2, as, h1s, h2s, c, this.channelCount, x, start, l, h, n);
    }
    this.detectorFilter.skipSettled(n);
    for (let f = 0; f < 3; f++) this.split[f].skipSettled(n);
  }

  reset(): void {
    for (const filter of this.split) filter.reset();
    this.detectorFilter.reset();
    this.compressor.reset();
    this.gainReductionDb = 0;
    this.maxGainReductionDb = 0;
  }

  /** Magnitude of the response at `frequencyHz` for a high-band reduction of `reductionDb`: |L| + g·|H| (the bands are in phase). */
  magnitudeAt(frequencyHz: number, reductionDb: number): number {
    const section = (type: 'lowPass' | 'highPass') =>
      biquadResponse(biquadCoefficients(this.sampleRate, { type, frequencyHz: this.current.splitHz, q: Math.SQRT1_2, gainDb: 0 }), frequencyHz, this.sampleRate).magnitude ** 2;
    return section('lowPass') + Math.pow(10, -reductionDb / 20) * section('highPass');
  }
}

/** One biquad (coefficients k, channel c's state of `count` channels) over x[start, start + n) into y[0, n): Biquad's arithmetic. */
function detectorLoop(k: Float64Array, s: Float64Array, c: number, count: number, x: Float32Array, start: number, y: Float32Array, n: number): void {
  const b0 = k[0], b1 = k[1], b2 = k[2], a1 = k[3], a2 = k[4];
  const o1 = c + count, o2 = c + 2 * count, o3 = c + 3 * count;
  let x1 = s[c], x2 = s[o1], y1 = s[o2], y2 = s[o3];
  for (let i = 0; i < n; i++) {
    const v = x[start + i];
    let out = (b0 * v + b1 * x1 + b2 * x2 - a2 * y2) - a1 * y1;
    if (Math.abs(out) < DENORMAL_FLOOR) out = 0;
    x2 = x1; x1 = v; y2 = y1; y1 = out;
    y[i] = out;
  }
  s[c] = x1; s[o1] = x2; s[o2] = y1; s[o3] = y2;
}

/** low[i] = low[i] − high[i] (the all-pass's output minus the high band), in f32, flushed: the gain kernel's sum(…, subtract). */
function lowFromAllPass(low: Float32Array[], high: Float32Array[], count: number, n: number): void {
  for (let c = 0; c < count; c++) {
    const l = low[c], h = high[c];
    for (let i = 0; i < n; i++) {
      const v = Math.fround(l[i] - h[i]);
      l[i] = Math.abs(v) < DENORMAL_FLOOR ? 0 : v;
    }
  }
}

/**
 * The all-pass into low, two cascaded high-passes into high, all from x, then low = low − high. Each
 * biquad's output passes through Float32 (the buffer between two Biquad.process() calls) before it is used.
 */
function splitLoop(
  p: Float64Array, r: Float64Array, t: Float64Array,
  ps: Float64Array, rs: Float64Array, ts: Float64Array, c: number, count: number,
  x: Float32Array, start: number, low: Float32Array, high: Float32Array, n: number,
): void {
  const pb0 = p[0], pb1 = p[1], pb2 = p[2], pa1 = p[3], pa2 = p[4];
  const rb0 = r[0], rb1 = r[1], rb2 = r[2], ra1 = r[3], ra2 = r[4];
  const tb0 = t[0], tb1 = t[1], tb2 = t[2], ta1 = t[3], ta2 = t[4];
  const o1 = c + count, o2 = c + 2 * count, o3 = c + 3 * count;
  let px1 = ps[c], px2 = ps[o1], py1 = ps[o2], py2 = ps[o3];
  let rx1 = rs[c], rx2 = rs[o1], ry1 = rs[o2], ry2 = rs[o3];
  let tx1 = ts[c], tx2 = ts[o1], ty1 = ts[o2], ty2 = ts[o3];
  for (let i = 0; i < n; i++) {
    const v = x[start + i];
    let a = (pb0 * v + pb1 * px1 + pb2 * px2 - pa2 * py2) - pa1 * py1;
    if (Math.abs(a) < DENORMAL_FLOOR) a = 0;
    px2 = px1; px1 = v; py2 = py1; py1 = a;
    let e = (rb0 * v + rb1 * rx1 + rb2 * rx2 - ra2 * ry2) - ra1 * ry1;
    if (Math.abs(e) < DENORMAL_FLOOR) e = 0;
    rx2 = rx1; rx1 = v; ry2 = ry1; ry1 = e;
    const e32 = Math.fround(e);
    let f = (tb0 * e32 + tb1 * tx1 + tb2 * tx2 - ta2 * ty2) - ta1 * ty1;
    if (Math.abs(f) < DENORMAL_FLOOR) f = 0;
    tx2 = tx1; tx1 = e32; ty2 = ty1; ty1 = f;
    const f32 = Math.fround(f);
    high[i] = f32;
    const d = Math.fround(Math.fround(a) - f32);
    low[i] = Math.abs(d) < DENORMAL_FLOOR ? 0 : d;
  }
  ps[c] = px1; ps[o1] = px2; ps[o2] = py1; ps[o3] = py2;
  rs[c] = rx1; rs[o1] = rx2; rs[o2] = ry1; rs[o3] = ry2;
  ts[c] = tx1; ts[o1] = tx2; ts[o2] = ty1; ts[o3] = ty2;
}

export const createDeEsser = (sampleRate: number, channelCount: number, params?: Partial<DeEsserParams>) => new DeEsser(sampleRate, channelCount, params);
