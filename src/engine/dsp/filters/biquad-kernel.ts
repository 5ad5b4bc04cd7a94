// The stereo biquad kernel (biquad-kernel.wat) on a KernelHeap: one section, two independent sections
// in one pass (PairRunner schedules them), and the 2-band LR4 split. Bit-identical to Biquad's and
// Crossover's JS loops.
import type { KernelHeap } from '../utility/kernel-heap.js';
import type { BiquadStorage } from './biquad.js';
import { BIQUAD_KERNEL_WASM_BASE64 } from './biquad-kernel.wasm.js';

export const BIQUAD_KERNEL = BIQUAD_KERNEL_WASM_BASE64;

export interface BiquadKernel {
  /** One section over n frames of a stereo pair (addresses of f32 buffers), in place allowed. */
  section(inL: number, inR: number, outL: number, outR: number, n: number, coef: number, state: number): void;
  /** The 2-band LR4 split: coefficients b0, a1, a2 at coef, 8 f64x2 of state. */
  split2(inL: number, inR: number, lowL: number, lowR: number, highL: number, highR: number, n: number, coef: number, state: number): void;
  /** Two independent sections described by the table at `table` (see PairRunner). */
  pair(table: number, n: number): void;
}

export const createBiquadKernel = (heap: KernelHeap): BiquadKernel | null => heap.instantiate<BiquadKernel>(BIQUAD_KERNEL);

/** A Biquad's numbers in the heap, with their addresses. */
export interface HeapBiquadStorage extends BiquadStorage {
  coefficientsAt: number;
  stateAt: number;
}

/** Heap bytes of one biquad's storage for `channelCount` channels. */
export const heapBiquadBytes = (channelCount: number): number => 48 + 16 * Math.ceil((32 * channelCount) / 16);

/**
 * Runs stereo sections two at a time (the kernel's `pair`: one section per lane, so two recursions share
 * every instruction) in the order they are pushed. A pushed section waits for a partner; it goes alone
 * when the next one depends on it (`dependent`), has another length, or flush() is called. The caller
 * pushes in an order where every section's inputs are complete when it is pushed.
 */
export class PairRunner {
  private readonly table: Int32Array;
  private readonly tableAt: number;
  private pending = false;
  private pendingSection = 0;
  private pendingChunk = 0;
  private pendingN = 0;

  constructor(
    heap: KernelHeap, private readonly kernel: BiquadKernel,
    /** Whether section b on chunk cb needs the output of section a on chunk ca (b is pushed after a). */
    private readonly dependent: (a: number, ca: number, b: number, cb: number) => boolean,
  ) {
    const table = heap.i32(12 + 32);
    this.table = table.array;
    this.tableAt = table.at;
  }

  static readonly heapBytes = 4 * (12 + 32);

  /** Section `section` (numbers at coef, state) on chunk `chunk`: n frames from in to out (stereo, f32). */
  push(section: number, chunk: number, coef: number, state: number, inL: number, inR: number, outL: number, outR: number, n: number): void {
    const t = this.table;
    if (this.pending && n === this.pendingN && !this.dependent(this.pendingSection, this.pendingChunk, section, chunk)) {
      t[4] = inL; t[5] = inR; t[6] = outL; t[7] = outR; t[10] = coef; t[11] = state;
      this.kernel.pair(this.tableAt, n);
      this.pending = false;
      return;
    }
    this.flush();
    t[0] = inL; t[1] = inR; t[2] = outL; t[3] = outR; t[8] = coef; t[9] = state;
    this.pending = true;
    this.pendingSection = section; this.pendingChunk = chunk; this.pendingN = n;
  }

  /** Runs a waiting section alone. */
  flush(): void {
    if (!this.pending) return;
    const t = this.table;
    this.kernel.section(t[0], t[1], t[2], t[3], this.pendingN, t[8], t[9]);
    this.pending = false;
  }
}

export function heapBiquadStorage(heap: KernelHeap, channelCount: number): HeapBiquadStorage {
  const coefficients = heap.f64(5), state = heap.f64(4 * channelCount);
  return { coefficients: coefficients.array, coefficientsAt: coefficients.at, state: state.array, stateAt: state.at };
}
