import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTool, tempDir, testSignal } from '../../test/support/tools.js';
import type { AudioReader } from './api.js';
import { openAudio } from './decode.js';
import { AudioFileError } from './errors.js';
import { BlockBuilder } from './block-builder.js';
import { openFlac } from './flac-read.js';
import { FlacDecoder, parseFlacStart } from './flac-decode.js';
import { parseVorbisComments } from './vorbis-comments.js';

const dir = tempDir('mixmaster-flac-read-');
const RATE = 44100;
const FRAMES = 100_003; // several FLAC frames, not a multiple of any block size

async function readAll(reader: AudioReader, blockFrames?: number): Promise<{ channels: Float32Array[]; sizes: number[] }> {
  const parts: Float32Array[][] = [];
  for await (const block of reader.blocks(blockFrames)) parts.push(block.map((samples) => samples.slice()));
  await reader.close();
  const channels = Array.from({ length: reader.info.channelCount }, (_, c) => {
    const out = new Float32Array(parts.reduce((sum, block) => sum + block[c].length, 0));
    let at = 0;
    for (const block of parts) { out.set(block[c], at); at += block[c].length; }
    return out;
  });
  return { channels, sizes: parts.map((block) => block[0].length) };
}

/** Integer PCM (planar) from the test signal, with both extremes of the word length in it. */
function integerSignal(bits: 16 | 24, channelCount: number): Int32Array[] {
  const full = 2 ** (bits - 1);
  return testSignal(FRAMES, RATE, channelCount, 0.95).map((channel, c) => {
    const ints = Int32Array.from(channel, (x) => Math.round(x * full));
    ints[10 + c] = -full;
    ints[20 + c] = full - 1;
    return ints;
  });
}

/** Encodes integer PCM with the reference `flac` encoder (raw little-endian input). */
function encodeFlac(name: string, ints: Int32Array[], bits: 16 | 24, extra: string[] = []): string {
  const bytesPerSample = bits / 8;
  const raw = new Uint8Array(FRAMES * ints.length * bytesPerSample);
  const view = new DataView(raw.buffer);
  for (let i = 0, at = 0; i < FRAMES; i++) {
    for (const channel of ints) {
      if (bits === 16) view.setInt16(at, channel[i], true);
      else { view.setUint16(at, channel[i] & 0xffff, true); view.setInt8(at + 2, channel[i] >> 16); }
      at += bytesPerSample;
    }
  }
  const rawPath = join(dir, `${name}.raw`);
  const out = join(dir, `${name}.flac`);
  writeFileSync(rawPath, raw);
  runTool('flac', ['--silent', '--force', '--force-raw-format', '--endian=little', '--sign=signed',
    `--channels=${ints.length}`, `--bps=${bits}`, `--sample-rate=${RATE}`, ...extra, '-o', out, rawPath]);
  return out;
}

function assertBitExact(decoded: Float32Array[], ints: Int32Array[], bits: number): void {
  const scale = 2 ** (bits - 1);
  assert.equal(decoded.length, ints.length);
  for (let c = 0; c < ints.length; c++) {
    assert.equal(decoded[c].length, FRAMES);
    for (let i = 0; i < FRAMES; i++) {
      if (decoded[c][i] !== ints[c][i] / scale) assert.fail(`channel ${c + 1} frame ${i}: ${decoded[c][i]} != ${ints[c][i]}/${scale}`);
    }
  }
}

const ints16 = integerSignal(16, 2);
const stereo16 = encodeFlac('stereo16', ints16, 16, ['-T', 'TITLE=Tëst Title', '-T', 'ARTIST=Some Artist', '-T', 'ALBUM=The Album',
  '-T', 'ALBUMARTIST=Various', '-T', 'DATE=2024', '-T', 'GENRE=Ambient', '-T', 'TRACKNUMBER=7/12', '-T', 'ISRC=USRC17607839',
  '-T', 'COMMENT=made by a test']);

test('16-bit FLAC decodes bit-exactly to int/32768, with STREAMINFO facts and tags', async () => {
  const reader = await openFlac(stereo16);
  assert.deepEqual(
    { ...reader.info, metadata: undefined },
    { path: stereo16, format: 'flac', codec: 'FLAC 16-bit', sampleRate: RATE, channelCount: 2, channelLayout: ['L', 'R'],
      frames: FRAMES, bitsPerSample: 16, metadata: undefined, chunks: [] },
  );
  assert.deepEqual(reader.info.metadata, {
    title: 'Tëst Title', artist: 'Some Artist', album: 'The Album', albumArtist: 'Various', year: '2024',
    genre: 'Ambient', track: 7, isrc: 'USRC17607839', comment: 'made by a test',
  });
  const { channels, sizes } = await readAll(reader, 4096);
  assertBitExact(channels, ints16, 16);
  // Re-chunked to exactly blockFrames, except the last block.
  assert.ok(sizes.slice(0, -1).every((size) => size === 4096));
  assert.equal(sizes.at(-1), FRAMES % 4096);
});

test('24-bit FLAC decodes bit-exactly to int/8388608', async () => {
  const ints = integerSignal(24, 2);
  const reader = await openFlac(encodeFlac('stereo24', ints, 24));
  assert.equal(reader.info.bitsPerSample, 24);
  assert.equal(reader.info.codec, 'FLAC 24-bit');
  assertBitExact((await readAll(reader)).channels, ints, 24);
});

test('5.1 FLAC has the FLAC default layout, channels in file order', async () => {
  const ints = integerSignal(16, 6);
  const reader = await openFlac(encodeFlac('surround', ints, 16));
  assert.deepEqual(reader.info.channelLayout, ['L', 'R', 'C', 'LFE', 'Ls', 'Rs']);
  assertBitExact((await readAll(reader)).channels, ints, 16);
});

test('WAVEFORMATEXTENSIBLE_CHANNEL_MASK overrides the default layout; mono is M', async () => {
  const ints = integerSignal(16, 4);
  const quadBack = await openFlac(encodeFlac('quad', ints, 16, ['-T', 'WAVEFORMATEXTENSIBLE_CHANNEL_MASK=0x0033']));
  assert.deepEqual(quadBack.info.channelLayout, ['L', 'R', 'Lb', 'Rb']);
  await quadBack.close();
  const plainQuad = await openFlac(encodeFlac('quad-plain', ints, 16));
  assert.deepEqual(plainQuad.info.channelLayout, ['L', 'R', 'Ls', 'Rs']);
  await plainQuad.close();
  const mono = await openFlac(encodeFlac('mono', integerSignal(16, 1), 16));
  assert.deepEqual(mono.info.channelLayout, ['M']);
  await mono.close();
});

test('a leading ID3v2 tag is skipped', async () => {
  const id3 = new Uint8Array(10 + 300);
  id3.set([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 2, 300 - 256]); // "ID3", v2.4, syncsafe size 300
  const path = join(dir, 'id3.flac');
  writeFileSync(path, Buffer.concat([id3, readFileSync(stereo16)]));
  const reader = await openFlac(path);
  assert.equal(reader.info.frames, FRAMES);
  assertBitExact((await readAll(reader)).channels, ints16, 16);
});

test('a corrupt frame stops decoding with an AudioFileError naming the sample', async () => {
  const bytes = readFileSync(stereo16);
  for (const flip of [[0x5a], [0x01]]) { // many bytes, then a single bit
    const damaged = Uint8Array.from(bytes);
    const middle = Math.floor(bytes.length / 2);
    for (let i = 0; i < 16; i++) damaged[middle + i] ^= flip[0];
    const path = join(dir, `corrupt-${flip[0]}.flac`);
    writeFileSync(path, damaged);
    const reader = await openFlac(path);
    await assert.rejects(readAll(reader), (error: unknown) => {
      assert.ok(error instanceof AudioFileError);
      assert.match(error.problem, /^corrupt FLAC frame near sample \d+ \(.+\)$/);
      const sample = Number(/sample (\d+)/.exec(error.problem)![1]);
      assert.ok(sample > FRAMES * 0.2 && sample < FRAMES * 0.8, `damage reported near sample ${sample}`);
      return true;
    });
  }
});

test('a truncated file is an error, not a short stream', async () => {
  const bytes = readFileSync(stereo16);
  for (const keep of [0.66, 0.999]) {
    const path = join(dir, `truncated-${keep}.flac`);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * keep)));
    const reader = await openFlac(path);
    await assert.rejects(readAll(reader), (error: unknown) =>
      error instanceof AudioFileError && /^truncated: .* of the 100003 /.test(error.problem));
  }
  const headerOnly = join(dir, 'header-only.flac');
  writeFileSync(headerOnly, bytes.subarray(0, 20));
  await assert.rejects(openFlac(headerOnly), /truncated/);
});

test('not FLAC at all is a one-line AudioFileError', async () => {
  const path = join(dir, 'not.flac');
  writeFileSync(path, 'RIFF....WAVEfmt nonsense');
  await assert.rejects(openFlac(path), (error: unknown) => error instanceof AudioFileError && /no fLaC marker/.test(error.problem));
});

test('stopping early releases the decoder; a second pass decodes again from the start', async () => {
  const reader = await openFlac(stereo16);
  for await (const block of reader.blocks(1000)) {
    assert.equal(block[0][0], ints16[0][0] / 32768);
    break;
  }
  const { channels } = await readAll(reader);
  assertBitExact(channels, ints16, 16);
});

test('openAudio dispatches FLAC here (and through its NaN guard) with identical samples', async () => {
  const reader = await openAudio(stereo16);
  assert.equal(reader.info.format, 'flac');
  assertBitExact((await readAll(reader)).channels, ints16, 16);
});

test('BlockBuilder re-chunks arbitrary pieces exactly; parseVorbisComments survives damage', () => {
  const builder = new BlockBuilder(1, 3);
  const seen: number[][] = [];
  const source = Float32Array.from({ length: 8 }, (_, i) => i);
  for (const [start, end] of [[0, 2], [2, 7], [7, 8]]) {
    for (const block of builder.push([source], start, end)) seen.push(Array.from(block[0]));
  }
  for (const block of builder.flush()) seen.push(Array.from(block[0]));
  assert.deepEqual(seen, [[0, 1, 2], [3, 4, 5], [6, 7]]);
  const interleaved = new BlockBuilder(2, 2);
  const frames: number[][][] = []; // copy each block at once: the builder reuses its arrays
  for (const b of interleaved.pushInterleaved(Float32Array.of(1, -1, 2, -2, 3, -3), 3)) frames.push(b.map((c) => Array.from(c)));
  assert.deepEqual(frames, [[[1, 2], [-1, -2]]]);
  assert.deepEqual([...interleaved.flush()].map((b) => b.map((c) => Array.from(c))), [[[3], [-3]]]);
  // A count larger than the block holds: keep what parsed, do not throw.
  const block = new Uint8Array([0, 0, 0, 0, 9, 0, 0, 0, 7, 0, 0, 0, ...Buffer.from('TITLE=x')]);
  assert.deepEqual(parseVorbisComments(block).metadata, { title: 'x' });
});

/** Byte offset and first sample of each frame of a FLAC file (found with our decoder). */
function frameStarts(bytes: Uint8Array): { offset: number; sample: number }[] {
  const { info, audioOffset } = parseFlacStart(bytes);
  const decoder = new FlacDecoder(info);
  const starts: { offset: number; sample: number }[] = [];
  for (let at = audioOffset; at < bytes.length;) {
    starts.push({ offset: at, sample: decoder.nextSample });
    at += decoder.decodeFrame(bytes, at, bytes.length);
  }
  return starts;
}

test('every flipped byte in the audio is an error naming the damaged frame\'s first sample', async () => {
  const bytes = readFileSync(stereo16);
  const starts = frameStarts(bytes);
  for (let k = 0; k < 40; k++) {
    const at = starts[0].offset + Math.floor(((bytes.length - starts[0].offset) * (k + 0.5)) / 40);
    const frame = starts.filter((s) => s.offset <= at).at(-1)!;
    if (frame === starts.at(-1)) continue; // damage in the last frame may read as the file ending early
    const damaged = Uint8Array.from(bytes);
    damaged[at] ^= 0x10;
    const path = join(dir, `flip-${k}.flac`);
    writeFileSync(path, damaged);
    await assert.rejects(readAll(await openFlac(path)), (error: unknown) => {
      assert.ok(error instanceof AudioFileError);
      assert.equal(error.problem, error.problem.split('\n')[0]);
      assert.match(error.problem, new RegExp(`^corrupt FLAC frame near sample ${frame.sample} \\(.+\\)$`));
      return true;
    });
  }
});

test('a file cut at a frame boundary says where it ends', async () => {
  const bytes = readFileSync(stereo16);
  const cut = frameStarts(bytes)[7];
  const path = join(dir, 'cut-at-frame.flac');
  writeFileSync(path, bytes.subarray(0, cut.offset));
  await assert.rejects(readAll(await openFlac(path)), (error: unknown) =>
    error instanceof AudioFileError && error.problem === `truncated: the file ends at sample ${cut.sample} of the ${FRAMES} its header states`);
});

test('unknown length (STREAMINFO total 0): read to the end, past a trailing ID3v1 tag, not past garbage', async () => {
  const bytes = Uint8Array.from(readFileSync(stereo16));
  bytes.fill(0, 8 + 14, 8 + 18); // STREAMINFO body starts at 8; total samples: low 4 bits of byte 13, bytes 14–17
  bytes[8 + 13] &= 0xf0;
  const tag = new Uint8Array(128);
  tag.set(Buffer.from('TAGsome title'));
  const plain = join(dir, 'unknown-length.flac');
  const tagged = join(dir, 'unknown-length-tag.flac');
  const junk = join(dir, 'unknown-length-junk.flac');
  writeFileSync(plain, bytes);
  writeFileSync(tagged, Buffer.concat([bytes, tag]));
  writeFileSync(junk, Buffer.concat([bytes, Buffer.from('not a frame at all')]));
  for (const path of [plain, tagged]) {
    const reader = await openFlac(path);
    assert.equal(reader.info.frames, null);
    assertBitExact((await readAll(reader)).channels, ints16, 16);
  }
  await assert.rejects(readAll(await openFlac(junk)), (error: unknown) =>
    error instanceof AudioFileError && /^corrupt FLAC frame near sample 100003 \(.+\)$/.test(error.problem));
});

test('frames that contradict STREAMINFO (channels, sample size) are one-line errors', async () => {
  const bytes = readFileSync(stereo16);
  const channels = Uint8Array.from(bytes);
  channels[8 + 12] &= ~0x0e; // channels - 1 = 0
  const bits = Uint8Array.from(bytes);
  bits[8 + 13] = (bits[8 + 13] & 0x0f) | (7 << 4); // bits - 1 = 23 (with the top bit, 0, in byte 12)
  bits[8 + 12] |= 1;
  for (const [name, patched, reason] of [['channels', channels, /a frame has 2 channels, STREAMINFO says 1/], ['bits', bits, /16-bit samples, STREAMINFO says 24/]] as const) {
    const path = join(dir, `contradict-${name}.flac`);
    writeFileSync(path, patched);
    await assert.rejects(readAll(await openFlac(path)), (error: unknown) =>
      error instanceof AudioFileError && /^corrupt FLAC frame near sample 0 /.test(error.problem) && reason.test(error.problem));
  }
});

test('frames larger than a read chunk (8 channels of 24-bit noise, 65535-sample blocks)', async () => {
  let seed = 3;
  const noise = Array.from({ length: 8 }, () => Int32Array.from({ length: FRAMES }, () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >> 8);
  }));
  const path = encodeFlac('big-frames', noise, 24, ['--lax', '-0', '-b', '65535']);
  const starts = frameStarts(readFileSync(path));
  assert.ok(starts[1].offset - starts[0].offset > 1 << 20, 'the first frame is over 1 MiB');
  const reader = await openFlac(path);
  assertBitExact((await readAll(reader, 10_000)).channels, noise, 24);
});
