// True-peak limiter and sample-rate converter throughput on 3 minutes of stereo 44.1 kHz music (the
// corpus mix "Let's Go Fishin'" looped to 180 s), against ffmpeg's alimiter and aresample=soxr timed in
// the same run. ffmpeg is timed as a whole process (`ffmpeg -i file -af FILTER -f null -`) minus the
// same command with `-af anull` (decode + process start); ours is timed in-process on decoded audio.
// Prints ratios (ours / ffmpeg); asserts nothing. Medians and bests of the runs: on a shared machine
// the best is the closer to the code's speed.
// Run: node --import tsx bench/limiter.mjs [--runs 3]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Limiter } from '../src/engine/dsp/dynamics/limiter.ts';
import { SampleRateConverter } from '../src/engine/dsp/resample/sample-rate-converter.ts';
import { TruePeakMeter } from '../src/engine/analysis/true-peak.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const RATE = 44100;
const SECONDS = 180;
const BLOCK = 4096;
const SOURCE = join(root, '../shared/corpus/mixes/karissa-hobbs_lets-go-fishin.ogg');
if (!existsSync(SOURCE)) throw new Error(`missing ${SOURCE}`);

const work = mkdtempSync(join(tmpdir(), 'mixmaster-bench-limiter-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const wav = join(work, 'song.wav');
const made = spawnSync('ffmpeg', ['-v', 'error', '-y', '-stream_loop', '2', '-i', SOURCE, '-t', String(SECONDS), '-ar', String(RATE), '-c:a', 'pcm_f32le', wav]);
if (made.status !== 0) throw new Error(`ffmpeg could not make the test file: ${made.stderr}`);

// Decode once (not timed): planar float32.
const decoded = spawnSync('ffmpeg', ['-v', 'error', '-i', wav, '-f', 'f32le', '-'], { maxBuffer: 1 << 30 }).stdout;
const interleaved = new Float32Array(decoded.buffer.slice(decoded.byteOffset, decoded.byteOffset + decoded.byteLength));
const FRAMES = interleaved.length / 2;
const source = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
for (let i = 0; i < FRAMES; i++) { source[0][i] = interleaved[2 * i]; source[1][i] = interleaved[2 * i + 1]; }

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const best = (values) => Math.min(...values);

function timeFfmpeg(filter) {
  const start = performance.now();
  const result = spawnSync('ffmpeg', ['-v', 'error', '-nostats', '-i', wav, '-af', filter, '-f', 'null', '-']);
  if (result.status !== 0) throw new Error(`ffmpeg -af ${filter} failed: ${result.stderr}`);
  return (performance.now() - start) / 1000;
}

// Ours: blocks of 4096 frames, views made outside the timing (a graph reuses its buffers).
const output = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
const blocks = [];
for (let start = 0; start < FRAMES; start += BLOCK) {
  const n = Math.min(BLOCK, FRAMES - start);
  blocks.push({ n, views: output.map((c) => c.subarray(start, start + n)) });
}
function timeLimiter() {
  output[0].set(source[0]);
  output[1].set(source[1]);
  const limiter = new Limiter(RATE, 2, { ceilingDb: -1, inputGainDb: 6, lookaheadSeconds: 0.003, releaseSeconds: 0.15 });
  const start = performance.now();
  for (const { n, views } of blocks) limiter.process(views, n);
  return { seconds: (performance.now() - start) / 1000, limiter };
}
const srcOut = [new Float32Array(48000 * (SECONDS + 1)), new Float32Array(48000 * (SECONDS + 1))];
function timeSrc(quality) {
  const src = new SampleRateConverter(2, RATE, 48000, { quality });
  const scratch = [new Float32Array(src.maxOutputFrames(BLOCK)), new Float32Array(src.maxOutputFrames(BLOCK))];
  const views = [];
  for (let start = 0; start < FRAMES; start += BLOCK) views.push(source.map((c) => c.subarray(start, Math.min(FRAMES, start + BLOCK))));
  let written = 0;
  const start = performance.now();
  for (const block of views) {
    const n = src.process(block, block[0].length, scratch);
    srcOut[0].set(scratch[0].subarray(0, n), written);
    srcOut[1].set(scratch[1].subarray(0, n), written);
    written += n;
  }
  written += src.finish(scratch);
  return (performance.now() - start) / 1000;
}

const ALIMITER = 'alimiter=level_in=2:limit=0.891251:attack=3:release=150:level=0';
const rows = { anull: [], alimiter: [], alimiter4x: [], soxr: [], soxr28: [], limiter: [], src: [], srcHigh: [] };
let lastLimiter;
for (let r = 0; r < runs; r++) {
  rows.anull.push(timeFfmpeg('anull'));
  rows.alimiter.push(timeFfmpeg(ALIMITER));
  // The closest ffmpeg gets to a true-peak limiter: alimiter at 4x between two soxr conversions.
  rows.alimiter4x.push(timeFfmpeg(`aresample=176400:resampler=soxr,${ALIMITER},aresample=44100:resampler=soxr`));
  rows.soxr.push(timeFfmpeg('aresample=48000:resampler=soxr'));
  rows.soxr28.push(timeFfmpeg('aresample=48000:resampler=soxr:precision=28'));
  const limited = timeLimiter();
  rows.limiter.push(limited.seconds);
  lastLimiter = limited.limiter;
  rows.src.push(timeSrc('standard'));
  rows.srcHigh.push(timeSrc('high'));
}

const meter = new TruePeakMeter(2);
meter.push(output, FRAMES);
// ffmpeg net time = its best (median) run minus the best (median) anull run.
const line = (label, ours, theirs) => {
  const netBest = Math.max(1e-3, best(theirs) - best(rows.anull));
  const netMedian = Math.max(1e-3, median(theirs) - median(rows.anull));
  console.log(`${label.padEnd(56)} ours ${best(ours).toFixed(2)} s (median ${median(ours).toFixed(2)})   ffmpeg ${netBest.toFixed(2)} s (median ${netMedian.toFixed(2)})   ratio ${(best(ours) / netBest).toFixed(1)} (median ${(median(ours) / netMedian).toFixed(1)})`);
};
console.log(`3 min stereo 44.1 kHz music (${FRAMES} frames), ${runs} runs, best (median); ffmpeg net of -af anull (${best(rows.anull).toFixed(2)} s)`);
line('limiter +6 dB, -1 dBTP, 3 ms  vs  alimiter (sample peak)', rows.limiter, rows.alimiter);
line('limiter  vs  soxr 4x -> alimiter -> soxr 1x', rows.limiter, rows.alimiter4x);
line('SRC 44.1 -> 48 kHz standard  vs  soxr (default)', rows.src, rows.soxr);
line('SRC 44.1 -> 48 kHz high  vs  soxr precision=28', rows.srcHigh, rows.soxr28);
console.log(`limiter output: true peak ${(20 * Math.log10(meter.maxPeak())).toFixed(3)} dBTP (ceiling -1), max gain reduction ${lastLimiter.maxGainReductionDb.toFixed(2)} dB`);
