// Word-length reduction for PCM delivery: TPDF dither (triangular noise of ±1 LSB peak, the sum of two
// uniform randoms) decorrelates the rounding error from the signal, so quiet fades turn into a steady
// noise floor instead of distortion. Isomorphic (no node: imports); allocation-free per sample.
//
// Error budget per sample (in LSB²): TPDF noise 1/6 + rounding 1/12 = 1/4, i.e. 0.5 LSB RMS total
// (Lipshitz, Wannamaker & Vanderkooy, "Quantization and Dither: A Theoretical Survey", JAES 1992).

/** Maps full-scale floats (±1.0) to the signed integer grid of `bits`. */
export interface Quantizer {
  readonly bits: number;
  /** Integer code for `sample`, clamped to [-2^(bits-1), 2^(bits-1) - 1]. NaN gives NaN. */
  quantize(sample: number): number;
  /** The same code as a float on the grid: quantize(sample) / 2^(bits-1). */
  process(sample: number): number;
}

export interface TpdfDither extends Quantizer {
  /** The next dither value in LSB, in (-1, 1) with a triangular density; quantize() draws one per call. */
  nextNoise(): number;
}

export type DitherKind = 'tpdf' | 'none';

const MIN_BITS = 2;
const MAX_BITS = 32;

function gridOf(bits: number): { scale: number; min: number; max: number } {
  if (!Number.isInteger(bits) || bits < MIN_BITS || bits > MAX_BITS) {
    throw new RangeError(`dither bits must be an integer from ${MIN_BITS} to ${MAX_BITS}, got ${bits}`);
  }
  const scale = 2 ** (bits - 1);
  return { scale, min: -scale, max: scale - 1 };
}

/**
 * TPDF dither quantizer. Deterministic: the same seed gives the same noise sequence
 * (mulberry32 PRNG, two draws per sample), so renders are bit-identical run to run.
 */
export function createTpdfDither(bits: number, seed = 1): TpdfDither {
  const { scale, min, max } = gridOf(bits);
  let state = seed >>> 0;
  // mulberry32 (Tommy Ettinger): 32-bit state, passes PractRand to 2^32 outputs; uniform in [0, 1).
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const nextNoise = (): number => uniform() - uniform();
  const quantize = (sample: number): number => {
    // floor(x + 0.5): round half up, the same rule as the plain rounder, so dither is the only difference.
    const code = Math.floor(sample * scale + nextNoise() + 0.5);
    return code > max ? max : code < min ? min : code;
  };
  return {
    bits,
    nextNoise,
    quantize,
    process: (sample) => quantize(sample) / scale,
  };
}

/** Plain rounding to the grid, no dither: grid values (e.g. a 16-bit source written at 16 bits) pass bit-exactly. */
export function createRoundingQuantizer(bits: number): Quantizer {
  const { scale, min, max } = gridOf(bits);
  const quantize = (sample: number): number => {
    const code = Math.floor(sample * scale + 0.5);
    return code > max ? max : code < min ? min : code;
  };
  return { bits, quantize, process: (sample) => quantize(sample) / scale };
}

/** The quantizer a delivery setting asks for. */
export function createQuantizer(bits: number, dither: DitherKind, seed = 1): Quantizer {
  return dither === 'tpdf' ? createTpdfDither(bits, seed) : createRoundingQuantizer(bits);
}
