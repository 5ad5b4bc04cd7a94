// The stereo biquad kernel (biquad-kernel.wat) on a KernelHeap: one section, two cascaded sections in
// one pass, and the 2-band LR4 split. Bit-identical to Biquad's and Crossover's JS loops.
import type { KernelHeap } from '../utility/kernel-heap.js';
import type { BiquadStorage } from './biquad.js';
import { BIQUAD_KERNEL_WASM_BASE64 } from './biquad-kernel.wasm.js';

export const BIQUAD_KERNEL = BIQUAD_KERNEL_WASM_BASE64;

export interface BiquadKernel {
  /** One section over n frames of a stereo pair (addresses of f32 buffers), in place allowed. */
  section(inL: number, inR: number, outL: number, outR: number, n: number, coef: number, state: number): void;
  /** B(f32(A(x))); out must not overlap in. */
  cascade(inL: number, inR: number, outL: number, outR: number, n: number, coefA: number, stateA: number, coefB: number, stateB: number): void;
  /** The 2-band LR4 split: coefficients b0, a1, a2 at coef, 8 f64x2 of state. */
  split2(inL: number, inR: number, lowL: number, lowR: number, highL: number, highR: number, n: number, coef: number, state: number): void;
}

export const createBiquadKernel = (heap: KernelHeap): BiquadKernel | null => heap.instantiate<BiquadKernel>(BIQUAD_KERNEL);

/** A Biquad's numbers in the heap, with their addresses. */
export interface HeapBiquadStorage extends BiquadStorage {
  coefficientsAt: number;
  stateAt: number;
}

/** Heap bytes of one biquad's storage for `channelCount` channels. */
export const heapBiquadBytes = (channelCount: number): number => 48 + 16 * Math.ceil((32 * channelCount) / 16);

export function heapBiquadStorage(heap: KernelHeap, channelCount: number): HeapBiquadStorage {
  const coefficients = heap.f64(5), state = heap.f64(4 * channelCount);
  return { coefficients: coefficients.array, coefficientsAt: coefficients.at, state: state.array, stateAt: state.at };
}
