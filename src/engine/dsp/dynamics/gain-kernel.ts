// The dynamics processors' SIMD kernel (gain-kernel.wat) on a KernelHeap: the per-sample curves of the
// compressor (the soft-knee gain computer: softKneeCurve with fastLog2; reduction -> gain: fastExp2) and
// of the transient shaper (`transient`: levels at, gains at, n, then its constants); a whole chunk of a
// stereo-linked compressor (`compress`, parameter block described in the .wat; `compressRun`: a run of
// chunks); and the bands' sum of the
// de-esser and the multiband compressor (`sum`). Bit-identical to the JS loops, which stay the fallback.
import { KernelHeap, type HeapBuffer } from '../utility/kernel-heap.js';
import { GAIN_KERNEL_WASM_BASE64 } from './gain-kernel.wasm.js';
import { MIN_KNEE } from './gain-computer.js';

export const GAIN_KERNEL = GAIN_KERNEL_WASM_BASE64;

type Curve = (levels: number, out: number, n: number, scale: number, w: number, inverseTwoW: number, offset: number, slope: number, range: number) => void;
type Gains = (reduction: number, makeups: number, gains: number, n: number, makeup: number, largest: number) => number;
type Transient = (levels: number, gains: number, n: number, dbPerLog2: number, deadBand: number, span: number, attack: number, sustain: number) => void;
type Compress = (params: number, detL: number, detR: number, outL: number, outR: number, n: number) => void;
type CompressRun = (params: number, detL: number, detR: number, outL: number, outR: number, frames: number, first: number) => void;
/** out = a + b (subtract 1: a − b) rounded to f32, then flushed to 0 below DENORMAL_FLOOR. */
type Sum = (aL: number, aR: number, bL: number, bR: number, outL: number, outR: number, n: number, subtract: number) => void;

/** One f64 or f32 buffer of the kernel's memory and its byte address. */
export type KernelBuffer<T extends Float64Array | Float32Array> = HeapBuffer<T>;

export class GainKernel {
  private constructor(
    private readonly curveFn: Curve, private readonly gainsFn: Gains, readonly transient: Transient,
    readonly compress: Compress, readonly compressRun: CompressRun, readonly sum: Sum, readonly heap: KernelHeap,
  ) {}

  /**
   * The kernel on `heap`, or, without one, on a heap of its own with room for `f64Buffers` + `f32Buffers`
   * buffers of `frames` each; null where WebAssembly SIMD is unavailable.
   */
  static create(f64Buffers: number, f32Buffers: number, frames: number, heap?: KernelHeap | null): GainKernel | null {
    const own = heap ?? KernelHeap.create(KernelHeap.bytes(f64Buffers, frames, 8) + KernelHeap.bytes(f32Buffers, frames, 4), GAIN_KERNEL);
    const e = own?.instantiate<{ curve: Curve; gains: Gains; transient: Transient; compress: Compress; compressRun: CompressRun; sum: Sum }>(GAIN_KERNEL);
    if (!own || !e) return null;
    return new GainKernel(e.curve, e.gains, e.transient, e.compress, e.compressRun, e.sum, own);
  }

  f64(frames: number): KernelBuffer<Float64Array> {
    return this.heap.f64(frames);
  }

  f32(frames: number): KernelBuffer<Float32Array> {
    return this.heap.f32(frames);
  }

  /** softKneeCurve(levels, levels, from, to, ...) in place on the buffer at `at`. */
  curve(at: number, from: number, to: number, scale: number, threshold: number, knee: number, slope: number, range: number): void {
    const w = knee > MIN_KNEE ? knee : MIN_KNEE;
    this.curveFn(at + 8 * from, at + 8 * from, to - from, scale, w, 0.5 / w, 0.5 * w - threshold, slope, range);
  }

  /** gains[i] = fastExp2(makeup − reduction[i]) (makeups[i] when `makeupsAt` is not 0); returns max(largest, reduction). */
  gains(reductionAt: number, makeupsAt: number, gainsAt: number, n: number, makeup: number, largest: number): number {
    return this.gainsFn(reductionAt, makeupsAt, gainsAt, n, makeup, largest);
  }
}
