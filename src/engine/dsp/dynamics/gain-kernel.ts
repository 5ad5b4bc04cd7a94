// The compressor's chunk buffers in WebAssembly memory, and the SIMD kernel (gain-kernel.wat) that runs
// its two per-sample curves over them: the soft-knee gain computer (softKneeCurve with fastLog2) and
// reduction -> gain (fastExp2); also the transient shaper's gain curve (`transient`: levels at, gains
// at, n, then its constants). Bit-identical to the JS loops, which stay the fallback.
import { instantiateKernel } from '../../wasm.js';
import { GAIN_KERNEL_WASM_BASE64 } from './gain-kernel.wasm.js';
import { MIN_KNEE } from './gain-computer.js';

type Curve = (levels: number, out: number, n: number, scale: number, w: number, inverseTwoW: number, offset: number, slope: number, range: number) => void;
type Gains = (reduction: number, makeups: number, gains: number, n: number, makeup: number, largest: number) => number;
type Transient = (levels: number, gains: number, n: number, dbPerLog2: number, deadBand: number, span: number, attack: number, sustain: number) => void;

/** One f64 or f32 buffer of the kernel's memory and its byte address. */
export interface KernelBuffer<T extends Float64Array | Float32Array> { readonly array: T; readonly at: number }

export class GainKernel {
  private constructor(
    private readonly curveFn: Curve, private readonly gainsFn: Gains, readonly transient: Transient,
    private readonly buffer: ArrayBuffer, private at: number,
  ) {}

  /** A kernel with room for `f64Buffers` + `f32Buffers` buffers of `frames` each, or null (no WebAssembly SIMD). */
  static create(f64Buffers: number, f32Buffers: number, frames: number): GainKernel | null {
    const bytes = 16 * Math.ceil((8 * frames) / 16) * (f64Buffers + f32Buffers) + 64;
    const kernel = instantiateKernel(GAIN_KERNEL_WASM_BASE64, bytes);
    if (!kernel) return null;
    const e = kernel.exports as unknown as { curve: Curve; gains: Gains; transient: Transient };
    return new GainKernel(e.curve, e.gains, e.transient, kernel.memory.buffer, 16);
  }

  f64(frames: number): KernelBuffer<Float64Array> {
    const at = this.at;
    this.at += 16 * Math.ceil((8 * frames) / 16);
    return { array: new Float64Array(this.buffer, at, frames), at };
  }

  f32(frames: number): KernelBuffer<Float32Array> {
    const at = this.at;
    this.at += 16 * Math.ceil((4 * frames) / 16);
    return { array: new Float32Array(this.buffer, at, frames), at };
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
