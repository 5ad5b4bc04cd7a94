// Sine LFO as a rotating unit vector (cos, sin): one complex multiply per sample, renormalised every
// sample (first-order Newton step toward |z| = 1) so the amplitude cannot drift over hours. Deterministic
// and block-size invariant; sin(θ + φ) for any fixed offset φ is sin·cos φ + cos·sin φ.

export class QuadratureOscillator {
  cos = 1;
  sin = 0;
  private hz = NaN;
  private stepCos = 1;
  private stepSin = 0;

  constructor(private readonly sampleRate: number) {}

  /** Advances one sample at `hz` (the rotation is recomputed only when the rate changes). */
  next(hz: number): void {
    if (hz !== this.hz) {
      this.hz = hz;
      this.stepCos = Math.cos((2 * Math.PI * hz) / this.sampleRate);
      this.stepSin = Math.sin((2 * Math.PI * hz) / this.sampleRate);
    }
    const c = this.cos * this.stepCos - this.sin * this.stepSin;
    const s = this.sin * this.stepCos + this.cos * this.stepSin;
    const norm = 1.5 - 0.5 * (c * c + s * s);
    this.cos = c * norm;
    this.sin = s * norm;
  }

  /** Back to phase 0. */
  reset(): void {
    this.cos = 1;
    this.sin = 0;
  }
}
