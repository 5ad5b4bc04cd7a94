// Circular delay line preallocated for a maximum delay, with integer, linear and cubic fractional
// reads: the building block of the delay, chorus, pre-delay, diffusers and FDN lines.
import { DENORMAL_FLOOR as SHARED_DENORMAL_FLOOR } from '../api.js';

/** A module-local copy: hot loops read a constant, not a module binding (a getter call under some loaders). */
const DENORMAL_FLOOR = SHARED_DENORMAL_FLOOR;

/** Catmull-Rom (4-point, 3rd-order Hermite) interpolation between y0 (t = 0) and y1 (t = 1); exact at t = 0. */
export function hermite(ym1: number, y0: number, y1: number, y2: number, t: number): number {
  const c1 = 0.5 * (y1 - ym1);
  const c2 = ym1 - 2.5 * y0 + 2 * y1 - 0.5 * y2;
  const c3 = 0.5 * (y2 - ym1) + 1.5 * (y0 - y1);
  return ((c3 * t + c2) * t + c1) * t + y0;
}

/** Flushes magnitudes below DENORMAL_FLOOR to exact zero (for feedback paths). */
export function flush(x: number): number {
  // One well-predicted comparison (signs of audio are random; the size test almost never fails).
  return Math.abs(x) > DENORMAL_FLOOR ? x : 0;
}

/**
 * Delays are counted from the next write: `at(1)` is the sample written last. In a feedback loop,
 * `y = at(d); write(x + g * y)` closes a loop of exactly d samples; a feed-forward delay of d samples
 * is `write(x); y = at(d + 1)`.
 */
export class DelayLine {
  readonly buffer: Float32Array;
  /** buffer.length − 1 (a power of two minus one). */
  readonly mask: number;
  /** Where the next write goes; exposed for loops that inline reads and writes (keep it masked). */
  index = 0;

  /**
   * Holds delays up to `maxDelaySamples` (+ 3 samples of margin for cubic reads). `storage` supplies the
   * zeroed buffer of the given length (e.g. a view into a WebAssembly kernel's memory); default: its own.
   */
  constructor(maxDelaySamples: number, storage: (length: number) => Float32Array = (length) => new Float32Array(length)) {
    const size = DelayLine.bufferLength(maxDelaySamples);
    this.buffer = storage(size);
    if (this.buffer.length !== size) throw new RangeError(`DelayLine: storage gave ${this.buffer.length} samples, ${size} asked for`);
    this.mask = size - 1;
  }

  /** Samples of the buffer a line for `maxDelaySamples` uses: a power of two, for masked indexing. */
  static bufferLength(maxDelaySamples: number): number {
    let size = 4;
    while (size < maxDelaySamples + 4) size *= 2;
    return size;
  }

  /** The longest delay (samples) any read may ask for. */
  get capacity(): number {
    return this.mask - 2;
  }

  write(x: number): void {
    this.buffer[this.index] = x;
    this.index = (this.index + 1) & this.mask;
  }

  /** Integer delay, 1 <= delay <= capacity. */
  at(delay: number): number {
    return this.buffer[(this.index - delay) & this.mask];
  }

  /** Linear interpolation, delay >= 1. */
  linear(delay: number): number {
    const n = Math.floor(delay);
    const t = delay - n;
    const a = this.buffer[(this.index - n) & this.mask];
    const b = this.buffer[(this.index - n - 1) & this.mask];
    return a + t * (b - a);
  }

  /** Cubic (Catmull-Rom) interpolation, delay >= 2; exact for integer delays. */
  cubic(delay: number): number {
    const n = Math.floor(delay);
    const i = this.index - n;
    const m = this.mask;
    const b = this.buffer;
    return hermite(b[(i + 1) & m], b[i & m], b[(i - 1) & m], b[(i - 2) & m], delay - n);
  }

  clear(): void {
    this.buffer.fill(0);
    this.index = 0;
  }
}
