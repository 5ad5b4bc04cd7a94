// Program-adaptive release for the limiter's gain curve, in gain-reduction terms (rho = 1 - gain).
// Two memories: a "sustained" envelope that charges only from reduction lasting about `releaseSeconds`
// and decays with `releaseSeconds`, and the applied reduction, which falls back to that envelope ten
// times faster. A lone drum hit barely charges the envelope, so its reduction recovers fast (no dulled
// transients after it); a dense passage charges it, so the gain rests there instead of pumping.
// (Dual time-constant release, as in Giannoulis, Massberg & Reiss, "Digital Dynamic Range Compressor
// Design - A Tutorial and Analysis", JAES 2012, §2.3 "smooth branching" and program-dependent release.)
// Before any release, the reduction is held for `holdSeconds` after its last peak: a held-down gain
// does not follow bass waveforms (a 50 Hz sine peaks every 10 ms, inside a 15 ms hold, so its gain
// stays constant and undistorted; x42-dpl holds its low-frequency detector for 17 ms for the same reason).
// Instant attack: the output never asks for more gain than its input, which keeps the look-ahead bound.
import { DENORMAL_FLOOR } from '../api.js';

/** Fast release = releaseSeconds * this, when the release adapts. */
export const FAST_RELEASE_RATIO = 0.1;

const coefficient = (sampleRate: number, seconds: number) => (seconds > 0 ? 1 - Math.exp(-1 / (seconds * sampleRate)) : 1);

export class AdaptiveRelease {
  private sustained = 0;
  private reduction = 0;
  private fast = 1;
  private slow = 1;
  private adaptive = true;
  private holdSamples = 0;
  private holdLeft = 0;

  constructor(private readonly sampleRate: number, releaseSeconds: number, adaptive: boolean, holdSeconds: number) {
    this.configure(releaseSeconds, adaptive, holdSeconds);
  }

  /** Changes the times; the state carries on (no jump in the gain). */
  configure(releaseSeconds: number, adaptive: boolean, holdSeconds: number): void {
    this.adaptive = adaptive;
    this.holdSamples = Math.round(holdSeconds * this.sampleRate);
    // The sustained envelope charges and decays with the same (slow) pole.
    this.slow = coefficient(this.sampleRate, releaseSeconds);
    this.fast = adaptive ? coefficient(this.sampleRate, releaseSeconds * FAST_RELEASE_RATIO) : this.slow;
    if (!adaptive) this.sustained = 0;
  }

  /** Takes the held target gain, returns the released gain (<= target). */
  next(targetGain: number): number {
    const target = 1 - targetGain;
    let sustained = this.sustained;
    if (this.adaptive) {
      sustained += (target - sustained) * this.slow;
      if (sustained < DENORMAL_FLOOR) sustained = 0;
      this.sustained = sustained;
    }
    let reduction: number;
    if (target > 0 && target >= this.reduction) {
      // A peak (or the same level again): take it and restart the hold.
      reduction = target;
      this.holdLeft = this.holdSamples;
    } else if (this.holdLeft > 0) {
      this.holdLeft--;
      reduction = this.reduction > target ? this.reduction : target;
    } else {
      // Fall towards the sustained level (never below the previous value's own floor).
      const floor = sustained < this.reduction ? sustained : this.reduction;
      reduction = floor + (this.reduction - floor) * (1 - this.fast);
      if (reduction < target) reduction = target;
    }
    if (reduction < DENORMAL_FLOOR) reduction = 0;
    this.reduction = reduction;
    return 1 - reduction;
  }

  /** values[i] = next(values[i]) for i < n: the same steps in one loop with the state in locals. */
  run(values: Float64Array, n: number): void {
    const { adaptive, slow, fast, holdSamples } = this;
    const keep = 1 - fast;
    let sustained = this.sustained;
    let previous = this.reduction;
    let holdLeft = this.holdLeft;
    for (let i = 0; i < n; i++) {
      const target = 1 - values[i];
      if (adaptive) {
        sustained += (target - sustained) * slow;
        if (sustained < DENORMAL_FLOOR) sustained = 0;
      }
      let reduction: number;
      if (target > 0 && target >= previous) {
        reduction = target;
        holdLeft = holdSamples;
      } else if (holdLeft > 0) {
        holdLeft--;
        reduction = previous > target ? previous : target;
      } else {
        const floor = sustained < previous ? sustained : previous;
        reduction = floor + (previous - floor) * keep;
        if (reduction < target) reduction = target;
      }
      if (reduction < DENORMAL_FLOOR) reduction = 0;
      previous = reduction;
      values[i] = 1 - reduction;
    }
    this.sustained = sustained;
    this.reduction = previous;
    this.holdLeft = holdLeft;
  }

  /** True at rest (no reduction, nothing sustained): next(1) would return 1 and change nothing. */
  get idle(): boolean {
    return this.reduction === 0 && this.sustained === 0;
  }

  get gain(): number {
    return 1 - this.reduction;
  }

  reset(): void {
    this.sustained = 0;
    this.reduction = 0;
    this.holdLeft = 0;
  }
}
