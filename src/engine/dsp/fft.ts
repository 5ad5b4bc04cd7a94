// In-place iterative radix-2 complex FFT (Cooley-Tukey, decimation in time) on split real/imag
// Float64Arrays, with bit-reversal and twiddle tables built once per size.

export class Fft {
  readonly size: number;
  private readonly cosTable: Float64Array;
  private readonly sinTable: Float64Array;
  private readonly bitReversed: Uint32Array;

  constructor(size: number) {
    if (!(size >= 2 && (size & (size - 1)) === 0)) throw new RangeError(`FFT size must be a power of two >= 2, got ${size}`);
    this.size = size;
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

  /** Forward transform X[k] = sum x[n] e^{-2 pi i k n / N}, in place. */
  forward(real: Float64Array, imag: Float64Array): void {
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
    for (let half = 1; half < n; half <<= 1) {
      const stride = n / (2 * half);
      for (let start = 0; start < n; start += 2 * half) {
        for (let k = 0, t = 0; k < half; k++, t += stride) {
          const wr = cosTable[t];
          const wi = sinTable[t];
          const a = start + k;
          const b = a + half;
          const br = real[b] * wr - imag[b] * wi;
          const bi = real[b] * wi + imag[b] * wr;
          real[b] = real[a] - br; imag[b] = imag[a] - bi;
          real[a] += br; imag[a] += bi;
        }
      }
    }
  }
}
