// Narrow spectral peaks: the long-term mid power spectrum smoothed over 1/12 octave, compared with the
// same spectrum smoothed over one octave; where the fine one stands >= 3 dB above the wide one, a
// peak rings out of its neighbourhood (a room mode, a ringing snare, a harsh synth partial).
import type { Resonance } from './api.js';

export interface ResonanceOptions {
  lowHz: number;
  highHz: number;
  /** Minimum excess of the 1/12-octave level over the octave level (dB). */
  minExcessDb: number;
  maxCount: number;
}

export const RESONANCE_DEFAULTS: ResonanceOptions = { lowHz: 80, highHz: 12000, minExcessDb: 3, maxCount: 5 };

const GRID_PER_OCTAVE = 48;
const FINE_OCTAVES = 1 / 12;
const WIDE_OCTAVES = 1;
/** Peaks closer than this (octaves) are one peak. */
const MIN_SEPARATION_OCTAVES = 1 / 6;
/** Peaks this far below the loudest fine level (dB) are noise-floor wiggles, not resonances. */
const FLOOR_BELOW_MAX_DB = 60;
const MIN_Q = 1;
const MAX_Q = 16;

/** Peaks of `binPower` (power per FFT bin of width `binHz`, any scale), strongest first. */
export function findResonances(binPower: Float64Array, binHz: number, options: Partial<ResonanceOptions> = {}): Resonance[] {
  const { lowHz, highHz, minExcessDb, maxCount } = { ...RESONANCE_DEFAULTS, ...options };
  const nyquistBin = binPower.length - 1;
  const top = Math.min(highHz, (nyquistBin * binHz) / Math.pow(2, WIDE_OCTAVES / 2));
  if (!(top > lowHz)) return [];
  // Prefix sums make every smoothing window O(1).
  const cumulative = new Float64Array(binPower.length + 1);
  for (let k = 0; k < binPower.length; k++) cumulative[k + 1] = cumulative[k] + binPower[k];
  const meanPower = (lowerHz: number, upperHz: number): number => {
    // Bins whose centre lies in [lower, upper); at least the nearest bin.
    let first = Math.max(1, Math.ceil(lowerHz / binHz));
    let last = Math.min(nyquistBin, Math.ceil(upperHz / binHz) - 1);
    if (last < first) first = last = Math.min(nyquistBin, Math.max(1, Math.round(Math.sqrt(lowerHz * upperHz) / binHz)));
    return (cumulative[last + 1] - cumulative[first]) / (last - first + 1);
  };
  const points = Math.floor(GRID_PER_OCTAVE * Math.log2(top / lowHz)) + 1;
  const frequencyHz = new Float64Array(points);
  const fineDb = new Float64Array(points);
  const excessDb = new Float64Array(points);
  let maxFineDb = -Infinity;
  for (let g = 0; g < points; g++) {
    const f = lowHz * Math.pow(2, g / GRID_PER_OCTAVE);
    frequencyHz[g] = f;
    const fine = meanPower(f * Math.pow(2, -FINE_OCTAVES / 2), f * Math.pow(2, FINE_OCTAVES / 2));
    const wide = meanPower(f * Math.pow(2, -WIDE_OCTAVES / 2), f * Math.pow(2, WIDE_OCTAVES / 2));
    fineDb[g] = fine > 0 ? 10 * Math.log10(fine) : -Infinity;
    excessDb[g] = fine > 0 && wide > 0 ? 10 * Math.log10(fine / wide) : -Infinity;
    if (fineDb[g] > maxFineDb) maxFineDb = fineDb[g];
  }
  const separation = Math.round(MIN_SEPARATION_OCTAVES * GRID_PER_OCTAVE);
  const found: Resonance[] = [];
  for (let g = 0; g < points; g++) {
    const excess = excessDb[g];
    if (!(excess >= minExcessDb) || fineDb[g] < maxFineDb - FLOOR_BELOW_MAX_DB) continue;
    let isPeak = true;
    for (let h = Math.max(0, g - separation); h <= Math.min(points - 1, g + separation) && isPeak; h++) {
      if (h < g ? excessDb[h] >= excess : h > g && excessDb[h] > excess) isPeak = false;
    }
    if (!isPeak) continue;
    found.push({ frequencyHz: frequencyHz[g], excessDb: excess, q: peakQ(fineDb, frequencyHz, g) });
  }
  found.sort((a, b) => b.excessDb - a.excessDb);
  return found.slice(0, maxCount);
}

/** Q = centre / bandwidth between the points where the fine level falls 3 dB under the peak. */
function peakQ(fineDb: Float64Array, frequencyHz: Float64Array, g: number): number {
  const limit = fineDb[g] - 3;
  let lo = g, hi = g;
  while (lo > 0 && fineDb[lo - 1] > limit) lo--;
  while (hi < fineDb.length - 1 && fineDb[hi + 1] > limit) hi++;
  // The crossings lie between the last point above the limit and the first below: take the geometric middle.
  const lower = lo > 0 ? Math.sqrt(frequencyHz[lo - 1] * frequencyHz[lo]) : frequencyHz[lo];
  const upper = hi < fineDb.length - 1 ? Math.sqrt(frequencyHz[hi] * frequencyHz[hi + 1]) : frequencyHz[hi];
  const q = frequencyHz[g] / Math.max(upper - lower, 1e-9);
  return Math.min(MAX_Q, Math.max(MIN_Q, q));
}
