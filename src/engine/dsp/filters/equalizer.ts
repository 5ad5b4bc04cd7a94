// A parametric equalizer: RBJ biquad bands in series (a channel strip's high-pass and EQ bands in one
// processor). Each band is a Biquad with its own smoothing; while every band is settled, a stereo
// equalizer runs the bands in the biquad SIMD kernel, two cascaded sections per pass over the block
// (biquad-kernel.wat), with the same arithmetic and the same float32 rounding between bands as the
// bands' own process() calls in a row: the output is bit-identical to a chain of Biquad processors.
import { assertProcessorShape, type LinearProcessor, type ParametricProcessor } from '../api.js';
import { HeapChannels, KernelHeap } from '../utility/kernel-heap.js';
import { Biquad, BIQUAD_DEFAULTS, validateBiquadParams, wrapPhase, type BiquadParams } from './biquad.js';
import { BIQUAD_KERNEL, createBiquadKernel, heapBiquadBytes, heapBiquadStorage, type BiquadKernel, type HeapBiquadStorage } from './biquad-kernel.js';

export interface EqualizerParams {
  /** The bands, applied in order (1-16; missing fields: BIQUAD_DEFAULTS). The band count is fixed at construction. */
  bands: BiquadParams[];
}

export const MAX_EQUALIZER_BANDS = 16;
/** Frames per pass through the kernel's buffers. */
const CAPACITY = 4096;

export class Equalizer implements ParametricProcessor<EqualizerParams>, LinearProcessor {
  readonly latency = 0;
  private current: EqualizerParams;
  private readonly bands: Biquad[];
  private readonly kernel: BiquadKernel | null = null;
  private readonly storage: HeapBiquadStorage[] = [];
  /** Ping-pong buffers of the kernel path. */
  private readonly buffers: HeapChannels[] = [];

  constructor(sampleRate: number, private readonly channelCount: number, params: Partial<{ bands: Partial<BiquadParams>[] }> = {}) {
    assertProcessorShape('equalizer', sampleRate, channelCount);
    const bands = (params.bands ?? []).map((band) => ({ ...BIQUAD_DEFAULTS, ...band }));
    if (bands.length < 1 || bands.length > MAX_EQUALIZER_BANDS) throw new RangeError(`equalizer: 1-${MAX_EQUALIZER_BANDS} bands, got ${bands.length}`);
    bands.forEach(validateBiquadParams);
    this.current = { bands };
    const heap = channelCount === 2
      ? KernelHeap.create(bands.length * heapBiquadBytes(channelCount) + 2 * HeapChannels.bytes(channelCount, CAPACITY), BIQUAD_KERNEL)
      : null;
    const kernel = heap && createBiquadKernel(heap);
    if (heap && kernel) {
      this.kernel = kernel;
      this.storage = bands.map(() => heapBiquadStorage(heap, channelCount));
      this.buffers = [new HeapChannels(heap, channelCount, CAPACITY), new HeapChannels(heap, channelCount, CAPACITY)];
    }
    this.bands = bands.map((band, b) => new Biquad(sampleRate, channelCount, band, this.storage[b]));
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
    for (let done = 0; done < frames; done += CAPACITY) this.runKernel(channels, done, Math.min(CAPACITY, frames - done));
    for (let b = 0; b < bands.length; b++) bands[b].skipSettled(frames);
  }

  /** Frames [offset, offset + n) through every band in the kernel: pairs of bands per pass, ping-pong between two buffers. */
  private runKernel(channels: Float32Array[], offset: number, n: number): void {
    const kernel = this.kernel as BiquadKernel, storage = this.storage;
    let from = this.buffers[0], to = this.buffers[1];
    from.load(channels, offset, n);
    let b = 0;
    for (; b + 1 < storage.length; b += 2) {
      const p = storage[b], q = storage[b + 1];
      kernel.cascade(from.at[0], from.at[1], to.at[0], to.at[1], n, p.coefficientsAt, p.stateAt, q.coefficientsAt, q.stateAt);
      const swap = from; from = to; to = swap;
    }
    if (b < storage.length) kernel.section(from.at[0], from.at[1], from.at[0], from.at[1], n, storage[b].coefficientsAt, storage[b].stateAt);
    from.store(channels, offset, n);
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
