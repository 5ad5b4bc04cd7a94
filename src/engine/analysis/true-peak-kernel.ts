// WebAssembly SIMD kernel for the BS.1770-4 Annex 2 true-peak interpolation (see true-peak-kernel.wat).
// Same semantics as interpolatedPeak in true-peak.ts, about 10x faster; createTruePeakKernel returns null
// where WebAssembly or its SIMD proposal is unavailable, and callers fall back to the JS path.

import { TRUE_PEAK_KERNEL_WASM_BASE64 } from './true-peak-kernel.wasm.js';
import { compileKernel } from '../wasm.js';

export interface TruePeakKernel {
  /**
   * Max over n in [start, end) and the 4 phases of |interpolated value| (0 for an empty range).
   * The 11 samples before `start` come from `samples` where the index is >= 0, else from `history`,
   * the samples before samples[0] newest first (history[0] = x[-1], history[1] = x[-2], ...).
   * Computed in f32 (relative error ~1e-7 against the f64 JS path); NaN outputs are ignored.
   */
  peak(samples: Float32Array, start: number, end: number, history: Float32Array): number;
  /**
   * The running true peak after samples[0, frames), from `peakIn`: TruePeakMeter's chunked scan (per
   * SCAN_CHUNK outputs, the sample peak under the filter first; the interpolation only where
   * (sample peak) x `l1` exceeds the peak so far) done entirely in the kernel, one call per block.
   * Gives exactly what the meter's JS-side scan calling peak() per chunk gives.
   */
  scan(samples: Float32Array, frames: number, history: Float32Array, peakIn: number, l1: number): number;
}

/** Outputs per skip decision in scan() (the meter's CHUNK). */
export const SCAN_CHUNK = 256;

export interface TruePeakKernelOptions {
  /** Samples per wasm call; longer ranges are processed in pieces. Default 65536. */
  capacity?: number;
}

const HISTORY = 11;
const PAGE_BYTES = 65536;
const DEFAULT_CAPACITY = 65536;

interface KernelExports {
  memory: WebAssembly.Memory;
  peak(count: number): number;
  scan(count: number, peak: number, l1: number): number;
}

const compile = (): WebAssembly.Module | null => compileKernel(TRUE_PEAK_KERNEL_WASM_BASE64);

/** A kernel with its own wasm memory, or null if WebAssembly SIMD is unavailable. */
export function createTruePeakKernel(options: TruePeakKernelOptions = {}): TruePeakKernel | null {
  const capacity = Math.max(1, Math.floor(options.capacity ?? DEFAULT_CAPACITY));
  const module = compile();
  if (!module) return null;
  let exports: KernelExports;
  try {
    exports = new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
    const needed = Math.ceil(((HISTORY + capacity) * Float32Array.BYTES_PER_ELEMENT) / PAGE_BYTES);
    const have = exports.memory.buffer.byteLength / PAGE_BYTES;
    if (needed > have) exports.memory.grow(needed - have);
  } catch {
    return null;
  }
  // Memory never grows again, so this view stays attached.
  const heap = new Float32Array(exports.memory.buffer, 0, HISTORY + capacity);
  const run = exports.peak;
  const scan = exports.scan;
  /** Puts samples[from, to) into the kernel's memory after the HISTORY samples before `from` (from `history` before samples[0]). */
  const load = (samples: Float32Array, from: number, to: number, history: Float32Array) => {
    if (from >= HISTORY) {
      heap.set(samples.subarray(from - HISTORY, to), 0);
      return;
    }
    for (let i = 0; i < HISTORY; i++) {
      const index = from - HISTORY + i;
      heap[i] = index >= 0 ? samples[index] : history[-1 - index];
    }
    heap.set(samples.subarray(from, to), HISTORY);
  };
  // scan() pieces hold whole chunks, so its skip decisions fall where the JS path's do.
  const scanCapacity = Math.max(SCAN_CHUNK, capacity - (capacity % SCAN_CHUNK));

  return {
    scan(samples: Float32Array, frames: number, history: Float32Array, peakIn: number, l1: number): number {
      let peak = peakIn;
      for (let from = 0; from < frames; from += scanCapacity) {
        const to = Math.min(frames, from + scanCapacity);
        load(samples, from, to, history);
        peak = scan(to - from, peak, l1);
      }
      return peak;
    },
    peak(samples: Float32Array, start: number, end: number, history: Float32Array): number {
      let max = 0;
      end = Math.min(end, samples.length); // the JS path reads NaN past the end, which it ignores
      for (let from = start; from < end; from += capacity) {
        const to = Math.min(end, from + capacity);
        load(samples, from, to, history);
        const m = run(to - from);
        if (m > max) max = m;
      }
      return max;
    },
  };
}
