// `mixmaster master INPUT... -o OUTDIR [...]`: automatic mastering to release-ready deliverables.
import { CHARACTERS, type Character } from '../engine/master/plan.js';
import type { MasterIntent } from '../engine/master/decide.js';
import { DELIVERY_TARGETS, findTarget } from '../engine/master/targets.js';
import type { AudioMetadata } from '../engine/audio-metadata.js';
import { UsageError } from '../io/errors.js';
import { runMasterJob, type MasterJobResult } from '../master/master-job.js';
import { parseCommandArgs } from './args.js';
import { readFileSync } from 'node:fs';

/** MIXMASTER_TIMING: seconds since start, and this thread's CPU seconds where Linux tells them. */
function timing(started: number): string {
  let cpu = '';
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpu = `, main thread CPU ${((Number(fields[11]) + Number(fields[12])) / 100).toFixed(2)} s`;
  } catch { /* not Linux */ }
  return ` (${((performance.now() - started) / 1000).toFixed(2)} s${cpu})`;
}

export const MASTER_HELP = `Usage: mixmaster master INPUT... -o OUTDIR [options]

Masters a stereo (or mono) mix into release-ready files: analyzes it, decides a plan (every choice
with a reason), renders it and checks every delivered file's true peak after the fact.

Writes into OUTDIR (replaced only when complete; an existing folder must be empty or an earlier output):
  master.wav         24-bit at the source rate      master-16bit.wav   44.1 kHz, 16-bit, dithered
  master.flac        24-bit at the source rate      master.mp3         320 kb/s CBR, gapless
  plan.json          the plan (edit it, re-render with --plan)
  report.json, report.html   before/after loudness, spectrum, EQ, gain reduction, stereo, platforms
Album mode: one sub-folder per track plus album-report.json and album-report.html.

Options:
  -o, --out DIR        output folder (required)
  --target NAME        delivery target (default spotify): ${DELIVERY_TARGETS.map((t) => t.id).join(', ')}
  --reference FILE     match the tone and width of a reference track
  --intensity 0-100    how much the master changes the mix (default 50)
  --character NAME     ${CHARACTERS.join(' | ')} (default clean)
  --width 0-200        side level of the mids and highs in percent (default 100)
  --album              several inputs mastered as one album (one loudness strategy, same tonal target)
  --stems DIR          stem mastering: DRUMS, BASS, INSTRUMENTS, VOCALS, VOCAL FX, BV files in DIR
  --plan FILE          render an edited plan.json instead of deciding one (revisions)
  --loudness LUFS      explicit integrated loudness (overrides the target and the don't-crush floor)
  --ceiling DBTP       explicit true-peak ceiling
  --stereo             deliver mono input as stereo (default: mono stays mono)
  --genre NAME         genre (tags, and the tonal target: pop, rock, hip-hop, edm, jazz, classical …)
  --title, --artist, --album-title, --isrc, --year, --track N   metadata written into every file
  --json               print the result as one JSON object
  --debug              stack traces on errors

Exit status: 0 mastered, 2 bad input or usage, 1 internal error.`;

function numberFlag(name: string, value: string | boolean | undefined, min: number, max: number): number | null {
  if (value === undefined) return null;
  const parsed = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(parsed) || parsed < min || parsed > max) {
    throw new UsageError(`master: --${name} must be a number from ${min} to ${max}, got '${String(value)}'`);
  }
  return parsed;
}

const str = (value: string | boolean | undefined) => (typeof value === 'string' ? value : undefined);

export async function runMaster(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('master', args, {
    out: { type: 'string', short: 'o' }, target: { type: 'string' }, reference: { type: 'string' }, intensity: { type: 'string' },
    character: { type: 'string' }, width: { type: 'string' }, album: { type: 'boolean' }, stems: { type: 'string' }, plan: { type: 'string' },
    loudness: { type: 'string' }, ceiling: { type: 'string' }, stereo: { type: 'boolean' }, genre: { type: 'string' },
    title: { type: 'string' }, artist: { type: 'string' }, 'album-title': { type: 'string' }, isrc: { type: 'string' }, year: { type: 'string' }, track: { type: 'string' },
  });
  const outDir = str(values.out);
  if (!outDir) throw new UsageError("master: -o OUTDIR is required (try 'mixmaster master --help')");
  const target = str(values.target) ?? 'spotify';
  if (!findTarget(target)) throw new UsageError(`master: unknown --target '${target}' (one of ${DELIVERY_TARGETS.map((t) => t.id).join(', ')})`);
  const character = (str(values.character) ?? 'clean') as Character;
  if (!CHARACTERS.includes(character)) throw new UsageError(`master: --character must be one of ${CHARACTERS.join(', ')}, got '${character}'`);
  const isrc = str(values.isrc);
  if (isrc !== undefined && !/^[A-Z]{2}-?[A-Z0-9]{3}-?\d{2}-?\d{5}$/.test(isrc)) throw new UsageError(`master: --isrc must look like CC-XXX-YY-NNNNN, got '${isrc}'`);
  const track = numberFlag('track', values.track, 1, 999);
  if (track !== null && !Number.isInteger(track)) throw new UsageError('master: --track must be a whole number');
  const metadata: AudioMetadata = Object.fromEntries(Object.entries({
    title: str(values.title), artist: str(values.artist), album: str(values['album-title']), isrc, year: str(values.year),
    genre: str(values.genre), track: track ?? undefined,
  }).filter(([, v]) => v !== undefined));
  const intent: MasterIntent = {
    target,
    intensity: numberFlag('intensity', values.intensity, 0, 100) ?? 50,
    character,
    widthPercent: numberFlag('width', values.width, 0, 200) ?? 100,
    genre: str(values.genre) ?? null,
    reference: str(values.reference) ?? null,
    loudnessLufs: numberFlag('loudness', values.loudness, -40, -3),
    ceilingDbtp: numberFlag('ceiling', values.ceiling, -20, 0),
    stereoOut: values.stereo === true,
    metadata,
  };
  const quiet = values.json === true;
  const started = performance.now();
  const result = await runMasterJob({
    inputs: positionals, outDir, intent, referencePath: str(values.reference) ?? null, planPath: str(values.plan) ?? null,
    album: values.album === true, stemsDir: str(values.stems) ?? null,
    log: quiet ? undefined : (line) => process.stderr.write(`mixmaster: ${line}${process.env.MIXMASTER_TIMING ? timing(started) : ''}\n`),
  });
  process.stdout.write(values.json ? `${JSON.stringify(summarizeMaster(result))}\n` : `${formatMasterResult(result)}\n`);
  return 0;
}

export function summarizeMaster(result: MasterJobResult) {
  return {
    outDir: result.outDir,
    tracks: result.tracks.map(({ folder, result: r }) => ({
      folder, target: r.plan.intent.target, targetLufs: r.plan.loudness.targetLufs, reachedLufs: r.reachedLufs,
      beforeLufs: r.before.base.integratedLufs, deliverables: r.deliverables, notes: r.notes,
    })),
    album: result.albumReport ? { beforeLufs: result.albumReport.albumBeforeLufs, afterLufs: result.albumReport.albumAfterLufs } : null,
  };
}

export function formatMasterResult(result: MasterJobResult): string {
  const lines: string[] = [];
  const fmt = (v: number | null, digits = 1) => (v === null ? '—' : v.toFixed(digits));
  for (const { folder, result: r } of result.tracks) {
    const where = folder ? `${result.outDir}/${folder}` : result.outDir;
    lines.push(`${where}: ${fmt(r.before.base.integratedLufs)} → ${fmt(r.reachedLufs)} LUFS (target ${r.plan.loudness.targetLufs ?? '—'}), ` +
      `true peak ${fmt(r.before.base.truePeakDbtp, 2)} → ${fmt(r.after.base.truePeakDbtp, 2)} dBTP (ceiling ${r.plan.loudness.ceilingDbtp})`);
    for (const d of r.deliverables) lines.push(`  ${d.file.padEnd(17)} ${fmt(d.integratedLufs)} LUFS  ${fmt(d.truePeakDbtp, 2)} dBTP  ${d.withinCeiling ? 'ok' : 'OVER'}`);
    for (const note of r.notes) lines.push(`  note: ${note}`);
    lines.push(`  report: ${where}/report.html   plan: ${where}/plan.json`);
  }
  if (result.albumReport) lines.push(`album: ${fmt(result.albumReport.albumBeforeLufs)} → ${fmt(result.albumReport.albumAfterLufs)} LUFS; report: ${result.outDir}/album-report.html`);
  return lines.join('\n');
}
