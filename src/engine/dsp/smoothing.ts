// Per-sample parameter smoothing (one-pole, exponential approach to the target): the value at each
// sample depends only on time since the change, never on block boundaries.

/** Time constant used when a processor does not choose one: fast enough to feel immediate, slow enough not to click. */
export const DEFAULT_SMOOTHING_SECONDS = 0.01;

export class Smoother {
  private value: number;
  private target: number;
  private readonly coefficient: number;

  constructor(sampleRate: number, initial: number, timeConstantSeconds = DEFAULT_SMOOTHING_SECONDS) {
    this.value = initial;
    this.target = initial;
    this.coefficient = timeConstantSeconds > 0 ? 1 - Math.exp(-1 / (timeConstantSeconds * sampleRate)) : 1;
  }

  setTarget(target: number): void {
    this.target = target;
  }

  /** Jumps to `value` with no ramp (construction, reset). */
  jump(value: number): void {
    this.value = value;
    this.target = value;
  }

  get current(): number {
    return this.value;
  }

  /** True while the value is still measurably away from the target. */
  get smoothing(): boolean {
    return this.value !== this.target;
  }

  /** Advances one sample and returns the new value; snaps once within 1e-9 relative of the target. */
  next(): number {
    if (this.value === this.target) return this.value;
    this.value += (this.target - this.value) * this.coefficient;
    if (Math.abs(this.target - this.value) <= 1e-9 * Math.max(1, Math.abs(this.target))) this.value = this.target;
    return this.value;
  }

  /** Writes the next `frames` values into `out` (for per-sample gain curves). */
  fill(out: Float32Array | Float64Array, frames: number): void {
    for (let i = 0; i < frames; i++) out[i] = this.next();
  }
}
