import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWithFfmpeg, runTool, tempDir, testSignal, writeRawF32 } from '../../test/support/tools.js';
import type { AudioReader } from './api.js';
import { openAudio } from './decode.js';
import { AudioFileError } from './errors.js';
import { FFMPEG_MISSING, ffmpegLayout, findFfmpeg, openWithFfmpeg } from './ffmpeg-read.js';

const dir = tempDir('mixmaster-ffmpeg-read-');
const FRAMES = 100_003;
const root = fileURLToPath(new URL('../..', import.meta.url));

async function readAll(reader: AudioReader, blockFrames?: number): Promise<Float32Array[]> {
  const parts: Float32Array[][] = [];
  for await (const block of reader.blocks(blockFrames)) parts.push(block.map((samples) => samples.slice()));
  await reader.close();
  return Array.from({ length: reader.info.channelCount }, (_, c) => {
    const out = new Float32Array(parts.reduce((sum, block) => sum + block[c].length, 0));
    let at = 0;
    for (const block of parts) { out.set(block[c], at); at += block[c].length; }
    return out;
  });
}

/** 16-bit integer PCM of the test signal, as planar ints and as an interleaved s16le file. */
function pcm16(name: string, channels: number): { ints: Int16Array[]; raw: string } {
  const ints = testSignal(FRAMES, 44100, channels, 0.9).map((channel) => Int16Array.from(channel, (x) => Math.round(x * 32767)));
  const interleaved = new Int16Array(FRAMES * channels);
  for (let i = 0; i < FRAMES; i++) for (let c = 0; c < channels; c++) interleaved[i * channels + c] = ints[c][i];
  const raw = join(dir, `${name}.s16`);
  writeFileSync(raw, new Uint8Array(interleaved.buffer));
  return { ints, raw };
}

function encode(raw: string, name: string, channels: number, args: string[]): string {
  const out = join(dir, name);
  runTool('ffmpeg', ['-v', 'error', '-y', '-f', 's16le', '-ar', '44100', '-ac', String(channels), '-i', raw, ...args, out]);
  return out;
}

const stereo = pcm16('stereo', 2);
const aac = encode(stereo.raw, 'aac.m4a', 2, ['-c:a', 'aac', '-b:a', '192k', '-metadata', 'title=Äac', '-metadata', 'artist=Band',
  '-metadata', 'album=Record', '-metadata', 'album_artist=Band & Co', '-metadata', 'date=2019', '-metadata', 'track=2/10',
  '-metadata', 'genre=Rock', '-metadata', 'comment=hi']);

test('AAC in M4A: ffprobe facts and tags, and exactly the samples ffmpeg decodes', async () => {
  const reader = await openWithFfmpeg(aac);
  assert.deepEqual({ ...reader.info, metadata: undefined }, {
    path: aac, format: 'ffmpeg', codec: 'AAC (Advanced Audio Coding)', sampleRate: 44100, channelCount: 2,
    channelLayout: ['L', 'R'], frames: null, metadata: undefined, chunks: [],
  });
  assert.deepEqual(reader.info.metadata, {
    title: 'Äac', artist: 'Band', album: 'Record', albumArtist: 'Band & Co', year: '2019', track: 2, genre: 'Rock', comment: 'hi',
  });
  const ours = await readAll(reader, 1000); // small blocks: many pipe chunks end mid-frame
  const oracle = decodeWithFfmpeg(aac, 2);
  assert.equal(ours[0].length, oracle[0].length);
  assert.ok(Math.abs(ours[0].length - FRAMES) < 2048, `AAC length ${ours[0].length}`);
  for (let c = 0; c < 2; c++) assert.deepEqual(ours[c], oracle[c]);
});

test('ALAC in M4A decodes bit-exactly to the 16-bit source', async () => {
  const alac = encode(stereo.raw, 'alac.m4a', 2, ['-c:a', 'alac']);
  const reader = await openWithFfmpeg(alac);
  assert.equal(reader.info.codec, 'ALAC (Apple Lossless Audio Codec)');
  assert.equal(reader.info.bitsPerSample, 16);
  const ours = await readAll(reader, 4096);
  for (let c = 0; c < 2; c++) {
    assert.equal(ours[c].length, FRAMES);
    for (let i = 0; i < FRAMES; i++) if (ours[c][i] !== stereo.ints[c][i] / 32768) assert.fail(`channel ${c + 1} frame ${i}`);
  }
});

test('channel layouts: ffmpeg\'s names map to our labels in its output order', async () => {
  const six = pcm16('six', 6);
  const side = encode(six.raw, 'side.m4a', 6, ['-channel_layout', '5.1(side)', '-c:a', 'aac']);
  assert.deepEqual((await openWithFfmpeg(side)).info.channelLayout, ['L', 'R', 'C', 'LFE', 'Ls', 'Rs']);
  assert.deepEqual(ffmpegLayout('5.1', 6), ['L', 'R', 'C', 'LFE', 'Lb', 'Rb']);
  assert.deepEqual(ffmpegLayout('mono', 1), ['M']);
  assert.deepEqual(ffmpegLayout('3 channels (FL+FR+LFE)', 3), ['L', 'R', 'LFE']);
  assert.deepEqual(ffmpegLayout('FL+FR+BC', 3), ['L', 'R', 'Cb']);
  assert.deepEqual(ffmpegLayout('6 channels', 6), ['L', 'R', 'C', 'LFE', 'Ls', 'Rs']); // unknown order: default
  assert.deepEqual(ffmpegLayout(undefined, 2), ['L', 'R']);
});

test('without ffmpeg on PATH: the install hint, from findFfmpeg and from a process with PATH emptied', () => {
  assert.equal(findFfmpeg({ PATH: '' }), null);
  assert.ok(findFfmpeg()?.ffmpeg.endsWith('ffmpeg'));
  const script = `import { openWithFfmpeg } from ${JSON.stringify(join(root, 'src/io/ffmpeg-read.ts'))};
    try { await openWithFfmpeg(${JSON.stringify(aac)}); console.log('opened'); }
    catch (error) { console.log(error.name + ': ' + error.message); }`;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root, env: { ...process.env, PATH: '' }, encoding: 'utf8',
  });
  assert.equal(result.stdout.trim(), `AudioFileError: ${aac}: ${FFMPEG_MISSING}`, result.stderr);
});

test('stopping early kills ffmpeg; close() kills a suspended one', async () => {
  const children = () => execFileSync('ps', ['-o', 'comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n').filter((name) => name.trim() === 'ffmpeg').length;
  const reader = await openWithFfmpeg(aac);
  for await (const block of reader.blocks(512)) { assert.equal(block[0].length, 512); break; }
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(children(), 0, 'ffmpeg left running after break');
  const suspended = reader.blocks(512);
  await suspended.next();
  assert.equal(children(), 1);
  await reader.close();
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(children(), 0, 'ffmpeg left running after close()');
});

test('ffmpeg\'s complaint becomes the AudioFileError: unreadable, and damaged mid-stream', async () => {
  const bytes = readFileSync(aac);
  const cut = join(dir, 'cut.m4a'); // moov atom at the end: half a file cannot even be probed
  writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
  await assert.rejects(openWithFfmpeg(cut), (error: unknown) =>
    error instanceof AudioFileError && /^not a readable audio file \(ffprobe: .+\)$/.test(error.problem) && !error.problem.includes(cut));
  const damaged = Uint8Array.from(bytes);
  for (let i = 0; i < 200; i++) damaged[(bytes.length >> 1) + i] ^= 0x55;
  const bad = join(dir, 'bad.m4a');
  writeFileSync(bad, damaged);
  await assert.rejects(readAll(await openWithFfmpeg(bad)), (error: unknown) =>
    error instanceof AudioFileError && /^corrupt audio \(ffmpeg: .*Invalid data/.test(error.problem));
});

test('openAudio sends M4A (ftyp) to ffmpeg', async () => {
  const reader = await openAudio(aac);
  assert.equal(reader.info.format, 'ffmpeg');
  assert.equal((await readAll(reader))[0].length, decodeWithFfmpeg(aac, 2)[0].length);
});
