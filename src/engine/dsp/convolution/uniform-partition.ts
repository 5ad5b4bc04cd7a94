// One uniformly partitioned overlap-save FFT convolution stage (UPOLS, Wefers, "Partitioned
// convolution algorithms for real-time auralization", 2015): a frequency-domain delay line of input
// spectra times the IR's partition spectra; two real channels ride in one complex FFT. Where
// WebAssembly SIMD is available (fdl-mac.wat) the inputs, the delay line, the IR spectra, the FFTs
// and the multiply-accumulate (8 bins per trip over every partition) run in f32 kernel memory,
// relative error ~1e-7 (a few 1e-6 absolute in the tests); otherwise the f64 JS path does the same.
import { DENORMAL_FLOOR } from '../api.js';
import { Fft } from '../fft.js';
import { createFdlMac, type FdlMac } from './fdl-mac.js';

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
  /** Per channel: previous partition then the one being gathered (2B frames; in kernel memory on the kernel path). */
  private readonly inputs: Float32Array[];
  /** Per channel: the partition of output being played out (f32 in kernel memory on the kernel path). */
  private readonly outputs: Float64Array[] | Float32Array[];
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  /** Per channel: the accumulated output spectrum (interleaved). */
  private readonly acc: Float64Array[];
  private position = 0;
  private head = 0;
  /** The SIMD kernel and its memory layout (byte addresses), or null for the JS path. */
  private readonly kernel: FdlMac | null;
  /** Bytes of one f32 plane (re or im) of a spectrum: bins padded to a multiple of 8. */
  private readonly plane: number;
  /** Byte address of each distinct IR's partition spectra (partition-major, re plane then im plane each). */
  private readonly irAt: number[] = [];
  /** Byte address of each channel's delay line (slot-major). */
  private readonly fdlAt: number[] = [];
  /** Byte address of the two accumulators (the channel pair being processed). */
  private readonly accAt: number[] = [];
  /**
   * Kernel FFT: byte addresses of its output re/im planes, twiddles, bit-reversal offsets, the packed
   * inverse input (re/im), each channel's input and a silent input.
   */
  private readonly fftAt = { re: 0, im: 0, tw: 0, rev: 0, packRe: 0, packIm: 0, zero: 0 };
  private readonly inAt: number[] = [];
  private readonly outAt: number[] = [];

  constructor(private readonly channelCount: number, irs: ArrayLike<number>[], b: number) {
    this.partitionFrames = b;
    this.bins = b + 1;
    const n = 2 * b;
    this.fft = new Fft(n);
    this.re = new Float64Array(n);
    this.im = new Float64Array(n);
    const longest = Math.max(1, ...irs.map((ir) => ir.length));
    const partitions = Math.ceil(longest / b);
    this.partitionCount = partitions;
    const bins = this.bins;
    this.plane = 4 * 8 * Math.ceil(bins / 8);
    const span = 2 * this.plane;
    // Kernel memory: pair list, 2 accumulators, IR spectra, delay lines.
    const pairBytes = 16 * Math.ceil((8 * partitions) / 16);
    let at = pairBytes;
    for (let i = 0; i < 2; i++, at += span) this.accAt.push(at);
    for (let i = 0; i < irs.length; i++, at += partitions * span) this.irAt.push(at);
    for (let c = 0; c < channelCount; c++, at += partitions * span) this.fdlAt.push(at);
    for (let c = 0; c < channelCount; c++, at += 4 * n) this.inAt.push(at);
    for (let c = 0; c < channelCount; c++, at += 4 * b) this.outAt.push(at);
    this.fftAt = { re: at, im: at + 4 * n, tw: at + 8 * n, rev: at + 16 * n, packRe: at + 20 * n, packIm: at + 24 * n, zero: at + 28 * n };
    at += 32 * n;
    this.kernel = createFdlMac(at);
    const kernel = this.kernel;
    const view = (byteAt: number) => kernel!.heap.subarray(byteAt >> 2, (byteAt >> 2) + n);
    if (kernel) {
      for (let half = 4, t = this.fftAt.tw >> 2; half < n; t += 2 * half, half *= 2) {
        for (let k = 0; k < half; k++) {
          kernel.heap[t + k] = Math.cos((Math.PI * k) / half);
          kernel.heap[t + half + k] = -Math.sin((Math.PI * k) / half);
        }
      }
      const bits = Math.log2(n);
      for (let i = 0; i < n; i++) {
        let r = 0;
        for (let bit = 0; bit < bits; bit++) r |= ((i >> bit) & 1) << (bits - 1 - bit);
        kernel.words[(this.fftAt.rev >> 2) + i] = 4 * r;
      }
    }
    this.irSpectra = irs.map((ir, r) => {
      const spectra = new Float64Array(kernel ? 0 : 2 * partitions * bins);
      for (let p = 0; p < partitions; p++) {
        this.re.fill(0); this.im.fill(0);
        for (let i = 0; i < b && p * b + i < ir.length; i++) this.re[i] = ir[p * b + i];
        this.fft.forward(this.re, this.im);
        if (kernel) {
          const base = (this.irAt[r] + p * span) >> 2, planeFloats = this.plane >> 2;
          for (let k = 0; k < bins; k++) { kernel.heap[base + k] = this.re[k]; kernel.heap[base + planeFloats + k] = this.im[k]; }
        } else {
          for (let k = 0; k < bins; k++) { spectra[2 * (p * bins + k)] = this.re[k]; spectra[2 * (p * bins + k) + 1] = this.im[k]; }
        }
      }
      return spectra;
    });
    this.active = irs.map((ir) => {
      const nonZero: number[] = [];
      for (let p = 0; p < partitions; p++) {
        for (let i = p * b; i < Math.min(ir.length, (p + 1) * b); i++) if (ir[i] !== 0) { nonZero.push(p); break; }
      }
      return Int32Array.from(nonZero);
    });
    this.irOf = Int32Array.from({ length: channelCount }, (_, c) => (irs.length === 1 ? 0 : c));
    const perChannel = (length: number) => Array.from({ length: channelCount }, () => new Float64Array(length));
    this.fdl = perChannel(kernel ? 0 : 2 * partitions * bins);
    this.inputs = Array.from({ length: channelCount }, (_, c) => (kernel ? view(this.inAt[c]) : new Float32Array(n)));
    this.outputs = kernel ? this.outAt.map((at) => kernel.heap.subarray(at >> 2, (at >> 2) + b)) : perChannel(b);
    this.acc = perChannel(kernel ? 0 : 2 * bins);
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
    if (this.kernel) {
      const span = 2 * this.plane;
      for (const at of this.fdlAt) this.kernel.heap.fill(0, at >> 2, (at + this.partitionCount * span) >> 2);
    }
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
      if (this.kernel) {
        this.kernelFft(this.inAt[c0], c1 >= 0 ? this.inAt[c1] : this.fftAt.zero);
      } else {
        const in0 = this.inputs[c0];
        for (let i = 0; i < n; i++) re[i] = in0[i];
        if (c1 >= 0) { const in1 = this.inputs[c1]; for (let i = 0; i < n; i++) im[i] = in1[i]; } else im.fill(0);
        this.fft.forward(re, im);
      }
      // Unpack: X0 = (Z[k] + conj Z[N-k]) / 2, X1 = (Z[k] - conj Z[N-k]) / 2j.
      if (this.kernel) {
        this.unpackAndAccumulateInKernel(c0, c1);
      } else {
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
      }
      // Pack W = Y0 + j Y1 over the full circle (Y[N-k] = conj Y[k]), then inverse via conj(FFT(conj W)) / N.
      if (this.kernel) {
        this.kernel.pack(this.accAt[0], this.accAt[1], c1 >= 0 ? 1 : 0, this.fftAt.packRe, this.fftAt.packIm, b, this.plane);
      } else {
        const y0 = this.acc[c0], y1 = c1 >= 0 ? this.acc[c1] : null;
        for (let k = 0; k < bins; k++) {
          const ar = y0[2 * k], ai = y0[2 * k + 1];
          const br = y1 ? y1[2 * k] : 0, bi = y1 ? y1[2 * k + 1] : 0;
          re[k] = ar - bi; im[k] = -(ai + br);
          if (k > 0 && k < b) { re[n - k] = ar + bi; im[n - k] = -(br - ai); }
        }
      }
      const scale = 1 / n;
      const out0 = this.outputs[c0], out1 = c1 >= 0 ? this.outputs[c1] : null;
      if (this.kernel) {
        this.kernelFft(this.fftAt.packRe, this.fftAt.packIm);
        this.kernel.scale(this.fftAt.re + 4 * b, this.outAt[c0], b, scale);
        if (c1 >= 0) this.kernel.scale(this.fftAt.im + 4 * b, this.outAt[c1], b, -scale);
      } else {
        this.fft.forward(re, im);
        for (let i = 0; i < b; i++) {
          const v = re[b + i] * scale;
          out0[i] = Math.abs(v) < DENORMAL_FLOOR ? 0 : v;
        }
        if (out1) {
          for (let i = 0; i < b; i++) {
            const v = -im[b + i] * scale;
            out1[i] = Math.abs(v) < DENORMAL_FLOOR ? 0 : v;
          }
        }
      }
    }
    // The partition just gathered becomes the previous one.
    for (const input of this.inputs) input.copyWithin(0, b, n);
  }

  /**
   * Kernel path of the complex FFT of the f32 planes at byte addresses srcRe/srcIm (n points) into
   * the re/im planes at fftAt: bit-reversed load with the first two (multiply-free) stages, then the SIMD stages.
   */
  private kernelFft(srcRe: number, srcIm: number): void {
    const n = 2 * this.partitionFrames, at = this.fftAt, kernel = this.kernel!;
    kernel.permute(srcRe, srcIm, at.re, at.im, at.rev, n);
    kernel.fft(at.re, at.im, n, at.tw);
  }

  /**
   * Kernel path of the unpack (the fftAt planes hold the packed spectrum of channels c0 and c1) into the delay
   * line slot `head`, then acc 0 (c0) and acc 1 (c1) = sum over active partitions p of X[head - p] H[p].
   */
  private unpackAndAccumulateInKernel(c0: number, c1: number): void {
    const kernel = this.kernel!, words = kernel.words;
    const n = 2 * this.partitionFrames, partitions = this.partitionCount;
    const plane = this.plane, span = 2 * plane;
    const s0 = this.fdlAt[c0] + this.head * span;
    const s1 = c1 >= 0 ? this.fdlAt[c1] + this.head * span : 0;
    kernel.unpack(this.fftAt.re, this.fftAt.im, n, s0, s1, plane, c1 >= 0 ? 1 : 0);
    for (let which = 0; which < 2; which++) {
      const c = which === 0 ? c0 : c1;
      if (c < 0) break;
      const r = this.irOf[c], active = this.active[r], fdl = this.fdlAt[c], ir = this.irAt[r];
      for (let a = 0; a < active.length; a++) {
        const p = active[a];
        let slot = this.head - p;
        if (slot < 0) slot += partitions;
        words[2 * a] = fdl + slot * span;
        words[2 * a + 1] = ir + p * span;
      }
      kernel.mac(0, active.length, plane, this.accAt[which]);
    }
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
