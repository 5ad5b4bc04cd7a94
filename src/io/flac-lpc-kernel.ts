// The FLAC encoder's LPC sample loops in WebAssembly SIMD (flac-lpc-kernel.wat): the windowed
// autocorrelation up to lag 8 and the residual of an order <= 8 predictor with its partition sums, each
// bit-identical to the JS path in flac-encode.ts (autocorrelate, lpcResidual), which stays as the
// fallback where WebAssembly SIMD is unavailable and for higher orders.
import { instantiateKernel } from '../engine/wasm.js';
import { FLAC_LPC_KERNEL_WASM_BASE64 } from './flac-lpc-kernel.wasm.js';

type Exports = {
  autocorr(xAt: number, wAt: number, yAt: number, n: number, rAt: number): void;
  residual(xAt: number, n: number, order: number, cAt: number, outAt: number, p: number, sumsAt: number): number;
};

/** Partition sums the residual can write (partition order <= 8). */
const MAX_PARTITIONS = 256;

export class FlacLpcKernel {
  private readonly exports: Exports;
  private readonly x: Int32Array;
  private readonly w: Float64Array;
  private readonly out: Int32Array;
  private readonly sums: Float64Array;
  private readonly coefficients: Float64Array;
  private readonly r: Float64Array;
  private readonly at: { x: number; w: number; y: number; out: number; sums: number; c: number; r: number };
  /** The window last loaded (by reference: the encoder makes a new one per block length). */
  private window: Float64Array | null = null;

  /** A kernel for blocks of up to `blockSize` samples, or null where WebAssembly SIMD is unavailable. */
  static create(blockSize: number): FlacLpcKernel | null {
    // i32 x (8 zeros before), f64 y (10 x -0 before), f64 w, i32 out, sums, 8 coefficients, 9 lags.
    const at = { x: 32, w: 0, y: 0, out: 0, sums: 0, c: 0, r: 0 };
    at.y = align(at.x + 4 * blockSize + 8) + 80;
    at.w = at.y + 8 * blockSize;
    at.out = at.w + 8 * blockSize;
    at.sums = align(at.out + 4 * blockSize + 8);
    at.c = at.sums + 8 * MAX_PARTITIONS;
    at.r = at.c + 64;
    const instance = instantiateKernel(FLAC_LPC_KERNEL_WASM_BASE64, at.r + 72);
    return instance && new FlacLpcKernel(instance.exports as unknown as Exports, instance.memory.buffer, at, blockSize);
  }

  private constructor(exports: Exports, buffer: ArrayBuffer, at: FlacLpcKernel['at'], blockSize: number) {
    this.exports = exports;
    this.at = at;
    this.x = new Int32Array(buffer, at.x, blockSize);
    this.w = new Float64Array(buffer, at.w, blockSize);
    this.out = new Int32Array(buffer, at.out, blockSize);
    this.sums = new Float64Array(buffer, at.sums, MAX_PARTITIONS);
    this.coefficients = new Float64Array(buffer, at.c, 8);
    this.r = new Float64Array(buffer, at.r, 9);
    new Float64Array(buffer, at.y - 80, 10).fill(-0); // the JS path's history before the first sample
  }

  /** Loads the subframe's samples for autocorrelate() and residual(). */
  load(x: Int32Array, n: number): void {
    this.x.set(n === x.length ? x : x.subarray(0, n));
  }

  /** R[0..8] of the loaded samples windowed by `window` (n = window.length), as flac-encode.ts autocorrelate. */
  autocorrelate(window: Float64Array, R: Float64Array): void {
    const n = window.length;
    if (this.window !== window) {
      this.w.set(window);
      this.window = window;
    }
    this.exports.autocorr(this.at.x, this.at.w, this.at.y, n, this.at.r);
    for (let k = 0; k <= 8; k++) R[k] = this.r[k];
  }

  /**
   * lpcResidual (flac-encode.ts) of the loaded samples for order <= 8: the folded residual into `out`,
   * 2 x Σ|r| per partition into `sums`; returns the largest partition's Σ|r| (at or above 2^30 the
   * caller must redo it with per-sample checks).
   */
  residual(n: number, order: number, q: Int32Array, shift: number, out: Int32Array, p: number, sums: Float64Array): number {
    const scale = 2 ** -shift;
    for (let k = 0; k < 8; k++) this.coefficients[k] = k < order ? q[k] * scale : 0;
    const largest = this.exports.residual(this.at.x, n, order, this.at.c, this.at.out, p, this.at.sums);
    out.set(this.out.subarray(order, n), order);
    for (let j = 0, parts = 1 << p; j < parts; j++) sums[j] = this.sums[j];
    return largest;
  }
}

const align = (bytes: number) => (bytes + 15) & ~15;
