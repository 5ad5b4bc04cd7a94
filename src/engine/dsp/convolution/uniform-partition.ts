// One uniformly partitioned overlap-save FFT convolution stage (UPOLS, Wefers, "Partitioned
// convolution algorithms for real-time auralization", 2015): a frequency-domain delay line of input
// spectra times the IR's partition spectra; two real channels ride in one complex FFT.
import { DENORMAL_FLOOR } from '../api.js';
import { Fft } from '../fft.js';

/**
 * Convolves each channel with its impulse response, output delayed by one partition. Input is
 * gathered into partitions at absolute positions, so the result does not depend on how the stream
 * is cut. Allocation-free after construction. Impulse responses are trusted (validated by the caller).
 */
export class UniformPartitionStage {
  readonly partitionFrames: number;
  /** Partitions per impulse response (the longest one sets it). */
  readonly partitionCount: number;
  private readonly bins: number;
  private readonly fft: Fft;
  /** Partition spectra (bins 0..B, re/im interleaved) of each distinct impulse response, partition-major. */
  private readonly irSpectra: Float64Array[];
  /** Per impulse response: the partitions holding any non-zero sample (silent ones, e.g. a pre-delay, are skipped). */
  private readonly active: Int32Array[];
  /** Which impulse response each channel uses. */
  private readonly irOf: Int32Array;
  /** Frequency-domain delay line per channel: the last P input-frame spectra (interleaved), ring-indexed by `head`. */
  private readonly fdl: Float64Array[];
  /** Per channel: previous partition then the one being gathered (2B frames). */
  private readonly inputs: Float64Array[];
  /** Per channel: the partition of output being played out. */
  private readonly outputs: Float64Array[];
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  /** Per channel: the accumulated output spectrum (interleaved). */
  private readonly acc: Float64Array[];
  private position = 0;
  private head = 0;

  constructor(private readonly channelCount: number, irs: ArrayLike<number>[], b: number) {
    this.partitionFrames = b;
    this.bins = b + 1;
    const n = 2 * b;
    this.fft = new Fft(n);
    this.re = new Float64Array(n);
    this.im = new Float64Array(n);
    const longest = Math.max(1, ...irs.map((ir) => ir.length));
    this.partitionCount = Math.ceil(longest / b);
    this.irSpectra = irs.map((ir) => {
      const spectra = new Float64Array(2 * this.partitionCount * this.bins);
      for (let p = 0; p < this.partitionCount; p++) {
        this.re.fill(0); this.im.fill(0);
        for (let i = 0; i < b && p * b + i < ir.length; i++) this.re[i] = ir[p * b + i];
        this.fft.forward(this.re, this.im);
        for (let k = 0; k < this.bins; k++) { spectra[2 * (p * this.bins + k)] = this.re[k]; spectra[2 * (p * this.bins + k) + 1] = this.im[k]; }
      }
      return spectra;
    });
    this.active = irs.map((ir) => {
      const nonZero: number[] = [];
      for (let p = 0; p < this.partitionCount; p++) {
        for (let i = p * b; i < Math.min(ir.length, (p + 1) * b); i++) if (ir[i] !== 0) { nonZero.push(p); break; }
      }
      return Int32Array.from(nonZero);
    });
    this.irOf = Int32Array.from({ length: channelCount }, (_, c) => (irs.length === 1 ? 0 : c));
    const perChannel = (length: number) => Array.from({ length: channelCount }, () => new Float64Array(length));
    this.fdl = perChannel(2 * this.partitionCount * this.bins);
    this.inputs = perChannel(n);
    this.outputs = perChannel(b);
    this.acc = perChannel(2 * this.bins);
  }

  /**
   * Feeds input[c][inputStart + i] and writes (or, with `add`, adds) the output to
   * output[c][outputStart + i] for i < count. In place when input === output, same starts, !add.
   */
  process(input: Float32Array[], inputStart: number, output: Float32Array[], outputStart: number, count: number, add: boolean): void {
    const b = this.partitionFrames;
    let done = 0;
    while (done < count) {
      const n = Math.min(count - done, b - this.position);
      for (let c = 0; c < this.channelCount; c++) {
        const x = input[c], y = output[c], gathered = this.inputs[c], played = this.outputs[c];
        const into = b + this.position, from = this.position;
        const xs = inputStart + done, ys = outputStart + done;
        if (add) {
          for (let i = 0; i < n; i++) { gathered[into + i] = x[xs + i]; y[ys + i] += played[from + i]; }
        } else {
          for (let i = 0; i < n; i++) { gathered[into + i] = x[xs + i]; y[ys + i] = played[from + i]; }
        }
      }
      this.position += n;
      done += n;
      if (this.position === b) {
        this.position = 0;
        this.convolvePartition();
      }
    }
  }

  reset(): void {
    for (const a of [...this.fdl, ...this.inputs, ...this.outputs]) a.fill(0);
    this.position = 0;
    this.head = 0;
  }

  /** A full partition has been gathered: spectrum into the delay line, multiply-accumulate, back to time. */
  private convolvePartition(): void {
    const b = this.partitionFrames, n = 2 * b, bins = this.bins, partitions = this.partitionCount;
    const re = this.re, im = this.im;
    this.head = this.head + 1 === partitions ? 0 : this.head + 1;
    for (let c0 = 0; c0 < this.channelCount; c0 += 2) {
      const c1 = c0 + 1 < this.channelCount ? c0 + 1 : -1;
      // Forward: channel c0 in the real part, c1 in the imaginary part.
      const in0 = this.inputs[c0];
      for (let i = 0; i < n; i++) re[i] = in0[i];
      if (c1 >= 0) { const in1 = this.inputs[c1]; for (let i = 0; i < n; i++) im[i] = in1[i]; } else im.fill(0);
      this.fft.forward(re, im);
      // Unpack: X0 = (Z[k] + conj Z[N-k]) / 2, X1 = (Z[k] - conj Z[N-k]) / 2j.
      const slot = 2 * this.head * bins;
      const f0 = this.fdl[c0], f1 = c1 >= 0 ? this.fdl[c1] : f0;
      for (let k = 0; k < bins; k++) {
        const j = (n - k) & (n - 1);
        const zr = re[k], zi = im[k], wr = re[j], wi = im[j];
        f0[slot + 2 * k] = 0.5 * (zr + wr); f0[slot + 2 * k + 1] = 0.5 * (zi - wi);
        if (c1 >= 0) { f1[slot + 2 * k] = 0.5 * (zi + wi); f1[slot + 2 * k + 1] = 0.5 * (wr - zr); }
      }
      this.accumulate(c0);
      if (c1 >= 0) this.accumulate(c1);
      // Pack W = Y0 + j Y1 over the full circle (Y[N-k] = conj Y[k]), then inverse via conj(FFT(conj W)) / N.
      const y0 = this.acc[c0], y1 = c1 >= 0 ? this.acc[c1] : null;
      for (let k = 0; k < bins; k++) {
        const ar = y0[2 * k], ai = y0[2 * k + 1];
        const br = y1 ? y1[2 * k] : 0, bi = y1 ? y1[2 * k + 1] : 0;
        re[k] = ar - bi; im[k] = -(ai + br);
        if (k > 0 && k < b) { re[n - k] = ar + bi; im[n - k] = -(br - ai); }
      }
      this.fft.forward(re, im);
      const scale = 1 / n;
      const out0 = this.outputs[c0];
      for (let i = 0; i < b; i++) {
        const v = re[b + i] * scale;
        out0[i] = Math.abs(v) < DENORMAL_FLOOR ? 0 : v;
      }
      if (c1 >= 0) {
        const out1 = this.outputs[c1];
        for (let i = 0; i < b; i++) {
          const v = -im[b + i] * scale;
          out1[i] = Math.abs(v) < DENORMAL_FLOOR ? 0 : v;
        }
      }
    }
    // The partition just gathered becomes the previous one.
    for (const input of this.inputs) input.copyWithin(0, b, n);
  }

  /**
   * acc = sum over the IR's non-zero partitions p of X[head - p] * H[p] for channel c; two
   * partitions per pass halve the accumulator traffic.
   */
  private accumulate(c: number): void {
    const span = 2 * this.bins, partitions = this.partitionCount;
    const acc = this.acc[c], x = this.fdl[c], h = this.irSpectra[this.irOf[c]], active = this.active[this.irOf[c]];
    acc.fill(0);
    let a = 0;
    for (; a + 1 < active.length; a += 2) {
      const p0 = active[a], p1 = active[a + 1];
      let s0 = this.head - p0, s1 = this.head - p1;
      if (s0 < 0) s0 += partitions;
      if (s1 < 0) s1 += partitions;
      const x0 = s0 * span, x1 = s1 * span, h0 = p0 * span, h1 = p1 * span;
      for (let k = 0; k < span; k += 2) {
        const ar = x[x0 + k], ai = x[x0 + k + 1], br = h[h0 + k], bi = h[h0 + k + 1];
        const cr = x[x1 + k], ci = x[x1 + k + 1], dr = h[h1 + k], di = h[h1 + k + 1];
        acc[k] += ar * br - ai * bi + cr * dr - ci * di;
        acc[k + 1] += ar * bi + ai * br + cr * di + ci * dr;
      }
    }
    if (a < active.length) {
      const p0 = active[a];
      let s0 = this.head - p0;
      if (s0 < 0) s0 += partitions;
      const x0 = s0 * span, h0 = p0 * span;
      for (let k = 0; k < span; k += 2) {
        const ar = x[x0 + k], ai = x[x0 + k + 1], br = h[h0 + k], bi = h[h0 + k + 1];
        acc[k] += ar * br - ai * bi;
        acc[k + 1] += ar * bi + ai * br;
      }
    }
  }
}
