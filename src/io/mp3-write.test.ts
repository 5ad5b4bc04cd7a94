import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MPEGDecoder } from 'mpg123-decoder';
import { createMp3Writer, LAME_ENCODER_DELAY, Mp3FrameScanner, type Mp3Mode } from './mp3-write.js';
import { findSystemLame, startLameProcess } from './lame-process.js';
import { buildLameTagFrame, crc16, parseMpegHeader, parseXingFrame, readUint32BE } from './mp3-xing.js';
import { readSyncsafe } from './id3.js';
import type { AudioMetadata } from './api.js';
import { decodeWithFfmpeg, hasTool, runTool, tempDir, testSignal } from '../../test/support/tools.js';

const haveFfmpeg = hasTool('ffmpeg') && hasTool('ffprobe');
type Encoder = 'system' | 'wasm';
/** Both LAMEs the writer can drive: the system's lame process (when installed) and the wasm build. */
const ENCODERS: { encoder: Encoder; label: string; skip: boolean }[] = [
  { encoder: 'wasm', label: 'wasm LAME', skip: false },
  { encoder: 'system', label: 'system LAME', skip: findSystemLame() === null },
];
const METADATA: AudioMetadata = {
  title: 'Gapless Test ☃',
  artist: 'Mixmaster',
  album: 'Tests',
  albumArtist: 'Various',
  year: '2025',
  genre: 'Noise',
  track: 4,
  isrc: 'USRC17607839',
  comment: 'odd length',
  encodedBy: 'mixmaster',
};

/** Writes `signal` through the writer in uneven blocks (so block edges fall anywhere). */
async function encode(path: string, signal: Float32Array[], sampleRate: number, mode: Mp3Mode, metadata?: AudioMetadata, encoder: Encoder = 'wasm') {
  const writer = await createMp3Writer(path, { sampleRate, channelCount: signal.length, mode, metadata, encoder });
  const sizes = [10_000, 65_536, 1, 4093, 30_011];
  const frames = signal[0].length;
  for (let offset = 0, k = 0; offset < frames; k++) {
    const n = Math.min(sizes[k % sizes.length], frames - offset);
    await writer.write(signal.map((c) => c.subarray(offset, offset + n)), n);
    offset += n;
  }
  await writer.finish();
}

function ffprobe(path: string): any {
  return JSON.parse(runTool('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-print_format', 'json', path]));
}

/** Samples ffprobe's decoder returns (sum of nb_samples over decoded frames, gapless trimming applied). */
function ffprobeDecodedSamples(path: string): number {
  const out = runTool('ffprobe', ['-v', 'error', '-select_streams', 'a', '-show_entries', 'frame=nb_samples', '-of', 'csv=p=0', path]);
  return out.split('\n').filter(Boolean).reduce((sum, line) => sum + Number(line), 0);
}

async function mpg123Samples(path: string): Promise<number> {
  const decoder = new MPEGDecoder();
  await decoder.ready;
  try {
    const result = decoder.decode(new Uint8Array(readFileSync(path)));
    assert.equal(result.errors.length, 0);
    return result.samplesDecoded;
  } finally {
    decoder.free();
  }
}

/** The lag (decoded vs input) with the highest correlation over ±range, on a 1 s window. */
function bestLag(input: Float32Array, decoded: Float32Array, range = 1500, from = 20_000, length = 44_100): number {
  let best = -Infinity;
  let bestAt = 0;
  for (let lag = -range; lag <= range; lag++) {
    let sum = 0;
    for (let i = from; i < from + length; i++) sum += input[i] * (decoded[i + lag] ?? 0);
    if (sum > best) {
      best = sum;
      bestAt = lag;
    }
  }
  return bestAt;
}

function snrDb(input: Float32Array[], decoded: Float32Array[]): number {
  let signal = 0;
  let error = 0;
  for (let c = 0; c < input.length; c++) {
    for (let i = 0; i < input[c].length; i++) {
      signal += input[c][i] ** 2;
      error += (decoded[c][i] - input[c][i]) ** 2;
    }
  }
  return 10 * Math.log10(signal / error);
}

/** Splits a finished file into ID3 tag, tag frame and audio. */
function layout(path: string) {
  const bytes = new Uint8Array(readFileSync(path));
  const id3 = String.fromCharCode(...bytes.subarray(0, 3)) === 'ID3' ? 10 + readSyncsafe(bytes, 6) : 0;
  const xing = parseXingFrame(bytes.subarray(id3));
  assert.ok(xing && xing.lame, 'a Xing/Info + LAME frame follows the ID3 tag');
  const audio = bytes.subarray(id3 + xing.header.frameBytes);
  let frames = 0;
  for (let p = 0; p < audio.length; frames++) {
    const header = p + 4 <= audio.length ? parseMpegHeader(readUint32BE(audio, p)) : null;
    assert.ok(header && p + header.frameBytes <= audio.length, `frame ${frames} at audio byte ${p} is whole`);
    p += header.frameBytes;
  }
  return { bytes, id3, xing, audio, frames };
}

for (const { encoder, label, skip } of ENCODERS) {
  test(`CBR 320 at 44.1 kHz: gapless length, alignment, bitrate, LAME tag, ID3v2.4 [${label}]`, { skip: !haveFfmpeg || skip }, async () => {
    const sampleRate = 44100;
    const n = 441_037;
    const signal = testSignal(n, sampleRate, 2);
    const path = join(tempDir(), 'cbr.mp3');
    await encode(path, signal, sampleRate, { cbrKbps: 320 }, METADATA, encoder);

    const { xing, audio, frames, bytes, id3 } = layout(path);
    assert.equal(xing.kind, 'Info');
    assert.equal(xing.frames, frames);
    assert.equal(xing.bytes, bytes.length - id3);
    assert.equal(xing.lame!.musicLength, bytes.length - id3);
    assert.equal(xing.lame!.tagCrcOk, true);
    assert.equal(xing.lame!.musicCrc, crc16(audio));
    assert.equal(xing.lame!.version, 'LAME3.100');
    assert.equal(xing.lame!.encoderDelay, LAME_ENCODER_DELAY);
    assert.equal(xing.lame!.padding, frames * 1152 - LAME_ENCODER_DELAY - n);

    // Every decoder that honours the LAME tag returns exactly the input length.
    const decoded = decodeWithFfmpeg(path, 2);
    assert.equal(decoded[0].length, n, 'ffmpeg decodes exactly N frames');
    assert.equal(await mpg123Samples(path), n, 'mpg123 decodes exactly N frames');
    const probed = ffprobeDecodedSamples(path);
    assert.ok(Math.abs(probed / sampleRate - n / sampleRate) < 0.001, `ffprobe's decoded duration ${probed / sampleRate} s vs ${n / sampleRate} s`);
    const info = ffprobe(path);
    // ffprobe 5.1 states the container duration as frames × 1152 / rate, delay and padding included,
    // exactly as it does for LAME's own files (checked against the lame CLI below); start = 1105 samples.
    assert.ok(Math.abs(Number(info.format.duration) - (frames * 1152) / sampleRate) < 0.001);
    assert.ok(Math.abs(Number(info.streams[0].start_time) - (LAME_ENCODER_DELAY + 529) / sampleRate) < 0.0001);

    assert.equal(bestLag(signal[0], decoded[0]), 0, 'decoded audio aligns with the input');
    assert.equal(bestLag(signal[1], decoded[1]), 0);
    const snr = snrDb(signal, decoded);
    assert.ok(snr > 20, `SNR ${snr.toFixed(1)} dB`);

    const seconds = (frames * 1152) / sampleRate;
    const kbps = (audio.length * 8) / seconds / 1000;
    assert.ok(Math.abs(kbps - 320) / 320 < 0.01, `audio bitrate ${kbps.toFixed(2)} kb/s`);
    const fileKbps = (bytes.length * 8) / (n / sampleRate) / 1000;
    assert.ok(Math.abs(fileKbps - 320) / 320 < 0.03, `file bitrate ${fileKbps.toFixed(2)} kb/s over the music's duration`);

    const tags = info.format.tags;
    assert.equal(tags.title, METADATA.title);
    assert.equal(tags.artist, METADATA.artist);
    assert.equal(tags.album, METADATA.album);
    assert.equal(tags.album_artist, METADATA.albumArtist);
    assert.equal(tags.track, '4');
    assert.equal(tags.TSRC, METADATA.isrc);
    assert.equal(tags.date, '2025');
    assert.equal(tags.comment, METADATA.comment);
    assert.equal(tags.encoder, 'mixmaster');

    if (hasTool('lame') && hasTool('sox')) {
      // The lame CLI's own gapless file of the same length: same frame count, delay, padding, duration.
      const dir = tempDir();
      runTool('sox', ['-r', String(sampleRate), '-c', '2', '-n', '-b', '16', join(dir, 'ref.wav'), 'synth', `${n}s`, 'pinknoise', 'vol', '0.5']);
      runTool('lame', ['--silent', '-b', '320', join(dir, 'ref.wav'), join(dir, 'ref.mp3')]);
      const reference = parseXingFrame(new Uint8Array(readFileSync(join(dir, 'ref.mp3'))))!;
      assert.equal(reference.frames, xing.frames);
      assert.equal(reference.lame!.encoderDelay, xing.lame!.encoderDelay);
      assert.equal(reference.lame!.padding, xing.lame!.padding);
      assert.equal(ffprobe(join(dir, 'ref.mp3')).format.duration, info.format.duration);
    }
  });

  test(`V0 at 48 kHz: Xing TOC that ffprobe/ffmpeg use, exact length, seeking [${label}]`, { skip: !haveFfmpeg || skip }, async () => {
    const sampleRate = 48000;
    const n = 3 * sampleRate + 1;
    const signal = testSignal(n, sampleRate, 2);
    const path = join(tempDir(), 'v0.mp3');
    await encode(path, signal, sampleRate, { vbrQuality: 0 }, undefined, encoder);

    const { xing, frames, bytes } = layout(path);
    assert.equal(xing.kind, 'Xing');
    assert.equal(xing.header.bitrateKbps, 128, 'LAME-style 128 kb/s tag frame');
    assert.equal(xing.frames, frames);
    assert.equal(xing.bytes, bytes.length);
    assert.equal(xing.lame!.vbrMethod, 4);
    assert.equal(xing.lame!.tagCrcOk, true);
    const toc = xing.toc!;
    assert.equal(toc[0], 0);
    for (let i = 1; i < 100; i++) assert.ok(toc[i] >= toc[i - 1], 'TOC never decreases');
    assert.ok(toc[99] > 240, `TOC ends near the end (${toc[99]})`);

    // ffprobe takes the duration from the Xing frame count (a bitrate guess would give another number) and warns about nothing.
    const warnings = runTool('ffprobe', ['-v', 'warning', '-show_entries', 'format=duration', '-of', 'csv=p=0', path]);
    assert.equal(warnings.trim(), ((frames * 1152) / sampleRate).toFixed(6));
    const info = ffprobe(path);
    const expectedKbps = (bytes.length * 8) / ((frames * 1152) / sampleRate) / 1000;
    assert.ok(Math.abs(Number(info.format.bit_rate) / 1000 - expectedKbps) < 1);

    const decoded = decodeWithFfmpeg(path, 2);
    assert.equal(decoded[0].length, n);
    assert.equal(await mpg123Samples(path), n);
    assert.equal(ffprobeDecodedSamples(path), n);
    assert.equal(bestLag(signal[0], decoded[0]), 0);
    const snr = snrDb(signal, decoded);
    assert.ok(snr > 15, `SNR ${snr.toFixed(1)} dB`);

    // Seeking to 1.5 s returns the rest of the music, aligned.
    const result = runTool('sh', ['-c', `ffmpeg -v error -ss 1.5 -i '${path}' -ac 1 -f f32le - | wc -c`]);
    assert.equal(Number(result.trim()) / 4, n - 72_000);
  });

  test(`mono CBR at 32 kHz is gapless too [${label}]`, { skip: !haveFfmpeg || skip }, async () => {
    const sampleRate = 32000;
    const n = 96_013;
    const signal = testSignal(n, sampleRate, 1);
    const path = join(tempDir(), 'mono.mp3');
    await encode(path, signal, sampleRate, { cbrKbps: 320 }, undefined, encoder);
    const decoded = decodeWithFfmpeg(path, 1);
    assert.equal(decoded[0].length, n);
    assert.equal(await mpg123Samples(path), n);
    assert.equal(bestLag(signal[0], decoded[0], 1500, 10_000, 32_000), 0);
    assert.equal(layout(path).xing.header.channels, 1);
  });

  test(`out-of-range and non-finite samples are clamped, not fatal [${label}]`, { skip: !haveFfmpeg || skip }, async () => {
    const n = 20_000;
    const loud = new Float32Array(n).map((_, i) => 3 * Math.sin(i / 7));
    loud[100] = NaN;
    loud[200] = Infinity;
    const path = join(tempDir(), 'loud.mp3');
    await encode(path, [loud, loud.slice()], 44100, { cbrKbps: 320 }, undefined, encoder);
    const decoded = decodeWithFfmpeg(path, 2);
    assert.equal(decoded[0].length, n);
    assert.ok(decoded[0].every(Number.isFinite));
  });

  test(`an empty stream is still a valid file [${label}]`, { skip: !haveFfmpeg || skip }, async () => {
    const path = join(tempDir(), 'empty.mp3');
    const writer = await createMp3Writer(path, { sampleRate: 44100, channelCount: 2, mode: { cbrKbps: 320 }, encoder });
    await writer.finish();
    const { xing } = layout(path);
    assert.equal(xing.lame!.tagCrcOk, true);
    assert.equal(decodeWithFfmpeg(path, 2)[0].length, 0);
    assert.equal(await mpg123Samples(path), 0);
  });

  test(`abort leaves neither the file nor a temp file [${label}]`, { skip }, async () => {
    const dir = tempDir();
    const path = join(dir, 'aborted.mp3');
    const writer = await createMp3Writer(path, { sampleRate: 44100, channelCount: 2, mode: { cbrKbps: 320 }, encoder });
    const signal = testSignal(50_000, 44100, 2);
    await writer.write(signal, 50_000);
    assert.equal(readdirSync(dir).length, 1, 'the temp file exists while writing');
    await writer.abort();
    await writer.abort();
    assert.deepEqual(readdirSync(dir), []);
    await assert.rejects(writer.write(signal, 10), /aborted/);
  });
}

test('rejects what MPEG-1 Layer III cannot carry, before creating anything', async () => {
  const dir = tempDir();
  const path = join(dir, 'x.mp3');
  await assert.rejects(createMp3Writer(path, { sampleRate: 22050, channelCount: 2, mode: { cbrKbps: 320 } }), /22050 Hz.*resample/);
  await assert.rejects(createMp3Writer(path, { sampleRate: 96000, channelCount: 2, mode: { vbrQuality: 0 } }), /resample/);
  await assert.rejects(createMp3Writer(path, { sampleRate: 48000, channelCount: 6, mode: { cbrKbps: 320 } }), /1 or 2 channels/);
  await assert.rejects(createMp3Writer(path, { sampleRate: 48000, channelCount: 2, mode: { vbrQuality: 10 } }), /quality/);
  await assert.rejects(createMp3Writer(path, { sampleRate: 48000, channelCount: 2, mode: { cbrKbps: 321 as 320 } }), /bitrate/);
  assert.deepEqual(readdirSync(dir), []);
});

test('an existing file stays untouched until finish() replaces it', { skip: !haveFfmpeg }, async () => {
  const dir = tempDir();
  const path = join(dir, 'existing.mp3');
  writeFileSync(path, 'previous master');
  const writer = await createMp3Writer(path, { sampleRate: 48000, channelCount: 2, mode: { vbrQuality: 0 } });
  const signal = testSignal(48_000, 48000, 2);
  await writer.write(signal, 48_000);
  assert.equal(readFileSync(path, 'utf8'), 'previous master');
  await assert.rejects(writer.write([signal[0]], 10), /2 channels/);
  assert.equal(readFileSync(path, 'utf8'), 'previous master');
  await writer.finish();
  assert.equal(decodeWithFfmpeg(path, 2)[0].length, 48_000);
  assert.deepEqual(readdirSync(dir), ['existing.mp3']);
  await assert.rejects(writer.write(signal, 10), /finished/);
});

test('Mp3FrameScanner: frames across chunk edges; an encoder-made Xing frame is dropped', () => {
  const header = 0xfffb9044; // 128 kb/s, 44.1 kHz: 417-byte frames
  const frame = (fill: number) => {
    const f = new Uint8Array(417).fill(fill);
    f.set([0xff, 0xfb, 0x90, 0x44]);
    return f;
  };
  const tag = buildLameTagFrame({
    firstFrameHeader: header, tagBitrateKbps: 128, vbr: true, frameCount: 3, streamBytes: 4 * 417,
    toc: new Uint8Array(100), quality: 100, encoderDelay: 576, padding: 0, musicCrc: 0, vbrMethod: 4,
  });
  const stream = new Uint8Array([...tag, ...frame(1), ...frame(2), ...frame(3)]);
  const scanner = new Mp3FrameScanner();
  const out: number[] = [];
  for (const [from, to] of [[0, 5], [5, 417], [417, 900], [900, 900], [900, stream.length]]) {
    out.push(...scanner.push(stream.subarray(from, to)));
  }
  scanner.end();
  assert.equal(scanner.droppedEncoderTag, true);
  assert.equal(scanner.frameCount, 3);
  assert.deepEqual(scanner.frameStarts, [0, 417, 834]);
  assert.equal(scanner.audioBytes, 3 * 417);
  assert.deepEqual(out, [...frame(1), ...frame(2), ...frame(3)]);
  assert.equal(scanner.musicCrc, crc16(new Uint8Array(out)));
  const broken = new Mp3FrameScanner();
  assert.throws(() => broken.push(new Uint8Array([1, 2, 3, 4, 5])), /not an MPEG frame/);
  const partial = new Mp3FrameScanner();
  partial.push(frame(1).subarray(0, 100));
  assert.throws(() => partial.end(), /not a whole MPEG frame/);
});

test('both LAMEs code the music equally well: same length, same SNR against the input within 0.5 dB', { skip: !haveFfmpeg || ENCODERS[1].skip }, async () => {
  const signal = testSignal(200_000, 44100, 2);
  const dir = tempDir();
  await encode(join(dir, 'wasm.mp3'), signal, 44100, { cbrKbps: 320 }, undefined, 'wasm');
  await encode(join(dir, 'system.mp3'), signal, 44100, { cbrKbps: 320 }, undefined, 'system');
  const a = decodeWithFfmpeg(join(dir, 'wasm.mp3'), 2), b = decodeWithFfmpeg(join(dir, 'system.mp3'), 2);
  assert.equal(a[0].length, signal[0].length);
  assert.equal(b[0].length, signal[0].length);
  const wasmSnr = snrDb(signal, a), systemSnr = snrDb(signal, b);
  assert.ok(Math.abs(wasmSnr - systemSnr) < 0.5 && systemSnr > 20, `SNR wasm ${wasmSnr.toFixed(2)} dB, system ${systemSnr.toFixed(2)} dB`);
});

test('a LAME process that fails gives a one-line error naming it, and nothing is left behind', async () => {
  const dir = tempDir();
  const failing = join(dir, 'lame');
  writeFileSync(failing, '#!/bin/sh\necho "lame: cannot open output" >&2\nexit 3\n', { mode: 0o755 });
  const encoder = startLameProcess({ command: failing, version: 'LAME3.100' }, { sampleRate: 44100, channels: 2, cbrKbps: 320 });
  const block = [new Float32Array(4096), new Float32Array(4096)];
  await assert.rejects(async () => { await encoder.encode(block); await encoder.finalize(); }, (error: Error) => {
    assert.match(error.message, /exit 3.*cannot open output/);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  });
});

test('system LAME: out-of-range, infinite and NaN samples give the same file as the same samples clamped first', { skip: findSystemLame() === null }, async () => {
  const n = 30_000;
  const raw = [0, 1].map((c) => new Float32Array(n).map((_, i) => 2.5 * Math.sin(i / (9 + c))));
  raw[0][100] = Number.NaN;
  raw[1][200] = Number.POSITIVE_INFINITY;
  raw[0][300] = Number.NEGATIVE_INFINITY;
  const clamped = raw.map((channel) => channel.map((v) => (v > 1 ? 1 : v < -1 ? -1 : Number.isNaN(v) ? 0 : v)));
  const dir = tempDir();
  await encode(join(dir, 'raw.mp3'), raw, 44100, { cbrKbps: 320 }, undefined, 'system');
  await encode(join(dir, 'clamped.mp3'), clamped, 44100, { cbrKbps: 320 }, undefined, 'system');
  assert.ok(readFileSync(join(dir, 'raw.mp3')).equals(readFileSync(join(dir, 'clamped.mp3'))), 'byte-identical files');
});
