import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED, decodeWithFfmpeg, runTool, tempDir, testSignal, writeRawF32 } from '../../test/support/tools.js';
import type { AudioReader } from './api.js';
import { openAudio } from './decode.js';
import { AudioFileError } from './errors.js';
import { oggPageCrc, openOgg } from './ogg-read.js';

const dir = tempDir('mixmaster-ogg-read-');
const FRAMES = 100_003;

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

function maxDifference(a: Float32Array[], b: Float32Array[]): number {
  assert.equal(a.length, b.length, 'channel count');
  let max = 0;
  for (let c = 0; c < a.length; c++) {
    assert.equal(a[c].length, b[c].length, `length of channel ${c + 1}`);
    for (let i = 0; i < a[c].length; i++) max = Math.max(max, Math.abs(a[c][i] - b[c][i]));
  }
  return max;
}

/** Encodes the test signal with ffmpeg (libvorbis / libopus). */
function encode(name: string, rate: number, channels: number, args: string[]): string {
  const raw = join(dir, `${name}.f32`);
  const signal = testSignal(FRAMES, rate, channels, 0.7);
  // Distinct content per channel (frequency rises with the index), so a swapped pair shows.
  writeRawF32(raw, signal);
  const out = join(dir, `${name}.ogg`);
  runTool('ffmpeg', ['-v', 'error', '-y', '-f', 'f32le', '-ar', String(rate), '-ac', String(channels), '-i', raw, ...args, out]);
  return out;
}

/**
 * ffmpeg's decode with libopus for Opus: ffmpeg's native Opus decoder is off by up to 0.25 on the
 * mono (C, LFE) streams of 5.1, where libopus (which we run too) and ffmpeg+libopus agree to 1e-4.
 */
function oracleDecode(path: string, channelCount: number, opus: boolean): Float32Array[] {
  if (!opus) return decodeWithFfmpeg(path, channelCount);
  const result = spawnSync('ffmpeg', ['-v', 'error', '-c:a', 'libopus', '-i', path, '-f', 'f32le', '-'], { maxBuffer: 1 << 30 });
  assert.equal(result.status, 0, String(result.stderr));
  const interleaved = new Float32Array(Uint8Array.from(result.stdout).buffer);
  const frames = interleaved.length / channelCount;
  return Array.from({ length: channelCount }, (_, c) => Float32Array.from({ length: frames }, (_, i) => interleaved[i * channelCount + c]));
}

/** Same length as ffmpeg's decode and the same samples (to codec-implementation rounding), channel by channel. */
async function assertMatchesFfmpeg(path: string, tolerance: number): Promise<AudioReader['info']> {
  const reader = await openOgg(path);
  const ours = await readAll(reader, 7000);
  const oracle = oracleDecode(path, reader.info.channelCount, reader.info.format === 'opus');
  assert.equal(ours[0].length, oracle[0].length, 'length equals ffmpeg');
  assert.equal(ours[0].length, reader.info.frames, 'length equals the granule position');
  const difference = maxDifference(ours, oracle);
  assert.ok(difference < tolerance, `max difference ${difference}`);
  return reader.info;
}

test('Ogg Vorbis stereo: exact length (the source\'s), samples as ffmpeg decodes them, tags', async () => {
  const path = encode('vorbis', 44100, 2, ['-c:a', 'libvorbis', '-q:a', '5', '-metadata', 'title=Ögg Title',
    '-metadata', 'artist=Someone', '-metadata', 'album=LP', '-metadata', 'date=2020', '-metadata', 'TRACKNUMBER=5']);
  const info = await assertMatchesFfmpeg(path, 1e-4);
  assert.equal(info.frames, FRAMES);
  assert.deepEqual({ ...info, metadata: undefined, path: undefined }, {
    path: undefined, format: 'ogg-vorbis', codec: 'Vorbis', sampleRate: 44100, channelCount: 2,
    channelLayout: ['L', 'R'], frames: FRAMES, metadata: undefined, chunks: [],
  });
  assert.deepEqual(info.metadata, { title: 'Ögg Title', artist: 'Someone', album: 'LP', year: '2020', track: 5 });
});

test('Ogg Opus: 48 kHz, pre-skip and end granule honoured (exact source length), matches ffmpeg', async () => {
  const info = await assertMatchesFfmpeg(encode('opus48', 48000, 2, ['-c:a', 'libopus', '-b:a', '128k']), 2e-4);
  assert.equal(info.format, 'opus');
  assert.equal(info.frames, FRAMES);
  // From 44.1 kHz ffmpeg resamples to 48 kHz; the length is still whatever the granule says, as ffmpeg.
  const resampled = await assertMatchesFfmpeg(encode('opus44', 44100, 1, ['-c:a', 'libopus', '-b:a', '64k']), 2e-4);
  assert.equal(resampled.sampleRate, 48000);
  assert.deepEqual(resampled.channelLayout, ['M']);
});

test('5.1 Vorbis and Opus come out in WAV order (L R C LFE Ls Rs), channel by channel as ffmpeg', async () => {
  for (const [name, args, tolerance] of [['vorbis51', ['-c:a', 'libvorbis'], 1e-4], ['opus51', ['-c:a', 'libopus', '-b:a', '256k'], 2e-4]] as const) {
    const info = await assertMatchesFfmpeg(encode(name, 48000, 6, [...args]), tolerance);
    assert.deepEqual(info.channelLayout, ['L', 'R', 'C', 'LFE', 'Ls', 'Rs']);
  }
});

test('the Opus header output gain is applied (as ffmpeg does)', async () => {
  const bytes = Uint8Array.from(readFileSync(join(dir, 'opus48.ogg')));
  const head = Buffer.from(bytes).indexOf('OpusHead');
  new DataView(bytes.buffer).setInt16(head + 16, -6 * 256, true); // -6 dB, Q7.8
  const pageBytes = 27 + bytes[26] + bytes.subarray(27, 27 + bytes[26]).reduce((sum, lacing) => sum + lacing, 0);
  new DataView(bytes.buffer).setUint32(22, oggPageCrc(bytes.subarray(0, pageBytes)), true);
  const path = join(dir, 'gain.ogg');
  writeFileSync(path, bytes);
  await assertMatchesFfmpeg(path, 2e-4);
});

test('the corpus Vorbis mixes: identical length to ffmpeg, samples within 1e-4', async () => {
  const mixes = join(SHARED, 'corpus/mixes');
  const files = readdirSync(mixes).filter((name) => name.endsWith('.ogg'));
  assert.ok(files.length > 0);
  for (const name of files) {
    const info = await assertMatchesFfmpeg(join(mixes, name), 1e-4);
    assert.equal(info.sampleRate, 44100);
    assert.equal(info.channelCount, 2);
  }
});

test('a damaged page is an error naming where; a cut-off file is "truncated"', async () => {
  const bytes = readFileSync(join(dir, 'vorbis.ogg'));
  const damaged = Uint8Array.from(bytes);
  const middle = Math.floor(bytes.length / 2);
  for (let i = 0; i < 8; i++) damaged[middle + i] ^= 0x10;
  const bad = join(dir, 'bad.ogg');
  writeFileSync(bad, damaged);
  await assert.rejects(readAll(await openOgg(bad)), (error: unknown) =>
    error instanceof AudioFileError && /^corrupt Ogg page at byte \d+ .*near sample \d+$/.test(error.problem));
  const cut = join(dir, 'cut.ogg');
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  await assert.rejects(readAll(await openOgg(cut)), (error: unknown) =>
    error instanceof AudioFileError && /^truncated: /.test(error.problem));
});

test('Ogg with another codec, and not Ogg at all, are one-line errors', async () => {
  const flacInOgg = join(dir, 'flac.ogg');
  runTool('ffmpeg', ['-v', 'error', '-y', '-f', 'f32le', '-ar', '44100', '-ac', '1', '-i', join(dir, 'opus44.f32'), '-c:a', 'flac', flacInOgg]);
  await assert.rejects(openOgg(flacInOgg), (error: unknown) => error instanceof AudioFileError && /unsupported Ogg codec/.test(error.problem));
  const notOgg = join(dir, 'not.ogg');
  writeFileSync(notOgg, 'hello, this is text');
  await assert.rejects(openOgg(notOgg), (error: unknown) => error instanceof AudioFileError && /not a valid Ogg file/.test(error.problem));
});

test('openAudio dispatches Vorbis and Opus here', async () => {
  for (const [name, format] of [['vorbis.ogg', 'ogg-vorbis'], ['opus48.ogg', 'opus']]) {
    const reader = await openAudio(join(dir, name));
    assert.equal(reader.info.format, format);
    assert.equal((await readAll(reader))[0].length, FRAMES);
  }
});
