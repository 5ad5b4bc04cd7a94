// Masters one track into a folder: analyze → decide (or load a plan) → render (pre-chain, limiter
// calibrated to the target) → deliver → check every delivered file after the fact → report.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { MasterMeasurements, ReportDeliverable } from '../engine/master/api.js';
import type { Measurements } from '../engine/analysis/analyze.js';
import { decideMasterPlan, type MasterIntent } from '../engine/master/decide.js';
import { MasterAnalyzer } from '../engine/master/measure.js';
import { analyzeStream } from '../analyze-file.js';
import { defaultChannelLayout } from '../engine/audio.js';
import { limiterStage, parseMasterPlan, type MasterPlan, type StemPlan } from '../engine/master/plan.js';
import { buildMasterReport } from '../engine/master/report.js';
import { AudioFileError, UsageError } from '../io/errors.js';
import { writeFileAtomic, type DeferredSyncs } from '../io/atomic.js';
import { renderMasterReportHtml } from '../report/master-html.js';
import { predictLimitedLufs, solveDriveDb } from '../engine/master/limiter-model.js';
import { LIMITER_DEFAULTS } from '../engine/dsp/dynamics/limiter.js';
import { LOUDNESS_TOLERANCE_LU } from '../engine/master/targets.js';
import { ALL_DELIVERABLES, DELIVERABLE_FILES, writeDeliverables, type DeliverableKind } from './deliver.js';
import { fileSource, limitedSource, renderPreChain, type BlockSource, type LimiterPassResult } from './passes.js';
import { referenceCurvesFor, tonalTargetFor } from '../engine/master/decide-target.js';
import { deliverableCheck, pcmDifferenceOnWorker, verifyDeliverable } from './verify.js';

export const VERSION = 'mixmaster 0.1.0';
const MAX_LIMITER_PASSES = 4;
/**
 * The converted (44.1 kHz) files' true-peak guard aims this far under the ceiling: room for the 16-bit
 * dither (a few LSB, < 0.002 dB at −1 dBFS) and the meter's f32 rounding.
 */
const CONVERSION_GUARD_MARGIN_DB = 0.01;

export interface TrackInput {
  /** Path shown in messages and the report. */
  file: string;
  sampleRate: number;
  channelCount: number;
  frames: number;
  source: BlockSource;
  /** Stem mastering: the group moves that make up `source` (they go into the plan). */
  stems?: StemPlan[];
}

export interface TrackJob {
  input: TrackInput;
  folder: string;
  workDir: string;
  /** Set: the deliverables' fsyncs run in the background and the staging folder's commit waits for them. */
  syncs?: DeferredSyncs;
  intent: MasterIntent;
  /** A plan to render instead of deciding one (revisions). */
  plan: MasterPlan | null;
  reference: MasterMeasurements | null;
  /** Album mode: the loudness this track is aimed at instead of the target's (album gain strategy). */
  loudnessOverride?: { targetLufs: number; why: string } | null;
  log: (line: string) => void;
}

export interface TrackResult {
  plan: MasterPlan;
  before: MasterMeasurements;
  after: MasterMeasurements;
  reachedLufs: number | null;
  deliverables: ReportDeliverable[];
  notes: string[];
}

/** Measures a source with the mastering analyzer (its true-peak and spectrum stage on a worker thread). */
export function measureSource(
  source: BlockSource, sampleRate: number, channelCount: number, frames: number | null, reportOnly = false,
): Promise<MasterMeasurements> {
  const channelLayout = defaultChannelLayout(channelCount);
  // With a worker, the decision meters run there too (unless this is a report-only reading). A report-only
  // reading (of a delivered file, while the encoders may still be busy) waits for a pooled thread rather
  // than starting another: nothing else needs this thread meanwhile.
  return analyzeStream(source(), { sampleRate, channelLayout, expectedFrames: frames },
    (external) => new MasterAnalyzer({
      sampleRate, channelLayout, expectedFrames: frames, externalPeakSpectrum: external, reportOnly, externalDecisionMeters: external && !reportOnly,
    }), { workerDecisionMeters: !reportOnly, waitForThread: reportOnly });
}

export async function readPlanFile(path: string): Promise<MasterPlan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${path}: cannot read the plan (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  try {
    return parseMasterPlan(json);
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message}`);
  }
}

const round2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

export async function masterTrack(job: TrackJob): Promise<TrackResult> {
  const { input, intent, log } = job;
  const { sampleRate, channelCount } = input;
  await mkdir(job.folder, { recursive: true });
  await mkdir(job.workDir, { recursive: true });
  log(`analyzing ${input.file}`);
  const before = await measureSource(input.source, sampleRate, channelCount, input.frames);
  if (before.base.integratedLufs === null) {
    throw new AudioFileError(input.file, before.base.durationSeconds < 0.4
      ? `is too short to master (${before.base.durationSeconds.toFixed(2)} s; loudness needs at least 0.4 s)`
      : 'is silent (nothing above −70 LUFS): nothing to master');
  }
  const notes: string[] = [];
  if (before.clipping.why) notes.push(`Input: ${before.clipping.why}`);
  const tonal = tonalTargetFor(before, intent.genre);
  let plan: MasterPlan;
  if (job.plan) {
    plan = job.plan;
    if (plan.input.sampleRate !== sampleRate || plan.input.frames !== input.frames) {
      notes.push(`The plan was made for ${plan.input.file} (${plan.input.frames} frames at ${plan.input.sampleRate} Hz); rendered on ${basename(input.file)} as written.`);
    }
    if (plan.input.channels !== channelCount) throw new UsageError(`${input.file}: the plan is for ${plan.input.channels}-channel audio, the input has ${channelCount}`);
  } else {
    plan = decideMasterPlan({
      measurements: before, intent, createdBy: VERSION,
      input: { file: basename(input.file), sampleRate, channels: channelCount, frames: input.frames },
      tonalTarget: tonal,
      referenceCurves: job.reference ? referenceCurvesFor(before, job.reference, intent.intensity) : null,
    });
    if (input.stems) plan.stems = input.stems;
    if (job.loudnessOverride && plan.loudness.targetLufs !== null) {
      const loudestAllowed = plan.loudness.ceilingDbtp - plan.loudness.plrFloorDb;
      const wanted = job.loudnessOverride.targetLufs;
      plan.loudness.targetLufs = Math.round(Math.min(wanted, intent.loudnessLufs !== null ? Infinity : loudestAllowed) * 100) / 100;
      plan.loudness.why = `${job.loudnessOverride.why}${plan.loudness.targetLufs < wanted ? ` Held at ${plan.loudness.targetLufs} LUFS by the ${plan.loudness.plrFloorDb} dB PLR floor.` : ''}`;
    }
  }

  log('rendering');
  const prePath = join(job.workDir, 'pre.wav');
  const pre = await renderPreChain(input.source, plan, sampleRate, channelCount, prePath);
  const preSource = fileSource(prePath, channelCount);
  const limiter = limiterStage(plan);
  const ceiling = limiter.params.ceilingDb ?? plan.loudness.ceilingDbtp;
  // Mono delivered as stereo plays both channels: BS.1770 sums them, +3.01 dB over the mono reading.
  const dualMonoDb = plan.delivery.channels === 'stereo' && channelCount === 1 ? 10 * Math.log10(2) : 0;
  const aimLufs = plan.loudness.targetLufs === null ? null : plan.loudness.targetLufs - dualMonoDb;
  const shape = { ...LIMITER_DEFAULTS, ...limiter.params, ceilingDb: ceiling };
  let conversionDipDb = 0;
  const ctx = {
    folder: job.folder, syncs: job.syncs ?? null, sampleRate, channelCount, outChannels: plan.delivery.channels === 'stereo' ? 2 : channelCount,
    metadata: plan.delivery.metadata, dither16: plan.delivery.dither16,
    conversionGuard: { ceilingDbtp: ceiling - CONVERSION_GUARD_MARGIN_DB, dipped: (db: number) => { conversionDipDb = db; } },
  };
  // The drive comes from the loudness model of the pre-chain render; the limiter pass that delivers
  // measures the real loudness, and the model (corrected by what it missed) sets a new drive if needed.
  let drive = aimLufs === null || !Number.isFinite(pre.integratedLufs) ? limiter.params.inputGainDb ?? 0 : solveDriveDb(pre.model, aimLufs, shape);
  let pass: LimiterPassResult;
  let finished: Map<DeliverableKind, Promise<Measurements | null>>;
  let passes = 0;
  const tried: { drive: number; lufs: number }[] = [];
  for (;;) {
    passes++;
    log(passes === 1 ? `limiting (drive ${drive.toFixed(2)} dB) and delivering` : `re-limiting at drive ${drive.toFixed(2)} dB (pass ${passes})`);
    const run = limitedSource(preSource, plan, sampleRate, channelCount, drive, ceiling);
    conversionDipDb = 0; // what this pass's guard does (the files are rewritten)
    finished = await writeDeliverables(run.source, ALL_DELIVERABLES, ctx);
    pass = run.result();
    if (aimLufs === null || !Number.isFinite(pass.integratedLufs)) break;
    tried.push({ drive, lufs: pass.integratedLufs });
    const error = aimLufs - pass.integratedLufs;
    if (Math.abs(error) <= LOUDNESS_TOLERANCE_LU || passes >= MAX_LIMITER_PASSES) break;
    await Promise.all(finished.values());
    const offset = pass.integratedLufs - predictLimitedLufs(pre.model, drive, shape);
    let next = solveDriveDb(pre.model, aimLufs, shape, offset);
    if (tried.length >= 2) {
      // Two real points: a secant step, when it is sane, beats the model.
      const [a, b] = tried.slice(-2);
      const slope = (b.lufs - a.lufs) / (b.drive - a.drive);
      if (Number.isFinite(slope) && slope > 0.05 && slope <= 1.05) next = b.drive + (aimLufs - b.lufs) / slope;
    }
    if (Math.abs(next - drive) < 0.001) break;
    drive = Math.min(36, Math.max(-24, next));
  }
  if (aimLufs !== null && Math.abs(aimLufs - pass.integratedLufs) > LOUDNESS_TOLERANCE_LU) {
    notes.push(`Loudness: the limiter reached ${(pass.integratedLufs + dualMonoDb).toFixed(2)} LUFS, not ${plan.loudness.targetLufs} LUFS (drive ${drive.toFixed(1)} dB after ${passes} passes).`);
  }
  if (conversionDipDb > 0) {
    notes.push(`${DELIVERABLE_FILES.wav16} and ${DELIVERABLE_FILES.mp3}: converting to 44.1 kHz raised the true peak; a true-peak guard after the converter held it under ${ceiling} dBTP (largest dip ${conversionDipDb.toFixed(3)} dB).`);
  }
  limiter.params.inputGainDb = Math.round(pass.driveDb * 1000) / 1000;
  limiter.summary = `${limiter.summary}; drive ${limiter.params.inputGainDb.toFixed(2)} dB (${passes} limiter pass${passes > 1 ? 'es' : ''})`;
  if (plan.loudness.why.includes('stopped at') || plan.loudness.why.includes('raised only until')) notes.push(`Loudness: ${plan.loudness.why}`);

  // Codec safety: every file checked after the fact, at its own rate, after SRC, dither and encoding.
  // This thread reads master.wav with the full mastering analyzer: its measurements (as delivered, so
  // mono made stereo reads as stereo) are the report's "after". The others are checked on worker threads
  // as each completes: the 16-bit WAV read back and measured, the MP3 as it was streamed, the FLAC
  // decoded and compared with master.wav sample for sample (then master.wav's measurements are its own).
  log('checking the delivered files');
  // A file measured as it was written (the streamed MP3) needs no second decode; the others are read back.
  const checkWritten = (kind: DeliverableKind, written: Promise<Measurements | null>): Promise<ReportDeliverable> =>
    written.then((measured) => (measured
      ? deliverableCheck(kind, measured, ceiling, plan.delivery.lossyAllowanceDb)
      : verifyDeliverable(job.folder, kind, ceiling, plan.delivery.lossyAllowanceDb)));
  // master.flac is dithered with master.wav's sequences: decoded, it must hold the same samples, and then
  // master.wav's measurements are its own. Any difference (a defect) and it is measured on its own.
  const checkLosslessCopy = async (written: Map<DeliverableKind, Promise<Measurements | null>>, afterWav: Promise<MasterMeasurements>): Promise<ReportDeliverable> => {
    await Promise.all([written.get('flac24'), written.get('wav24')]);
    const difference = await pcmDifferenceOnWorker(join(job.folder, DELIVERABLE_FILES.flac24), join(job.folder, DELIVERABLE_FILES.wav24));
    if (difference === null) return deliverableCheck('flac24', (await afterWav).base, ceiling, plan.delivery.lossyAllowanceDb);
    log(`${DELIVERABLE_FILES.flac24}: its samples differ from ${DELIVERABLE_FILES.wav24}'s (${difference}); measuring it on its own`);
    return verifyDeliverable(job.folder, 'flac24', ceiling, plan.delivery.lossyAllowanceDb);
  };
  let after: MasterMeasurements;
  const deliverables: ReportDeliverable[] = [];
  try {
    const checks = new Map<DeliverableKind, Promise<ReportDeliverable>>();
    let measuredWav!: (measured: MasterMeasurements) => void, unmeasuredWav!: (error: unknown) => void;
    const afterWav = new Promise<MasterMeasurements>((resolve, reject) => { measuredWav = resolve; unmeasuredWav = reject; });
    afterWav.catch(() => undefined); // surfaced by the wav24 measurement itself
    for (const kind of ALL_DELIVERABLES) {
      if (kind === 'wav24') continue;
      const check = kind === 'flac24' ? checkLosslessCopy(finished, afterWav) : checkWritten(kind, finished.get(kind)!);
      check.catch(() => undefined); // awaited below
      checks.set(kind, check);
    }
    await finished.get('wav24');
    after = await measureSource(fileSource(join(job.folder, DELIVERABLE_FILES.wav24), ctx.outChannels), sampleRate, ctx.outChannels, input.frames, true)
      .then((measured) => { measuredWav(measured); return measured; }, (error: unknown) => { unmeasuredWav(error); throw error; });
    checks.set('wav24', Promise.resolve(deliverableCheck('wav24', after.base, ceiling, plan.delivery.lossyAllowanceDb)));
    for (const kind of ALL_DELIVERABLES) {
      let check = await checks.get(kind)!;
      let ceilingFor = ceiling;
      let note: string | null = null;
      for (let retry = 0; !check.withinCeiling && retry < 3; retry++) {
        const over = (check.truePeakDbtp ?? 0) - check.ceilingDbtp;
        ceilingFor = Math.max(-20, ceilingFor - over - 0.05 * (retry + 1));
        log(`${DELIVERABLE_FILES[kind]}: ${check.truePeakDbtp?.toFixed(2)} dBTP breaks the ceiling; re-limiting at ${ceilingFor.toFixed(2)} dBTP`);
        await Promise.all(finished.values());
        const rerun = limitedSource(preSource, plan, sampleRate, channelCount, pass.driveDb, ceilingFor);
        const rewritten = (await writeDeliverables(rerun.source, [kind], ctx)).get(kind)!;
        const previous = check.truePeakDbtp;
        if (kind === 'wav24') {
          await rewritten;
          after = await measureSource(fileSource(join(job.folder, DELIVERABLE_FILES.wav24), ctx.outChannels), sampleRate, ctx.outChannels, input.frames, true);
          check = deliverableCheck(kind, after.base, ceiling, plan.delivery.lossyAllowanceDb);
        } else {
          check = await checkWritten(kind, rewritten);
        }
        note = `measured ${previous?.toFixed(2)} dBTP after ${kind === 'mp3' ? 'encoding' : 'conversion'}; the limiter was re-run for this file with its ceiling at ${ceilingFor.toFixed(2)} dBTP`;
      }
      if (note) notes.push(`${DELIVERABLE_FILES[kind]}: ${note}.`);
      deliverables.push({ ...check, note });
      log(`${DELIVERABLE_FILES[kind]}: ${check.truePeakDbtp?.toFixed(2)} dBTP, ${check.integratedLufs?.toFixed(2)} LUFS`);
    }
  } catch (error) {
    // Let the encoders finish or fail before the staging folder is removed under them.
    await Promise.allSettled(finished.values());
    throw error;
  }
  await rm(job.workDir, { recursive: true, force: true });

  log('writing the report');
  const reachedLufs = round2(after.base.integratedLufs);
  const report = buildMasterReport({
    title: intent.metadata.title ?? basename(input.file).replace(/\.[^.]+$/, ''),
    inputFile: basename(input.file), plan, before, after, targetDb: tonal?.levelDb ?? null, reachedLufs,
    gainReduction: { hopSeconds: pass.hopSeconds, limiterDb: pass.gainReductionDb },
    deliverables, notes,
  });
  await writeFileAtomic(join(job.folder, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
  await writeFileAtomic(join(job.folder, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(join(job.folder, 'report.html'), renderMasterReportHtml(report));
  return { plan, before, after, reachedLufs, deliverables, notes };
}
