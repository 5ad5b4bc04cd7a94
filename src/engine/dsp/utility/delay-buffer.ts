// A single-channel ring buffer: the building block of pure delays, latency compensation and
// per-channel delays. Integer taps are exact copies; fractional taps use 4-point Lagrange.

const nextPowerOfTwo = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(2, n)));

export class DelayBuffer {
  /** Longest delay, in samples, that tap() and tapFractional() accept. */
  readonly maxDelaySamples: number;
  private readonly buffer: Float32Array;
  private readonly mask: number;
  /** Index of the most recently pushed sample. */
  private head = 0;

  constructor(maxDelaySamples: number) {
    if (!(Number.isFinite(maxDelaySamples) && maxDelaySamples >= 0)) {
      throw new RangeError(`delay buffer: max delay must be a finite number >= 0, got ${maxDelaySamples}`);
    }
    this.maxDelaySamples = Math.ceil(maxDelaySamples);
    // +3: the Lagrange taps reach one sample beyond the integer part (and one for rounding).
    this.buffer = new Float32Array(nextPowerOfTwo(this.maxDelaySamples + 3));
    this.mask = this.buffer.length - 1;
  }

  /** Appends one sample. */
  push(x: number): void {
    this.head = (this.head + 1) & this.mask;
    this.buffer[this.head] = x;
  }

  /** The sample pushed `delaySamples` pushes ago (0 = the latest); integer delays only. */
  tap(delaySamples: number): number {
    return this.buffer[(this.head - delaySamples) & this.mask];
  }

  /**
   * The signal `delaySamples` ago, fractional allowed. Delays >= 1 use the 4-point (3rd-order)
   * Lagrange interpolator centred on the fraction (Laakso et al., "Splitting the unit delay", IEEE SPM 1996);
   * delays below 1 interpolate linearly (the future sample a centred kernel needs does not exist yet).
   * Integer delays return the stored sample exactly.
   */
  tapFractional(delaySamples: number): number {
    const k = Math.floor(delaySamples);
    const x = delaySamples - k;
    if (x === 0) return this.buffer[(this.head - k) & this.mask];
    if (k === 0) {
      return this.buffer[this.head] * (1 - x) + this.buffer[(this.head - 1) & this.mask] * x;
    }
    const ym1 = this.buffer[(this.head - k + 1) & this.mask];
    const y0 = this.buffer[(this.head - k) & this.mask];
    const y1 = this.buffer[(this.head - k - 1) & this.mask];
    const y2 = this.buffer[(this.head - k - 2) & this.mask];
    const xm1 = x - 1;
    const xm2 = x - 2;
    const xp1 = x + 1;
    return (-x * xm1 * xm2 / 6) * ym1 + (xp1 * xm1 * xm2 / 2) * y0 + (-xp1 * x * xm2 / 2) * y1 + (xp1 * x * xm1 / 6) * y2;
  }

  /** Pushes `frames` samples of `input` and writes the same samples delayed by an integer `delaySamples` to `output` (may alias `input`). */
  process(input: Float32Array, output: Float32Array, frames: number, delaySamples: number): void {
    const buffer = this.buffer;
    const mask = this.mask;
    let head = this.head;
    for (let i = 0; i < frames; i++) {
      head = (head + 1) & mask;
      buffer[head] = input[i];
      output[i] = buffer[(head - delaySamples) & mask];
    }
    this.head = head;
  }

  /** Like process(), but adds the delayed samples to `output` (a summing bus); `input` and `output` must not alias. */
  processAdd(input: Float32Array, output: Float32Array, frames: number, delaySamples: number): void {
    const buffer = this.buffer;
    const mask = this.mask;
    let head = this.head;
    for (let i = 0; i < frames; i++) {
      head = (head + 1) & mask;
      buffer[head] = input[i];
      output[i] += buffer[(head - delaySamples) & mask];
    }
    this.head = head;
  }

  /** Clears the memory (silence before the first push). */
  reset(): void {
    this.buffer.fill(0);
    this.head = 0;
  }
}
