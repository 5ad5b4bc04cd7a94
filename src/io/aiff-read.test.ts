import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWithFfmpeg, runTool, tempDir, testSignal, writeRawF32 } from '../../test/support/tools.js';
import type { AudioReader } from './api.js';
import { AudioFileError } from './errors.js';
import { openAiff, readExtended } from './aiff-read.js';

const dir = tempDir('mixmaster-aiff-read-');
const FRAMES = 10_007;

async function readAll(reader: AudioReader, blockFrames = 3000): Promise<Float32Array[]> {
  const out = reader.info.channelLayout.map(() => new Float32Array(reader.info.frames ?? 0));
  let at = 0;
  for await (const block of reader.blocks(blockFrames)) {
    assert.ok(block[0].length <= blockFrames);
    block.forEach((samples, c) => out[c].set(samples, at));
    at += block[0].length;
  }
  await reader.close();
  assert.equal(at, reader.info.frames);
  return out;
}

function assertSameSamples(actual: Float32Array[], expected: Float32Array[]) {
  assert.equal(actual.length, expected.length, 'channel count');
  actual.forEach((samples, c) => {
    assert.equal(samples.length, expected[c].length, 'frames');
    const i = samples.findIndex((x, k) => x !== expected[c][k]);
    assert.equal(i, -1, `channel ${c + 1} differs at frame ${i}: ${samples[i]} vs ${expected[c][i]}`);
  });
}

function source(name: string, sampleRate: number, channelCount: number): string {
  const path = join(dir, `${name}.f32`);
  writeRawF32(path, testSignal(FRAMES, sampleRate, channelCount, 0.9));
  return path;
}

const rawInput = (rate: number, channels: number) => ['-t', 'f32', '-r', String(rate), '-c', String(channels)];
const ffmpegInput = (rate: number, channels: number) => ['-v', 'error', '-y', '-f', 'f32le', '-ar', String(rate), '-ac', String(channels)];

const cases: { name: string; rate: number; channels: number; make: (src: string, out: string) => void; format: string; codec: string }[] = [
  { name: 'sox-16.aiff', rate: 44100, channels: 2, format: 'aiff', codec: 'PCM 16-bit', make: (src, out) => runTool('sox', [...rawInput(44100, 2), src, '-b', '16', out]) },
  { name: 'sox-24.aiff', rate: 96000, channels: 2, format: 'aiff', codec: 'PCM 24-bit', make: (src, out) => runTool('sox', [...rawInput(96000, 2), src, '-b', '24', out]) },
  { name: 'sox-f32.aifc', rate: 48000, channels: 1, format: 'aifc', codec: 'IEEE float 32-bit', make: (src, out) => runTool('sox', [...rawInput(48000, 1), src, '-e', 'floating-point', '-b', '32', out]) },
  { name: 'ffmpeg-s16be.aiff', rate: 44100, channels: 2, format: 'aiff', codec: 'PCM 16-bit', make: (src, out) => runTool('ffmpeg', [...ffmpegInput(44100, 2), '-i', src, '-c:a', 'pcm_s16be', '-f', 'aiff', out]) },
  { name: 'ffmpeg-s24be.aiff', rate: 48000, channels: 2, format: 'aiff', codec: 'PCM 24-bit', make: (src, out) => runTool('ffmpeg', [...ffmpegInput(48000, 2), '-i', src, '-c:a', 'pcm_s24be', '-f', 'aiff', out]) },
  { name: 'ffmpeg-s32be.aiff', rate: 48000, channels: 2, format: 'aiff', codec: 'PCM 32-bit', make: (src, out) => runTool('ffmpeg', [...ffmpegInput(48000, 2), '-i', src, '-c:a', 'pcm_s32be', '-f', 'aiff', out]) },
  { name: 'ffmpeg-s8.aiff', rate: 22050, channels: 1, format: 'aiff', codec: 'PCM 8-bit', make: (src, out) => runTool('ffmpeg', [...ffmpegInput(22050, 1), '-i', src, '-c:a', 'pcm_s8', '-f', 'aiff', out]) },
  { name: 'ffmpeg-f32be.aifc', rate: 48000, channels: 2, format: 'aifc', codec: 'IEEE float 32-bit', make: (src, out) => runTool('ffmpeg', [...ffmpegInput(48000, 2), '-i', src, '-c:a', 'pcm_f32be', '-f', 'aiff', out]) },
  { name: 'ffmpeg-f64be.aifc', rate: 11025, channels: 2, format: 'aifc', codec: 'IEEE float 64-bit', make: (src, out) => runTool('ffmpeg', [...ffmpegInput(11025, 2), '-i', src, '-c:a', 'pcm_f64be', '-f', 'aiff', out]) },
  { name: 'ffmpeg-sowt.aifc', rate: 44100, channels: 2, format: 'aifc', codec: 'PCM 16-bit', make: (src, out) => runTool('ffmpeg', [...ffmpegInput(44100, 2), '-i', src, '-c:a', 'pcm_s16le', '-f', 'aiff', out]) },
];

function caseFile(name: string): string {
  const c = cases.find((candidate) => candidate.name === name)!;
  const path = join(dir, c.name);
  c.make(source(c.name, c.rate, c.channels), path);
  return path;
}

for (const c of cases) {
  test(`reads ${c.name} exactly as ffmpeg decodes it`, async () => {
    const path = caseFile(c.name);
    const reader = await openAiff(path);
    assert.equal(reader.info.format, c.format);
    assert.equal(reader.info.codec, c.codec);
    assert.equal(reader.info.sampleRate, c.rate);
    assert.equal(reader.info.channelCount, c.channels);
    assert.equal(reader.info.frames, FRAMES);
    assertSameSamples(await readAll(reader), decodeWithFfmpeg(path, c.channels));
  });
}

test('NAME/AUTH/ANNO text chunks become metadata and are kept verbatim', async () => {
  const path = join(dir, 'tagged.aiff');
  runTool('ffmpeg', [...ffmpegInput(44100, 2), '-i', source('tagged', 44100, 2), '-metadata', 'title=Vibe Ace',
    '-metadata', 'author=Kevin MacLeod', '-metadata', 'comment=CC BY', '-c:a', 'pcm_s16be', '-f', 'aiff', path]);
  const reader = await openAiff(path);
  await reader.close();
  assert.deepEqual({ ...reader.info.metadata }, { title: 'Vibe Ace', artist: 'Kevin MacLeod', comment: 'CC BY' });
  assert.deepEqual(reader.info.chunks.map((chunk) => chunk.id).sort(), ['ANNO', 'AUTH', 'NAME']);
});

test('80-bit extended sample rates', () => {
  const extended = (hex: string) => readExtended(Buffer.from(hex, 'hex'), 0);
  assert.equal(extended('400eac44000000000000'), 44100);
  assert.equal(extended('400fbb80000000000000'), 96000);
  assert.equal(extended('400dac44000000000000'), 22050);
  assert.equal(extended('00000000000000000000'), 0);
  assert.ok(Number.isNaN(extended('7fff4000000000000000')));
});

// ---- hand-made files and bad input ----

function chunk(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'latin1');
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

function comm({ channels = 2, frames = 4, bits = 16, rate = '400eac44000000000000', compression = '' } = {}): Buffer {
  const body = Buffer.alloc(18);
  body.writeUInt16BE(channels, 0);
  body.writeUInt32BE(frames, 2);
  body.writeUInt16BE(bits, 6);
  Buffer.from(rate, 'hex').copy(body, 8);
  if (!compression) return chunk('COMM', body);
  const name = Buffer.from('\x08not PCM\0', 'latin1');
  return chunk('COMM', Buffer.concat([body, Buffer.from(compression, 'latin1'), name]));
}

function ssnd(samples: Buffer, offset = 0): Buffer {
  const header = Buffer.alloc(8 + offset);
  header.writeUInt32BE(offset, 0);
  return chunk('SSND', Buffer.concat([header, samples]));
}

function form(kind: 'AIFF' | 'AIFC', ...chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from(kind), ...chunks]);
  const header = Buffer.alloc(8);
  header.write('FORM', 0, 'latin1');
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

function save(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

test('honours the SSND offset and skips unknown chunks, including odd-sized ones', async () => {
  const samples = Buffer.alloc(16);
  [1000, -1000, 32767, -32768, 1, -1, 0, 12345].forEach((value, i) => samples.writeInt16BE(value, i * 2));
  const path = save('offset.aiff', form('AIFF', chunk('ZZZZ', Buffer.from('odd')), comm(), ssnd(samples, 6)));
  const [left, right] = await readAll(await openAiff(path));
  assert.deepEqual([...left], [1000, 32767, 1, 0].map((x) => x / 32768));
  assert.deepEqual([...right], [-1000, -32768, -1, 12345].map((x) => x / 32768));
  assertSameSamples([left, right], decodeWithFfmpeg(path, 2));
});

async function problemOf(path: string): Promise<string> {
  try {
    const reader = await openAiff(path);
    await reader.close();
  } catch (error) {
    assert.ok(error instanceof AudioFileError, `not an AudioFileError: ${error}`);
    assert.equal(error.file, path);
    assert.doesNotMatch(error.problem, /\n/);
    return error.problem;
  }
  assert.fail(`${path} opened without error`);
}

test('bad files each give one specific line', async () => {
  const valid = readFileSync(caseFile('ffmpeg-s16be.aiff'));
  const samples = ssnd(Buffer.alloc(16));
  const expectations: [string, Buffer, string][] = [
    ['truncated.aiff', valid.subarray(0, valid.length - 2001), `truncated: the COMM chunk declares ${FRAMES} frames but only ${FRAMES - 501} are present`],
    ['garbage.aiff', Buffer.from('MThd this is a MIDI file, not audio'), 'not an AIFF file (no FORM/AIFF header)'],
    ['no-comm.aiff', form('AIFF', samples), 'AIFF header has no COMM chunk'],
    ['no-ssnd.aiff', form('AIFF', comm()), 'AIFF has no SSND chunk'],
    ['zero-channels.aiff', form('AIFF', comm({ channels: 0 }), samples), 'AIFF COMM declares 0 channels'],
    ['zero-rate.aiff', form('AIFF', comm({ rate: '00000000000000000000' }), samples), 'AIFF COMM declares sample rate 0 Hz'],
    ['nan-rate.aiff', form('AIFF', comm({ rate: '7fff4000000000000000' }), samples), 'AIFF COMM declares sample rate NaN Hz'],
    ['zero-bits.aiff', form('AIFF', comm({ bits: 0 }), samples), 'AIFF COMM declares 0 bits per sample'],
    ['empty.aiff', form('AIFF', comm({ frames: 0 }), ssnd(Buffer.alloc(0))), 'contains no audio (0 frames)'],
    ['ulaw.aifc', form('AIFC', comm({ compression: 'ulaw' }), samples), "unsupported AIFF-C compression 'ulaw' (not PCM)"],
    ['short-ssnd.aiff', form('AIFF', comm({ frames: 10 }), samples), 'truncated: the COMM chunk declares 10 frames but only 4 are present'],
  ];
  for (const [name, bytes, problem] of expectations) {
    assert.equal(await problemOf(save(name, bytes)), problem, name);
  }
});

test('AIFF-C µ-law written by ffmpeg is refused by name', async () => {
  const path = join(dir, 'mulaw.aifc');
  runTool('ffmpeg', [...ffmpegInput(8000, 1), '-i', source('mulaw', 8000, 1), '-c:a', 'pcm_mulaw', '-f', 'aiff', path]);
  assert.match(await problemOf(path), /^unsupported AIFF-C compression 'ulaw'/);
});
