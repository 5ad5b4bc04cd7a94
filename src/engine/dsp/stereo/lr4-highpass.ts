// Linkwitz-Riley 4th-order high-pass for one signal, run per sample: two identical 2nd-order Butterworth
// high-passes (Q = 1/√2) in cascade, −6 dB at the cutoff, −24 dB/octave below (Linkwitz & Riley, JAES 1976;
// RBJ cookbook coefficients from filters/biquad.ts). Per-sample so the width processor can glide its cutoff.
import { DENORMAL_FLOOR } from '../api.js';
import { biquadCoefficientsInto } from '../filters/biquad.js';

/** |H| of the LR4 high-pass at `frequencyHz` (the bilinear-transformed biquad, squared). */
export function lr4HighpassMagnitude(sampleRate: number, cutoffHz: number, frequencyHz: number): number {
  const k = new Float64Array(5);
  biquadCoefficientsInto(sampleRate, 'highPass', cutoffHz, Math.SQRT1_2, 0, k);
  const [b0, b1, b2, a1, a2] = k;
  const w = (2 * Math.PI * frequencyHz) / sampleRate;
  const re = (c0: number, c1: number, c2: number) => c0 + c1 * Math.cos(w) + c2 * Math.cos(2 * w);
  const im = (c1: number, c2: number) => -(c1 * Math.sin(w) + c2 * Math.sin(2 * w));
  const section = Math.hypot(re(b0, b1, b2), im(b1, b2)) / Math.hypot(re(1, a1, a2), im(a1, a2));
  return section * section;
}

/** One channel of LR4 high-pass state (transposed direct form II, double precision). */
export class Lr4Highpass {
  /** b0, b1, b2, a1, a2 (a0 = 1), shared by both sections. */
  private readonly k = new Float64Array(5);
  private s1 = 0; private s2 = 0; private t1 = 0; private t2 = 0;

  constructor(sampleRate: number, cutoffHz: number) {
    this.setCutoff(sampleRate, cutoffHz);
  }

  /** Recomputes the coefficients (allocation-free; called per sample while the cutoff glides). */
  setCutoff(sampleRate: number, cutoffHz: number): void {
    biquadCoefficientsInto(sampleRate, 'highPass', cutoffHz, Math.SQRT1_2, 0, this.k);
  }

  next(x: number): number {
    const k = this.k;
    const b0 = k[0], b1 = k[1], b2 = k[2], a1 = k[3], a2 = k[4];
    const y = b0 * x + this.s1;
    this.s1 = b1 * x - a1 * y + this.s2;
    this.s2 = b2 * x - a2 * y;
    const z = b0 * y + this.t1;
    this.t1 = b1 * y - a1 * z + this.t2;
    this.t2 = b2 * y - a2 * z;
    // Flush decaying state before it turns denormal (x86 slows ~100x on denormals).
    if (Math.abs(this.s1) < DENORMAL_FLOOR) this.s1 = 0;
    if (Math.abs(this.s2) < DENORMAL_FLOOR) this.s2 = 0;
    if (Math.abs(this.t1) < DENORMAL_FLOOR) this.t1 = 0;
    if (Math.abs(this.t2) < DENORMAL_FLOOR) this.t2 = 0;
    return z;
  }

  reset(): void {
    this.s1 = this.s2 = this.t1 = this.t2 = 0;
  }
}
