import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MPEGDecoder } from 'mpg123-decoder';
import { decodeWithFfmpeg, runTool, tempDir, testSignal, writeRawF32 } from '../../test/support/tools.js';
import type { AudioReader } from './api.js';
import { openAudio } from './decode.js';
import { AudioFileError } from './errors.js';
import { openMp3 } from './mp3-read.js';

const dir = tempDir('mixmaster-mp3-read-');
const LONG = 441_037; // 10 s + an odd remainder: exercises the end padding

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

/** A 16-bit WAV of the test signal (what an encoder would be given). */
function sourceWav(name: string, frames: number, rate: number, channels: number): string {
  const raw = join(dir, `${name}.f32`);
  writeRawF32(raw, testSignal(frames, rate, channels, 0.7));
  const wav = join(dir, `${name}.wav`);
  runTool('sox', ['-t', 'f32', '-r', String(rate), '-c', String(channels), raw, '-b', '16', wav]);
  return wav;
}

function lame(wav: string, name: string, args: string[]): string {
  const out = join(dir, `${name}.mp3`);
  runTool('lame', ['--quiet', ...args, wav, out]);
  return out;
}

function ffmpegMp3(wav: string, name: string, args: string[]): string {
  const out = join(dir, `${name}.mp3`);
  runTool('ffmpeg', ['-v', 'error', '-y', '-i', wav, '-c:a', 'libmp3lame', ...args, out]);
  return out;
}

/** The lag (ours shifted against the oracle) with the highest correlation, searched over ±maxLag. */
function bestLag(ours: Float32Array, oracle: Float32Array, maxLag: number): number {
  const from = 3 * maxLag, to = from + 16384;
  let best = 0, bestScore = -Infinity;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let score = 0;
    for (let i = from; i < to; i++) score += ours[i + lag] * oracle[i];
    if (score > bestScore) { bestScore = score; best = lag; }
  }
  return best;
}

function maxDifference(a: Float32Array[], b: Float32Array[]): number {
  let max = 0;
  for (let c = 0; c < a.length; c++) for (let i = 0; i < a[c].length; i++) max = Math.max(max, Math.abs(a[c][i] - b[c][i]));
  return max;
}

/** Exact length, and sample alignment with ffmpeg (which honours the LAME tag the same way). */
async function assertGaplessLike(path: string, frames: number, rate: number, channels: number): Promise<void> {
  const reader = await openMp3(path);
  assert.equal(reader.info.frames, frames, 'frames from the LAME tag');
  assert.equal(reader.info.sampleRate, rate);
  assert.equal(reader.info.channelCount, channels);
  const ours = await readAll(reader, 10_000);
  assert.equal(ours[0].length, frames, 'decoded frames');
  const oracle = decodeWithFfmpeg(path, channels);
  assert.equal(oracle[0].length, frames, 'ffmpeg agrees on the length');
  assert.equal(bestLag(ours[0], oracle[0], 1200), 0, 'no offset against ffmpeg');
  assert.ok(maxDifference(ours, oracle) < 1e-4, `max difference ${maxDifference(ours, oracle)}`);
}

const long44 = sourceWav('long44', LONG, 44100, 2);

test('LAME CBR 320 and V0: exactly the source length, aligned with ffmpeg', async () => {
  await assertGaplessLike(lame(long44, 'lame-cbr320', ['-b', '320']), LONG, 44100, 2);
  await assertGaplessLike(lame(long44, 'lame-v0', ['-V', '0']), LONG, 44100, 2);
});

test('ffmpeg libmp3lame CBR 320 and V0 (Lavc LAME tag): exact length, aligned', async () => {
  await assertGaplessLike(ffmpegMp3(long44, 'ff-cbr320', ['-b:a', '320k']), LONG, 44100, 2);
  await assertGaplessLike(ffmpegMp3(long44, 'ff-v0', ['-q:a', '0']), LONG, 44100, 2);
});

test('48 kHz mono, and MPEG-2 22.05 kHz (576-sample frames): exact length, aligned', async () => {
  const mono48 = lame(sourceWav('mono48', 100_003, 48000, 1), 'mono48', ['-V', '2']);
  await assertGaplessLike(mono48, 100_003, 48000, 1);
  assert.deepEqual((await openMp3(mono48)).info.channelLayout, ['M']);
  const mpeg2 = ffmpegMp3(sourceWav('s22', 50_001, 22050, 2), 'mpeg2', ['-b:a', '64k']);
  assert.equal((await openMp3(mpeg2)).info.codec, 'MPEG-2 Layer III');
  await assertGaplessLike(mpeg2, 50_001, 22050, 2);
});

test('mpg123-decoder trims by itself unless told not to: we turn that off and trim once', async () => {
  // Our reader runs mpg123 with gapless off; its raw output is every frame: 1152 × frames in the Xing tag.
  const path = join(dir, 'lame-v0.mp3');
  const bytes = readFileSync(path);
  const raw = new MPEGDecoder({ enableGapless: false });
  await raw.ready;
  const all = raw.decode(bytes).samplesDecoded;
  raw.free();
  assert.equal(all % 1152, 0);
  assert.ok(all >= LONG + 1105 && all < LONG + 1105 + 1152, `raw ${all}`);
  const gapless = new MPEGDecoder();
  await gapless.ready;
  assert.equal(gapless.decode(bytes).samplesDecoded, LONG, 'the library default trims too');
  gapless.free();
});

test('without a LAME tag every decoded sample counts (frames unknown until decoded), like ffmpeg', async () => {
  const path = lame(sourceWav('short44', 100_003, 44100, 2), 'no-tag', ['-t', '-b', '192']);
  const reader = await openMp3(path);
  assert.equal(reader.info.frames, null);
  const ours = await readAll(reader);
  const oracle = decodeWithFfmpeg(path, 2);
  assert.equal(ours[0].length, oracle[0].length);
  assert.equal(ours[0].length % 1152, 0);
  assert.ok(maxDifference(ours, oracle) < 1e-4);
});

test('MP3s joined with cat: the first LAME tag does not cover the file, so all of it decodes (as ffmpeg)', async () => {
  const path = join(dir, 'joined.mp3');
  writeFileSync(path, Buffer.concat([readFileSync(join(dir, 'lame-v0.mp3')), readFileSync(join(dir, 'lame-cbr320.mp3'))]));
  const reader = await openMp3(path);
  assert.equal(reader.info.frames, null);
  const ours = await readAll(reader);
  assert.ok(ours[0].length > 2 * LONG, `decoded ${ours[0].length}`);
  assert.equal(ours[0].length, decodeWithFfmpeg(path, 2)[0].length);
});

test('ID3v2 and ID3v1 tags are skipped, ID3v2 text read as metadata', async () => {
  const path = lame(join(dir, 'short44.wav'), 'tagged', ['-V', '4', '--add-id3v2', '--tt', 'Tïtle', '--ta', 'An Artist',
    '--tl', 'An Album', '--ty', '2023', '--tn', '3/9', '--tg', 'Jazz', '--tc', 'a comment']);
  const bytes = readFileSync(path);
  assert.equal(String.fromCharCode(...bytes.subarray(0, 3)), 'ID3');
  assert.equal(String.fromCharCode(...bytes.subarray(bytes.length - 128, bytes.length - 125)), 'TAG');
  const reader = await openMp3(path);
  assert.deepEqual(reader.info.metadata, {
    title: 'Tïtle', artist: 'An Artist', album: 'An Album', year: '2023', track: 3, genre: 'Jazz', comment: 'a comment',
  });
  assert.equal((await readAll(reader))[0].length, 100_003);
});

test('garbage behind an MPEG sync word is a clear error', async () => {
  let seed = 99;
  const junk = Uint8Array.from({ length: 200_000 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
  junk.set([0xff, 0xfb, 0x90, 0x00]);
  const path = join(dir, 'garbage.mp3');
  writeFileSync(path, junk);
  await assert.rejects(openMp3(path), (error: unknown) =>
    error instanceof AudioFileError && /no MPEG audio frames found/.test(error.problem));
});

test('a cut-off file and a file with frames damaged in the middle are errors', async () => {
  const bytes = readFileSync(join(dir, 'lame-cbr320.mp3'));
  const cut = join(dir, 'cut.mp3');
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6) + 77));
  await assert.rejects(readAll(await openMp3(cut)), (error: unknown) =>
    error instanceof AudioFileError && /^truncated: .* of the 441037 /.test(error.problem));
  const damaged = Uint8Array.from(bytes);
  const middle = Math.floor(bytes.length / 2);
  for (let i = 0; i < 3000; i++) damaged[middle + i] = (damaged[middle + i] * 7 + 3) & 0xff;
  const path = join(dir, 'damaged.mp3');
  writeFileSync(path, damaged);
  await assert.rejects(readAll(await openMp3(path)), (error: unknown) =>
    error instanceof AudioFileError && /^corrupt MPEG audio/.test(error.problem));
});

test('openAudio dispatches MP3 here', async () => {
  const path = join(dir, 'lame-v0.mp3');
  const reader = await openAudio(path);
  assert.equal(reader.info.format, 'mp3');
  assert.equal(reader.info.codec, 'MPEG-1 Layer III');
  assert.equal((await readAll(reader))[0].length, LONG);
});
