// Builds the running chain of a master plan: every enabled stage before the limiter (the "pre" chain,
// rendered once), and the limiter on its own (run again while its drive is calibrated to the target).
import type { Processor } from '../dsp/api.js';
import { Limiter } from '../dsp/dynamics/limiter.js';
import { curveGainDb, normalizeCurve, type CurvePoint } from '../dsp/filters/linear-phase-eq.js';
import { createProcessor, type ProcessorParams } from '../dsp/registry.js';
import { limiterStage, type MasterPlan, type MasterStage } from './plan.js';

/**
 * Adjacent linear-phase mid/side EQs are one filter: their gains add in dB (linear filters in series
 * multiply). Fusing them (tonal EQ + width) halves the FIR work and the latency, with the same response
 * up to the FIR design's accuracy.
 */
export function fuseMidSideEqs(stages: MasterStage[]): MasterStage[] {
  const fused: MasterStage[] = [];
  for (const stage of stages) {
    const last = fused[fused.length - 1];
    if (stage.processor !== 'mid-side-eq' || last?.processor !== 'mid-side-eq') {
      fused.push(stage);
      continue;
    }
    const a = last.params as ProcessorParams<'mid-side-eq'>, b = stage.params as ProcessorParams<'mid-side-eq'>;
    const grid = [...new Set([...a.midCurve, ...(a.sideCurve ?? []), ...b.midCurve, ...(b.sideCurve ?? [])].map((p) => p.frequencyHz))].sort((x, y) => x - y);
    const sum = (curves: (CurvePoint[] | null)[]) => {
      const sorted = curves.map((c) => (c ? normalizeCurve(c) : null));
      return grid.map((frequencyHz) => ({
        frequencyHz, gainDb: Math.max(-48, Math.min(48, sorted.reduce((total, c) => total + (c ? curveGainDb(c, frequencyHz) : 0), 0))),
      }));
    };
    const side = a.sideCurve === null && b.sideCurve === null ? null : sum([a.sideCurve, b.sideCurve]);
    fused[fused.length - 1] = { ...last, id: `${last.id}+${stage.id}`, params: { midCurve: sum([a.midCurve, b.midCurve]), sideCurve: side } };
  }
  return fused;
}

/** The enabled stages before the limiter, adjacent mid/side EQs fused, in order. */
export function preChainStages(plan: MasterPlan): MasterStage[] {
  const limiter = limiterStage(plan);
  return fuseMidSideEqs(plan.stages.filter((stage) => stage.enabled && stage !== limiter));
}

export function createStageProcessors(stages: MasterStage[], sampleRate: number, channelCount: number): Processor[] {
  return stages.map((stage) => {
    try {
      return createProcessor(stage.processor, sampleRate, channelCount, stage.params);
    } catch (error) {
      throw new Error(`stage '${stage.id}' (${stage.processor}): ${(error as Error).message}`);
    }
  });
}

/** Processors of the enabled stages before the limiter, in order. */
export function createPreChain(plan: MasterPlan, sampleRate: number, channelCount: number): Processor[] {
  return createStageProcessors(preChainStages(plan), sampleRate, channelCount);
}

/** The plan's limiter with a drive (dB into the limiter) and, when given, a lower ceiling than the plan's. */
export function createPlanLimiter(plan: MasterPlan, sampleRate: number, channelCount: number, driveDb: number, ceilingDb?: number): Limiter {
  const { params } = limiterStage(plan);
  return new Limiter(sampleRate, channelCount, { ...params, inputGainDb: driveDb, ceilingDb: ceilingDb ?? params.ceilingDb ?? plan.loudness.ceilingDbtp });
}
