// The `mixmaster master` job: one track, several tracks (each on its own), an album (one gain strategy
// across tracks) or stem groups summed and mastered. Everything is written into a staging folder that
// replaces OUTDIR only when complete.
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gatedLoudness, LoudnessMeter } from '../engine/analysis/loudness-meter.js';
import { defaultChannelLayout } from '../engine/audio.js';
import type { AlbumReport } from '../engine/master/api.js';
import type { MasterIntent } from '../engine/master/decide.js';
import type { MasterMeasurements } from '../engine/master/api.js';
import { loudnessSummary } from '../engine/master/report.js';
import { findTarget } from '../engine/master/targets.js';
import { writeFileAtomic } from '../io/atomic.js';
import { createWavWriter } from '../io/wav-write.js';
import { AudioFileError, UsageError } from '../io/errors.js';
import { renderAlbumReportHtml } from '../report/album-html.js';
import { masterTrack, measureSource, readPlanFile, type TrackInput, type TrackResult } from './master-track.js';
import { stageOutputDir } from './output-dir.js';
import { openTrackInput } from './track-input.js';
import { fileSource, type BlockSource } from './passes.js';
import { openStems } from './stems.js';

export interface MasterJobOptions {
  inputs: string[];
  outDir: string;
  intent: MasterIntent;
  referencePath: string | null;
  planPath: string | null;
  album: boolean;
  stemsDir: string | null;
  log?: (line: string) => void;
}

export interface MasterJobResult {
  outDir: string;
  tracks: { folder: string; result: TrackResult }[];
  albumReport: AlbumReport | null;
}


const slug = (name: string) => name.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'track';

export async function runMasterJob(options: MasterJobOptions): Promise<MasterJobResult> {
  const log = options.log ?? (() => {});
  if (!findTarget(options.intent.target)) throw new UsageError(`master: unknown --target '${options.intent.target}'`);
  if (options.stemsDir && options.inputs.length) throw new UsageError('master: give either input files or --stems DIR, not both');
  if (!options.stemsDir && options.inputs.length === 0) throw new UsageError("master: no input (try 'mixmaster master --help')");
  if (options.album && options.inputs.length < 2) throw new UsageError('master: --album needs at least two input files');
  const plan = options.planPath ? await readPlanFile(options.planPath) : null;
  if (plan && options.inputs.length > 1) throw new UsageError('master: --plan renders one track; give one input');

  let inputs: TrackInput[];
  if (options.stemsDir) inputs = [await openStems(options.stemsDir, options.intent, log, plan?.stems)];
  else {
    const seen = new Set<string>();
    inputs = [];
    for (const path of options.inputs) {
      if (seen.has(path)) throw new UsageError(`master: ${path} is given twice`);
      seen.add(path);
      inputs.push(await openTrackInput(path));
    }
  }
  const reference = options.referencePath ? await measureReference(options.referencePath) : null;
  const protectedPaths = [...options.inputs, ...(options.referencePath ? [options.referencePath] : []), ...(options.planPath ? [options.planPath] : [])];
  const staging = await stageOutputDir(options.outDir, options.stemsDir ? [...protectedPaths, options.stemsDir] : protectedPaths);
  // Ctrl-C or a kill: remove the staging folder (OUTDIR itself is untouched until the very end).
  const interrupted = (signal: NodeJS.Signals) => {
    staging.abort().finally(() => process.kill(process.pid, signal));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    if (options.stemsDir) {
      // The stems are processed and summed once, into a float file the mastering passes then read.
      const stems = inputs[0];
      const sumPath = join(staging.path, '.work', 'stems-sum.wav');
      await mkdir(join(staging.path, '.work'), { recursive: true });
      const writer = await createWavWriter(sumPath, { sampleRate: stems.sampleRate, channelCount: 2, encoding: { kind: 'float', bits: 32 }, durable: false });
      try {
        for await (const block of stems.source()) await writer.write(block, block[0].length);
        await writer.finish();
      } catch (error) {
        await writer.abort();
        throw error;
      }
      inputs = [{ ...stems, source: fileSource(sumPath, 2) }];
    }
    const single = inputs.length === 1;
    const folders = inputs.map((input, i) => (single ? '' : `${String(i + 1).padStart(2, '0')}-${slug(basename(input.file))}`));
    const overrides = options.album ? await albumLoudness(inputs, options.intent, log) : null;
    const tracks: MasterJobResult['tracks'] = [];
    const albumAfterPowers: Float64Array[] = [];
    for (const [i, input] of inputs.entries()) {
      const folder = join(staging.path, folders[i]);
      const metadata = { ...options.intent.metadata };
      if (!single) {
        metadata.title = options.intent.metadata.title && !options.album ? options.intent.metadata.title : slug(basename(input.file)).replace(/[-_]+/g, ' ');
        metadata.track = i + 1;
      }
      const result = await masterTrack({
        input, folder, workDir: join(staging.path, '.work', String(i)), syncs: staging.syncs, intent: { ...options.intent, metadata }, plan, reference,
        loudnessOverride: overrides?.perTrack[i] ?? null, log: single ? log : (line) => log(`[${i + 1}/${inputs.length}] ${line}`),
      });
      tracks.push({ folder: folders[i], result });
      if (overrides) albumAfterPowers.push(await gatingPowers(fileSource(join(folder, 'master.wav'), result.after.base.channels), input.sampleRate, result.after.base.channels));
    }
    let albumReport: AlbumReport | null = null;
    if (options.album && overrides) {
      albumReport = buildAlbumReport(options, tracks, overrides, albumLufs(albumAfterPowers));
      await writeFileAtomic(join(staging.path, 'album-report.json'), `${JSON.stringify(albumReport, null, 2)}\n`);
      await writeFileAtomic(join(staging.path, 'album-report.html'), renderAlbumReportHtml(albumReport));
    }
    await rm(join(staging.path, '.work'), { recursive: true, force: true });
    await staging.commit();
    return { outDir: options.outDir, tracks, albumReport };
  } catch (error) {
    await staging.abort();
    throw error;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

async function measureReference(path: string): Promise<MasterMeasurements> {
  const input = await openTrackInput(path);
  const measured = await measureSource(input.source, input.sampleRate, input.channelCount, input.frames, true);
  if (measured.base.integratedLufs === null) throw new AudioFileError(path, 'the reference is silent or too short to match');
  return measured;
}

/** The 400 ms gating-block powers (BS.1770-4) of a source, each track at its own rate and layout. */
async function gatingPowers(source: BlockSource, sampleRate: number, channelCount: number): Promise<Float64Array> {
  const meter = new LoudnessMeter({ sampleRate, channelLayout: defaultChannelLayout(channelCount) });
  for await (const block of source()) meter.push(block, block[0].length);
  return Float64Array.from(meter.gatingBlockPowers());
}

/** An album's integrated loudness: its tracks' gating blocks gated together, as one programme (BS.1770-4). */
function albumLufs(tracks: Float64Array[]): number {
  const all = new Float64Array(tracks.reduce((n, t) => n + t.length, 0));
  let at = 0;
  for (const t of tracks) { all.set(t, at); at += t.length; }
  return gatedLoudness(all, -10).loudness;
}

interface AlbumLoudness {
  albumBeforeLufs: number;
  offsetDb: number;
  albumTargetLufs: number;
  perTrack: { targetLufs: number; why: string }[];
  why: string;
}

/**
 * One album gain strategy (as album normalisation on Spotify, Tidal and Apple does): the whole album is
 * measured as one programme, one offset brings it to the target, and every track moves by that same
 * offset, so the loudness differences the artist intended between tracks are kept. A track whose own
 * PLR floor stops it earlier is noted.
 */
async function albumLoudness(inputs: TrackInput[], intent: MasterIntent, log: (line: string) => void): Promise<AlbumLoudness> {
  const target = findTarget(intent.target)!;
  const albumTarget = intent.loudnessLufs ?? target.integratedLufs ?? (target.truePeakCeilingDbtp - 8 - 4 * (1 - intent.intensity / 100));
  const trackLufs: number[] = [];
  const powers: Float64Array[] = [];
  log('measuring the album as one programme');
  for (const input of inputs) {
    const blocks = await gatingPowers(input.source, input.sampleRate, input.channelCount);
    trackLufs.push(gatedLoudness(blocks, -10).loudness);
    powers.push(blocks);
  }
  const albumBefore = albumLufs(powers);
  const offset = albumTarget - albumBefore;
  const perTrack = trackLufs.map((lufs, i) => ({
    targetLufs: lufs + offset,
    why: `Album mode: the album measures ${albumBefore.toFixed(1)} LUFS as one programme; every track moves by the same ${offset >= 0 ? '+' : ''}${offset.toFixed(1)} dB so the album lands at ${albumTarget} LUFS and this track keeps its place (${(lufs - albumBefore >= 0 ? '+' : '')}${(lufs - albumBefore).toFixed(1)} LU against the album).`,
  }));
  return {
    albumBeforeLufs: albumBefore, offsetDb: offset, albumTargetLufs: albumTarget, perTrack,
    why: `One album gain: the album (${inputs.length} tracks) measured ${albumBefore.toFixed(1)} LUFS as one programme and was moved ${offset >= 0 ? '+' : ''}${offset.toFixed(1)} dB to ${albumTarget} LUFS; every track moved by the same amount (up to its own PLR floor), so the loudness differences between tracks are kept. All tracks aim at the same tonal target curve.`,
  };
}

function buildAlbumReport(options: MasterJobOptions, tracks: MasterJobResult['tracks'], loudness: AlbumLoudness, albumAfterLufs: number): AlbumReport {
  const target = findTarget(options.intent.target)!;
  const notes: string[] = [];
  tracks.forEach(({ result, folder }, i) => {
    const wanted = loudness.perTrack[i].targetLufs;
    if (result.plan.loudness.targetLufs !== null && result.plan.loudness.targetLufs < wanted - 0.05) {
      notes.push(`${folder}: held at ${result.plan.loudness.targetLufs.toFixed(1)} LUFS instead of ${wanted.toFixed(1)} by its PLR floor.`);
    }
    for (const note of result.notes) notes.push(`${folder}: ${note}`);
  });
  return {
    schema: 'mixmaster.album-report', version: 1,
    title: options.intent.metadata.album ?? 'Album',
    target: { id: target.id, name: target.name, integratedLufs: loudness.albumTargetLufs, ceilingDbtp: tracks[0]?.result.plan.loudness.ceilingDbtp ?? target.truePeakCeilingDbtp },
    albumBeforeLufs: Math.round(loudness.albumBeforeLufs * 100) / 100,
    albumAfterLufs: Number.isFinite(albumAfterLufs) ? Math.round(albumAfterLufs * 100) / 100 : null,
    why: loudness.why,
    tracks: tracks.map(({ folder, result }, i) => ({
      folder, title: result.plan.delivery.metadata.title ?? folder,
      before: loudnessSummary(result.before), after: loudnessSummary(result.after), targetLufs: result.plan.loudness.targetLufs ?? loudness.perTrack[i].targetLufs,
    })),
    notes,
  };
}

export type { BlockSource };
