// Look-ahead gain curve for brickwall limiting (Hämäläinen, "Smoothing of the control signal without
// clipped output in digital peak limiters", DAFx-02): the running minimum of the target gain over a
// window W, then a lowpass with a positive kernel of length S <= W. If the output is read D samples
// late with S - 1 <= D <= W - 1, every kernel input covers the target at the read sample, so the
// smoothed gain never exceeds it: the curve is down before the peak arrives, and has no corners.
//
// The kernel is three cascaded boxcars of b samples (S = 3b - 2, a quadratic B-spline: the step
// response is C1-smooth). Boxcars run on integers (gain * 2^40, floored) so running sums are exact:
// no drift over hours, bit-identical for any block size, and flooring keeps the bound.

const UNIT = 2 ** 40;
const INVERSE_UNIT = 2 ** -40;

/** Sizes of a look-ahead gain curve that reads the target `delay` samples late. */
export interface GainCurveLayout {
  /** Boxcar length b; the smoothing kernel spans S = 3b - 2 samples. */
  boxcar: number;
  /** Extra flat samples around each peak (even); the min window is S + hold. */
  hold: number;
  /** Samples between a target and the gain that honours it: S - 1 + hold / 2. */
  delay: number;
}

/** The longest smoothing that fits `delay` samples while keeping at least `minHold` flat samples around peaks. */
export function gainCurveLayout(delay: number, minHold: number): GainCurveLayout {
  const half = Math.ceil(minHold / 2);
  // delay = 3b - 3 + hold/2 with hold/2 >= half.
  const boxcar = Math.max(1, Math.floor((delay - half + 3) / 3));
  const hold = 2 * (delay - (3 * boxcar - 3));
  if (hold < 0) throw new RangeError(`limiter: a delay of ${delay} samples is too short for the gain curve`);
  return { boxcar, hold, delay };
}

/**
 * Running minimum over the last `window` values (van Herk / Gil-Werman): the stream in blocks of `window`;
 * a window's minimum is the smaller of the previous block's suffix minimum from the window's start and
 * the current block's prefix minimum. About three operations per value and no data-dependent loops (a
 * monotonic deque's worst case is `window` pops for one value); allocation-free. Values before the first
 * count as 1.
 */
/** Where a MinHold keeps its state (arrays that may live in a kernel's memory: limiter-gain-kernel.ts). */
export interface MinHoldStorage {
  /** `window` values each. */
  block: Float64Array;
  suffix: Float64Array;
  /** [position in the block, prefix minimum, how many of the latest values were 1]. */
  state: Float64Array;
}

export const minHoldStorage = (window: number): MinHoldStorage => ({ block: new Float64Array(window), suffix: new Float64Array(window), state: new Float64Array(3) });

export class MinHold {
  /** The current block's values so far. */
  private readonly block: Float64Array;
  /** suffix[j] = min of the previous block's values j .. window - 1 (1s before the first block). */
  private readonly suffix: Float64Array;
  /**
   * [position, prefix, ones]: the block's next slot, the minimum of the block so far, and how many of the
   * latest values were 1 (the 1s before the start count).
   */
  private readonly state: Float64Array;

  constructor(readonly window: number, readonly storage: MinHoldStorage = minHoldStorage(window)) {
    this.block = storage.block;
    this.suffix = storage.suffix;
    this.state = storage.state;
    this.reset();
  }

  /** Pushes `value`, returns the minimum of the last `window` values pushed (missing ones count as 1). */
  next(value: number): number {
    const last = this.window - 1;
    const state = this.state;
    const r = state[0] | 0;
    const prefix = r === 0 || value < state[1] ? value : state[1];
    state[1] = prefix;
    this.block[r] = value;
    state[2] = value === 1 ? state[2] + 1 : 0;
    if (r === last) {
      this.closeBlock();
      return prefix;
    }
    state[0] = r + 1;
    const before = this.suffix[r + 1];
    return before < prefix ? before : prefix;
  }

  /** values[i] = next(values[i]) for i < n: the same steps in one loop with the state in locals. */
  run(values: Float64Array, n: number): void {
    const { block, suffix, state } = this;
    const last = this.window - 1;
    let r = state[0] | 0, prefix = state[1], ones = state[2];
    for (let i = 0; i < n; i++) {
      const value = values[i];
      prefix = r === 0 || value < prefix ? value : prefix;
      block[r] = value;
      ones = value === 1 ? ones + 1 : 0;
      if (r === last) {
        this.closeBlock();
        values[i] = prefix;
        r = 0;
      } else {
        r++;
        const before = suffix[r];
        values[i] = before < prefix ? before : prefix;
      }
    }
    state[0] = r;
    state[1] = prefix;
    state[2] = ones;
  }

  /** The block is complete: its suffix minima serve the next block's windows. */
  private closeBlock(): void {
    const { block, suffix } = this;
    let min = block[this.window - 1];
    suffix[this.window - 1] = min;
    for (let j = this.window - 2; j >= 0; j--) {
      if (block[j] < min) min = block[j];
      suffix[j] = min;
    }
    this.state[0] = 0;
  }

  /**
   * If the last `window` values were all 1, takes `count` more 1s at once (same state as calling next(1)
   * `count` times) and returns true; otherwise does nothing and returns false.
   */
  idle(count: number): boolean {
    const state = this.state;
    if (state[2] < this.window) return false;
    const end = (state[0] | 0) + count;
    if (end > this.window - 1) {
      // At least one block ends inside the run of 1s: every value it and the previous block hold within
      // reach is 1, and the new current block is 1s so far.
      this.suffix.fill(1);
      state[0] = (end - this.window) % this.window;
      this.block.fill(1, 0, state[0]);
    } else {
      this.block.fill(1, state[0], end);
      state[0] = end;
    }
    state[1] = 1;
    state[2] += count;
    return true;
  }

  reset(): void {
    this.suffix.fill(1);
    this.state[0] = 0;
    this.state[1] = 1;
    this.state[2] = this.window;
  }
}

/** Where a BoxcarCascade keeps its state (arrays that may live in a kernel's memory: limiter-gain-kernel.ts). */
export interface BoxcarStorage {
  /** `boxcar` values each. */
  ring0: Float64Array;
  ring1: Float64Array;
  ring2: Float64Array;
  /** [sum0, sum1, sum2, index]. */
  state: Float64Array;
}

export const boxcarStorage = (boxcar: number): BoxcarStorage => ({
  ring0: new Float64Array(boxcar), ring1: new Float64Array(boxcar), ring2: new Float64Array(boxcar), state: new Float64Array(4),
});

/** Three cascaded moving averages of `boxcar` samples on the integer grid gain * 2^40. */
export class BoxcarCascade {
  private readonly ring0: Float64Array;
  private readonly ring1: Float64Array;
  private readonly ring2: Float64Array;
  /** [sum0, sum1, sum2, index]: the rings' sums and the slot of the next value. */
  private readonly state: Float64Array;
  /** 1 / boxcar, for quotients by multiplication (corrected to the exact floor; see quotient()). */
  readonly inverse: number;
  /** Math.floor(sum / b) is the exact integer floor when b < 2^12 (sum < 2^53): the corrected product equals it. */
  readonly exactByInverse: boolean;

  constructor(readonly boxcar: number, readonly storage: BoxcarStorage = boxcarStorage(boxcar)) {
    this.inverse = 1 / boxcar;
    this.exactByInverse = BoxcarCascade.exactByInverseFor(boxcar);
    this.ring0 = storage.ring0;
    this.ring1 = storage.ring1;
    this.ring2 = storage.ring2;
    this.state = storage.state;
    this.reset();
  }

  /** Whether quotients by the inverse (corrected) are exact for boxcars of `boxcar` samples. */
  static exactByInverseFor(boxcar: number): boolean {
    return boxcar < 4096;
  }

  /** Pushes a gain in [0, 1], returns the smoothed gain (delayed by 3(b - 1) / 2 on average). */
  next(gain: number): number {
    const b = this.boxcar;
    if (b === 1) return gain;
    const state = this.state;
    const index = state[3] | 0;
    let value = Math.floor(gain * UNIT);
    state[0] += value - this.ring0[index];
    this.ring0[index] = value;
    value = this.quotient(state[0]);
    state[1] += value - this.ring1[index];
    this.ring1[index] = value;
    value = this.quotient(state[1]);
    state[2] += value - this.ring2[index];
    this.ring2[index] = value;
    value = this.quotient(state[2]);
    state[3] = index + 1 === b ? 0 : index + 1;
    return value * INVERSE_UNIT;
  }

  /** values[i] = next(values[i]) for i < n: the same steps in one loop with the state in locals (quotients inlined). */
  run(values: Float64Array, n: number): void {
    const b = this.boxcar;
    if (b === 1) return;
    if (!this.exactByInverse) {
      for (let i = 0; i < n; i++) values[i] = this.next(values[i]);
      return;
    }
    const { ring0, ring1, ring2, inverse, state } = this;
    let sum0 = state[0], sum1 = state[1], sum2 = state[2], index = state[3] | 0;
    for (let i = 0; i < n; i++) {
      let value = Math.floor(values[i] * UNIT);
      sum0 += value - ring0[index];
      ring0[index] = value;
      // Math.floor(sum / b), exactly (see quotient()).
      value = Math.floor(sum0 * inverse);
      if (value * b > sum0) value--;
      else if ((value + 1) * b <= sum0) value++;
      sum1 += value - ring1[index];
      ring1[index] = value;
      value = Math.floor(sum1 * inverse);
      if (value * b > sum1) value--;
      else if ((value + 1) * b <= sum1) value++;
      sum2 += value - ring2[index];
      ring2[index] = value;
      value = Math.floor(sum2 * inverse);
      if (value * b > sum2) value--;
      else if ((value + 1) * b <= sum2) value++;
      index = index + 1 === b ? 0 : index + 1;
      values[i] = value * INVERSE_UNIT;
    }
    state[0] = sum0;
    state[1] = sum1;
    state[2] = sum2;
    state[3] = index;
  }

  /** Math.floor(sum / boxcar) for an integer 0 <= sum < 2^53, by a multiplication and an exact integer correction. */
  private quotient(sum: number): number {
    const b = this.boxcar;
    if (!this.exactByInverse) return Math.floor(sum / b);
    let q = Math.floor(sum * this.inverse);
    // q * b and (q + 1) * b are exact integers (< 2^53): step q to the true floor.
    if (q * b > sum) q--;
    else if ((q + 1) * b <= sum) q++;
    return q;
  }

  /**
   * At rest (every sum at gain 1, so every held value is 1): takes `count` more 1s at once and returns
   * true; otherwise does nothing and returns false.
   */
  idle(count: number): boolean {
    const full = UNIT * this.boxcar;
    const state = this.state;
    if (state[0] !== full || state[1] !== full || state[2] !== full) return false;
    state[3] = (state[3] + count) % this.boxcar;
    return true;
  }

  /** Filled with gain 1: the curve starts at rest. */
  reset(): void {
    this.ring0.fill(UNIT);
    this.ring1.fill(UNIT);
    this.ring2.fill(UNIT);
    const state = this.state;
    state[0] = state[1] = state[2] = UNIT * this.boxcar;
    state[3] = 0;
  }
}
