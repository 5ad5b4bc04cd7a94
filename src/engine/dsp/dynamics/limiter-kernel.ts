// The true-peak meter's WebAssembly SIMD kernel (analysis/true-peak-kernel.wat: BS.1770-4 Annex 2,
// f32), instantiated with its own memory for the limiter's guard. Unlike the meter's wrapper, samples
// are copied into the wasm heap element by element, so a call allocates nothing (the guard runs inside
// process()). Memory layout per the .wat: x[-11] .. x[-1], then the block; peak(count) = max |phase|.
import { TRUE_PEAK_KERNEL_WASM_BASE64 } from '../../analysis/true-peak-kernel.wasm.js';
import { compileKernel } from '../../wasm.js';

const HISTORY = 11;
const PAGE_BYTES = 65536;

const compile = (): WebAssembly.Module | null => compileKernel(TRUE_PEAK_KERNEL_WASM_BASE64);

export interface WindowPeakKernel {
  /**
   * Max over n in [start, end) of the 4 BS.1770 phases' |value| for the window ending at samples[n]
   * (reads samples[start - 11 ..]; start >= 11, end - start <= capacity), computed in f32 as the meter does.
   */
  peak(samples: Float32Array, start: number, end: number): number;
}

/** A kernel for windows of up to `capacity` outputs per call, or null where WebAssembly SIMD is unavailable. */
export function createWindowPeakKernel(capacity: number): WindowPeakKernel | null {
  const module = compile();
  if (!module) return null;
  let run: (count: number) => number;
  let heap: Float32Array;
  try {
    const exports = new WebAssembly.Instance(module, {}).exports as unknown as { memory: WebAssembly.Memory; peak(count: number): number };
    const needed = Math.ceil(((HISTORY + capacity) * 4) / PAGE_BYTES);
    const have = exports.memory.buffer.byteLength / PAGE_BYTES;
    if (needed > have) exports.memory.grow(needed - have);
    heap = new Float32Array(exports.memory.buffer, 0, HISTORY + capacity);
    run = exports.peak;
  } catch {
    return null;
  }
  return {
    peak(samples: Float32Array, start: number, end: number): number {
      const count = end - start;
      if (count <= 0) return 0;
      for (let i = 0; i < HISTORY + count; i++) heap[i] = samples[start - HISTORY + i];
      return run(count);
    },
  };
}
