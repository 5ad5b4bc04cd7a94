// Benchmark: decoding and encoding 3 minutes of stereo 44.1 kHz, ours (in process, from dist/) against
// the Debian tools doing the same work (whole process), in the same run. Prints ratios ours/peer.
// Usage: npm run build && node bench/codecs.mjs [--runs 3]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'bench/.work');
mkdirSync(work, { recursive: true });
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const api = await import(join(root, 'dist/index.js'));
const rate = 44100;
const frames = rate * 180;

// Source material: a noisy two-tone signal (codecs work hardest on noise).
const channels = [0, 1].map((c) => {
  let seed = 99 + c;
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    out[i] = 0.4 * Math.sin((2 * Math.PI * (220 + 110 * c) * i) / rate) + 0.2 * (seed / 4294967296 - 0.5);
  }
  return out;
});
const raw = join(work, 'codec-source.f32');
if (!existsSync(raw)) {
  const interleaved = new Float32Array(frames * 2);
  for (let i = 0; i < frames; i++) { interleaved[2 * i] = channels[0][i]; interleaved[2 * i + 1] = channels[1][i]; }
  writeFileSync(raw, new Uint8Array(interleaved.buffer));
}
const tool = (command, args) => {
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
};
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
async function time(fn) {
  const seconds = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    await fn();
    seconds.push((performance.now() - start) / 1000);
  }
  return median(seconds);
}
async function writeAll(writer) {
  for (let offset = 0; offset < frames; offset += 65536) {
    const count = Math.min(65536, frames - offset);
    await writer.write(channels.map((c) => c.subarray(offset, offset + count)), count);
  }
  await writer.finish();
}
async function decodeAll(path) {
  const reader = await api.openAudio(path);
  for await (const block of reader.blocks()) void block;
  await reader.close();
}
const report = (label, ours, peerLabel, peer) =>
  console.log(`${label.padEnd(22)} ours ${ours.toFixed(2)} s | ${peerLabel} ${peer.toFixed(2)} s | ratio ours/peer ${(ours / peer).toFixed(2)}`);
const f32 = ['-t', 'f32', '-r', String(rate), '-c', '2', raw];
const out = (name) => join(work, name);

report('WAV 24-bit encode', await time(() => api.createWavWriter(out('ours.wav'), { sampleRate: rate, channelCount: 2, encoding: { kind: 'int', bits: 24 } }).then(writeAll)),
  'sox', await time(() => tool('sox', ['-D', ...f32, '-b', '24', out('peer.wav')])));
report('FLAC 24-bit encode', await time(() => api.createFlacWriter(out('ours.flac'), { sampleRate: rate, channelCount: 2, bits: 24 }).then(writeAll)),
  'ffmpeg -c:a flac', await time(() => tool('ffmpeg', ['-y', '-v', 'error', '-f', 'f32le', '-ar', String(rate), '-ac', '2', '-i', raw, '-c:a', 'flac', '-sample_fmt', 's32', out('peer.flac')])));
report('MP3 CBR 320 encode', await time(() => api.createMp3Writer(out('ours.mp3'), { sampleRate: rate, channelCount: 2, mode: { cbrKbps: 320 } }).then(writeAll)),
  'ffmpeg libmp3lame', await time(() => tool('ffmpeg', ['-y', '-v', 'error', '-f', 'f32le', '-ar', String(rate), '-ac', '2', '-i', raw, '-c:a', 'libmp3lame', '-b:a', '320k', out('peer.mp3')])));
for (const [label, file] of [['WAV 24-bit decode', 'peer.wav'], ['FLAC 24-bit decode', 'peer.flac'], ['MP3 320 decode', 'peer.mp3']]) {
  report(label, await time(() => decodeAll(out(file))), 'ffmpeg -f f32le', await time(() => tool('ffmpeg', ['-v', 'error', '-i', out(file), '-f', 'f32le', '-y', '/dev/null'])));
}
