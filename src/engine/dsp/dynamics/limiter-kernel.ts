// The true-peak meter's WebAssembly SIMD kernel (analysis/true-peak-kernel.wat: BS.1770-4 Annex 2,
// f32), instantiated with its own memory for the limiter's guard. The guard's per-channel lines live in
// that memory (one region each, laid out as the .wat expects: history, then the chunk), so the kernel
// reads them in place: a call copies nothing and allocates nothing (the guard runs inside process()).
import { TRUE_PEAK_KERNEL_WASM_BASE64 } from '../../analysis/true-peak-kernel.wasm.js';
import { compileKernel } from '../../wasm.js';

const PAGE_BYTES = 65536;
/** Samples a window reaches back before its last (the .wat's layout puts them before the chunk). */
const HISTORY = 11;

const compile = (): WebAssembly.Module | null => compileKernel(TRUE_PEAK_KERNEL_WASM_BASE64);

export interface WindowPeakKernel {
  /** Per channel, `length` f32 samples in the kernel's memory: the guard's delay lines. */
  readonly lines: Float32Array[];
  /**
   * Max over n in [start, end) of the 4 BS.1770 phases' |value| for the window ending at lines[c][n]
   * (reads from start - 11; start >= 11), computed in f32 as the meter does.
   */
  peak(c: number, start: number, end: number): number;
}

/** A kernel over `channelCount` lines of `length` samples, or null where WebAssembly SIMD is unavailable. */
export function createWindowPeakKernel(channelCount: number, length: number): WindowPeakKernel | null {
  const module = compile();
  if (!module) return null;
  let run: (base: number, count: number) => number;
  let memory: WebAssembly.Memory;
  const stride = 16 * Math.ceil((length * 4) / 16);
  try {
    const exports = new WebAssembly.Instance(module, {}).exports as unknown as { memory: WebAssembly.Memory; peakAt(base: number, count: number): number };
    memory = exports.memory;
    const needed = Math.ceil((channelCount * stride) / PAGE_BYTES);
    const have = memory.buffer.byteLength / PAGE_BYTES;
    if (needed > have) memory.grow(needed - have);
    run = exports.peakAt;
  } catch {
    return null;
  }
  const lines = Array.from({ length: channelCount }, (_, c) => new Float32Array(memory.buffer, c * stride, length));
  return {
    lines,
    peak(c: number, start: number, end: number): number {
      const count = end - start;
      return count <= 0 ? 0 : run(c * stride + (start - HISTORY) * 4, count);
    },
  };
}
