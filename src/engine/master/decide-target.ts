// Chooses the tonal target a master aims at (the genre's family curve, level-aligned to the mix's loud
// sections) and turns a reference track into match curves. Pure.
import type { CurvePoint } from '../dsp/filters/linear-phase-eq.js';
import type { MasterMeasurements } from './api.js';
import { eqAmount } from './decide.js';
import { referenceMatchCurves } from './reference-match.js';
import { alignTargetToMeasured, findTonalTarget, genreFamily } from './tonal-targets.js';

export interface ChosenTonalTarget {
  name: string;
  levelDb: (number | null)[];
  plrFloorDb: number;
  plrFloorWhy: string;
  source: string;
}

export function tonalTargetFor(m: MasterMeasurements, genre: string | null): ChosenTonalTarget {
  const family = findTonalTarget(genreFamily(genre ?? ''))!;
  const aligned = alignTargetToMeasured(family, m.midLoud);
  return { name: family.name, levelDb: aligned.levelDb, plrFloorDb: family.plrFloorDb, plrFloorWhy: family.plrFloorWhy, source: family.source };
}

export function referenceCurvesFor(m: MasterMeasurements, reference: MasterMeasurements, intensity: number): { midCurve: CurvePoint[]; sideCurve: CurvePoint[] | null; why: string } {
  // A reference is an explicit wish: it is followed further than a genre curve at the same intensity.
  const amount = Math.min(1, eqAmount(intensity) + 0.3);
  return referenceMatchCurves(m, reference, { amount });
}
