// Polyphase filter design for the sample-rate converter: a Kaiser-windowed sinc for one rate pair.
// Passband to 0.4535 of the lower rate (20 kHz at 44.1 kHz), cutoff midway to the stopband; length from
// Kaiser's formula (O&S eq. 7.63). 'standard' (120 dB) stops at 0.5465 of the lower rate, the mirror of
// the passband edge: what aliases or images lands only between the passband and the lower Nyquist
// (20-22.05 kHz at 44.1), never in the passband, for half the taps. 'high' (150 dB) stops at the lower
// Nyquist: nothing aliases at all. One row of taps per
// output phase p / L (L = out / gcd), each row normalised to unit DC gain. Pairs whose L is too large
// for an exact table (e.g. 44100 -> 44101) use a table of TABLE_PHASES rows between which the
// converter interpolates linearly (error < -150 dB at 1024 rows).
import { besselI0, kaiserBeta, kaiserWindow, sinc } from './kaiser.js';

export type ResamplingQuality = 'standard' | 'high';

export interface ResamplerDesign {
  /** out / gcd and in / gcd. */
  readonly up: number;
  readonly down: number;
  /** Taps per row (a multiple of 4): the window spans taps input samples. */
  readonly taps: number;
  /** Rows in the table: `up` when exact, else TABLE_PHASES + 1 (interpolated). */
  readonly rows: number;
  readonly exact: boolean;
  /** rows * taps coefficients; row r, tap k multiplies x[base - taps/2 + 1 + k]. */
  readonly coefficients: Float64Array;
  readonly attenuationDb: number;
  readonly passbandHz: number;
  readonly stopbandHz: number;
}

const ATTENUATION_DB: Record<ResamplingQuality, number> = { standard: 120, high: 150 };
/** Stopband edge as a fraction of the lower rate. */
const STOPBAND: Record<ResamplingQuality, number> = { standard: 1 - 0.4535, high: 0.5 };
/** Passband edge as a fraction of the lower rate (20 kHz at 44.1 kHz). */
export const SRC_PASSBAND = 0.4535;
/** Largest exact table, in coefficients (8 MB of f64). */
const MAX_EXACT_COEFFICIENTS = 1 << 20;
export const TABLE_PHASES = 1024;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const cache = new Map<string, ResamplerDesign>();

/** The design for `inputRate` -> `outputRate` at `quality` (a pure function of its arguments, cached). */
export function designResampler(inputRate: number, outputRate: number, quality: ResamplingQuality): ResamplerDesign {
  const key = `${inputRate}:${outputRate}:${quality}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const attenuationDb = ATTENUATION_DB[quality];
  if (attenuationDb === undefined) throw new RangeError(`sample-rate converter: unknown quality ${quality}`);
  const divisor = gcd(inputRate, outputRate);
  const up = outputRate / divisor;
  const down = inputRate / divisor;
  const lower = Math.min(inputRate, outputRate);
  const passbandHz = SRC_PASSBAND * lower;
  const stopbandHz = STOPBAND[quality] * lower;
  // In cycles per input sample.
  const cutoff = (passbandHz + stopbandHz) / 2 / inputRate;
  const transition = (stopbandHz - passbandHz) / inputRate;
  const length = (attenuationDb - 7.95) / (2.285 * 2 * Math.PI * transition);
  const taps = 4 * Math.ceil(length / 4);
  const exact = up * taps <= MAX_EXACT_COEFFICIENTS;
  const rows = exact ? up : TABLE_PHASES + 1;
  const beta = kaiserBeta(attenuationDb);
  const i0Beta = besselI0(beta);
  const half = taps / 2;
  const coefficients = new Float64Array(rows * taps);
  for (let row = 0; row < rows; row++) {
    const fraction = exact ? row / up : row / TABLE_PHASES;
    let sum = 0;
    for (let k = 0; k < taps; k++) {
      const t = fraction + half - 1 - k;
      const value = 2 * cutoff * sinc(2 * cutoff * t) * kaiserWindow(t / half, beta, i0Beta);
      coefficients[row * taps + k] = value;
      sum += value;
    }
    for (let k = 0; k < taps; k++) coefficients[row * taps + k] /= sum;
  }
  const design: ResamplerDesign = { up, down, taps, rows, exact, coefficients, attenuationDb, passbandHz, stopbandHz };
  cache.set(key, design);
  return design;
}
