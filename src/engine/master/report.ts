// Builds the master report (report.json, and the data behind report.html) from what the job measured
// and the plan it ran. Pure: plain data in, plain data out.
import { curveGainDb, normalizeCurve, type CurvePoint } from '../dsp/filters/linear-phase-eq.js';
import { preChainStages } from './chain.js';
import type { LoudnessSummary, MasterMeasurements, MasterReport, ReportDeliverable } from './api.js';
import type { MasterPlan, MasterStage } from './plan.js';
import { DELIVERY_TARGETS, findTarget, previewPlayback } from './targets.js';

export function loudnessSummary(m: MasterMeasurements): LoudnessSummary {
  const b = m.base;
  return {
    integratedLufs: b.integratedLufs, loudnessRangeLu: b.loudnessRangeLu, truePeakDbtp: b.truePeakDbtp, samplePeakDbfs: b.samplePeakDbfs,
    plrDb: b.plrDb, maxShortTermLufs: b.maxShortTermLufs, correlation: b.correlation, sideToMidDb: m.sideToMidDb,
  };
}

export interface ReportInput {
  title: string;
  inputFile: string;
  plan: MasterPlan;
  before: MasterMeasurements;
  after: MasterMeasurements;
  /** Tonal target aligned to `before.mid` bands; null when none. */
  targetDb: (number | null)[] | null;
  reachedLufs: number | null;
  gainReduction: { hopSeconds: number; limiterDb: number[] };
  deliverables: ReportDeliverable[];
  notes: string[];
}

const sideToMidPerBand = (m: MasterMeasurements) =>
  m.mid.levelDb.map((mid, b) => {
    const side = m.side?.levelDb[b] ?? null;
    return mid === null || side === null ? null : Math.round((side - mid) * 100) / 100;
  });

function stageSummary(stage: MasterStage) {
  return { kind: stage.role, enabled: stage.enabled, summary: stage.summary, why: stage.why };
}

export function buildMasterReport(input: ReportInput): MasterReport {
  const { plan, before, after } = input;
  const target = findTarget(plan.intent.target);
  // The EQ as rendered: tonal EQ and width fused into one mid/side curve pair (chain.ts).
  const eqStage = preChainStages(plan).find((s): s is MasterStage<'mid-side-eq'> => s.processor === 'mid-side-eq');
  const bandsHz = before.mid.bandsHz;
  const eqAt = (curve: CurvePoint[] | null | undefined) => {
    const sorted = curve ? normalizeCurve(curve) : null;
    return bandsHz.map((hz) => (sorted ? Math.round(curveGainDb(sorted, hz) * 100) / 100 : 0));
  };
  const limiterDb = input.gainReduction.limiterDb;
  const masterFile = input.deliverables.find((d) => d.file === 'master.wav') ?? input.deliverables[0];
  const afterLufs = after.base.integratedLufs;
  const masterPeak = masterFile?.truePeakDbtp ?? after.base.truePeakDbtp;
  const stereo = before.side && after.side && before.base.spectrum && after.base.spectrum
    ? {
      bandsHz,
      beforeCorrelation: before.base.spectrum.correlation,
      afterCorrelation: after.base.spectrum.correlation,
      beforeSideToMidDb: sideToMidPerBand(before),
      afterSideToMidDb: sideToMidPerBand(after),
    }
    : null;
  return {
    schema: 'mixmaster.master-report',
    version: 1,
    title: input.title,
    inputFile: input.inputFile,
    durationSeconds: before.base.durationSeconds,
    sampleRate: before.base.sampleRate,
    target: {
      id: plan.intent.target, name: target?.name ?? plan.intent.target, integratedLufs: plan.loudness.targetLufs,
      ceilingDbtp: plan.loudness.ceilingDbtp, plrFloorDb: plan.loudness.plrFloorDb, reachedLufs: input.reachedLufs, why: plan.loudness.why,
    },
    before: loudnessSummary(before),
    after: loudnessSummary(after),
    stages: plan.stages.map(stageSummary),
    spectrum: {
      bandsHz,
      beforeDb: before.mid.levelDb,
      afterDb: after.mid.levelDb,
      targetDb: input.targetDb,
      eqMidDb: eqAt(eqStage?.params.midCurve),
      eqSideDb: before.side ? eqAt(eqStage ? eqStage.params.sideCurve ?? null : null) : null,
    },
    loudnessOverTime: { hopSeconds: before.shortTerm.hopSeconds, beforeShortTermLufs: before.shortTerm.lufs, afterShortTermLufs: after.shortTerm.lufs },
    gainReduction: {
      hopSeconds: input.gainReduction.hopSeconds, limiterDb,
      maxDb: limiterDb.length ? Math.max(...limiterDb) : 0,
      meanDb: limiterDb.length ? Math.round((limiterDb.reduce((s, v) => s + v, 0) / limiterDb.length) * 100) / 100 : 0,
    },
    stereo,
    platforms: afterLufs === null || masterPeak === null ? [] : DELIVERY_TARGETS.map((t) => {
      const p = previewPlayback(t, afterLufs, masterPeak);
      const round = (v: number) => Math.round(v * 100) / 100;
      return { id: t.id, name: t.name, playbackGainDb: round(p.playbackGainDb), truePeakAfterDbtp: round(p.truePeakAfterDbtp), playbackLufs: round(p.playbackLufs) };
    }),
    deliverables: input.deliverables,
    notes: input.notes,
  };
}
