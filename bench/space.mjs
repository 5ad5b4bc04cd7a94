// Space and color processors on 3 minutes of stereo 44.1 kHz programme-like audio (decaying harmonic
// notes plus noise whose level swings between -36 and 0 dBFS), blocks of 1024, median of N runs; and the
// ffmpeg peers in the same run: aecho (for the delay) and asoftclip (for the saturation, plain and with
// its own 4x oversampling), timed as whole-process time minus an `-af anull` run on the same file.
// Prints speeds and ratios (ours / ffmpeg, > 1 = ours faster); asserts nothing.
// Run: node --import tsx bench/space.mjs [--runs 3]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FdnReverb } from '../src/engine/dsp/space/fdn-reverb.ts';
import { Delay } from '../src/engine/dsp/space/delay.ts';
import { Chorus } from '../src/engine/dsp/space/chorus.ts';
import { Saturation } from '../src/engine/dsp/color/saturation.ts';
import { Tape } from '../src/engine/dsp/color/tape.ts';

const RATE = 44100;
const FRAMES = RATE * 180;
const SAMPLES = 2 * FRAMES;
const BLOCK = 1024;
const RUNS = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;

let seed = 0x9e3779b9;
const random = () => {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 31 - 1;
};
const source = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
const notes = [110, 146.83, 164.81, 220, 261.63, 329.63];
for (let i = 0; i < FRAMES; i++) {
  const t = i / RATE;
  const level = Math.pow(10, (-18 + 18 * Math.sin(2 * Math.PI * 0.5 * t)) / 20);
  const note = notes[Math.floor(t / 2) % notes.length];
  let tone = 0;
  for (let h = 1; h <= 6; h++) tone += Math.sin(2 * Math.PI * note * h * t) / (h * 1.5);
  tone *= 0.3 * Math.exp(-(t % 2) * 1.5);
  source[0][i] = 0.8 * (tone + 0.3 * level * random());
  source[1][i] = 0.8 * (tone + 0.3 * level * random());
}
const work = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** Median wall time (s) of processing the whole signal with a fresh processor. */
function timeOurs(make) {
  const times = [];
  for (let r = 0; r < RUNS; r++) {
    work[0].set(source[0]);
    work[1].set(source[1]);
    const processor = make();
    const t0 = performance.now();
    for (let i = 0; i < FRAMES; i += BLOCK) {
      const n = Math.min(BLOCK, FRAMES - i);
      processor.process(work.map((ch) => ch.subarray(i, i + n)), n);
    }
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

// ffmpeg: the same audio as raw interleaved float, filtered to float on /dev/null.
const dir = mkdtempSync(join(tmpdir(), 'mixmaster-bench-space-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const raw = join(dir, 'in.f32');
const interleaved = new Float32Array(SAMPLES);
for (let i = 0; i < FRAMES; i++) { interleaved[2 * i] = source[0][i]; interleaved[2 * i + 1] = source[1][i]; }
writeFileSync(raw, new Uint8Array(interleaved.buffer));

function timeFfmpeg(filter) {
  const times = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const result = spawnSync('ffmpeg', ['-v', 'error', '-nostdin', '-f', 'f32le', '-ar', String(RATE), '-ac', '2', '-i', raw, '-af', filter, '-f', 'f32le', '-y', '/dev/null']);
    if (result.status !== 0) throw new Error(`ffmpeg -af ${filter} failed: ${result.stderr}`);
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

const hasFfmpeg = spawnSync('sh', ['-c', 'command -v ffmpeg'], { stdio: 'ignore' }).status === 0;
const baseline = hasFfmpeg ? timeFfmpeg('anull') : NaN;
const rate = (seconds) => SAMPLES / seconds / 1e6;
const line = (label, seconds, extra = '') =>
  console.log(`${label.padEnd(44)} ${(seconds * 1000).toFixed(0).padStart(7)} ms ${rate(seconds).toFixed(2).padStart(8)} M samples/s ${(180 / seconds).toFixed(0).padStart(5)}x realtime  ${extra}`);

console.log(`${(SAMPLES / 1e6).toFixed(1)} M samples (3 min stereo 44.1 kHz), blocks of ${BLOCK}, median of ${RUNS}`);
if (hasFfmpeg) console.log(`ffmpeg -af anull (decode + write, subtracted below): ${(baseline * 1000).toFixed(0)} ms`);

const ours = {
  reverb: timeOurs(() => new FdnReverb(RATE, 2)),
  reverbModulated: timeOurs(() => new FdnReverb(RATE, 2, { modulationDepthSeconds: 0.0005 })),
  delay: timeOurs(() => new Delay(RATE, 2, { leftDelaySeconds: 0.375, rightDelaySeconds: 0.375, feedback: 0.35, mix: 0.5 })),
  chorus: timeOurs(() => new Chorus(RATE, 2)),
  saturation: timeOurs(() => new Saturation(RATE, 2, { mode: 'tanh', driveDb: 12 })),
  saturationHard: timeOurs(() => new Saturation(RATE, 2, { mode: 'hard', driveDb: 12 })),
  tape: timeOurs(() => new Tape(RATE, 2, { driveDb: 6 })),
};
line('FDN reverb (16 lines, defaults)', ours.reverb);
line('FDN reverb, modulated', ours.reverbModulated);
line('chorus (3 voices)', ours.chorus);
line('tape (4x, head bump, roll-off)', ours.tape);

const compare = (label, seconds, peerLabel, filter) => {
  if (!hasFfmpeg) { line(label, seconds, '(ffmpeg not found)'); return; }
  const peer = Math.max(1e-3, timeFfmpeg(filter) - baseline);
  line(label, seconds);
  line(`  ffmpeg ${peerLabel}`, peer, `ours/ffmpeg speed ratio ${(peer / seconds).toFixed(2)}`);
};
compare('delay (stereo, feedback 0.35)', ours.delay, 'aecho (one echo, no feedback)', 'aecho=in_gain=1:out_gain=1:delays=375:decays=0.35');
compare('saturation tanh (4x oversampled)', ours.saturation, 'asoftclip tanh (1x)', 'asoftclip=type=tanh');
compare('saturation tanh (4x oversampled)', ours.saturation, 'asoftclip tanh oversample=4', 'asoftclip=type=tanh:oversample=4');
compare('saturation hard (4x, ADAA)', ours.saturationHard, 'asoftclip hard oversample=4', 'asoftclip=type=hard:oversample=4');
