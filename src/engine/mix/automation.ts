// Automation lanes: breakpoints { timeSeconds, value } joined by ramps. The value at sample n is a pure
// function of n (never of block boundaries or of what was rendered before), so every render of the same
// lane is sample-accurate and block-size invariant.
//
// Curves (set per lane, or per point for the segment that starts at that point):
//   'linear'       value moves linearly in time (for a dB lane: linear in dB, i.e. exponential in amplitude);
//   'exponential'  value moves geometrically (positive values only: Hz, ratios, seconds);
//   'amplitude'    for dB lanes: linear in amplitude, so fades to −Infinity dB (silence) work;
//   'step'         holds the value until the next point.
// Before the first point the lane holds the first value; after the last, the last value.

export type AutomationCurve = 'linear' | 'exponential' | 'amplitude' | 'step';

export interface AutomationPoint {
  timeSeconds: number;
  value: number;
  /** Shape of the segment from this point to the next (default: the lane's curve). */
  curve?: AutomationCurve;
}

export interface AutomationLane {
  points: AutomationPoint[];
  /** Default segment shape; 'linear' when omitted. */
  curve?: AutomationCurve;
}

/** A parameter that is either a fixed value or a lane (plain data, JSON-friendly). */
export type Automatable = number | AutomationLane;

const CURVES: Record<AutomationCurve, number> = { linear: 0, exponential: 1, amplitude: 2, step: 3 };
const LINEAR = 0;
const EXPONENTIAL = 1;
const AMPLITUDE = 2;

const DB_TO_LN = Math.LN10 / 20;
const dbToGain = (db: number) => (db === -Infinity ? 0 : Math.exp(db * DB_TO_LN));

export const isLane = (value: Automatable | undefined): value is AutomationLane => typeof value === 'object' && value !== null;

/** A lane compiled for one sample rate: breakpoints at (fractional) sample positions. */
export class CompiledLane {
  private readonly positions: Float64Array;
  private readonly values: Float64Array;
  private readonly gains: Float64Array;
  private readonly curves: Uint8Array;
  /** True when the lane is one value forever. */
  readonly constant: boolean;

  constructor(lane: Automatable, sampleRate: number, label = 'automation') {
    const points = isLane(lane) ? lane.points : [{ timeSeconds: 0, value: lane }];
    if (points.length === 0) throw new RangeError(`${label}: a lane needs at least one point`);
    const fallback = isLane(lane) ? lane.curve ?? 'linear' : 'linear';
    const n = points.length;
    this.positions = new Float64Array(n);
    this.values = new Float64Array(n);
    this.gains = new Float64Array(n);
    this.curves = new Uint8Array(n);
    points.forEach((point, i) => {
      const curve = point.curve ?? fallback;
      if (!(curve in CURVES)) throw new RangeError(`${label}: unknown curve '${curve}'`);
      if (!Number.isFinite(point.timeSeconds)) throw new RangeError(`${label}: point ${i} time ${point.timeSeconds} is not finite`);
      if (i > 0 && point.timeSeconds < points[i - 1].timeSeconds) throw new RangeError(`${label}: points must be in time order (point ${i})`);
      if (Number.isNaN(point.value) || point.value === Infinity) throw new RangeError(`${label}: point ${i} value ${point.value} is invalid`);
      this.positions[i] = point.timeSeconds * sampleRate;
      this.values[i] = point.value;
      this.gains[i] = dbToGain(point.value);
      this.curves[i] = CURVES[curve];
    });
    for (let i = 0; i + 1 < n; i++) {
      const a = this.values[i];
      const b = this.values[i + 1];
      if (this.curves[i] === EXPONENTIAL && !(a > 0 && b > 0)) throw new RangeError(`${label}: exponential segment ${i} needs positive values, got ${a} → ${b}`);
      if (this.curves[i] !== AMPLITUDE && a !== b && (a === -Infinity || b === -Infinity)) {
        throw new RangeError(`${label}: a ramp to −Infinity needs curve 'amplitude' (segment ${i})`);
      }
    }
    this.constant = this.values.every((v) => v === this.values[0]);
  }

  /** Index of the segment holding sample n: the last point with position <= n (−1 before the first). */
  private segmentAt(n: number): number {
    let lo = -1;
    let hi = this.positions.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.positions[mid] <= n) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Value (or gain) inside segment i at sample n; i must have a next point. */
  private evaluate(i: number, n: number, asGain: boolean): number {
    const curve = this.curves[i];
    const p0 = this.positions[i];
    const p1 = this.positions[i + 1];
    if (curve === 3 || p1 === p0 || this.values[i] === this.values[i + 1]) return asGain ? this.gains[i] : this.values[i];
    const t = (n - p0) / (p1 - p0);
    const v0 = this.values[i];
    const v1 = this.values[i + 1];
    if (curve === LINEAR) {
      const v = v0 + (v1 - v0) * ((n - p0) / (p1 - p0));
      return asGain ? dbToGain(v) : v;
    }
    if (curve === EXPONENTIAL) {
      const v = v0 * Math.pow(v1 / v0, t);
      return asGain ? dbToGain(v) : v;
    }
    const g = this.gains[i] + (this.gains[i + 1] - this.gains[i]) * t;
    return asGain ? g : 20 * Math.log10(g);
  }

  /** Value at sample n (n may be negative or fractional). */
  valueAt(n: number): number {
    return this.sample(n, false);
  }

  /** For dB lanes: linear gain at sample n (−Infinity dB → 0). */
  gainAt(n: number): number {
    return this.sample(n, true);
  }

  private sample(n: number, asGain: boolean): number {
    const i = this.segmentAt(n);
    const last = this.positions.length - 1;
    if (i < 0) return asGain ? this.gains[0] : this.values[0];
    if (i >= last) return asGain ? this.gains[last] : this.values[last];
    return this.evaluate(i, n, asGain);
  }

  /**
   * Writes the values (or, with asGain, the linear gains of a dB lane) for samples start … start+frames−1
   * into out[0 … frames−1]. Returns true when they are all equal; then only out[0] is written.
   */
  fill(out: Float64Array, start: number, frames: number, asGain = false): boolean {
    const last = this.positions.length - 1;
    let i = this.segmentAt(start);
    const end = start + frames - 1;
    // Held before the first point, after the last, or over a flat stretch: one value.
    if (this.constant || i >= last || (i < 0 && end < this.positions[0])) {
      out[0] = i < 0 ? (asGain ? this.gains[0] : this.values[0]) : this.sample(start, asGain);
      return true;
    }
    if (i >= 0 && (this.curves[i] === 3 || this.values[i] === this.values[i + 1]) && end < this.positions[i + 1]) {
      out[0] = asGain ? this.gains[i] : this.values[i];
      return true;
    }
    // Segment by segment, each in a tight loop computing exactly what evaluate() computes.
    let k = 0;
    while (k < frames) {
      while (i < last && this.positions[i + 1] <= start + k) i++;
      const until = i < last ? Math.min(frames, Math.ceil(this.positions[i + 1] - start)) : frames;
      if (i < 0 || i >= last || this.curves[i] === 3 || this.values[i] === this.values[i + 1] || this.positions[i + 1] === this.positions[i]) {
        const j = i < 0 ? 0 : i;
        const held = asGain ? this.gains[j] : this.values[j];
        for (; k < until; k++) out[k] = held;
        continue;
      }
      const curve = this.curves[i];
      const p0 = this.positions[i];
      const length = this.positions[i + 1] - p0;
      const v0 = this.values[i];
      const v1 = this.values[i + 1];
      if (curve === LINEAR) {
        const d = v1 - v0;
        if (asGain) for (; k < until; k++) out[k] = dbToGain(v0 + d * ((start + k - p0) / length));
        else for (; k < until; k++) out[k] = v0 + d * ((start + k - p0) / length);
      } else {
        for (; k < until; k++) out[k] = this.evaluate(i, start + k, asGain);
      }
    }
    return false;
  }
}
