// Detector pieces shared by the dynamics processors: one-pole time constants, level envelopes
// (peak and mean-square) and the attack/release ballistics applied to a gain-reduction signal.
// Structure after Giannoulis, Massberg & Reiss, "Digital Dynamic Range Compressor Design — A
// Tutorial and Analysis", JAES 60(6), 2012: gain computer first, then a smooth peak detector on
// the gain reduction in the log domain, so attack and release act on dB and stay level-independent.
import { DENORMAL_FLOOR as SHARED_DENORMAL_FLOOR } from '../api.js';

/** A module-local copy: hot loops read a constant, not a module binding (a getter call under some loaders). */
const DENORMAL_FLOOR = SHARED_DENORMAL_FLOOR;

/**
 * Pole of a one-pole smoother y += (1 − a)(x − y) with time constant `seconds`: a step covers
 * 1 − 1/e ≈ 63.2 % of its way after `seconds` (the time-constant definition of Giannoulis et al.
 * 2012). 0 means instant.
 */
export function onePoleCoefficient(sampleRate: number, seconds: number): number {
  return seconds > 0 ? Math.exp(-1 / (seconds * sampleRate)) : 0;
}

/** Program-dependent release: the slow detector integrates over this many attack times… */
export const AUTO_RELEASE_SLOW_ATTACK_FACTOR = 10;
/** …with at least this integration time (only sustained reduction builds up the slow floor)… */
export const AUTO_RELEASE_MIN_SLOW_ATTACK_SECONDS = 0.05;
/** …and releases this many times slower than the fast release. */
export const AUTO_RELEASE_SLOW_RELEASE_FACTOR = 8;

/** Poles for ReductionEnvelope; a pure function of (sampleRate, times). */
export interface Ballistics {
  attack: number;
  release: number;
  autoRelease: boolean;
  slowAttack: number;
  slowRelease: number;
}

export function ballistics(sampleRate: number, attackSeconds: number, releaseSeconds: number, autoRelease = false): Ballistics {
  const slowAttackSeconds = Math.max(AUTO_RELEASE_MIN_SLOW_ATTACK_SECONDS, AUTO_RELEASE_SLOW_ATTACK_FACTOR * attackSeconds);
  const slowReleaseSeconds = AUTO_RELEASE_SLOW_RELEASE_FACTOR * releaseSeconds;
  return {
    attack: onePoleCoefficient(sampleRate, attackSeconds),
    release: onePoleCoefficient(sampleRate, releaseSeconds),
    autoRelease,
    slowAttack: onePoleCoefficient(sampleRate, slowAttackSeconds),
    slowRelease: onePoleCoefficient(sampleRate, slowReleaseSeconds),
  };
}

/** Gain reductions below this (log2 units, ≈ 6e-9 dB) snap to exactly 0: no denormals, no endless tail. */
const REDUCTION_FLOOR = 1e-9;

/**
 * Smooth peak detector for a gain-reduction signal (≥ 0, any log unit). A release-only stage
 * p = max(x, αR·p + (1 − αR)·x) (the first stage of Giannoulis et al.'s smooth decoupled
 * detector) holds the peaks of the target, then the attack pole only acts upward:
 * y = min(p, αA·y + (1 − αA)·p). A step up therefore moves with exactly the attack time constant and a
 * step down with exactly the release time constant (the plain decoupled detector cascades the two),
 * and a steady sine's per-cycle peaks are held, so its static curve is met within the release droop.
 * With autoRelease, a slow branching detector (attack ≥ 50 ms, release 8× slower) sets a floor
 * under p: short transients still release fast, sustained reduction releases slowly (dual release).
 *
 * Without autoRelease each value is computed from the one two samples back, the one-step recursion
 * applied twice (exact in real numbers: α ≥ 0 distributes over max and min):
 *   p[n] = max(αR²·p[n−2] + (αR·(1 − αR)·x[n−1] + (1 − αR)·x[n]), αR·x[n−1] + (1 − αR)·x[n], x[n])
 *   y[n] = min(αA²·y[n−2] + (αA(1 − αA)·p[n−1] + (1 − αA)·p[n]), αA·p[n−1] + (1 − αA)·p[n], p[n])
 * so even and odd samples form two independent chains, half as long as one (the dynamics kernel runs
 * them side by side in one f64x2: gain-kernel.wat). The same formula serves every sample whatever the
 * block boundaries, so blocks of any size give the same values.
 */
export class ReductionEnvelope {
  peak = 0;
  /** p one sample before `peak` (the two-step recursion's other chain). */
  peakBefore = 0;
  slow = 0;
  value = 0;
  /** y one sample before `value`. */
  valueBefore = 0;
  /** The last target. */
  lastTarget = 0;

  /**
   * Smooths the targets in buffer[0, n) in place. The max/min are branches: they follow the
   * envelope's phases (attack, release), which last many samples, so they predict well and keep
   * the recursion's dependency chain short.
   */
  run(buffer: Float64Array, n: number, b: Ballistics): void {
    const release = b.release, attack = b.attack;
    let p = this.peak, pBefore = this.peakBefore, y = this.value, yBefore = this.valueBefore, last = this.lastTarget;
    if (!b.autoRelease) {
      const r1 = 1 - release, r2 = release * release;
      const a1 = 1 - attack, a2 = attack * attack, k = attack * a1;
      for (let i = 0; i < n; i++) {
        const target = buffer[i];
        // p[n] from p[n - 2], then y[n] from y[n - 2] (p, y: the values at n - 1)
        const charge = r1 * target;
        let nextPeak = r2 * pBefore + (release * (r1 * last) + charge);
        const fromLast = release * last + charge;
        if (fromLast > nextPeak) nextPeak = fromLast;
        if (target > nextPeak) nextPeak = target;
        if (nextPeak < REDUCTION_FLOOR) nextPeak = 0;
        const rise = a1 * nextPeak;
        let nextValue = a2 * yBefore + (k * p + rise);
        const fromPeak = attack * p + rise;
        if (fromPeak < nextValue) nextValue = fromPeak;
        if (nextPeak < nextValue) nextValue = nextPeak;
        buffer[i] = nextValue;
        pBefore = p; p = nextPeak; yBefore = y; y = nextValue; last = target;
      }
    } else {
      const slowAttack = b.slowAttack, slowRelease = b.slowRelease;
      let slow = this.slow;
      for (let i = 0; i < n; i++) {
        const target = buffer[i];
        pBefore = p;
        p = release * p + (1 - release) * target;
        if (target > p) p = target;
        if (p < REDUCTION_FLOOR) p = 0;
        slow = branch(slow, target, slowAttack, slowRelease);
        if (slow < REDUCTION_FLOOR) slow = 0;
        const q = p > slow ? p : slow;
        yBefore = y;
        y = attack * y + (1 - attack) * q;
        if (y > q) y = q;
        buffer[i] = y;
        last = target;
      }
      this.slow = slow;
    }
    this.peak = p;
    this.peakBefore = pBefore;
    this.value = y;
    this.valueBefore = yBefore;
    this.lastTarget = last;
  }

  alignedWith(other: ReductionEnvelope, tolerance: number): boolean {
    const close = (a: number, b: number) => Math.abs(a - b) <= tolerance;
    return close(this.peak, other.peak) && close(this.peakBefore, other.peakBefore) && close(this.slow, other.slow)
      && close(this.value, other.value) && close(this.valueBefore, other.valueBefore) && close(this.lastTarget, other.lastTarget);
  }

  /** At rest: no reduction now and none pending (zero targets would leave every field as it is). */
  get idle(): boolean {
    return this.peak === 0 && this.peakBefore === 0 && this.value === 0 && this.valueBefore === 0 && this.slow === 0 && this.lastTarget === 0;
  }

  copyFrom(other: ReductionEnvelope): void {
    this.peak = other.peak;
    this.peakBefore = other.peakBefore;
    this.slow = other.slow;
    this.value = other.value;
    this.valueBefore = other.valueBefore;
    this.lastTarget = other.lastTarget;
  }

  reset(): void {
    this.peak = 0;
    this.peakBefore = 0;
    this.slow = 0;
    this.value = 0;
    this.valueBefore = 0;
    this.lastTarget = 0;
  }
}

/**
 * One step of a branching one-pole: the attack pole while x is above y, the release pole otherwise.
 * A real branch: y is a recursion, and a branch-free select (two candidate steps and a max) would
 * triple its dependency chain, which costs more than the occasional misprediction.
 */
export function branch(y: number, x: number, attack: number, release: number): number {
  const pole = x > y ? attack : release;
  return pole * y + (1 - pole) * x;
}

/**
 * Branching one-pole envelope of a non-negative level (Giannoulis et al. 2012, "smooth branching
 * peak detector"): attack pole while rising, release pole while falling.
 */
export class EnvelopeFollower {
  value = 0;
  private readonly attack: number;
  private readonly release: number;

  constructor(sampleRate: number, attackSeconds: number, releaseSeconds: number) {
    this.attack = onePoleCoefficient(sampleRate, attackSeconds);
    this.release = onePoleCoefficient(sampleRate, releaseSeconds);
  }

  next(level: number): number {
    let v = branch(this.value, level, this.attack, this.release);
    if (v < DENORMAL_FLOOR) v = 0;
    this.value = v;
    return v;
  }

  reset(): void {
    this.value = 0;
  }
}

/** RMS detector: one-pole mean square with time constant `windowSeconds` (level = √value). */
export class MeanSquareDetector {
  private readonly pole: number;

  constructor(sampleRate: number, readonly windowSeconds: number, public value = 0) {
    this.pole = onePoleCoefficient(sampleRate, windowSeconds);
  }

  next(x: number): number {
    let v = this.pole * this.value + (1 - this.pole) * x * x;
    if (v < DENORMAL_FLOOR) v = 0;
    this.value = v;
    return v;
  }

  /** Writes the mean square after each of x[offset, offset + n) into out[0, n). */
  run(x: Float32Array, offset: number, n: number, out: Float64Array): void {
    const a = this.pole, b = 1 - a;
    let v = this.value;
    for (let i = 0; i < n; i++) {
      const s = x[offset + i];
      v = a * v + b * s * s;
      if (v < DENORMAL_FLOOR) v = 0;
      out[i] = v;
    }
    this.value = v;
  }

  /**
   * Two detectors at once: this one over a[offset, offset + n), `other` (same window) over b; writes
   * max2(mean square a, mean square b) into loudest[0, n). The same arithmetic as two run() calls and
   * a max2 pass, with the two recursions interleaved so the CPU overlaps their dependency chains.
   */
  runPairMax(other: MeanSquareDetector, a: Float32Array, b: Float32Array, offset: number, n: number, loudest: Float64Array): void {
    const p = this.pole, q = 1 - p;
    let v = this.value, w = other.value;
    for (let i = 0; i < n; i++) {
      const s = a[offset + i], t = b[offset + i];
      v = p * v + q * s * s;
      w = p * w + q * t * t;
      if (v < DENORMAL_FLOOR) v = 0;
      if (w < DENORMAL_FLOOR) w = 0;
      loudest[i] = 0.5 * (v + w + Math.abs(v - w));
    }
    this.value = v;
    other.value = w;
  }

  reset(): void {
    this.value = 0;
  }
}
