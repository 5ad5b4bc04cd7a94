// A parametric equalizer: RBJ biquad bands in series (a channel strip's high-pass and EQ bands in one
// processor). Each band is a Biquad with its own smoothing; while every band is settled, a stereo
// equalizer runs the bands in the biquad SIMD kernel (biquad-kernel.wat) with the same arithmetic and
// the same float32 rounding between bands as the bands' own process() calls in a row: the output is
// bit-identical to a chain of Biquad processors. The block is cut into chunks and the (band, chunk)
// steps go in diagonal order (band b on chunk c after band b − 1 on chunk c and band b on chunk c − 1),
// two independent steps per kernel pass, so two recursions always overlap.
import { assertProcessorShape, type LinearProcessor, type ParametricProcessor } from '../api.js';
import { HeapChannels, KernelHeap } from '../utility/kernel-heap.js';
import { Biquad, BIQUAD_DEFAULTS, validateBiquadParams, wrapPhase, type BiquadParams } from './biquad.js';
import { BIQUAD_KERNEL, createBiquadKernel, heapBiquadBytes, heapBiquadStorage, PairRunner, type BiquadKernel, type HeapBiquadStorage } from './biquad-kernel.js';

export interface EqualizerParams {
  /** The bands, applied in order (1-16; missing fields: BIQUAD_DEFAULTS). The band count is fixed at construction. */
  bands: BiquadParams[];
}

export const MAX_EQUALIZER_BANDS = 16;
/** Frames per pass through the kernel's buffers. */
const CAPACITY = 4096;
/** Frames per step of the kernel path's pipeline. */
const STEP = 512;

export class Equalizer implements ParametricProcessor<EqualizerParams>, LinearProcessor {
  readonly latency = 0;
  private current: EqualizerParams;
  private readonly bands: Biquad[];
  private readonly kernel: BiquadKernel | null = null;
  private readonly storage: HeapBiquadStorage[] = [];
  /** The kernel path's buffers: the block, then the output of every band but the last (which writes the block). */
  private readonly buffers: HeapChannels[] = [];
  private readonly runner: PairRunner | null = null;

  /** `heap`: a KernelHeap to work in (shared with other processors, e.g. a HeapChain's), with heapBytes(…) free. */
  constructor(sampleRate: number, private readonly channelCount: number, params: Partial<{ bands: Partial<BiquadParams>[] }> = {}, heap?: KernelHeap | null) {
    assertProcessorShape('equalizer', sampleRate, channelCount);
    const bands = (params.bands ?? []).map((band) => ({ ...BIQUAD_DEFAULTS, ...band }));
    if (bands.length < 1 || bands.length > MAX_EQUALIZER_BANDS) throw new RangeError(`equalizer: 1-${MAX_EQUALIZER_BANDS} bands, got ${bands.length}`);
    bands.forEach(validateBiquadParams);
    this.current = { bands };
    if (channelCount !== 2) heap = null;
    else if (!heap) heap = KernelHeap.create(Equalizer.heapBytes(channelCount, bands.length), BIQUAD_KERNEL);
    const kernel = heap && createBiquadKernel(heap);
    if (heap && kernel) {
      this.kernel = kernel;
      this.storage = bands.map(() => heapBiquadStorage(heap, channelCount));
      this.buffers = bands.map(() => new HeapChannels(heap, channelCount, CAPACITY));
      this.runner = new PairRunner(heap, kernel, (a, ca, b, cb) => (b === a && cb === ca + 1) || (b === a + 1 && cb === ca));
    }
    this.bands = bands.map((band, b) => new Biquad(sampleRate, channelCount, band, this.storage[b]));
  }

  /** Heap bytes an equalizer with `bandCount` bands takes. */
  static heapBytes(channelCount: number, bandCount: number): number {
    return bandCount * (heapBiquadBytes(channelCount) + HeapChannels.bytes(channelCount, CAPACITY)) + PairRunner.heapBytes;
  }

  get params(): Readonly<EqualizerParams> {
    return this.current;
  }

  /** `bands[b]` is merged into band b's parameters (missing entries leave a band as it is). */
  set(params: Partial<{ bands: Partial<BiquadParams>[] }>): void {
    if (!params.bands) return;
    if (params.bands.length > this.bands.length) throw new RangeError(`equalizer: ${this.bands.length} bands, got ${params.bands.length}`);
    const bands = this.current.bands.map((band, b) => ({ ...band, ...params.bands?.[b] }));
    bands.forEach(validateBiquadParams);
    bands.forEach((band, b) => this.bands[b].set(band));
    this.current = { bands };
  }

  process(channels: Float32Array[], frames: number): void {
    const bands = this.bands;
    let settled = this.kernel !== null;
    for (let b = 0; b < bands.length && settled; b++) settled = bands[b].settled;
    if (!settled) {
      for (let b = 0; b < bands.length; b++) bands[b].process(channels, frames);
      return;
    }
    const block = this.buffers[0];
    for (let done = 0; done < frames; done += CAPACITY) {
      const n = Math.min(CAPACITY, frames - done);
      block.load(channels, done, n);
      this.runKernel(block, n);
      block.store(channels, done, n);
    }
    for (let b = 0; b < bands.length; b++) bands[b].skipSettled(frames);
  }

  /** HeapProcessor (utility/heap-chain.ts): process() of the first `frames` of stereo buffers in this equalizer's heap. */
  processHeap(buffers: HeapChannels, frames: number): void {
    const bands = this.bands;
    let settled = this.kernel !== null;
    for (let b = 0; b < bands.length && settled; b++) settled = bands[b].settled;
    if (!settled) {
      for (let b = 0; b < bands.length; b++) bands[b].process(buffers.arrays, frames);
      return;
    }
    for (let done = 0; done < frames; done += CAPACITY) this.runKernel(buffers, Math.min(CAPACITY, frames - done), done);
    for (let b = 0; b < bands.length; b++) bands[b].skipSettled(frames);
  }

  /**
   * Frames [offset, offset + n) of `io` (stereo heap buffers) through every band in the kernel, in place:
   * band 0 reads io, band b writes buffers[b + 1] and band b + 1 reads it, the last band writes io; STEP
   * frames at a time, in diagonal order through the PairRunner.
   */
  private runKernel(io: HeapChannels, n: number, offset = 0): void {
    const storage = this.storage, buffers = this.buffers, runner = this.runner as PairRunner, last = storage.length - 1;
    const chunks = Math.ceil(n / STEP);
    for (let d = 0; d < chunks + last; d++) {
      for (let b = Math.max(0, d - chunks + 1); b <= Math.min(last, d); b++) {
        const c = d - b, at = 4 * c * STEP, count = Math.min(STEP, n - c * STEP);
        const from = b === 0 ? io : buffers[b], to = b === last ? io : buffers[b + 1], s = storage[b];
        const fromAt = from === io ? at + 4 * offset : at, toAt = to === io ? at + 4 * offset : at;
        runner.push(b, c, s.coefficientsAt, s.stateAt, from.at[0] + fromAt, from.at[1] + fromAt, to.at[0] + toAt, to.at[1] + toAt, count);
      }
    }
    runner.flush();
  }

  reset(): void {
    for (const band of this.bands) band.reset();
  }

  /** Response of the target parameters: the product of the bands'. */
  response(frequencyHz: number): { magnitude: number; phase: number } {
    let magnitude = 1, phase = 0;
    for (const band of this.bands) {
      const r = band.response(frequencyHz);
      magnitude *= r.magnitude;
      phase += r.phase;
    }
    return { magnitude, phase: wrapPhase(phase) };
  }
}

export const createEqualizer = (sampleRate: number, channelCount: number, params?: Partial<{ bands: Partial<BiquadParams>[] }>) =>
  new Equalizer(sampleRate, channelCount, params);
