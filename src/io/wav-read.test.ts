import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWithFfmpeg, runTool, SHARED, tempDir, testSignal, writeRawF32 } from '../../test/support/tools.js';
import type { AudioReader } from './api.js';
import { AudioFileError } from './errors.js';
import { openWav } from './wav-read.js';

const dir = tempDir('mixmaster-wav-read-');
const FRAMES = 12_345; // not a multiple of any block size

async function readAll(reader: AudioReader, blockFrames?: number): Promise<Float32Array[]> {
  const parts: Float32Array[][] = [];
  for await (const block of reader.blocks(blockFrames)) parts.push(block.map((samples) => samples.slice()));
  await reader.close();
  return reader.info.channelLayout.map((_, c) => {
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
    assert.equal(a[c].length, b[c].length, `frames in channel ${c + 1}`);
    for (let i = 0; i < a[c].length; i++) max = Math.max(max, Math.abs(a[c][i] - b[c][i]));
  }
  return max;
}

function source(name: string, sampleRate: number, channelCount: number): string {
  const path = join(dir, `${name}.f32`);
  writeRawF32(path, testSignal(FRAMES, sampleRate, channelCount, 0.9));
  return path;
}

type Tool = (src: string, out: string, sampleRate: number, channelCount: number) => void;

const sox = (outputArgs: string[]): Tool => (src, out, rate, channels) => {
  runTool('sox', ['-t', 'f32', '-r', String(rate), '-c', String(channels), src, ...outputArgs, out]);
};
const ffmpeg = (outputArgs: string[], inputArgs: string[] = []): Tool => (src, out, rate, channels) => {
  runTool('ffmpeg', ['-v', 'error', '-y', '-f', 'f32le', '-ar', String(rate), '-ac', String(channels), ...inputArgs, '-i', src, ...outputArgs, out]);
};

interface OracleCase {
  name: string;
  sampleRate: number;
  channelCount: number;
  tool: Tool;
  codec: string;
  format?: 'wav' | 'rf64';
  layout?: string;
}

const cases: OracleCase[] = [
  { name: 'sox-s16', sampleRate: 44100, channelCount: 2, tool: sox(['-b', '16']), codec: 'PCM 16-bit' },
  { name: 'sox-s24-extensible', sampleRate: 48000, channelCount: 2, tool: sox(['-b', '24']), codec: 'PCM 24-bit', layout: 'L R' },
  { name: 'sox-s32', sampleRate: 48000, channelCount: 2, tool: sox(['-e', 'signed-integer', '-b', '32']), codec: 'PCM 32-bit' },
  { name: 'sox-f32', sampleRate: 44100, channelCount: 2, tool: sox(['-e', 'floating-point', '-b', '32']), codec: 'IEEE float 32-bit' },
  { name: 'sox-f64', sampleRate: 44100, channelCount: 1, tool: sox(['-e', 'floating-point', '-b', '64']), codec: 'IEEE float 64-bit', layout: 'M' },
  { name: 'sox-u8', sampleRate: 22050, channelCount: 2, tool: sox(['-b', '8']), codec: 'PCM 8-bit' },
  { name: 'sox-s24-96k', sampleRate: 96000, channelCount: 2, tool: sox(['-b', '24']), codec: 'PCM 24-bit' },
  { name: 'ffmpeg-s16', sampleRate: 44100, channelCount: 2, tool: ffmpeg(['-c:a', 'pcm_s16le']), codec: 'PCM 16-bit' },
  { name: 'ffmpeg-s24', sampleRate: 48000, channelCount: 2, tool: ffmpeg(['-c:a', 'pcm_s24le']), codec: 'PCM 24-bit' },
  { name: 'ffmpeg-s32', sampleRate: 48000, channelCount: 2, tool: ffmpeg(['-c:a', 'pcm_s32le']), codec: 'PCM 32-bit' },
  { name: 'ffmpeg-f32', sampleRate: 48000, channelCount: 2, tool: ffmpeg(['-c:a', 'pcm_f32le']), codec: 'IEEE float 32-bit' },
  { name: 'ffmpeg-f64', sampleRate: 48000, channelCount: 2, tool: ffmpeg(['-c:a', 'pcm_f64le']), codec: 'IEEE float 64-bit' },
  { name: 'ffmpeg-u8', sampleRate: 8000, channelCount: 1, tool: ffmpeg(['-c:a', 'pcm_u8']), codec: 'PCM 8-bit' },
  { name: 'ffmpeg-s16-96k', sampleRate: 96000, channelCount: 2, tool: ffmpeg(['-c:a', 'pcm_s16le']), codec: 'PCM 16-bit' },
  // ffmpeg's "5.1" is FL FR FC LFE BL BR (mask 0x3F); "5.1(side)" is the SL SR variant (mask 0x60F).
  { name: 'ffmpeg-5.1(side)', sampleRate: 48000, channelCount: 6, tool: ffmpeg(['-c:a', 'pcm_s24le'], ['-channel_layout', '5.1(side)']), codec: 'PCM 24-bit', layout: 'L R C LFE Ls Rs' },
  { name: 'ffmpeg-5.1', sampleRate: 48000, channelCount: 6, tool: ffmpeg(['-c:a', 'pcm_s16le'], ['-channel_layout', '5.1']), codec: 'PCM 16-bit', layout: 'L R C LFE Lb Rb' },
  { name: 'ffmpeg-rf64', sampleRate: 48000, channelCount: 2, tool: ffmpeg(['-c:a', 'pcm_s24le', '-rf64', 'always']), codec: 'PCM 24-bit', format: 'rf64' },
];

/** Makes (once) the oracle file of the named case; returns its path. */
function oracleFile(name: string): string {
  const c = cases.find((candidate) => candidate.name === name)!;
  const path = join(dir, `${c.name}.wav`);
  if (!existsSync(path)) c.tool(source(c.name, c.sampleRate, c.channelCount), path, c.sampleRate, c.channelCount);
  return path;
}

for (const c of cases) {
  test(`reads ${c.name} exactly as ffmpeg decodes it`, async () => {
    const path = oracleFile(c.name);
    const reader = await openWav(path);
    const { info } = reader;
    assert.equal(info.codec, c.codec);
    assert.equal(info.format, c.format ?? 'wav');
    assert.equal(info.sampleRate, c.sampleRate);
    assert.equal(info.channelCount, c.channelCount);
    assert.equal(info.frames, FRAMES);
    if (c.layout) assert.equal(info.channelLayout.join(' '), c.layout);
    const ours = await readAll(reader, 4096);
    const oracle = decodeWithFfmpeg(path, c.channelCount);
    assert.equal(maxDifference(ours, oracle), 0); // same single rounding to float32 as ffmpeg: exact
  });
}

test('BW64 (RF64 with the BW64 magic) reads like RF64', async () => {
  const rf64 = oracleFile('ffmpeg-rf64');
  const bytes = readFileSync(rf64);
  bytes.write('BW64', 0, 'latin1');
  const bw64 = join(dir, 'bw64.wav');
  writeFileSync(bw64, bytes);
  const reader = await openWav(bw64);
  assert.equal(reader.info.format, 'rf64');
  assert.equal(reader.info.frames, FRAMES);
  assert.equal(maxDifference(await readAll(reader), decodeWithFfmpeg(rf64, 2)), 0);
});

test('streams blocks of at most blockFrames, reusing the arrays, covering every frame once', async () => {
  const path = oracleFile('ffmpeg-s16');
  const whole = await readAll(await openWav(path));
  const reader = await openWav(path);
  const lengths: number[] = [];
  const buffers = new Set<ArrayBufferLike>();
  let at = 0;
  for await (const block of reader.blocks(1000)) {
    lengths.push(block[0].length);
    buffers.add(block[0].buffer);
    for (let i = 0; i < block[0].length; i++) assert.equal(block[1][i], whole[1][at + i]);
    at += block[0].length;
  }
  await reader.close();
  assert.deepEqual(lengths, [...Array(12).fill(1000), 345]);
  assert.equal(buffers.size, 1, 'one reused buffer per channel');
  assert.equal(at, FRAMES);
});

test('LIST/INFO tags written by ffmpeg become metadata; the LIST chunk is kept verbatim', async () => {
  const path = join(dir, 'tags.wav');
  runTool('ffmpeg', ['-v', 'error', '-y', '-f', 'f32le', '-ar', '44100', '-ac', '2', '-i', source('tags', 44100, 2),
    '-metadata', 'title=Fishin’', '-metadata', 'artist=Karissa', '-metadata', 'album=Lake', '-metadata', 'date=2024',
    '-metadata', 'genre=Folk', '-metadata', 'track=3', '-metadata', 'comment=take 2', '-c:a', 'pcm_s16le', path]);
  const reader = await openWav(path);
  await reader.close();
  assert.deepEqual(
    { ...reader.info.metadata },
    { title: 'Fishin’', artist: 'Karissa', album: 'Lake', year: '2024', genre: 'Folk', track: 3, comment: 'take 2' },
  );
  assert.deepEqual(reader.info.chunks.map((chunk) => chunk.id), ['LIST']);
});

test('EBU conformance files read exactly as ffmpeg decodes them', async (t) => {
  const files = ['tech3341/seq-3341-1-16bit.wav', 'tech3341/seq-3341-10-1-24bit.wav', 'bs2217/1770-2_Comp_RelGateTest.wav']
    .map((name) => join(SHARED, 'conformance/ebu', name))
    .filter((path) => existsSync(path));
  if (files.length === 0) return t.skip('shared conformance files not present');
  for (const path of files) {
    const reader = await openWav(path);
    const expected = decodeWithFfmpeg(path, reader.info.channelCount);
    assert.equal(reader.info.frames, expected[0].length, path);
    assert.equal(maxDifference(await readAll(reader), expected), 0, path);
  }
});

// ---- hand-made files ----

interface FmtFields { tag?: number; channels?: number; rate?: number; blockAlign?: number; bits?: number }

function fmtChunk({ tag = 1, channels = 2, rate = 44100, bits = 16, blockAlign }: FmtFields = {}): Buffer {
  const body = Buffer.alloc(16);
  body.writeUInt16LE(tag, 0);
  body.writeUInt16LE(channels, 2);
  body.writeUInt32LE(rate, 4);
  const align = blockAlign ?? channels * Math.ceil(bits / 8);
  body.writeUInt32LE(rate * align, 8);
  body.writeUInt16LE(align, 12);
  body.writeUInt16LE(bits, 14);
  return chunk('fmt ', body);
}

function chunk(id: string, body: Buffer, { pad = true, size = body.length } = {}): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'latin1');
  header.writeUInt32LE(size, 4);
  return Buffer.concat([header, body, pad && body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

function riff(...chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from('WAVE'), ...chunks]);
  const header = Buffer.alloc(8);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body]);
}

function pcm16(frames: number, channels = 2): Buffer {
  const samples = Buffer.alloc(frames * channels * 2);
  for (let i = 0; i < frames * channels; i++) samples.writeInt16LE(((i * 7919) % 65536) - 32768, i * 2);
  return samples;
}

function save(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

test('odd-sized chunks before data (padded or not) are skipped or kept verbatim', async () => {
  const ixml = Buffer.from('<BWFXML>odd</BWFXML>!'); // 21 bytes: odd
  const samples = pcm16(100);
  const padded = save('odd-padded.wav', riff(fmtChunk(), chunk('abcd', Buffer.from('xyz')), chunk('iXML', ixml), chunk('data', samples)));
  const unpadded = save('odd-unpadded.wav', riff(fmtChunk(), chunk('iXML', ixml, { pad: false }), chunk('data', samples)));
  for (const path of [padded, unpadded]) {
    const reader = await openWav(path);
    assert.equal(reader.info.frames, 100);
    assert.deepEqual(reader.info.chunks.map((c) => c.id), ['iXML']);
    assert.deepEqual(Buffer.from(reader.info.chunks[0].data), ixml);
    const channels = await readAll(reader);
    assert.equal(channels[1][0], samples.readInt16LE(2) / 32768);
    assert.equal(channels[0][99], samples.readInt16LE(396) / 32768);
  }
  assert.equal(maxDifference(await readAll(await openWav(padded)), decodeWithFfmpeg(padded, 2)), 0);
});

test('a data size of 0xFFFFFFFF in plain RIFF (streaming writers) means "to the end of the file"', async () => {
  const path = save('streamed.wav', riff(fmtChunk(), chunk('data', pcm16(321), { size: 0xffffffff })));
  const reader = await openWav(path);
  assert.equal(reader.info.frames, 321);
  assert.equal((await readAll(reader))[0].length, 321);
});

test('extensible channel masks map to labels in mask-bit order', async () => {
  const ext = Buffer.alloc(40);
  fmtChunk({ channels: 4, bits: 24 }).copy(ext, 0, 8, 24);
  ext.writeUInt16LE(0xfffe, 0);
  ext.writeUInt16LE(22, 16);
  ext.writeUInt16LE(20, 18); // 20 valid bits in a 24-bit container
  ext.writeUInt32LE(0x1 | 0x2 | 0x200 | 0x400, 20);
  Buffer.from([1, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71]).copy(ext, 24);
  const reader = await openWav(save('quad.wav', riff(chunk('fmt ', ext), chunk('data', Buffer.alloc(4 * 3 * 10)))));
  await reader.close();
  assert.deepEqual(reader.info.channelLayout, ['L', 'R', 'Ls', 'Rs']);
  assert.equal(reader.info.codec, 'PCM 20-bit');
  assert.equal(reader.info.bitsPerSample, 20);
});

test('streams a 3-minute 16-bit stereo 44.1 kHz file in blocks, every frame once (speed: bench/codecs.mjs)', async () => {
  const frames = 180 * 44100;
  const path = save('long.wav', riff(fmtChunk(), chunk('data', pcm16(frames))));
  const reader = await openWav(path);
  let seen = 0;
  for await (const block of reader.blocks()) seen += block[0].length;
  await reader.close();
  assert.equal(seen, frames);
});

// ---- bad files: one specific line each ----

async function problemOf(path: string): Promise<string> {
  try {
    const reader = await openWav(path);
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
  const valid = readFileSync(oracleFile('ffmpeg-s16'));
  const headerBytes = valid.indexOf('data') + 8; // ffmpeg puts a LIST chunk before data
  const data = chunk('data', pcm16(10));
  const expectations: [string, Buffer, string][] = [
    ['truncated.wav', valid.subarray(0, valid.length - 1001), `truncated: the data chunk declares ${FRAMES} frames but only ${FRAMES - 251} are present`],
    ['garbage.wav', Buffer.from('this is not audio at all, just some text in a file'), 'not a WAV file (no RIFF/WAVE header)'],
    ['tiny.wav', Buffer.from('RIFF'), 'not a WAV file (no RIFF/WAVE header)'],
    ['header-only.wav', valid.subarray(0, headerBytes), `truncated: the data chunk declares ${FRAMES} frames but only 0 are present`],
    ['no-data.wav', riff(fmtChunk()), 'WAV has no data chunk'],
    ['no-fmt.wav', riff(data), 'WAV header has no fmt chunk'],
    ['zero-channels.wav', riff(fmtChunk({ channels: 0, blockAlign: 0 }), data), 'WAV fmt declares 0 channels'],
    ['zero-rate.wav', riff(fmtChunk({ rate: 0 }), data), 'WAV fmt declares sample rate 0 Hz'],
    ['adpcm.wav', riff(fmtChunk({ tag: 2, bits: 4 }), data), 'unsupported WAV encoding (format tag 0x0002, ADPCM)'],
    ['mystery.wav', riff(fmtChunk({ tag: 0x1234 }), data), 'unsupported WAV encoding (format tag 0x1234)'],
    ['misaligned.wav', riff(fmtChunk({ blockAlign: 3 }), data), 'WAV fmt block align is 3 bytes but 2 channels of 16-bit samples need 4'],
    ['float16.wav', riff(fmtChunk({ tag: 3, bits: 16 }), data), 'unsupported WAV sample size (IEEE float 16-bit)'],
    ['zero-bits.wav', riff(fmtChunk({ bits: 0, blockAlign: 4 }), data), 'WAV fmt declares 0 bits per sample'],
    ['short-fmt.wav', riff(chunk('fmt ', Buffer.alloc(10)), data), 'WAV fmt chunk is too short (10 bytes)'],
    ['empty.wav', riff(fmtChunk(), chunk('data', Buffer.alloc(0))), 'contains no audio (0 frames)'],
    ['rf64-no-ds64.wav', Buffer.concat([Buffer.from('RF64'), Buffer.from([255, 255, 255, 255]), riff(fmtChunk(), chunk('data', pcm16(4), { size: 0xffffffff })).subarray(8)]), 'RF64 file has no ds64 chunk'],
  ];
  for (const [name, bytes, problem] of expectations) {
    assert.equal(await problemOf(save(name, bytes)), problem, name);
  }
});

test('a file cut short after open is reported, not decoded short', async () => {
  const path = save('shrinks.wav', riff(fmtChunk(), chunk('data', pcm16(5000))));
  const reader = await openWav(path);
  writeFileSync(path, readFileSync(path).subarray(0, 44 + 4 * 3000));
  await assert.rejects(readAll(reader, 1024), (error: AudioFileError) =>
    error.problem === 'truncated: the header declares 5000 frames but only 3000 are present');
  await reader.close();
});

/**
 * Stereo codes of `bits` (the special ones first, then pseudo-random) written as a WAV, read back in each
 * block size: every sample must be exactly code / 2^(bits - 1).
 */
async function assertStereoCodesRead(bits: 16 | 24, frames: number, special: number[], blockSizes: number[]): Promise<void> {
  const codes = new Int32Array(frames * 2);
  let seed = bits;
  for (let i = 0; i < codes.length; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    codes[i] = i < special.length ? special[i] : (seed >> (32 - bits));
  }
  const bytes = bits / 8;
  const data = Buffer.alloc(codes.length * bytes);
  for (let i = 0; i < codes.length; i++) data.writeIntLE(codes[i], bytes * i, bytes);
  const path = join(dir, `codes-${bits}.wav`);
  writeFileSync(path, riff(fmtChunk({ bits }), chunk('data', data)));
  for (const blockFrames of blockSizes) {
    const [left, right] = await readAll(await openWav(path), blockFrames);
    assert.equal(left.length, frames);
    for (let i = 0; i < frames; i++) {
      assert.equal(left[i], codes[2 * i] / 2 ** (bits - 1), `left ${i} (blocks of ${blockFrames})`);
      assert.equal(right[i], codes[2 * i + 1] / 2 ** (bits - 1), `right ${i} (blocks of ${blockFrames})`);
    }
  }
}

test('stereo 24-bit reads every code exactly (the word-wise path), in any block size, odd frame counts included', async () => {
  // Codes with every byte pattern that matters: extremes, sign boundaries, single bits.
  await assertStereoCodesRead(24, 1001, [-8388608, 8388607, -1, 0, 1, 0x7fff00, -0x800000 + 0xff, 0x00ff00, -256, 255, 0x123456, -0x123456], [1, 2, 3, 64, 999, 4096]);
});

test('stereo 16-bit reads every code exactly (the word-wise path), in any block size', async () => {
  await assertStereoCodesRead(16, 777, [-32768, 32767, -1, 0, 1, 255, -256, 0x7f00, -0x7f00, 0x1234], [1, 5, 256, 4096]);
});
