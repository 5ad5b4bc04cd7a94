// Benchmark: `mixmaster master` (one 3-minute stereo 44.1 kHz mix to every deliverable: 24-bit WAV,
// 16-bit WAV, FLAC, MP3, plan, reports, with the after-the-fact checks), whole process, against ffmpeg's
// two-pass loudnorm (I=-14, TP=-1) on the same file in the same run. Prints the ratio and peak RSS, and
// what each reached (loudness, true peak by our BS.1770 meter).
// Usage: npm run build && node bench/master.mjs [--runs 3] [--long]   (--long adds a 12-minute song for RSS)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSong, timed } from './song.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'bench/.work');
mkdirSync(work, { recursive: true });
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const cli = join(root, 'dist/cli.js');
if (!existsSync(cli)) throw new Error('build first: npm run build');
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function analyze(file) {
  const result = spawnSync(process.execPath, [cli, 'analyze', '--json', '--no-spectrum', file], { encoding: 'utf8' });
  return JSON.parse(result.stdout);
}

function loudnormTwoPass(file, out) {
  const args = ['-nostats', '-hide_banner', '-y', '-i', file];
  const first = spawnSync('/usr/bin/time', ['-f', '%e %M', 'ffmpeg', ...args, '-af', 'loudnorm=I=-14:TP=-1:LRA=11:print_format=json', '-f', 'null', '-'], { encoding: 'utf8' });
  const lines = first.stderr.trim().split('\n');
  const [s1, kb1] = lines.pop().split(' ').map(Number);
  const text = lines.join('\n');
  const measured = JSON.parse(text.slice(text.lastIndexOf('{'), text.lastIndexOf('}') + 1));
  const filter = `loudnorm=I=-14:TP=-1:LRA=11:measured_I=${measured.input_i}:measured_TP=${measured.input_tp}:measured_LRA=${measured.input_lra}:measured_thresh=${measured.input_thresh}:offset=${measured.target_offset}:linear=true`;
  const second = timed('ffmpeg', [...args, '-af', filter, '-ar', '44100', '-c:a', 'pcm_s24le', out]);
  return { seconds: s1 + second.seconds, rssMb: Math.max(kb1 / 1024, second.rssMb) };
}

function compare(label, file) {
  const ours = [], peer = [];
  const outDir = join(work, 'master-out');
  const peerOut = join(work, 'loudnorm-out.wav');
  let summary = null;
  for (let r = 0; r < runs; r++) {
    rmSync(outDir, { recursive: true, force: true });
    ours.push(timed(process.execPath, [cli, 'master', file, '-o', outDir, '--json']));
    peer.push(loudnormTwoPass(file, peerOut));
  }
  summary = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8'));
  const peerMeasured = analyze(peerOut);
  const oursSeconds = median(ours.map((r) => r.seconds)), peerSeconds = median(peer.map((r) => r.seconds));
  const files = summary.deliverables.map((d) => `${d.file} ${d.integratedLufs?.toFixed(2)} LUFS ${d.truePeakDbtp?.toFixed(2)} dBTP`).join('; ');
  console.log(`${label}:`);
  console.log(`  mixmaster master (all deliverables) ${oursSeconds.toFixed(2)} s, peak RSS ${Math.max(...ours.map((r) => r.rssMb)).toFixed(0)} MB — ${files}`);
  console.log(`  ffmpeg loudnorm two-pass (I=-14, TP=-1, one 24-bit WAV) ${peerSeconds.toFixed(2)} s, peak RSS ${Math.max(...peer.map((r) => r.rssMb)).toFixed(0)} MB — ` +
    `${peerMeasured.integratedLufs.toFixed(2)} LUFS ${peerMeasured.truePeakDbtp.toFixed(2)} dBTP`);
  console.log(`  ratio ours/loudnorm ${(oursSeconds / peerSeconds).toFixed(2)} (median of ${runs}; goal <= 0.5)`);
}

const song = join(work, 'song-3min-44k1-stereo.wav');
makeSong(song, 180);
compare('3 min stereo 44.1 kHz 16-bit WAV', song);
if (process.argv.includes('--long')) {
  const long = join(work, 'song-12min-44k1-stereo.wav');
  if (!existsSync(long)) {
    const one = readFileSync(song);
    const data = one.subarray(44);
    const header = Buffer.from(one.subarray(0, 44));
    header.writeUInt32LE(36 + data.length * 4, 4);
    header.writeUInt32LE(data.length * 4, 40);
    writeFileSync(long, Buffer.concat([header, ...Array(4).fill(data)]));
  }
  compare('12 min stereo 44.1 kHz 16-bit WAV (memory must stay flat)', long);
}
