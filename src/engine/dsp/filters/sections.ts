// Cascades of second-order sections for the multi-section filters (Butterworth, crossover, tilt,
// dynamic EQ): coefficients as [b0, b1, b2, a1, a2] per section in one Float64Array, direct form I
// state (x1, x2, y1, y2) per section, run section by section over a double-precision buffer.
import { DENORMAL_FLOOR as SHARED_DENORMAL_FLOOR } from '../api.js';
import { wrapPhase } from './biquad.js';

/** A module-local copy: hot loops read a constant, not a module binding (a getter call under some loaders). */
const DENORMAL_FLOOR = SHARED_DENORMAL_FLOOR;

/** Numbers per section in a coefficient array: b0, b1, b2, a1, a2 (a0 = 1). */
export const SECTION_COEFFICIENT_STRIDE = 5;
/** Numbers per section and channel in a state array: x1, x2, y1, y2. */
export const SECTION_STATE_STRIDE = 4;
/** Frames a cascade filters per pass through its double-precision scratch buffer. */
export const SECTION_SCRATCH_FRAMES = 256;

/**
 * Runs `sectionCount` sections (coefficients from `coefficientOffset`, state from `stateOffset`) in
 * series over x[start, end), in place. Outputs below DENORMAL_FLOOR are flushed per sample, so the
 * result does not depend on how the stream was cut.
 */
export function runSections(
  coefficients: Float64Array, coefficientOffset: number, sectionCount: number,
  state: Float64Array, stateOffset: number, x: Float64Array, start: number, end: number,
): void {
  for (let section = 0; section < sectionCount; section++) {
    const k = coefficientOffset + SECTION_COEFFICIENT_STRIDE * section;
    const b0 = coefficients[k], b1 = coefficients[k + 1], b2 = coefficients[k + 2], a1 = coefficients[k + 3], a2 = coefficients[k + 4];
    const o = stateOffset + SECTION_STATE_STRIDE * section;
    let x1 = state[o], x2 = state[o + 1], y1 = state[o + 2], y2 = state[o + 3];
    for (let i = start; i < end; i++) {
      const v = x[i];
      let y = (b0 * v + b1 * x1 + b2 * x2 - a2 * y2) - a1 * y1; // the y1 term last: shortest recursive dependency chain
      if (Math.abs(y) < DENORMAL_FLOOR) y = 0;
      x2 = x1; x1 = v; y2 = y1; y1 = y;
      x[i] = y;
    }
    state[o] = x1; state[o + 1] = x2; state[o + 2] = y1; state[o + 3] = y2;
  }
}

/** Complex response of a cascade at `frequencyHz`: accumulates into `out` ([re, im]), starting from `out`. */
export function multiplySectionResponses(
  coefficients: Float64Array, coefficientOffset: number, sectionCount: number, frequencyHz: number, sampleRate: number, out: Float64Array,
): void {
  const w = (2 * Math.PI * frequencyHz) / sampleRate;
  const c1 = Math.cos(w), s1 = Math.sin(w), c2 = Math.cos(2 * w), s2 = Math.sin(2 * w);
  let re = out[0], im = out[1];
  for (let section = 0; section < sectionCount; section++) {
    const k = coefficientOffset + SECTION_COEFFICIENT_STRIDE * section;
    const nr = coefficients[k] + coefficients[k + 1] * c1 + coefficients[k + 2] * c2;
    const ni = -(coefficients[k + 1] * s1 + coefficients[k + 2] * s2);
    const dr = 1 + coefficients[k + 3] * c1 + coefficients[k + 4] * c2;
    const di = -(coefficients[k + 3] * s1 + coefficients[k + 4] * s2);
    const d = dr * dr + di * di;
    const hr = (nr * dr + ni * di) / d, hi = (ni * dr - nr * di) / d;
    const r = re * hr - im * hi;
    im = re * hi + im * hr;
    re = r;
  }
  out[0] = re; out[1] = im;
}

/** Magnitude (linear) and phase (radians) of a cascade at `frequencyHz`. */
export function sectionsResponse(
  coefficients: Float64Array, sectionCount: number, frequencyHz: number, sampleRate: number, coefficientOffset = 0,
): { magnitude: number; phase: number } {
  const h = Float64Array.of(1, 0);
  multiplySectionResponses(coefficients, coefficientOffset, sectionCount, frequencyHz, sampleRate, h);
  return { magnitude: Math.hypot(h[0], h[1]), phase: wrapPhase(Math.atan2(h[1], h[0])) };
}

/** Writes a first-order section (b2 = a2 = 0) into `out` at `offset`. */
export function writeFirstOrder(out: Float64Array, offset: number, b0: number, b1: number, a1: number): void {
  out[offset] = b0; out[offset + 1] = b1; out[offset + 2] = 0; out[offset + 3] = a1; out[offset + 4] = 0;
}
