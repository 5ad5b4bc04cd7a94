import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFlacWriter, flacChannelMask, vorbisComments, type FlacWriterOptions } from './flac-write.js';
import { FLAC_VENDOR } from './flac-encode.js';
import type { AudioMetadata } from './api.js';
import type { ChannelLabel } from '../engine/audio.js';
import { decodeWithFfmpeg, hasTool, runTool, tempDir, testSignal } from '../../test/support/tools.js';

const haveFfmpeg = hasTool('ffmpeg') && hasTool('ffprobe');
const haveFlac = hasTool('flac');
const METADATA: AudioMetadata = {
  title: 'Naïve ☃ Master',
  artist: 'Ärtist',
  album: 'Album',
  albumArtist: 'Various Artists',
  year: '2025',
  genre: 'Ambient',
  track: 9,
  isrc: 'GBAYE0601498',
  comment: 'line one\nline two',
  encodedBy: 'mixmaster 0.1',
};

/** Random integer PCM (with both extremes) and its exact float image. */
function integerSignal(frames: number, channels: number, bits: 16 | 24, seed = 7): { ints: Int32Array[]; floats: Float32Array[] } {
  const scale = 2 ** (bits - 1);
  let s = seed;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  const ints = Array.from({ length: channels }, (_, c) => {
    const a = new Int32Array(frames);
    for (let i = 0; i < frames; i++) {
      // A loud sine plus noise, so the encoder has something to predict, and full-scale corners.
      const v = Math.round(0.6 * scale * Math.sin((2 * Math.PI * (300 + 200 * c) * i) / 44100)) + ((next() >> 20) % 2000);
      a[i] = Math.max(-scale, Math.min(scale - 1, v));
    }
    a[0] = -scale;
    a[1] = scale - 1;
    return a;
  });
  return { ints, floats: ints.map((a) => Float32Array.from(a, (v) => v / scale)) };
}

async function encode(path: string, channels: Float32Array[], options: Omit<FlacWriterOptions, 'channelCount'>) {
  const writer = await createFlacWriter(path, { ...options, channelCount: channels.length });
  const sizes = [4096, 65536, 1, 1000, 12345];
  const frames = channels[0].length;
  for (let offset = 0, k = 0; offset < frames; k++) {
    const n = Math.min(sizes[k % sizes.length], frames - offset);
    await writer.write(channels.map((c) => c.subarray(offset, offset + n)), n);
    offset += n;
  }
  await writer.finish();
}

/** `flac -d` to raw little-endian integers, deinterleaved. */
function decodeWithFlac(path: string, channels: number, bits: 16 | 24): Int32Array[] {
  const result = spawnSync('flac', ['-d', '-s', '-c', '--force-raw-format', '--endian=little', '--sign=signed', path], { maxBuffer: 1 << 30 });
  assert.equal(result.status, 0, String(result.stderr));
  const bytes = result.stdout;
  const width = bits / 8;
  const frames = bytes.length / width / channels;
  const out = Array.from({ length: channels }, () => new Int32Array(frames));
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) {
      const at = (i * channels + c) * width;
      out[c][i] = width === 2 ? bytes.readInt16LE(at) : bytes.readIntLE(at, 3);
    }
  }
  return out;
}

/** MD5 of interleaved little-endian PCM, as FLAC defines STREAMINFO's signature. */
function pcmMd5(ints: Int32Array[], bits: 16 | 24): string {
  const width = bits / 8;
  const buffer = Buffer.alloc(ints[0].length * ints.length * width);
  for (let i = 0; i < ints[0].length; i++) {
    for (let c = 0; c < ints.length; c++) buffer.writeIntLE(ints[c][i], (i * ints.length + c) * width, width);
  }
  return createHash('md5').update(buffer).digest('hex');
}

for (const bits of [16, 24] as const) {
  test(`${bits}-bit: bit-exact round trip through ffmpeg and flac -d, MD5 verified by flac -t`, { skip: !haveFfmpeg || !haveFlac }, async () => {
    const frames = 100_003;
    const { ints, floats } = integerSignal(frames, 2, bits);
    const path = join(tempDir(), `exact${bits}.flac`);
    await encode(path, floats, { sampleRate: 44100, bits, dither: 'none', metadata: METADATA });

    assert.match(runTool('flac', ['-t', path]), /ok/);
    const byFfmpeg = decodeWithFfmpeg(path, 2);
    assert.equal(byFfmpeg[0].length, frames);
    for (let c = 0; c < 2; c++) assert.deepEqual(byFfmpeg[c], floats[c], `ffmpeg channel ${c}`);
    const byFlac = decodeWithFlac(path, 2, bits);
    for (let c = 0; c < 2; c++) assert.deepEqual(byFlac[c], ints[c], `flac channel ${c}`);

    if (hasTool('metaflac')) {
      assert.equal(runTool('metaflac', ['--show-total-samples', path]).trim(), String(frames));
      assert.equal(runTool('metaflac', ['--show-md5sum', path]).trim(), pcmMd5(ints, bits));
      assert.equal(runTool('metaflac', ['--show-bps', path]).trim(), String(bits));
    }
  });
}

test('Vorbis comments: ffprobe tags and metaflac --export-tags-to', { skip: !haveFfmpeg }, async () => {
  const path = join(tempDir(), 'tags.flac');
  await encode(path, testSignal(30_000, 48000, 2), { sampleRate: 48000, bits: 24, metadata: METADATA });
  const tags = JSON.parse(runTool('ffprobe', ['-v', 'error', '-show_format', '-print_format', 'json', path])).format.tags;
  const lower = Object.fromEntries(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v]));
  assert.equal(lower.title, METADATA.title);
  assert.equal(lower.artist, METADATA.artist);
  assert.equal(lower.album, METADATA.album);
  assert.equal(lower.album_artist, METADATA.albumArtist);
  assert.equal(lower.date, '2025');
  assert.equal(lower.genre, 'Ambient');
  assert.equal(lower.track, '9');
  assert.equal(lower.isrc, METADATA.isrc);
  assert.equal(lower.comment, METADATA.comment);
  assert.equal(lower.encoder, 'mixmaster 0.1');
  if (hasTool('metaflac')) {
    const exported = runTool('metaflac', ['--export-tags-to=-', path]);
    for (const line of ['TITLE=Naïve ☃ Master', 'ARTIST=Ärtist', 'ALBUM=Album', 'ALBUMARTIST=Various Artists', 'DATE=2025', 'GENRE=Ambient', 'TRACKNUMBER=9', 'ISRC=GBAYE0601498', 'COMMENT=line one', 'ENCODER=mixmaster 0.1']) {
      assert.ok(exported.includes(line), `metaflac shows ${line}`);
    }
    const blocks = runTool('metaflac', ['--list', '--block-type=VORBIS_COMMENT,PADDING', path]);
    assert.ok(blocks.includes(`vendor string: ${FLAC_VENDOR}`), blocks);
    assert.match(blocks, /type: 1 \(PADDING\)\n\s+is last: true\n\s+length: 8192/);
  }
});

test('16-bit TPDF dither (the default): ±1 LSB triangular noise, mean zero', { skip: !haveFfmpeg }, async () => {
  const frames = 200_000;
  // A quiet signal well inside the range with fractional LSB values.
  const input = [Float32Array.from({ length: frames }, (_, i) => 0.3 * Math.sin(i / 37.3) + 0.01 * Math.sin(i / 3.1))];
  const path = join(tempDir(), 'dither.flac');
  await encode(path, input, { sampleRate: 44100, bits: 16 });
  const decoded = decodeWithFfmpeg(path, 1)[0];
  let sum = 0;
  let sumSquares = 0;
  let maxError = 0;
  for (let i = 0; i < frames; i++) {
    const error = (decoded[i] - input[0][i]) * 32768;
    sum += error;
    sumSquares += error * error;
    maxError = Math.max(maxError, Math.abs(error));
  }
  const rms = Math.sqrt(sumSquares / frames);
  // Rounding (1/12) + triangular dither (1/6) = 1/4 LSB², i.e. 0.5 LSB RMS; plain rounding gives 0.29.
  assert.ok(rms > 0.45 && rms < 0.55, `error RMS ${rms.toFixed(3)} LSB`);
  assert.ok(Math.abs(sum / frames) < 0.01, `mean error ${(sum / frames).toFixed(4)} LSB`);
  assert.ok(maxError <= 1.5, `max error ${maxError} LSB`);
});

test('clipping: out-of-range values saturate, NaN becomes 0', { skip: !haveFfmpeg }, async () => {
  const input = [Float32Array.from([1.5, -2, 1, -1, NaN, Infinity, -Infinity, 0.5])];
  const path = join(tempDir(), 'clip.flac');
  await encode(path, input, { sampleRate: 44100, bits: 16, dither: 'none' });
  const decoded = Array.from(decodeWithFfmpeg(path, 1)[0], (v) => Math.round(v * 32768));
  assert.deepEqual(decoded, [32767, -32768, 32767, -32768, 0, 32767, -32768, 16384]);
});

test('channel mask: written for non-default layouts, with channels in mask order', { skip: !haveFfmpeg }, async () => {
  const write = async (layout: ChannelLabel[]) => {
    const path = join(tempDir(), 'layout.flac');
    const channels = layout.map((_, c) => new Float32Array(4800).fill((c + 1) / 16));
    await encode(path, channels, { sampleRate: 48000, bits: 16, dither: 'none', channelLayout: layout });
    const stream = JSON.parse(runTool('ffprobe', ['-v', 'error', '-show_streams', '-print_format', 'json', path]));
    const firstFrame = decodeWithFfmpeg(path, layout.length).map((c) => Math.round(c[0] * 16));
    // ffmpeg consumes the mask tag (it becomes the layout), so read the tag with metaflac.
    const mask = hasTool('metaflac') ? /WAVEFORMATEXTENSIBLE_CHANNEL_MASK=(\S+)/.exec(runTool('metaflac', ['--export-tags-to=-', path]))?.[1] ?? null : undefined;
    return { layout: stream.streams[0].channel_layout as string, mask, firstFrame };
  };
  const back51 = await write(['L', 'R', 'C', 'LFE', 'Lb', 'Rb']);
  assert.equal(back51.layout, '5.1');
  if (back51.mask !== undefined) assert.equal(back51.mask, '0x003F');
  const side51 = await write(['L', 'R', 'C', 'LFE', 'Ls', 'Rs']); // our default for 6 channels: no mask
  assert.equal(side51.layout, '5.1(side)');
  if (side51.mask !== undefined) assert.equal(side51.mask, null);
  const centreFirst = await write(['C', 'L', 'R']);
  assert.equal(centreFirst.layout, '3.0');
  if (centreFirst.mask !== undefined) assert.equal(centreFirst.mask, '0x0007');
  assert.deepEqual(centreFirst.firstFrame, [2, 3, 1], 'stored as L R C: the input C (1) moved to the third place');

  assert.equal(flacChannelMask(['L', 'R']), null);
  assert.equal(flacChannelMask(['M']), null);
  assert.deepEqual(flacChannelMask(['C']), { mask: 4, order: [0] });
  assert.equal(flacChannelMask(['L', 'unknown']), null);
  assert.equal(flacChannelMask(['L', 'L', 'R']), null);
  assert.deepEqual(vorbisComments(undefined, 0x60f), ['WAVEFORMATEXTENSIBLE_CHANNEL_MASK=0x060F']);
});

test('an empty stream is a valid FLAC file', { skip: !haveFlac }, async () => {
  const path = join(tempDir(), 'empty.flac');
  const writer = await createFlacWriter(path, { sampleRate: 44100, channelCount: 2, bits: 16 });
  await writer.finish();
  assert.match(runTool('flac', ['-t', path]), /ok/);
  if (hasTool('metaflac')) assert.equal(runTool('metaflac', ['--show-total-samples', path]).trim(), '0');
});

test('rejects bad options before creating anything', async () => {
  const dir = tempDir();
  const path = join(dir, 'x.flac');
  await assert.rejects(createFlacWriter(path, { sampleRate: 44100, channelCount: 9, bits: 16 }), /1–8 channels/);
  await assert.rejects(createFlacWriter(path, { sampleRate: 44100, channelCount: 2, bits: 20 as 16 }), /16 or 24/);
  await assert.rejects(createFlacWriter(path, { sampleRate: 44100, channelCount: 2, bits: 16, compression: 9 }), /compression/);
  await assert.rejects(createFlacWriter(path, { sampleRate: 0, channelCount: 2, bits: 16 }), /sample rate/);
  await assert.rejects(createFlacWriter(path, { sampleRate: 44100, channelCount: 2, bits: 16, channelLayout: ['L'] }), /layout/);
  await assert.rejects(createFlacWriter(path, { sampleRate: 44100, channelCount: 2, bits: 16, metadata: { track: -1 } }), /track/);
  assert.deepEqual(readdirSync(dir), []);
});

test('abort leaves neither the file nor a temp file', async () => {
  const dir = tempDir();
  const path = join(dir, 'aborted.flac');
  const writer = await createFlacWriter(path, { sampleRate: 44100, channelCount: 2, bits: 24 });
  await writer.write(testSignal(70_000, 44100, 2), 70_000);
  assert.equal(readdirSync(dir).length, 1, 'the temp file exists while writing');
  await writer.abort();
  await writer.abort();
  assert.deepEqual(readdirSync(dir), []);
  await assert.rejects(writer.finish(), /aborted/);
});

test('an existing file stays untouched until finish() replaces it', { skip: !haveFlac }, async () => {
  const dir = tempDir();
  const path = join(dir, 'existing.flac');
  writeFileSync(path, 'previous master');
  const writer = await createFlacWriter(path, { sampleRate: 44100, channelCount: 2, bits: 16 });
  await writer.write(testSignal(50_000, 44100, 2), 50_000);
  assert.equal(readFileSync(path, 'utf8'), 'previous master');
  await assert.rejects(writer.write([new Float32Array(10)], 10), /2 channels/);
  await writer.finish();
  assert.match(runTool('flac', ['-t', path]), /ok/);
  assert.deepEqual(readdirSync(dir), ['existing.flac']);
  await assert.rejects(writer.write(testSignal(10, 44100, 2), 10), /finished/);
});

test('the bytes depend on the samples only, not on how the writes are cut', { skip: !haveFlac }, async () => {
  const dir = tempDir();
  const signal = testSignal(70_001, 44100, 2);
  const options = { sampleRate: 44100, bits: 24 as const, dither: 'none' as const, metadata: METADATA };
  await encode(join(dir, 'cut.flac'), signal, options); // pieces of 4096, 65536, 1, 1000, 12345 ...
  const whole = await createFlacWriter(join(dir, 'whole.flac'), { ...options, channelCount: 2 });
  await whole.write(signal, 70_001);
  await whole.finish();
  assert.deepEqual(readFileSync(join(dir, 'cut.flac')), readFileSync(join(dir, 'whole.flac')));
  assert.match(runTool('flac', ['-t', join(dir, 'whole.flac')]), /ok/);
});

test('STREAMINFO: block sizes 4096, frame sizes bound the frames, 24-bit stereo at 44.1 kHz', { skip: !hasTool('metaflac') }, async () => {
  const path = join(tempDir(), 'info.flac');
  const frames = 3 * 4096 + 100;
  await encode(path, testSignal(frames, 44100, 2), { sampleRate: 44100, bits: 24 });
  const info = runTool('metaflac', ['--list', '--block-number=0', path]);
  assert.match(info, /minimum blocksize: 4096 samples/);
  assert.match(info, /maximum blocksize: 4096 samples/);
  assert.match(info, /sample_rate: 44100 Hz/);
  assert.match(info, /channels: 2/);
  assert.match(info, /bits-per-sample: 24/);
  assert.match(info, new RegExp(`total samples: ${frames}`));
  const minFrame = Number(/minimum framesize: (\d+) bytes/.exec(info)?.[1]);
  const maxFrame = Number(/maximum framesize: (\d+) bytes/.exec(info)?.[1]);
  assert.ok(minFrame > 0 && minFrame <= maxFrame, `frame sizes ${minFrame}..${maxFrame}`);
  // The four frames follow "fLaC" and the metadata blocks (4-byte header + body each).
  const lengths = [...runTool('metaflac', ['--list', path]).matchAll(/^\s+length: (\d+)$/gm)].map((m) => 4 + Number(m[1]));
  assert.equal(lengths.length, 3, 'STREAMINFO, VORBIS_COMMENT, PADDING');
  const audio = readFileSync(path).length - 4 - lengths.reduce((a, b) => a + b, 0);
  assert.ok(audio >= 4 * minFrame && audio <= 4 * maxFrame, `${audio} bytes of frames within 4 × [${minFrame}, ${maxFrame}]`);
});
