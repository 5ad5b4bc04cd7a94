// Stem mastering: the groups of a song (DRUMS, BASS, INSTRUMENTS, VOCALS, VOCAL FX, BV) are processed
// apart with small, explained moves (the vocal rebalanced by at most ±2 dB toward the genre's
// lead-to-accompaniment ratio, de-essing on the vocal only, bass mono on the bass only), then summed
// sample-aligned into the mix that is mastered. The stem moves are part of the plan, so revisions edit them.
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { LoudnessMeter } from '../engine/analysis/loudness-meter.js';
import { dbToGain } from '../engine/audio.js';
import type { Processor } from '../engine/dsp/api.js';
import { createProcessor } from '../engine/dsp/registry.js';
import type { MasterIntent } from '../engine/master/decide.js';
import { decideDeEss } from '../engine/master/decide-dynamics.js';
import { MasterAnalyzer } from '../engine/master/measure.js';
import type { MasterStage, StemGroup, StemPlan } from '../engine/master/plan.js';
import { BlockBuilder } from '../io/block-builder.js';
import { openAudio } from '../io/decode.js';
import { AudioFileError, UsageError } from '../io/errors.js';
import type { TrackInput } from './master-track.js';
import { PASS_BLOCK_FRAMES, type BlockSource } from './passes.js';
import { openTrackInput } from './track-input.js';

const AUDIO_EXTENSIONS = new Set(['.wav', '.flac', '.aif', '.aiff', '.mp3', '.ogg', '.opus', '.m4a', '.w64', '.rf64']);

/** Group of a stem from its file name ("Lead Vocals.wav" → VOCALS, "bv_stack.flac" → BV). */
export function stemGroupOf(fileName: string): StemGroup {
  const name = basename(fileName, extname(fileName)).toUpperCase().replace(/[_\-.]+/g, ' ').trim();
  if (/\b(VOCAL|VOX|VOCALS) ?FX\b|\bVOX ?FX\b/.test(name)) return 'VOCAL FX';
  if (/\bBVS?\b|BACKING|HARMON|CHOIR/.test(name)) return 'BV';
  if (/VOCAL|VOX|\bLEAD\b/.test(name)) return 'VOCALS';
  if (/DRUM|PERC|BEAT|KICK|SNARE|HATS?\b|HIHAT|CYMBAL|\bTOMS?\b|CLAP|SHAKER|TAMB/.test(name)) return 'DRUMS';
  if (/BASS|\bSUB\b/.test(name)) return 'BASS';
  if (/INSTRUMENT|\bINST\b|MUSIC|KEYS|GUITAR|SYNTH|PAD|MELOD|OTHER/.test(name)) return 'INSTRUMENTS';
  return 'OTHER';
}

/** Lead vocal minus accompaniment loudness aimed at, by genre (Gerdes & Siedenburg 2023: chart pop ≈ +1 dB). */
function targetLarLu(genre: string | null): number {
  const g = (genre ?? '').toLowerCase();
  if (/metal/.test(g)) return -1;
  if (/rock|punk|indie/.test(g)) return 0;
  if (/rap|hip|trap|country|r&b|rnb/.test(g)) return 2;
  return 1;
}
const MAX_VOCAL_MOVE_DB = 2;
/** Vocal balance errors smaller than this are left as mixed. */
const LAR_TOLERANCE_LU = 1;

interface StemFile {
  file: string;
  group: StemGroup;
  sampleRate: number;
  channelCount: number;
  frames: number;
}

const sumPowerLufs = (values: number[]) => {
  const finite = values.filter(Number.isFinite);
  return finite.length ? 10 * Math.log10(finite.reduce((s, v) => s + Math.pow(10, v / 10), 0)) : -Infinity;
};

async function listStems(dir: string): Promise<StemFile[]> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new UsageError(`${dir}: --stems needs a folder of stem files`);
  const names = (await readdir(dir)).filter((n) => AUDIO_EXTENSIONS.has(extname(n).toLowerCase())).sort();
  if (names.length === 0) throw new UsageError(`${dir}: no audio files in the stems folder`);
  const stems: StemFile[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const { sampleRate, channelCount, frames } = await openTrackInput(file);
    if (stems.length && sampleRate !== stems[0].sampleRate) throw new AudioFileError(file, `is at ${sampleRate} Hz but ${basename(stems[0].file)} is at ${stems[0].sampleRate} Hz; stems must share one rate`);
    stems.push({ file, group: stemGroupOf(name), sampleRate, channelCount, frames });
  }
  return stems;
}

/** Blocks of exactly PASS_BLOCK_FRAMES (the last may be shorter) as stereo, whatever the decoder's block size. */
async function* fixedStereoBlocks(file: string, channelCount: number): AsyncGenerator<Float32Array[], void, void> {
  const reader = await openAudio(file);
  const builder = new BlockBuilder(2, PASS_BLOCK_FRAMES);
  try {
    for await (const block of reader.blocks(PASS_BLOCK_FRAMES)) yield* builder.push(channelCount > 1 ? block : [block[0], block[0]]);
    yield* builder.flush();
  } finally {
    await reader.close();
  }
}

async function decideStems(stems: StemFile[], intent: MasterIntent, log: (line: string) => void): Promise<StemPlan[]> {
  log(`analyzing ${stems.length} stems`);
  const loudness: number[] = [];
  const plans: StemPlan[] = [];
  for (const stem of stems) {
    const isVocal = stem.group === 'VOCALS';
    const analyzer = isVocal ? new MasterAnalyzer({ sampleRate: stem.sampleRate, channelLayout: ['L', 'R'], expectedFrames: stem.frames }) : null;
    const meter = new LoudnessMeter({ sampleRate: stem.sampleRate, channelLayout: ['L', 'R'] });
    for await (const block of fixedStereoBlocks(stem.file, stem.channelCount)) {
      meter.push(block, block[0].length);
      analyzer?.push(block, block[0].length);
    }
    loudness.push(meter.integratedLufs());
    const stages: MasterStage[] = [];
    if (analyzer) {
      const deEss = decideDeEss(analyzer.finish(), Math.min(1, intent.intensity / 100));
      stages.push({ id: 'de-ess', role: 'de-ess', processor: 'de-esser', enabled: deEss.enabled, params: deEss.params, summary: deEss.summary, why: deEss.why });
    }
    if (stem.group === 'BASS' && stem.channelCount === 2) {
      stages.push({ id: 'bass-mono', role: 'width', processor: 'width', enabled: true, params: { widthPercent: 100, bassMonoHz: 150 }, summary: 'mono below 150 Hz',
        why: 'The bass stem is mono below 150 Hz, so the low end is centred and mono-safe; its upper harmonics keep their width.' });
    }
    plans.push({ group: stem.group, file: basename(stem.file), gainDb: 0, stages, why: 'Kept as mixed.' });
  }
  const vocalIdx = stems.map((s, i) => (s.group === 'VOCALS' ? i : -1)).filter((i) => i >= 0);
  const accompanimentIdx = stems.map((s, i) => (s.group !== 'VOCALS' && s.group !== 'VOCAL FX' && s.group !== 'BV' ? i : -1)).filter((i) => i >= 0);
  if (vocalIdx.length && accompanimentIdx.length) {
    const lar = sumPowerLufs(vocalIdx.map((i) => loudness[i])) - sumPowerLufs(accompanimentIdx.map((i) => loudness[i]));
    const wanted = targetLarLu(intent.genre);
    const error = wanted - lar;
    if (Number.isFinite(lar) && Math.abs(error) > LAR_TOLERANCE_LU) {
      const move = Math.round(Math.max(-MAX_VOCAL_MOVE_DB, Math.min(MAX_VOCAL_MOVE_DB, error - Math.sign(error) * LAR_TOLERANCE_LU * 0.5)) * 10) / 10;
      stems.forEach((stem, i) => {
        if (stem.group !== 'VOCALS' && stem.group !== 'VOCAL FX') return;
        plans[i].gainDb = move;
        plans[i].why = `The lead vocal sits ${lar.toFixed(1)} LU against the accompaniment; ${intent.genre ?? 'pop'} masters are near ${wanted >= 0 ? '+' : ''}${wanted} LU, so the ${stem.group === 'VOCALS' ? 'vocal' : 'vocal effects'} move${move > 0 ? ' up' : ' down'} ${Math.abs(move)} dB (stem mastering keeps moves within ±${MAX_VOCAL_MOVE_DB} dB).`;
      });
    } else if (Number.isFinite(lar)) {
      for (const i of vocalIdx) plans[i].why = `The lead vocal sits ${lar.toFixed(1)} LU against the accompaniment, within ${LAR_TOLERANCE_LU} LU of the ${wanted >= 0 ? '+' : ''}${wanted} LU aimed at: kept as mixed.`;
    }
  }
  return plans;
}

/** Opens a stems folder as one stereo input: each group through its own plan, summed. */
export async function openStems(dir: string, intent: MasterIntent, log: (line: string) => void, given?: StemPlan[]): Promise<TrackInput & { stems: StemPlan[] }> {
  const stems = await listStems(dir);
  let plans: StemPlan[];
  if (given) {
    plans = stems.map((stem) => {
      const plan = given.find((p) => p.file === basename(stem.file));
      if (!plan) throw new UsageError(`${stem.file}: the plan has no entry for this stem`);
      return plan;
    });
  } else plans = await decideStems(stems, intent, log);
  const { sampleRate } = stems[0];
  const frames = Math.max(...stems.map((s) => s.frames));
  const source: BlockSource = async function* () {
    const chains: Processor[][] = plans.map((plan) => plan.stages.filter((s) => s.enabled).map((s) => createProcessor(s.processor, sampleRate, 2, s.params)));
    for (const chain of chains) for (const p of chain) if (p.latency !== 0) throw new Error('stem stages must have no latency');
    const gains = plans.map((p) => dbToGain(p.gainDb));
    const readers = stems.map((s) => fixedStereoBlocks(s.file, s.channelCount));
    const sum: [Float32Array, Float32Array] = [new Float32Array(PASS_BLOCK_FRAMES), new Float32Array(PASS_BLOCK_FRAMES)];
    try {
      for (let done = 0; done < frames;) {
        const count = Math.min(PASS_BLOCK_FRAMES, frames - done);
        sum[0].fill(0, 0, count);
        sum[1].fill(0, 0, count);
        for (const [i, reader] of readers.entries()) {
          const next = await reader.next();
          if (next.done) continue;
          const block = next.value;
          const n = block[0].length;
          for (const processor of chains[i]) processor.process(block, n);
          const g = gains[i];
          for (let c = 0; c < 2; c++) {
            const from = block[c], to = sum[c];
            for (let k = 0; k < n; k++) to[k] += g * from[k];
          }
        }
        yield [sum[0].subarray(0, count), sum[1].subarray(0, count)];
        done += count;
      }
    } finally {
      await Promise.all(readers.map((r) => r.return(undefined)));
    }
  };
  return { file: dir, sampleRate, channelCount: 2, frames, source, stems: plans };
}
