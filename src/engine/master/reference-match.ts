// Reference matching: the mid and side EQ curves that move a master's tonal balance and its width per
// band toward a reference track's, from the third-octave spectra of both tracks' loud sections (what
// a listener judges tone by). Pure: measurements in, curves for a linear-phase EQ in mid/side out.
// Like Matchering (sergree/matchering, match_frequencies.py: mid and side FIRs from the ratio of the
// loudest pieces' spectra), but smoothed in octaves, clamped, with an amount, and explained.
import { thirdOctaveBands } from '../analysis/bands.js';
import type { CurvePoint } from '../dsp/filters/linear-phase-eq.js';
import type { MasterMeasurements } from './api.js';

export interface ReferenceMatchOptions {
  /** 0..1: share of the measured difference the curves correct. */
  amount: number;
  /** Smoothing across bands: Gaussian of this full width at half maximum (octaves). */
  smoothingOctaves?: number;
  maxBoostDb?: number;
  maxCutDb?: number;
}

export const REFERENCE_MATCH_DEFAULTS = { smoothingOctaves: 1 / 3, maxBoostDb: 6, maxCutDb: 8 };
/** Largest change of a band's side-to-mid ratio (dB): width moves less than tone. */
export const MAX_WIDTH_CHANGE_DB = 6;
/** The two spectra are level-aligned on their energy over this range (Hz). */
export const ALIGN_LOW_HZ = 40;
export const ALIGN_HIGH_HZ = 16000;
/** Outside this range (Hz) the correction is 0 dB: sub-sonic rumble and codec cut-offs are not tone. */
export const CORRECT_LOW_HZ = 30;
export const CORRECT_HIGH_HZ = 18000;
/** A band is empty (left alone) below this level or this far under the spectrum's loudest band (dB). */
const EMPTY_BAND_DB = -80;
const BELOW_LOUDEST_DB = 60;

export interface ReferenceMatchCurves {
  /** Gains for mid = (L+R)/2, one point per third-octave band (flat beyond the ends). */
  midCurve: CurvePoint[];
  /** Gains for side = (L-R)/2; null for a mono target. */
  sideCurve: CurvePoint[] | null;
  why: string;
}

type Levels = (number | null)[];

export function referenceMatchCurves(target: MasterMeasurements, reference: MasterMeasurements, options: ReferenceMatchOptions): ReferenceMatchCurves {
  const { amount, smoothingOctaves, maxBoostDb, maxCutDb } = { ...REFERENCE_MATCH_DEFAULTS, ...options };
  if (!(amount >= 0 && amount <= 1)) throw new RangeError(`reference match: amount must be 0..1, got ${amount}`);
  if (!(smoothingOctaves >= 0 && maxBoostDb >= 0 && maxCutDb >= 0)) throw new RangeError('reference match: smoothing and limits must be >= 0');
  const bands = thirdOctaveBands();
  const bandsHz = bands.map((band) => band.nominalHz);
  for (const levels of [target.midLoud, reference.midLoud, target.sideLoud, reference.sideLoud]) {
    if (levels && (levels.bandsHz.length !== bandsHz.length || levels.bandsHz.some((hz, b) => hz !== bandsHz[b]))) {
      throw new RangeError('reference match: spectra must be on the third-octave bands of analysis/bands.ts');
    }
  }
  const octave = bands.map((band) => Math.log2(band.centerHz / 1000));
  const inRange = bandsHz.map((hz) => hz >= CORRECT_LOW_HZ && hz <= CORRECT_HIGH_HZ);
  const targetMid = target.midLoud.levelDb;
  const referenceMid = reference.midLoud.levelDb;
  const midUsable = and(inRange, usable(targetMid), usable(referenceMid));

  // Level-align the reference on the energy both spectra have over 40 Hz-16 kHz, then the tonal difference.
  const aligned = midUsable.map((ok, b) => ok && bandsHz[b] >= ALIGN_LOW_HZ && bandsHz[b] <= ALIGN_HIGH_HZ);
  const offsetDb = energyDb(referenceMid, aligned) - energyDb(targetMid, aligned);
  const difference = bandsHz.map((_, b) => (midUsable[b] ? referenceMid[b]! - targetMid[b]! - offsetDb : 0));
  const midGain = smooth(difference, midUsable, octave, smoothingOctaves)
    .map((db, b) => (midUsable[b] && Number.isFinite(offsetDb) ? amount * clamp(db, -maxCutDb, maxBoostDb) : 0));

  let sideGain: number[] | null = null;
  let widthChange: number[] | null = null;
  if (target.sideLoud && reference.sideLoud) {
    // Per band, the side gain is the mid gain plus the change of side-to-mid ratio the reference asks for.
    const targetSide = target.sideLoud.levelDb;
    const referenceSide = reference.sideLoud.levelDb;
    const sideUsable = and(midUsable, usable(targetSide), usable(referenceSide));
    const ratioChange = bandsHz.map((_, b) => (sideUsable[b]
      ? (referenceSide[b]! - referenceMid[b]!) - (targetSide[b]! - targetMid[b]!) : 0));
    widthChange = smooth(ratioChange, sideUsable, octave, smoothingOctaves)
      .map((db, b) => (sideUsable[b] ? amount * clamp(db, -MAX_WIDTH_CHANGE_DB, MAX_WIDTH_CHANGE_DB) : 0));
    sideGain = midGain.map((db, b) => db + widthChange![b]);
  } else if (target.sideLoud) {
    sideGain = [...midGain]; // a mono reference says nothing about width: keep the target's
  }
  const toCurve = (gains: number[]): CurvePoint[] => bands.map((band, b) => ({ frequencyHz: band.centerHz, gainDb: gains[b] }));
  return {
    midCurve: toCurve(midGain),
    sideCurve: sideGain ? toCurve(sideGain) : null,
    why: explain(amount, bandsHz, midGain, widthChange, target.sideLoud !== null && reference.sideLoud === null),
  };
}

/** Bands with content: a level, above -80 dB and within 60 dB of the spectrum's loudest band. */
function usable(levels: Levels | undefined): boolean[] {
  if (!levels) return [];
  const loudest = Math.max(...levels.map((db) => db ?? -Infinity));
  return levels.map((db) => db !== null && db >= EMPTY_BAND_DB && db >= loudest - BELOW_LOUDEST_DB);
}

function and(...masks: boolean[][]): boolean[] {
  return masks[0].map((_, b) => masks.every((mask) => mask[b] === true));
}

function energyDb(levels: Levels, mask: boolean[]): number {
  let sum = 0;
  levels.forEach((db, b) => { if (mask[b]) sum += 10 ** (db! / 10); });
  return 10 * Math.log10(sum);
}

/** Gaussian smoothing over the usable bands (log-frequency axis); unusable bands neither give nor take. */
function smooth(values: number[], mask: boolean[], octave: number[], fwhmOctaves: number): number[] {
  if (fwhmOctaves === 0) return [...values];
  const sigma = fwhmOctaves / (2 * Math.sqrt(2 * Math.log(2)));
  return values.map((_, b) => {
    if (!mask[b]) return 0;
    let sum = 0, weights = 0;
    values.forEach((value, k) => {
      if (!mask[k]) return;
      const w = Math.exp(-0.5 * ((octave[k] - octave[b]) / sigma) ** 2);
      sum += w * value;
      weights += w;
    });
    return sum / weights;
  });
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

function hzLabel(hz: number): string {
  return hz >= 1000 ? `${hz / 1000} kHz` : `${hz} Hz`;
}

const signed = (db: number) => `${db >= 0 ? '+' : '−'}${Math.abs(db).toFixed(1)} dB`;

/** The largest moves, at least an octave apart, in words. */
function largestMoves(bandsHz: number[], gains: number[], count: number, minimumDb: number): number[] {
  const picked: number[] = [];
  const order = gains.map((_, b) => b).sort((a, b) => Math.abs(gains[b]) - Math.abs(gains[a]));
  for (const b of order) {
    if (picked.length === count || Math.abs(gains[b]) < minimumDb) break;
    if (picked.every((p) => Math.abs(Math.log2(bandsHz[p] / bandsHz[b])) >= 1)) picked.push(b);
  }
  return picked.sort((a, b) => a - b);
}

function explain(amount: number, bandsHz: number[], midGain: number[], widthChange: number[] | null, monoReference: boolean): string {
  if (amount === 0) return 'Reference matching is off (amount 0 %).';
  const percent = `${Math.round(amount * 100)} %`;
  const moves = largestMoves(bandsHz, midGain, 3, 0.5);
  let why = moves.length
    ? `Tone matched to the reference's loudest sections at ${percent}: ${moves.map((b) => `${signed(midGain[b])} around ${hzLabel(bandsHz[b])}`).join(', ')}.`
    : `The tone is already within 0.5 dB of the reference's (loudest sections, level-aligned): no EQ needed.`;
  if (widthChange) {
    const [widest] = largestMoves(bandsHz, widthChange, 1, 0.5);
    if (widest !== undefined) {
      const change = widthChange[widest];
      why += ` Side ${change > 0 ? 'raised' : 'lowered'} ${Math.abs(change).toFixed(1)} dB against the mid around ${hzLabel(bandsHz[widest])}`
        + ` (the reference is ${change > 0 ? 'wider' : 'narrower'} there).`;
    } else {
      why += ' The stereo width already matches the reference.';
    }
  } else if (monoReference) {
    why += ' The reference is mono, so the width is left as it is.';
  }
  return why;
}
