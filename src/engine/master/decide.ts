// The automatic mastering engineer: measurements + intent → a master plan, every stage with a why.
// Pure: no audio, no I/O, no randomness; the same measurements and intent give the same plan.
import type { CurvePoint } from '../dsp/filters/linear-phase-eq.js';
import type { AudioMetadata } from '../audio-metadata.js';
import type { MasterMeasurements } from './api.js';
import { decideDeEss, decideGlue, decideMultiband, decidePunch } from './decide-dynamics.js';
import { decideEq } from './decide-eq.js';
import { decideCharacter, decideLoudness } from './decide-loudness.js';
import { decideWidth } from './decide-stereo.js';
import { MASTER_PLAN_SCHEMA, MASTER_PLAN_VERSION, type Character, type MasterPlan, type MasterStage } from './plan.js';
import { findTarget } from './targets.js';

export interface MasterIntent {
  /** Delivery target id (targets.ts). */
  target: string;
  /** 0..100: how much the master changes the mix (EQ share, compression, colour). */
  intensity: number;
  character: Character;
  /** Side gain of the mids and highs, percent (100 = as mixed). */
  widthPercent: number;
  genre: string | null;
  /** Display name of the reference track, when one is matched. */
  reference: string | null;
  /** Explicit loudness (LUFS) and ceiling (dBTP) that override the target's. */
  loudnessLufs: number | null;
  ceilingDbtp: number | null;
  /** Deliver mono input as stereo. */
  stereoOut: boolean;
  metadata: AudioMetadata;
}

export interface DecideInput {
  measurements: MasterMeasurements;
  intent: MasterIntent;
  input: { file: string; sampleRate: number; channels: number; frames: number };
  /** Tonal target on the bands of measurements.midLoud, level-aligned; null for none. */
  tonalTarget: { name: string; levelDb: (number | null)[]; plrFloorDb: number; plrFloorWhy: string } | null;
  /** Reference-match curves (amount applied), when a reference is given. */
  referenceCurves: { midCurve: CurvePoint[]; sideCurve: CurvePoint[] | null; why: string } | null;
  createdBy: string;
}

export const DEFAULT_PLR_FLOOR_DB = 8;

/** Share of the measured tonal deviation the EQ corrects at a given intensity. */
export const eqAmount = (intensity: number) => Math.min(1, Math.max(0, intensity / 100)) * 0.8;

export function decideMasterPlan(input: DecideInput): MasterPlan {
  const { measurements: m, intent } = input;
  const target = findTarget(intent.target);
  if (!target) throw new RangeError(`unknown target '${intent.target}'`);
  const amount = Math.min(1, Math.max(0, intent.intensity / 100));
  const stages: MasterStage[] = [];
  const add = <T extends MasterStage['processor']>(id: string, role: MasterStage['role'], processor: T, decision: { enabled: boolean; params: MasterStage<T>['params']; summary: string; why: string }) => {
    stages.push({ id, role, processor, enabled: decision.enabled, params: decision.params, summary: decision.summary, why: decision.why } as MasterStage);
  };

  const eq = decideEq(m, {
    targetDb: input.tonalTarget?.levelDb ?? null,
    targetName: input.tonalTarget?.name ?? 'target',
    reference: input.referenceCurves,
    amount: eqAmount(intent.intensity),
    airDb: intent.character === 'open' ? 0.5 + amount : intent.character === 'warm' ? -0.5 : 0,
  });
  stages.push({ id: 'eq', role: 'eq', processor: 'mid-side-eq', enabled: eq.enabled, params: { midCurve: eq.midCurve, sideCurve: eq.sideCurve }, moves: eq.moves, summary: eq.summary, why: eq.why });
  // Width runs as a side-only linear-phase curve right after the EQ (the renderer fuses the two).
  if (m.side && input.referenceCurves) {
    add('width', 'width', 'mid-side-eq', {
      enabled: false, params: { midCurve: [{ frequencyHz: 1000, gainDb: 0 }], sideCurve: null }, summary: 'follows the reference',
      why: 'Reference mode: the width per band follows the reference through the side curve of the EQ, so no separate width move.',
    });
  } else if (m.side) add('width', 'width', 'mid-side-eq', decideWidth(m, intent.widthPercent, intent.character === 'open'));
  add('de-ess', 'de-ess', 'de-esser', decideDeEss(m, amount));
  add('multiband', 'multiband', 'multiband-compressor', decideMultiband(m, amount));
  add('glue', 'glue', 'compressor', decideGlue(m, amount, intent.character));
  add('punch', 'punch', 'transient-shaper', decidePunch(m, amount, intent.character));
  const character = decideCharacter(intent.character, amount);
  add('character', 'character', character.processor, character);
  const loudness = decideLoudness(m, {
    target, intensity: intent.intensity,
    plrFloorDb: input.tonalTarget?.plrFloorDb ?? DEFAULT_PLR_FLOOR_DB,
    plrFloorWhy: input.tonalTarget?.plrFloorWhy ?? 'below it, limiting audibly flattens the drums',
    explicitLufs: intent.loudnessLufs, explicitCeilingDbtp: intent.ceilingDbtp,
  });
  add('limiter', 'limiter', 'limiter', {
    enabled: true, params: loudness.limiter,
    summary: `ceiling ${loudness.ceilingDbtp} dBTP${loudness.targetLufs === null ? '' : `, drive set to reach ${loudness.targetLufs} LUFS`}`,
    why: `True-peak limiter: 4x oversampled detection and a 5 ms look-ahead, so no peak between samples passes ${loudness.ceilingDbtp} dBTP; release adapts to the programme (${loudness.limiter.releaseSeconds} s for sustained overs).`,
  });

  return {
    schema: MASTER_PLAN_SCHEMA,
    version: MASTER_PLAN_VERSION,
    createdBy: input.createdBy,
    input: { file: input.input.file, sampleRate: input.input.sampleRate, channels: input.input.channels, frames: input.input.frames },
    intent: { target: target.id, intensity: intent.intensity, character: intent.character, widthPercent: intent.widthPercent, genre: intent.genre, reference: intent.reference },
    loudness: { targetLufs: loudness.targetLufs, ceilingDbtp: loudness.ceilingDbtp, plrFloorDb: loudness.plrFloorDb, why: loudness.why },
    stages,
    delivery: {
      dither16: 'tpdf',
      channels: m.side === null && intent.stereoOut ? 'stereo' : 'source',
      lossyAllowanceDb: 0.5,
      metadata: intent.metadata,
    },
  };
}
