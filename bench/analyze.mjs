// Benchmark: whole-process time and peak RSS of `mixmaster analyze` (I, LRA, true peak and the rest)
// against ffmpeg's ebur128 filter with true peak on the same generated file, in the same run.
// Usage: npm run build && node bench/analyze.mjs [--runs 5] [--long]   (--long adds a 60-minute file for RSS)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { makeSong, timed } from './song.mjs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'bench/.work');
mkdirSync(work, { recursive: true });
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const cli = join(root, 'dist/cli.js');
if (!existsSync(cli)) throw new Error('build first: npm run build');

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
