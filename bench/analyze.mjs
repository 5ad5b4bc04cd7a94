// Benchmark: whole-process time and peak RSS of `mixmaster analyze` (I, LRA, true peak and the rest)
// against ffmpeg's ebur128 filter with true peak on the same generated file, in the same run.
// Usage: npm run build && node bench/analyze.mjs [--runs 5] [--long]   (--long adds a 60-minute file for RSS)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'bench/.work');
mkdirSync(work, { recursive: true });
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const cli = join(root, 'dist/cli.js');
if (!existsSync(cli)) throw new Error('build first: npm run build');

/** A music-like 44.1 kHz stereo signal: decaying harmonic notes, a kick, noise hats, slow stereo drift. */
function makeSong(path, seconds) {
  if (existsSync(path)) return;
  const rate = 44100;
  const frames = rate * seconds;
  const pcm = new Int16Array(frames * 2);
  let seed = 1;
  const noise = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296) * 2 - 1;
  const notes = [110, 146.83, 164.81, 220, 261.63, 329.63];
  for (let i = 0; i < frames; i++) {
    const t = i / rate;
    const beat = t % 0.5;
    const note = notes[Math.floor(t / 2) % notes.length];
    let v = 0;
    for (let h = 1; h <= 9; h++) v += Math.sin(2 * Math.PI * note * h * t) / (h * 1.5);
    v *= 0.25 * Math.exp(-(t % 2) * 1.5);
    const kick = 0.5 * Math.sin(2 * Math.PI * 55 * beat) * Math.exp(-beat * 12);
    const hat = 0.05 * noise() * Math.exp(-((t + 0.25) % 0.5) * 30);
    const pan = 0.5 + 0.3 * Math.sin(2 * Math.PI * 0.05 * t);
    pcm[2 * i] = Math.round(32767 * 0.89 * (v * (1 - pan) + kick + hat));
    pcm[2 * i + 1] = Math.round(32767 * 0.89 * (v * pan + kick - hat));
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0); header.writeUInt32LE(36 + pcm.byteLength, 4); header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16); header.writeUInt16LE(1, 20); header.writeUInt16LE(2, 22); header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 4, 28); header.writeUInt16LE(4, 32); header.writeUInt16LE(16, 34); header.write('data', 36);
  header.writeUInt32LE(pcm.byteLength, 40);
  writeFileSync(path, Buffer.concat([header, Buffer.from(pcm.buffer)]));
}

/** Runs a command under GNU time; returns wall seconds and max RSS in MB. */
function timed(command, args) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  const [seconds, kb] = result.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { seconds, rssMb: kb / 1024 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function compare(label, file) {
  const ours = [];
  const ffmpeg = [];
  for (let r = 0; r < runs; r++) {
    ours.push(timed(process.execPath, [cli, 'analyze', '--json', file]));
    ffmpeg.push(timed('ffmpeg', ['-nostats', '-hide_banner', '-i', file, '-filter_complex', 'ebur128=peak=true', '-f', 'null', '-']));
  }
  const oursSeconds = median(ours.map((r) => r.seconds));
  const ffmpegSeconds = median(ffmpeg.map((r) => r.seconds));
  console.log(`${label}: mixmaster analyze ${oursSeconds.toFixed(2)} s, peak RSS ${Math.max(...ours.map((r) => r.rssMb)).toFixed(0)} MB | ` +
    `ffmpeg ebur128=peak=true ${ffmpegSeconds.toFixed(2)} s, peak RSS ${Math.max(...ffmpeg.map((r) => r.rssMb)).toFixed(0)} MB | ` +
    `ratio ours/ffmpeg ${(oursSeconds / ffmpegSeconds).toFixed(2)} (median of ${runs}; goal <= 0.5)`);
}

const song = join(work, 'song-3min-44k1-stereo.wav');
makeSong(song, 180);
compare('3 min stereo 44.1 kHz 16-bit WAV', song);
if (process.argv.includes('--long')) {
  // Twenty copies of the 3-minute song: memory must stay flat as the song gets longer.
  const long = join(work, 'song-60min-44k1-stereo.wav');
  if (!existsSync(long)) {
    const one = readFileSync(song);
    const data = one.subarray(44);
    const header = Buffer.from(one.subarray(0, 44));
    header.writeUInt32LE(36 + data.length * 20, 4);
    header.writeUInt32LE(data.length * 20, 40);
    writeFileSync(long, Buffer.concat([header, ...Array(20).fill(data)]));
  }
  compare('60 min stereo 44.1 kHz 16-bit WAV', long);
}
