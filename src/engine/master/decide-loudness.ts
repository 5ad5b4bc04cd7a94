// Decides loudness: the integrated loudness the limiter aims at, its true-peak ceiling, and the
// don't-crush floor. Loudness comes from the limiter only as far as the material allows: a target that
// would push the peak-to-loudness ratio (PLR) below the floor is lowered to the floor, and the plan
// says so, unless the user asked for a loudness explicitly. Also the analog character stage. Pure.
import type { ProcessorParams } from '../dsp/registry.js';
import type { MasterMeasurements } from './api.js';
import type { StageDecision } from './decide-dynamics.js';
import type { Character } from './plan.js';
import type { DeliveryTarget } from './targets.js';

export interface LoudnessDecision {
  targetLufs: number | null;
  ceilingDbtp: number;
  plrFloorDb: number;
  /** The loudness asked for before the floor was applied (the platform's, or the user's). */
  requestedLufs: number | null;
  /** True when the floor lowered the target. */
  limitedByFloor: boolean;
  why: string;
  limiter: ProcessorParams<'limiter'>;
}

export interface LoudnessIntent {
  target: DeliveryTarget;
  intensity: number;
  plrFloorDb: number;
  plrFloorWhy: string;
  /** Explicit loudness (LUFS) asked for by the user: the floor is reported, not enforced. */
  explicitLufs: number | null;
  explicitCeilingDbtp: number | null;
}

/** For targets without a loudness (CD/club): how far below the floor's maximum to sit at intensity 0 (dB). */
const CREATIVE_RANGE_DB = 4;

export function decideLoudness(m: MasterMeasurements, intent: LoudnessIntent): LoudnessDecision {
  const { target } = intent;
  const ceilingDbtp = intent.explicitCeilingDbtp ?? target.truePeakCeilingDbtp;
  const floor = intent.plrFloorDb;
  const loudestAllowed = ceilingDbtp - floor;
  const inputPlr = m.base.plrDb;
  let requested: number | null;
  let basis: string;
  if (intent.explicitLufs !== null) {
    requested = intent.explicitLufs;
    basis = `${requested} LUFS as asked`;
  } else if (target.integratedLufs !== null) {
    requested = target.integratedLufs;
    basis = `${target.name} plays at ${target.playbackLufs ?? target.integratedLufs} LUFS: mastering to ${requested} LUFS means it is neither turned down (lost punch) nor up`;
  } else {
    requested = loudestAllowed - CREATIVE_RANGE_DB * (1 - intent.intensity / 100);
    requested = Math.round(requested * 10) / 10;
    basis = `${target.name} does not normalise: loudness is a creative choice, set by the intensity (${intent.intensity}) within the floor`;
  }
  let targetLufs: number | null = requested;
  let limitedByFloor = false;
  const notes: string[] = [basis];
  if (m.base.integratedLufs === null) {
    targetLufs = null;
    notes.push('the input is silent, so there is no loudness to set');
  } else if (intent.explicitLufs === null && targetLufs !== null && targetLufs > loudestAllowed) {
    // Already-dense input: its own PLR is below the floor; it may only be turned up to where its peaks meet the ceiling.
    limitedByFloor = true;
    notes.push(`${requested} LUFS would leave a PLR of ${(ceilingDbtp - requested!).toFixed(1)} dB, under the ${floor} dB floor (${intent.plrFloorWhy}): stopped at ${loudestAllowed.toFixed(1)} LUFS`);
    targetLufs = loudestAllowed;
  } else if (intent.explicitLufs !== null && requested! > loudestAllowed) {
    notes.push(`this is louder than the ${floor} dB PLR floor allows (${loudestAllowed.toFixed(1)} LUFS); done anyway because it was asked for explicitly`);
  }
  if (intent.explicitLufs === null && targetLufs !== null && inputPlr !== null && inputPlr < floor && targetLufs > m.base.integratedLufs! ) {
    const noLimiting = ceilingDbtp - inputPlr;
    if (targetLufs > noLimiting) {
      limitedByFloor = true;
      notes.push(`the mix already has a PLR of only ${inputPlr.toFixed(1)} dB (floor ${floor} dB): it is raised only until its peaks meet the ceiling, ${noLimiting.toFixed(1)} LUFS, with no further limiting`);
      targetLufs = Math.max(m.base.integratedLufs!, noLimiting);
    }
  }
  if (targetLufs !== null) targetLufs = Math.round(targetLufs * 100) / 100;
  // Release: slower for sparse, dynamic material (no pumping), faster for dense material (less dulling).
  const dense = (m.base.loudnessRangeLu ?? 6) < 5;
  const limiter: ProcessorParams<'limiter'> = {
    ceilingDb: ceilingDbtp, releaseSeconds: dense ? 0.08 : 0.15, adaptiveRelease: true, holdSeconds: 0.015, lookaheadSeconds: 0.005, inputGainDb: 0,
  };
  notes.push(`true peak held at ${ceilingDbtp} dBTP (${target.name}'s ceiling${intent.explicitCeilingDbtp !== null ? ', set by hand' : ''}) by an oversampled look-ahead limiter`);
  const why = notes.join('; ') + '.';
  return { targetLufs, ceilingDbtp, plrFloorDb: floor, requestedLufs: requested, limitedByFloor, why: why.charAt(0).toUpperCase() + why.slice(1), limiter };
}

export type CharacterDecision =
  | ({ processor: 'tape' } & StageDecision<ProcessorParams<'tape'>>)
  | ({ processor: 'saturation' } & StageDecision<ProcessorParams<'saturation'>>);

export function decideCharacter(character: Character, amount: number): CharacterDecision {
  if (character === 'warm') {
    const driveDb = Math.round((2 + 6 * amount) * 10) / 10;
    return {
      processor: 'tape', enabled: amount > 0, params: { speedIps: 15, driveDb, headBumpDb: 1.5, wowFlutter: 0 },
      summary: `tape, 15 ips, drive ${driveDb} dB`,
      why: 'The "warm" character: tape at 15 ips rounds the peaks, adds a 50 Hz head bump and a gentle top-end roll-off.',
    };
  }
  if (character === 'punchy') {
    const driveDb = Math.round((2 + 4 * amount) * 10) / 10;
    return {
      processor: 'saturation', enabled: amount > 0, params: { mode: 'tanh', driveDb, outputDb: 0, autoGain: true, mix: 0.35 },
      summary: `soft clip (tanh), drive ${driveDb} dB, 35 % mix`,
      why: 'The "punchy" character: parallel soft clipping adds density and harmonics to the drums without dulling the transients.',
    };
  }
  if (character === 'open') {
    const driveDb = Math.round((1 + 3 * amount) * 10) / 10;
    return {
      processor: 'saturation', enabled: amount > 0, params: { mode: 'tube', driveDb, outputDb: 0, autoGain: true, mix: 0.2 },
      summary: `tube, drive ${driveDb} dB, 20 % mix`,
      why: 'The "open" character: a touch of asymmetric (even-harmonic) saturation for presence, blended low.',
    };
  }
  return { processor: 'saturation', enabled: false, params: { mode: 'tanh', driveDb: 0, outputDb: 0, autoGain: true, mix: 1 }, summary: 'off', why: 'The "clean" character: no analog colour.' };
}
