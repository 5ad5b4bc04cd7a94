// Decides the mastering EQ: broad tonal balance toward a target curve (or the curves of a reference
// match), plus narrow cuts of resonances. One linear-phase mid/side EQ carries it all; `moves` explain it
// in a musician's words. Pure function of the measurements.
import { curveGainDb, type CurvePoint } from '../dsp/filters/linear-phase-eq.js';
import type { MasterMeasurements, Resonance } from './api.js';
import type { EqMove } from './plan.js';

export interface EqDecision {
  enabled: boolean;
  midCurve: CurvePoint[];
  sideCurve: CurvePoint[] | null;
  moves: EqMove[];
  summary: string;
  why: string;
}

export interface EqIntent {
  /** Target levels on the bands of `measurements.midLoud`, already level-aligned to it; null: no tonal target. */
  targetDb: (number | null)[] | null;
  targetName: string;
  /** Curves from a reference match (already scaled by its amount); replaces the tonal target. */
  reference: { midCurve: CurvePoint[]; sideCurve: CurvePoint[] | null; why: string } | null;
  /** 0..1: share of the measured deviation the EQ corrects. */
  amount: number;
  /** Extra broad tilt for 'open' (air) or 'warm' (softer top), dB at 10 kHz and up. */
  airDb: number;
}

/** Deviations smaller than this are left alone: within the spread of commercial masters. */
const DEAD_BAND_DB = 2;
const MAX_BOOST_DB = 2;
const MAX_CUT_DB = 3;
/** Lowest and highest frequencies the tonal EQ moves (sub-sonic boosts only waste headroom). */
const LOW_LIMIT_HZ = 30;
const HIGH_LIMIT_HZ = 18000;
const MIN_RESONANCE_EXCESS_DB = 6;
const MAX_RESONANCE_CUT_DB = 2.5;
const MAX_RESONANCE_CUTS = 2;
/** Resonance cuts are never narrower than this: a wider, shallower cut is gentler on the music. */
const MAX_RESONANCE_Q = 8;
/** The curve grid: 1/12 octave from 20 Hz to 20 kHz. */
const GRID_HZ = Array.from({ length: 121 }, (_, i) => 20 * Math.pow(2, i / 12));

const REGIONS: { label: string; lowHz: number; highHz: number; cut: string; boost: string }[] = [
  { label: 'sub', lowHz: 20, highHz: 60, cut: 'rumble and sub build-up that eats headroom', boost: 'sub weight' },
  { label: 'bass', lowHz: 60, highHz: 200, cut: 'a boomy low end', boost: 'bass weight and kick body' },
  { label: 'low-mids', lowHz: 200, highHz: 500, cut: 'mud and boxiness', boost: 'body and warmth' },
  { label: 'mids', lowHz: 500, highHz: 2000, cut: 'a honky, nasal midrange', boost: 'vocal and instrument body' },
  { label: 'presence', lowHz: 2000, highHz: 6000, cut: 'harshness', boost: 'clarity and a closer vocal' },
  { label: 'air', lowHz: 6000, highHz: 20000, cut: 'fizz and hiss', boost: 'air and sparkle on the hi-hats' },
];

/** RBJ peaking-EQ magnitude in dB of the analog prototype (RBJ cookbook, s-plane), for a bell cut/boost. */
function bellDb(frequencyHz: number, centreHz: number, gainDb: number, q: number): number {
  const a = Math.pow(10, gainDb / 40);
  const w = frequencyHz / centreHz;
  const w2 = (1 - w * w) ** 2;
  const num = w2 + (w * a / q) ** 2;
  const den = w2 + (w / (a * q)) ** 2;
  return 10 * Math.log10(num / den);
}

function smooth3(values: number[]): number[] {
  return values.map((v, i) => 0.25 * (values[i - 1] ?? v) + 0.5 * v + 0.25 * (values[i + 1] ?? v));
}

function tonalGains(m: MasterMeasurements, intent: EqIntent): number[] {
  const { bandsHz, levelDb } = m.midLoud;
  const target = intent.targetDb;
  const loudest = Math.max(...levelDb.map((v) => v ?? -Infinity));
  const raw = bandsHz.map((hz, b) => {
    const measured = levelDb[b];
    const wanted = target?.[b];
    if (measured === null || wanted === null || wanted === undefined || hz < LOW_LIMIT_HZ || hz > HIGH_LIMIT_HZ) return 0;
    if (measured < loudest - 60) return 0; // empty band: EQ cannot create content, only noise
    return wanted - measured;
  });
  return smooth3(smooth3(raw)).map((dev, b) => {
    const beyondDeadBand = Math.sign(dev) * Math.max(0, Math.abs(dev) - DEAD_BAND_DB);
    let gain = beyondDeadBand * intent.amount;
    gain = Math.min(MAX_BOOST_DB, Math.max(-MAX_CUT_DB, gain));
    if (bandsHz[b] < LOW_LIMIT_HZ && gain > 0) gain = 0;
    return gain;
  });
}

/** True when `hz` is (within 3 %) a whole multiple 2-8 of another peak: a note's harmonic, not a resonance. */
function isHarmonicOfAnother(hz: number, all: Resonance[]): boolean {
  return all.some((other) => {
    if (other.frequencyHz >= hz) return false;
    const ratio = hz / other.frequencyHz;
    const whole = Math.round(ratio);
    return whole >= 2 && whole <= 8 && Math.abs(ratio - whole) < 0.03 * whole;
  });
}

function resonanceCuts(resonances: Resonance[], amount: number): { resonance: Resonance; cutDb: number }[] {
  // Peaks in a long-term spectrum are often the song's notes (a harmonic series): those are music, not
  // problems. Only strong, non-harmonic peaks are cut, at most two, gently, never narrower than Q 8.
  const strength = Math.max(0.5, amount);
  return resonances
    .filter((r) => r.excessDb >= MIN_RESONANCE_EXCESS_DB && r.frequencyHz >= 150 && r.frequencyHz <= 10000 && !isHarmonicOfAnother(r.frequencyHz, resonances))
    .slice(0, MAX_RESONANCE_CUTS)
    .map((r) => ({ resonance: { ...r, q: Math.min(MAX_RESONANCE_Q, r.q) }, cutDb: -Math.min(MAX_RESONANCE_CUT_DB, 0.3 * r.excessDb * strength) }));
}

const fmtHz = (hz: number) => (hz >= 1000 ? `${(hz / 1000).toFixed(hz >= 10000 ? 0 : 1)} kHz` : `${Math.round(hz)} Hz`);
const fmtDb = (db: number) => `${db > 0 ? '+' : '−'}${Math.abs(db).toFixed(1)} dB`;

export function decideEq(m: MasterMeasurements, intent: EqIntent): EqDecision {
  const bandsHz = m.midLoud.bandsHz;
  const tonal = intent.reference ? null : tonalGains(m, intent);
  const bandPoints: CurvePoint[] = tonal ? bandsHz.map((frequencyHz, b) => ({ frequencyHz, gainDb: tonal[b] })) : [];
  const cuts = resonanceCuts(m.resonances, intent.amount);
  const referenceMid = intent.reference?.midCurve ?? null;
  const gainAt = (hz: number, curve: CurvePoint[] | null) => {
    let gain = curve ? curveGainDb(curve, hz) : curveGainDb(bandPoints, hz);
    if (intent.airDb !== 0 && hz > 4000) gain += intent.airDb * Math.min(1, Math.log2(hz / 4000) / Math.log2(10000 / 4000));
    for (const { resonance, cutDb } of cuts) gain += bellDb(hz, resonance.frequencyHz, cutDb, resonance.q);
    return Math.round(gain * 1000) / 1000 || 0; // no -0 in the plan (JSON would read it back as 0)
  };
  const midCurve = GRID_HZ.map((frequencyHz) => ({ frequencyHz, gainDb: gainAt(frequencyHz, referenceMid) }));
  let sideCurve: CurvePoint[] | null = null;
  if (m.side) {
    const referenceSide = intent.reference?.sideCurve ?? null;
    sideCurve = referenceSide ? GRID_HZ.map((frequencyHz) => ({ frequencyHz, gainDb: gainAt(frequencyHz, referenceSide) })) : midCurve;
  }

  const moves: EqMove[] = [];
  const deviationAt = (hz: number) => {
    const b = bandsHz.findIndex((f) => f >= hz);
    const measured = m.midLoud.levelDb[b];
    const wanted = intent.targetDb?.[b];
    return measured === null || wanted === null || wanted === undefined ? null : measured - wanted;
  };
  for (const region of REGIONS) {
    let best = 0, bestHz = region.lowHz;
    for (const point of midCurve) {
      if (point.frequencyHz < region.lowHz || point.frequencyHz >= region.highHz) continue;
      const broad = referenceMid ? curveGainDb(referenceMid, point.frequencyHz) : curveGainDb(bandPoints, point.frequencyHz);
      if (Math.abs(broad) > Math.abs(best)) { best = broad; bestHz = point.frequencyHz; }
    }
    if (Math.abs(best) < 0.5) continue;
    const deviation = deviationAt(bestHz);
    const basis = intent.reference
      ? `the reference has ${best > 0 ? 'more' : 'less'} ${region.label} than the mix`
      : `the mix sits ${deviation === null ? '' : `${Math.abs(deviation).toFixed(1)} dB `}${best < 0 ? 'above' : 'below'} the ${intent.targetName} curve here`;
    moves.push({
      label: `${region.label} ${fmtDb(best)} around ${fmtHz(bestHz)}`, channel: 'both', frequencyHz: Math.round(bestHz), gainDb: Math.round(best * 10) / 10,
      why: `${basis}: ${best < 0 ? `less ${region.cut}` : `more ${region.boost}`} (${Math.round(intent.amount * 100)} % of the difference, beyond a ${DEAD_BAND_DB} dB tolerance).`,
    });
  }
  for (const { resonance, cutDb } of cuts) {
    moves.push({
      label: `notch ${fmtDb(cutDb)} at ${fmtHz(resonance.frequencyHz)} (Q ${resonance.q.toFixed(1)})`, channel: 'both',
      frequencyHz: Math.round(resonance.frequencyHz), gainDb: Math.round(cutDb * 10) / 10,
      why: `a narrow peak stands ${resonance.excessDb.toFixed(1)} dB above its neighbourhood at ${fmtHz(resonance.frequencyHz)}: a ringing resonance that gets harsh when the master is louder.`,
    });
  }
  if (intent.airDb !== 0) {
    moves.push({ label: `${intent.airDb > 0 ? 'air' : 'soft top'} ${fmtDb(intent.airDb)} shelf above 4 kHz`, channel: 'both', frequencyHz: 10000, gainDb: intent.airDb,
      why: intent.airDb > 0 ? 'the "open" character: a little more air.' : 'the "warm" character: a softer top end.' });
  }
  const maxAbs = Math.max(...midCurve.map((p) => Math.abs(p.gainDb)), ...(sideCurve ?? []).map((p) => Math.abs(p.gainDb)));
  const enabled = maxAbs >= 0.2;
  const summary = enabled ? moves.map((move) => move.label).join('; ') || 'small broad corrections' : 'flat (not needed)';
  const why = !enabled
    ? `The tonal balance is already within ${DEAD_BAND_DB} dB of the ${intent.reference ? 'reference' : intent.targetName} curve and no resonance stands out: no EQ.`
    : intent.reference
      ? `${intent.reference.why} Linear-phase, mid and side apart, so the width per band follows the reference too.`
      : `Tonal balance toward the ${intent.targetName} curve, measured on the loudest sections, in linear phase so transients keep their shape.`;
  return { enabled, midCurve, sideCurve, moves, summary, why };
}
