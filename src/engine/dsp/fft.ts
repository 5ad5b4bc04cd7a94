// In-place iterative radix-2^2 complex FFT (Cooley-Tukey, decimation in time) on split real/imag
// Float64Arrays, with bit-reversal and twiddle tables built once per size. Where WebAssembly SIMD is
// available the transform runs in fft-kernel.wat (two butterflies per trip in the f64 lanes, the same
// operations in the same order: bit-identical to the JS path below, about twice as fast, and nothing
// for V8 to warm up and compile in every thread that analyses a spectrum).
import { instantiateKernel } from '../wasm.js';
import { FFT_KERNEL_WASM_BASE64 } from './fft-kernel.wasm.js';

export interface FftOptions {
  /** false: never use the WebAssembly kernel (tests compare both paths). */
  wasm?: boolean;
}

/** The kernel instance of one Fft: its forward() and views of the real and imaginary parts in its memory. */
interface FftKernel {
  forward(n: number, odd: number, imAt: number, revAt: number, twAt: number): void;
  real: Float64Array;
  imag: Float64Array;
  imAt: number;
  revAt: number;
  twAt: number;
}

interface SharedTables {
  cosTable: Float64Array;
  sinTable: Float64Array;
  bitReversed: Uint32Array;
  /** Built on first use with wasm; null where WebAssembly SIMD is unavailable. */
  kernel?: FftKernel | null;
}

/** Per size, this thread's tables and kernel. */
const SHARED = new Map<number, SharedTables>();

export class Fft {
  readonly size: number;
  private readonly cosTable: Float64Array;
  private readonly sinTable: Float64Array;
  private readonly bitReversed: Uint32Array;
  private readonly kernel: FftKernel | null;

  constructor(size: number, options: FftOptions = {}) {
    if (!(size >= 2 && (size & (size - 1)) === 0)) throw new RangeError(`FFT size must be a power of two >= 2, got ${size}`);
    this.size = size;
    // Tables and kernel are read-only once built and forward() runs to completion: every Fft of a size
    // in this thread shares them (spectra, EQ designs and convolvers make many of the same sizes).
    const shared = SHARED.get(size);
    if (shared) {
      ({ cosTable: this.cosTable, sinTable: this.sinTable, bitReversed: this.bitReversed } = shared);
    } else {
      this.cosTable = new Float64Array(size / 2);
      this.sinTable = new Float64Array(size / 2);
      for (let k = 0; k < size / 2; k++) {
        this.cosTable[k] = Math.cos((2 * Math.PI * k) / size);
        this.sinTable[k] = -Math.sin((2 * Math.PI * k) / size);
      }
      this.bitReversed = new Uint32Array(size);
      const bits = Math.log2(size);
      for (let i = 0; i < size; i++) {
        let reversed = 0;
        for (let b = 0; b < bits; b++) reversed |= ((i >> b) & 1) << (bits - 1 - b);
        this.bitReversed[i] = reversed;
      }
    }
    const entry: SharedTables = shared ?? { cosTable: this.cosTable, sinTable: this.sinTable, bitReversed: this.bitReversed };
    if (!shared) SHARED.set(size, entry);
    if (options.wasm === false || size < 4) this.kernel = null;
    else this.kernel = entry.kernel === undefined ? (entry.kernel = this.createKernel()) : entry.kernel;
  }

  /** Whether forward() runs in the WebAssembly kernel. */
  get usesWasm(): boolean {
    return this.kernel !== null;
  }

  /** Forward transform X[k] = sum x[n] e^{-2 pi i k n / N}, in place. */
  forward(real: Float64Array, imag: Float64Array): void {
    const kernel = this.kernel;
    if (kernel === null) {
      this.forwardJs(real, imag);
      return;
    }
    const n = this.size;
    kernel.real.set(real.length === n ? real : real.subarray(0, n));
    kernel.imag.set(imag.length === n ? imag : imag.subarray(0, n));
    kernel.forward(n, Math.log2(n) & 1, kernel.imAt, kernel.revAt, kernel.twAt);
    real.set(kernel.real);
    imag.set(kernel.imag);
  }

  /** The kernel with this size's tables in its memory (layout: fft-kernel.wat), or null. */
  private createKernel(): FftKernel | null {
    const n = this.size;
    const imAt = 8 * n, revAt = 16 * n, twAt = 20 * n;
    // The fused passes' twiddles: half = 2 (odd log2 n) or 4, then x4 while half < n.
    const passes: number[] = [];
    for (let half = (Math.log2(n) & 1) === 1 ? 2 : 4; half < n; half *= 4) passes.push(half);
    const twBytes = passes.reduce((bytes, half) => bytes + 32 * half, 0);
    const instance = instantiateKernel(FFT_KERNEL_WASM_BASE64, twAt + twBytes);
    if (!instance) return null;
    const buffer = instance.memory.buffer;
    const rev = new Uint32Array(buffer, revAt, n);
    for (let i = 0; i < n; i++) rev[i] = 8 * this.bitReversed[i];
    let at = twAt;
    for (const half of passes) {
      const strideB = n / (4 * half), strideA = 2 * strideB;
      const table = new Float64Array(buffer, at, 4 * half);
      for (let k = 0; k < half; k++) {
        table[k] = this.cosTable[k * strideA];
        table[half + k] = this.sinTable[k * strideA];
        table[2 * half + k] = this.cosTable[k * strideB];
        table[3 * half + k] = this.sinTable[k * strideB];
      }
      at += 32 * half;
    }
    return {
      forward: instance.exports.forward as FftKernel['forward'],
      real: new Float64Array(buffer, 0, n), imag: new Float64Array(buffer, imAt, n), imAt, revAt, twAt,
    };
  }

  /** forward() in JS: the reference the kernel matches bit for bit, and the path without WebAssembly SIMD. */
  private forwardJs(real: Float64Array, imag: Float64Array): void {
    const n = this.size;
    const rev = this.bitReversed;
    for (let i = 0; i < n; i++) {
      const j = rev[i];
      if (j > i) {
        const tr = real[i]; real[i] = real[j]; real[j] = tr;
        const ti = imag[i]; imag[i] = imag[j]; imag[j] = ti;
      }
    }
    const cosTable = this.cosTable;
    const sinTable = this.sinTable;
    // Radix-2^2: two radix-2 stages fused per pass (3 complex multiplies per 4 points instead of 4,
    // half the passes over memory). An odd number of stages starts with one plain radix-2 pass.
    let half = 1;
    if ((Math.log2(n) & 1) === 1) {
      for (let a = 0; a < n; a += 2) {
        const br = real[a + 1], bi = imag[a + 1];
        real[a + 1] = real[a] - br; imag[a + 1] = imag[a] - bi;
        real[a] += br; imag[a] += bi;
      }
      half = 2;
    } else {
      // First fused pass (half = 1): every twiddle is 1 or -j.
      for (let a = 0; a < n; a += 4) {
        const r0 = real[a], i0 = imag[a], r1 = real[a + 1], i1 = imag[a + 1];
        const r2 = real[a + 2], i2 = imag[a + 2], r3 = real[a + 3], i3 = imag[a + 3];
        const b0r = r0 + r1, b0i = i0 + i1, b1r = r0 - r1, b1i = i0 - i1;
        const b2r = r2 + r3, b2i = i2 + i3, b3r = r2 - r3, b3i = i2 - i3;
        real[a] = b0r + b2r; imag[a] = b0i + b2i;
        real[a + 2] = b0r - b2r; imag[a + 2] = b0i - b2i;
        real[a + 1] = b1r + b3i; imag[a + 1] = b1i - b3r;
        real[a + 3] = b1r - b3i; imag[a + 3] = b1i + b3r;
      }
      half = 4;
    }
    for (; half < n; half <<= 2) {
      // Stage A: butterflies of size 2 half (twiddle W_{2h}^k); stage B: size 4 half (W_{4h}^k, and -j W_{4h}^k).
      const strideB = n / (4 * half), strideA = 2 * strideB, group = 4 * half;
      for (let start = 0; start < n; start += group) {
        for (let k = 0, ta = 0, tb = 0; k < half; k++, ta += strideA, tb += strideB) {
          const war = cosTable[ta], wai = sinTable[ta];
          const wbr = cosTable[tb], wbi = sinTable[tb];
          const i0 = start + k, i1 = i0 + half, i2 = i1 + half, i3 = i2 + half;
          const r1 = real[i1], m1 = imag[i1], r3 = real[i3], m3 = imag[i3];
          const tr = r1 * war - m1 * wai, ti = r1 * wai + m1 * war;
          const ur = r3 * war - m3 * wai, ui = r3 * wai + m3 * war;
          const r0 = real[i0], m0 = imag[i0], r2 = real[i2], m2 = imag[i2];
          const b0r = r0 + tr, b0i = m0 + ti, b1r = r0 - tr, b1i = m0 - ti;
          const b2r = r2 + ur, b2i = m2 + ui, b3r = r2 - ur, b3i = m2 - ui;
          const vr = b2r * wbr - b2i * wbi, vi = b2r * wbi + b2i * wbr;
          const qr = b3r * wbr - b3i * wbi, qi = b3r * wbi + b3i * wbr;
          real[i0] = b0r + vr; imag[i0] = b0i + vi;
          real[i2] = b0r - vr; imag[i2] = b0i - vi;
          // -j q = (qi, -qr)
          real[i1] = b1r + qi; imag[i1] = b1i - qr;
          real[i3] = b1r - qi; imag[i3] = b1i + qr;
        }
      }
    }
  }
}
