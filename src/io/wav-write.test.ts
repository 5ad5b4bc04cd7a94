import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { decodeWithFfmpeg, runTool, tempDir, testSignal } from '../../test/support/tools.js';
import type { AudioReader, SampleEncoding } from './api.js';
import { openWav } from './wav-read.js';
import { createWavWriter, type WavWriterOptions } from './wav-write.js';

const dir = tempDir('mixmaster-wav-write-');
const RATE = 48000;

async function readAll(reader: AudioReader): Promise<Float32Array[]> {
  const out = reader.info.channelLayout.map(() => new Float32Array(reader.info.frames ?? 0));
  let at = 0;
  for await (const block of reader.blocks(5000)) {
    block.forEach((samples, c) => out[c].set(samples, at));
    at += block[0].length;
  }
  await reader.close();
  return out;
}

/** Writes `channels` in uneven pieces (so buffering across write calls is exercised). */
async function writeWav(path: string, channels: Float32Array[], options: Partial<WavWriterOptions> & { encoding: SampleEncoding }) {
  const writer = await createWavWriter(path, { sampleRate: RATE, channelCount: channels.length, ...options });
  const frames = channels[0].length;
  for (let at = 0, piece = 777; at < frames; at += piece, piece = piece * 3 + 1) {
    const count = Math.min(piece, frames - at);
    await writer.write(channels.map((samples) => samples.subarray(at, at + count)), count);
  }
  await writer.finish();
}

/** Rounds a signal onto the 16/24-bit grid so a plain-rounding write must reproduce it exactly. */
function onGrid(channels: Float32Array[], bits: number): Float32Array[] {
  const scale = 2 ** (bits - 1);
  return channels.map((samples) => samples.map((x) => Math.round(x * scale) / scale));
}

function assertIdentical(actual: Float32Array[], expected: Float32Array[], what: string, tolerance = 0) {
  assert.equal(actual.length, expected.length, `${what}: channel count`);
  actual.forEach((samples, c) => {
    assert.equal(samples.length, expected[c].length, `${what}: frames`);
    const i = samples.findIndex((x, k) => !(Math.abs(x - expected[c][k]) <= tolerance));
    assert.equal(i, -1, `${what}: channel ${c + 1} differs at frame ${i}: ${samples[i]} vs ${expected[c][i]}`);
  });
}

function decodeWithSox(path: string, channelCount: number): Float32Array[] {
  const result = spawnSync('sox', [path, '-t', 'f32', '-'], { maxBuffer: 512 * 1024 * 1024 });
  assert.equal(result.status, 0, String(result.stderr));
  const bytes = Buffer.from(result.stdout);
  const interleaved = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return Array.from({ length: channelCount }, (_, c) => interleaved.filter((_, i) => i % channelCount === c));
}

const roundTrips: { name: string; encoding: SampleEncoding; channels: number; bits: number }[] = [
  { name: 's16-stereo', encoding: { kind: 'int', bits: 16 }, channels: 2, bits: 16 },
  { name: 's24-stereo', encoding: { kind: 'int', bits: 24 }, channels: 2, bits: 24 },
  { name: 's24-mono-odd', encoding: { kind: 'int', bits: 24 }, channels: 1, bits: 24 },
  { name: 'f32-stereo', encoding: { kind: 'float', bits: 32 }, channels: 2, bits: 0 },
  { name: 's16-5.1', encoding: { kind: 'int', bits: 16 }, channels: 6, bits: 16 },
  { name: 'f32-5.1', encoding: { kind: 'float', bits: 32 }, channels: 6, bits: 0 },
];

for (const c of roundTrips) {
  test(`${c.name}: our reader, ffmpeg and sox all get back exactly what was written`, async () => {
    const frames = 30_001; // odd: a mono 24-bit data chunk then needs a pad byte
    const signal = testSignal(frames, RATE, c.channels, 0.95);
    const input = c.bits ? onGrid(signal, c.bits) : signal;
    const path = join(dir, `${c.name}.wav`);
    await writeWav(path, input, { encoding: c.encoding, dither: 'none' });

    const bytes = readFileSync(path);
    assert.equal(bytes.readUInt32LE(4), bytes.length - 8, 'RIFF size');
    assert.equal(bytes.length % 2, 0, 'chunks padded to even sizes');
    const reader = await openWav(path);
    assert.equal(reader.info.frames, frames);
    assert.equal(reader.info.channelCount, c.channels);
    assert.deepEqual(reader.info.channelLayout, c.channels === 6 ? ['L', 'R', 'C', 'LFE', 'Ls', 'Rs'] : c.channels === 2 ? ['L', 'R'] : ['M']);
    assertIdentical(await readAll(reader), input, 'our reader');
    assertIdentical(decodeWithFfmpeg(path, c.channels), input, 'ffmpeg');
    // sox carries samples as int32 internally, so float comes back within a few float32 ULPs, not exactly.
    assertIdentical(decodeWithSox(path, c.channels), input, 'sox', c.bits ? 0 : 1e-7);
    if (c.channels === 6) {
      const probe = runTool('ffprobe', ['-v', 'error', '-show_streams', path]);
      assert.match(probe, /channel_layout=5\.1\(side\)/);
    }
  });
}

test('format tags: plain PCM for 16-bit stereo, IEEE float + fact for 32f stereo, extensible otherwise', async () => {
  const layoutOf = async (encoding: SampleEncoding, channelCount: number) => {
    const path = join(dir, `tags-${encoding.kind}${encoding.bits}-${channelCount}.wav`);
    await writeWav(path, testSignal(1001, RATE, channelCount), { encoding });
    const bytes = readFileSync(path);
    const fmt = bytes.indexOf('fmt ');
    const fact = bytes.indexOf('fact');
    return {
      junkFirst: bytes.toString('latin1', 12, 16) === 'JUNK',
      tag: bytes.readUInt16LE(fmt + 8),
      factFrames: fact > 0 ? bytes.readUInt32LE(fact + 8) : null,
    };
  };
  assert.deepEqual(await layoutOf({ kind: 'int', bits: 16 }, 2), { junkFirst: true, tag: 1, factFrames: null });
  assert.deepEqual(await layoutOf({ kind: 'float', bits: 32 }, 2), { junkFirst: true, tag: 3, factFrames: 1001 });
  assert.deepEqual(await layoutOf({ kind: 'int', bits: 24 }, 2), { junkFirst: true, tag: 0xfffe, factFrames: null });
  assert.deepEqual(await layoutOf({ kind: 'int', bits: 16 }, 3), { junkFirst: true, tag: 0xfffe, factFrames: null });
  assert.deepEqual(await layoutOf({ kind: 'float', bits: 32 }, 6), { junkFirst: true, tag: 0xfffe, factFrames: 1001 });
});

test('16-bit TPDF dither: error is noise of RMS sqrt(1/12 + 1/6) = 0.5 LSB with mean 0; deterministic per seed', async (t) => {
  const frames = 200_000;
  const input = testSignal(frames, RATE, 2, 0.5);
  const path = join(dir, 'dithered.wav');
  await writeWav(path, input, { encoding: { kind: 'int', bits: 16 } }); // dither defaults to TPDF
  const output = await readAll(await openWav(path));
  let sum = 0;
  let squares = 0;
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < frames; i++) {
      const errorLsb = (output[c][i] - input[c][i]) * 32768;
      sum += errorLsb;
      squares += errorLsb * errorLsb;
    }
  }
  const mean = sum / (2 * frames);
  const rms = Math.sqrt(squares / (2 * frames));
  const expected = Math.sqrt(1 / 12 + 1 / 6);
  t.diagnostic(`TPDF error: RMS ${rms.toFixed(4)} LSB (theory ${expected.toFixed(4)}), mean ${mean.toFixed(5)} LSB`);
  assert.ok(Math.abs(rms - expected) < 0.1 * expected, `error RMS ${rms.toFixed(4)} LSB, expected ${expected.toFixed(4)}`);
  assert.ok(Math.abs(mean) < 0.01, `error mean ${mean} LSB`);

  // Same seed → same bytes; another seed → other bytes.
  const again = join(dir, 'dithered-again.wav');
  const other = join(dir, 'dithered-seed-2.wav');
  await writeWav(again, input, { encoding: { kind: 'int', bits: 16 } });
  await writeWav(other, input, { encoding: { kind: 'int', bits: 16 }, ditherSeed: 2 });
  assert.ok(readFileSync(path).equals(readFileSync(again)));
  assert.ok(!readFileSync(path).equals(readFileSync(other)));

  // The dither does not depend on how the caller splits its writes (writeWav uses uneven pieces).
  const oneWrite = join(dir, 'dithered-one-write.wav');
  const writer = await createWavWriter(oneWrite, { sampleRate: RATE, channelCount: 2, encoding: { kind: 'int', bits: 16 } });
  await writer.write(input, frames);
  await writer.finish();
  assert.ok(readFileSync(path).equals(readFileSync(oneWrite)));
});

test('int output clips overs to the integer range; float output keeps them', async () => {
  const overs = [new Float32Array([1.5, -1.5, 1, -1, 0.99999, -100, 0.5])];
  await writeWav(join(dir, 'clip16.wav'), overs, { encoding: { kind: 'int', bits: 16 }, dither: 'none' });
  await writeWav(join(dir, 'clip24.wav'), overs, { encoding: { kind: 'int', bits: 24 } });
  await writeWav(join(dir, 'over32f.wav'), overs, { encoding: { kind: 'float', bits: 32 } });
  const max16 = 32767 / 32768;
  const max24 = 8388607 / 8388608;
  assert.deepEqual([...(await readAll(await openWav(join(dir, 'clip16.wav'))))[0]], [max16, -1, max16, -1, max16, -1, 0.5]);
  const clipped24 = (await readAll(await openWav(join(dir, 'clip24.wav'))))[0];
  assert.deepEqual([...clipped24.subarray(0, 4)], [max24, -1, max24, -1]);
  assert.deepEqual([...(await readAll(await openWav(join(dir, 'over32f.wav'))))[0]], [...overs[0]]);
});

test('metadata: LIST/INFO for ffprobe and our reader, bext v1 with Description = title', async () => {
  const path = join(dir, 'tagged.wav');
  const metadata = { title: 'Let’s Go Fishin’', artist: 'Karissa Hobbs', album: 'Lake Songs', year: '2024', genre: 'Folk', track: 7, comment: 'master v2', isrc: 'USABC2400007' };
  await writeWav(path, testSignal(1000, RATE), { encoding: { kind: 'int', bits: 24 }, metadata });

  const probe = runTool('ffprobe', ['-v', 'error', '-show_format', path]);
  for (const line of ['TAG:title=Let’s Go Fishin’', 'TAG:artist=Karissa Hobbs', 'TAG:album=Lake Songs', 'TAG:date=2024', 'TAG:genre=Folk', 'TAG:track=7', 'TAG:comment=master v2']) {
    assert.ok(probe.includes(line), `ffprobe lacks ${line}:\n${probe}`);
  }
  const reader = await openWav(path);
  await reader.close();
  assert.deepEqual({ ...reader.info.metadata }, metadata);
  const bext = reader.info.chunks.find((chunk) => chunk.id === 'bext');
  assert.ok(bext, 'bext chunk present');
  const body = Buffer.from(bext.data);
  assert.equal(body.length, 602);
  assert.equal(body.toString('utf8', 0, 256).replace(/\0+$/, ''), metadata.title);
  assert.equal(body.toString('latin1', 256, 288).replace(/\0+$/, ''), 'mixmaster');
  assert.match(body.toString('latin1', 320, 338), /^\d{4}-\d{2}-\d{2}\d{2}:\d{2}:\d{2}$/);
  assert.equal(body.readUInt16LE(346), 1, 'bext version');

  // A fixed origination date makes the file byte-identical run to run.
  const fixed = { encoding: { kind: 'int', bits: 24 } as const, metadata, originationDate: new Date(2024, 4, 17, 9, 5, 3) };
  await writeWav(join(dir, 'fixed-a.wav'), testSignal(1000, RATE), fixed);
  await writeWav(join(dir, 'fixed-b.wav'), testSignal(1000, RATE), fixed);
  const a = readFileSync(join(dir, 'fixed-a.wav'));
  assert.ok(a.equals(readFileSync(join(dir, 'fixed-b.wav'))));
  assert.equal(a.toString('latin1', a.indexOf('bext') + 8 + 320, a.indexOf('bext') + 8 + 338), '2024-05-1709:05:03');
});

test('passes chunks through, except fmt/data/fact/JUNK and the ones it regenerates', async () => {
  const ixml = { id: 'iXML', data: new TextEncoder().encode('<BWFXML><SCENE>12</SCENE></BWFXML>!') }; // odd length
  const adtl = { id: 'LIST', data: new TextEncoder().encode('adtlnote\x04\x00\x00\x00abc\0') };
  const oldInfo = { id: 'LIST', data: new TextEncoder().encode('INFOINAM\x04\x00\x00\x00old\0') };
  const oldBext = { id: 'bext', data: new Uint8Array(602) };
  const chunks = [ixml, adtl, oldInfo, oldBext, { id: 'fmt ', data: new Uint8Array(16) }, { id: 'data', data: new Uint8Array(4) }];

  const kept = join(dir, 'passthrough.wav');
  await writeWav(kept, testSignal(100, RATE), { encoding: { kind: 'int', bits: 16 }, chunks });
  const keptReader = await openWav(kept);
  assertIdentical(await readAll(keptReader), decodeWithFfmpeg(kept, 2), 'ffmpeg agrees');
  assert.deepEqual(keptReader.info.chunks.map((c) => c.id), ['iXML', 'LIST', 'LIST', 'bext']);
  assert.deepEqual(keptReader.info.chunks[0].data, ixml.data);
  assert.equal(keptReader.info.metadata.title, 'old');

  const retagged = join(dir, 'retagged.wav');
  await writeWav(retagged, testSignal(100, RATE), { encoding: { kind: 'int', bits: 16 }, chunks, metadata: { title: 'new' } });
  const retaggedReader = await openWav(retagged);
  await retaggedReader.close();
  assert.equal(retaggedReader.info.metadata.title, 'new');
  assert.deepEqual(retaggedReader.info.chunks.map((c) => c.id).sort(), ['LIST', 'LIST', 'bext', 'iXML']);
  assert.equal(retaggedReader.info.chunks.filter((c) => c.id === 'bext').length, 1);
});

test('past the RF64 threshold the JUNK chunk becomes ds64 and the header RF64', async () => {
  const path = join(dir, 'big.wav');
  const input = onGrid(testSignal(50_000, RATE, 2), 24);
  await writeWav(path, input, { encoding: { kind: 'int', bits: 24 }, dither: 'none', rf64ThresholdBytes: 100_000 });
  const bytes = readFileSync(path);
  assert.equal(bytes.toString('latin1', 0, 4), 'RF64');
  assert.equal(bytes.readUInt32LE(4), 0xffffffff);
  assert.equal(bytes.toString('latin1', 12, 16), 'ds64');
  assert.equal(Number(bytes.readBigUInt64LE(20)), bytes.length - 8, 'ds64 RIFF size');
  assert.equal(Number(bytes.readBigUInt64LE(28)), 50_000 * 6, 'ds64 data size');
  assert.equal(Number(bytes.readBigUInt64LE(36)), 50_000, 'ds64 sample count');
  const reader = await openWav(path);
  assert.equal(reader.info.format, 'rf64');
  assertIdentical(await readAll(reader), input, 'our reader');
  assertIdentical(decodeWithFfmpeg(path, 2), input, 'ffmpeg');
});

test('abort() leaves nothing behind; an existing file is untouched until finish()', async () => {
  const folder = tempDir('mixmaster-atomic-');
  const path = join(folder, 'out.wav');
  const aborted = await createWavWriter(path, { sampleRate: RATE, channelCount: 2, encoding: { kind: 'int', bits: 16 } });
  await aborted.write(testSignal(100_000, RATE), 100_000);
  assert.equal(readdirSync(folder).length, 1, 'a temp file while writing');
  assert.ok(!existsSync(path));
  await aborted.abort();
  assert.deepEqual(readdirSync(folder), []);
  await assert.rejects(aborted.write(testSignal(10, RATE), 10), /already aborted/);

  writeFileSync(path, 'previous master');
  const writer = await createWavWriter(path, { sampleRate: RATE, channelCount: 2, encoding: { kind: 'float', bits: 32 } });
  await writer.write(testSignal(100_000, RATE), 100_000);
  assert.equal(readFileSync(path, 'utf8'), 'previous master');
  await writer.finish();
  assert.deepEqual(readdirSync(folder), ['out.wav']);
  const reader = await openWav(path);
  await reader.close();
  assert.equal(reader.info.frames, 100_000);
  await assert.rejects(writer.finish(), /already finished/);
});

test('rejects NaN samples and mismatched channel counts', async () => {
  const writer = await createWavWriter(join(dir, 'nan.wav'), { sampleRate: RATE, channelCount: 2, encoding: { kind: 'int', bits: 24 } });
  await assert.rejects(writer.write([new Float32Array(4)], 4), /got 1 channels, expected 2/);
  await assert.rejects(writer.write([new Float32Array(4), new Float32Array([0, 0, NaN, 0])], 4), /NaN sample at frame 2, channel 2/);
  await writer.abort();
  await assert.rejects(createWavWriter(join(dir, 'x.wav'), { sampleRate: RATE, channelCount: 2, channelLayout: ['M'], encoding: { kind: 'int', bits: 16 } }), RangeError);
});
