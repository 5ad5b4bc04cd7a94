// Masters one track into a folder: analyze → decide (or load a plan) → render (pre-chain, limiter
// calibrated to the target) → deliver → check every delivered file after the fact → report.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { MasterMeasurements, ReportDeliverable } from '../engine/master/api.js';
import { decideMasterPlan, type MasterIntent } from '../engine/master/decide.js';
import { MasterAnalyzer } from '../engine/master/measure.js';
import { limiterStage, parseMasterPlan, type MasterPlan, type StemPlan } from '../engine/master/plan.js';
import { buildMasterReport } from '../engine/master/report.js';
import { AudioFileError, UsageError } from '../io/errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { renderMasterReportHtml } from '../report/master-html.js';
import { calibrateDrive } from './calibrate.js';
import { ALL_DELIVERABLES, DELIVERABLE_FILES, writeDeliverables, type DeliverableKind } from './deliver.js';
import { createFloatWav, fileSource, limiterPass, renderPreChain, withWriter, type BlockSource } from './passes.js';
import { referenceCurvesFor, tonalTargetFor } from '../engine/master/decide-target.js';
import { verifyDeliverable } from './verify.js';

export const VERSION = 'mixmaster 0.1.0';

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
  intent: MasterIntent;
  /** A plan to render instead of deciding one (revisions). */
  plan: MasterPlan | null;
  reference: MasterMeasurements | null;
  /** Album mode: the loudness this track is aimed at instead of the target's (album gain strategy). */
  loudnessOverride?: { targetLufs: number; why: string } | null;
  log: (line: string) => void;
  /** Sees every block of the finished master at the source rate (album metering). */
  onOutput?: (channels: Float32Array[], frames: number) => void;
}

export interface TrackResult {
  plan: MasterPlan;
  before: MasterMeasurements;
  after: MasterMeasurements;
  reachedLufs: number | null;
  deliverables: ReportDeliverable[];
  notes: string[];
}

/** Measures a source with the mastering analyzer. */
export async function measureSource(source: BlockSource, sampleRate: number, channelCount: number, frames: number | null): Promise<MasterMeasurements> {
  const analyzer = new MasterAnalyzer({ sampleRate, channelLayout: channelCount === 1 ? ['C'] : ['L', 'R'], expectedFrames: frames });
  for await (const block of source()) analyzer.push(block, block[0].length);
  return analyzer.finish();
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
  await mkdir(job.workDir, { recursive: true });
  log(`analyzing ${input.file}`);
  const before = await measureSource(input.source, sampleRate, channelCount, input.frames);
  if (before.base.integratedLufs === null) {
    throw new AudioFileError(input.file, before.base.durationSeconds < 0.4
      ? `is too short to master (${before.base.durationSeconds.toFixed(2)} s; loudness needs at least 0.4 s)`
      : 'is silent (nothing above −70 LUFS): nothing to master');
  }
  const notes: string[] = [];
  if (before.clipping.likelyClipped && before.clipping.why) notes.push(`Input: ${before.clipping.why}`);
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
  log('calibrating the limiter');
  const limitedPath = join(job.workDir, 'limited.wav');
  const calibration = await calibrateDrive(preSource, plan, sampleRate, channelCount, pre.integratedLufs, plan.loudness.targetLufs,
    limiter.params.inputGainDb ?? 0, ceiling, limitedPath);
  if (calibration.note) notes.push(`Loudness: ${calibration.note}.`);
  limiter.params.inputGainDb = Math.round(calibration.pass.driveDb * 1000) / 1000;
  limiter.summary = `${limiter.summary}; drive ${limiter.params.inputGainDb.toFixed(2)} dB (found in ${calibration.passes} pass${calibration.passes > 1 ? 'es' : ''})`;
  if (plan.loudness.why.includes('stopped at') || plan.loudness.why.includes('raised only until')) notes.push(`Loudness: ${plan.loudness.why}`);

  log(`delivering (limiter: ${calibration.passes} passes)`);
  const ctx = {
    folder: job.folder, sampleRate, channelCount, outChannels: plan.delivery.channels === 'stereo' ? 2 : channelCount,
    metadata: plan.delivery.metadata, dither16: plan.delivery.dither16,
  };
  const afterAnalyzer = new MasterAnalyzer({ sampleRate, channelLayout: channelCount === 1 ? ['C'] : ['L', 'R'], expectedFrames: input.frames });
  const limitedSource = fileSource(limitedPath, channelCount);
  await writeDeliverables(limitedSource, ALL_DELIVERABLES, ctx, (channels, frames) => {
    afterAnalyzer.push(channels, frames);
    job.onOutput?.(channels, frames);
  });
  const after = afterAnalyzer.finish();

  // Codec safety: every file measured after the fact, at its own rate, after SRC, dither and encoding.
  log('checking the delivered files');
  const deliverables: ReportDeliverable[] = [];
  for (const kind of ALL_DELIVERABLES) {
    let ceilingFor = ceiling;
    let check = await verifyDeliverable(job.folder, kind, ceiling, plan.delivery.lossyAllowanceDb);
    let note: string | null = null;
    for (let retry = 0; !check.withinCeiling && retry < 3; retry++) {
      const over = (check.truePeakDbtp ?? 0) - check.ceilingDbtp;
      ceilingFor = Math.max(-20, ceilingFor - over - 0.05 * (retry + 1));
      log(`${DELIVERABLE_FILES[kind]}: ${check.truePeakDbtp?.toFixed(2)} dBTP breaks the ceiling; re-limiting at ${ceilingFor.toFixed(2)} dBTP`);
      await rerenderDeliverable(preSource, plan, ctx, kind, calibration.pass.driveDb, ceilingFor, job.workDir);
      const previous = check.truePeakDbtp;
      check = await verifyDeliverable(job.folder, kind, ceiling, plan.delivery.lossyAllowanceDb);
      note = `measured ${previous?.toFixed(2)} dBTP after ${kind === 'mp3' ? 'encoding' : 'conversion'}; the limiter was re-run for this file with its ceiling at ${ceilingFor.toFixed(2)} dBTP`;
    }
    if (note) notes.push(`${DELIVERABLE_FILES[kind]}: ${note}.`);
    deliverables.push({ ...check, note });
  }
  await rm(job.workDir, { recursive: true, force: true });

  log('writing the report');
  const reachedLufs = round2(after.base.integratedLufs);
  const report = buildMasterReport({
    title: intent.metadata.title ?? basename(input.file).replace(/\.[^.]+$/, ''),
    inputFile: basename(input.file), plan, before, after, targetDb: tonal?.levelDb ?? null, reachedLufs,
    gainReduction: { hopSeconds: calibration.pass.hopSeconds, limiterDb: calibration.pass.gainReductionDb },
    deliverables, notes,
  });
  await writeFileAtomic(join(job.folder, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
  await writeFileAtomic(join(job.folder, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(join(job.folder, 'report.html'), renderMasterReportHtml(report));
  return { plan, before, after, reachedLufs, deliverables, notes };
}

/** Writes one deliverable again from the pre-chain render with the limiter at a lower ceiling. */
async function rerenderDeliverable(
  preSource: BlockSource, plan: MasterPlan, ctx: Parameters<typeof writeDeliverables>[2], kind: DeliverableKind,
  driveDb: number, ceilingDb: number, workDir: string,
): Promise<void> {
  const { sampleRate, channelCount } = ctx;
  const path = join(workDir, 'rerender.wav');
  await withWriter(await createFloatWav(path, sampleRate, channelCount), (writer) =>
    limiterPass(preSource, plan, sampleRate, channelCount, driveDb, ceilingDb, (channels, frames) => writer.write(channels, frames)));
  await writeDeliverables(fileSource(path, channelCount), [kind], ctx);
}
