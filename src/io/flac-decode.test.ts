import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTool, tempDir } from '../../test/support/tools.js';
import {
  FlacDecoder, FlacError, LEFT_SIDE, MID_SIDE, SIDE_RIGHT, decodeFlac, parseFlacStart, parseFrameHeader,
  type FlacStreamInfo,
} from './flac-decode.js';
import { encodeFlac as ourEncode } from './flac-encode.js';
import { crc16, crc8 } from './flac-crc.js';

const dir = tempDir('mixmaster-flac-decode-');

// ---------------------------------------------------------------------------------------------
// Signals, files and references

/** Deterministic integer PCM: two sines and noise near full scale, both extremes in each channel. */
function pcm(frames: number, channels: number, bits: number, seed = 1, wasted = 0): Int32Array[] {
  const full = 2 ** (bits - 1);
  let state = seed >>> 0;
  const noise = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return Array.from({ length: channels }, (_, c) => {
    const out = new Int32Array(frames);
    for (let i = 0; i < frames; i++) {
      const x = 0.55 * Math.sin(i * (0.013 + 0.004 * c)) + 0.3 * Math.sin(i * 0.21) + 0.14 * noise();
      out[i] = Math.max(-full, Math.min(full - 1, Math.round(x * full)));
    }
    if (frames > 40) {
      out[10 + c] = -full;
      out[30 + c] = full - 1;
    }
    if (wasted > 0) for (let i = 0; i < frames; i++) out[i] = Math.floor(out[i] / 2 ** wasted) * 2 ** wasted;
    return out;
  });
}

/** A WAVE_FORMAT_EXTENSIBLE file of `bits`-bit samples in a whole-byte container (8-bit unsigned). */
function wavFile(name: string, ints: Int32Array[], bits: number, rate: number): string {
  const container = Math.ceil(bits / 8) * 8;
  const bytes = container / 8;
  const frames = ints[0].length;
  const data = new Uint8Array(frames * ints.length * bytes);
  for (let i = 0, at = 0; i < frames; i++) {
    for (const channel of ints) {
      let v = channel[i] * 2 ** (container - bits);
      if (container === 8) v += 128;
      for (let b = 0; b < bytes; b++, at++) data[at] = Math.floor(v / 2 ** (8 * b)) & 0xff;
    }
  }
  const header = new DataView(new ArrayBuffer(68));
  const tag = (at: number, text: string) => { for (let i = 0; i < 4; i++) header.setUint8(at + i, text.charCodeAt(i)); };
  tag(0, 'RIFF'); header.setUint32(4, 60 + data.length, true); tag(8, 'WAVE');
  tag(12, 'fmt '); header.setUint32(16, 40, true);
  header.setUint16(20, 0xfffe, true); header.setUint16(22, ints.length, true); header.setUint32(24, rate, true);
  header.setUint32(28, rate * ints.length * bytes, true); header.setUint16(32, ints.length * bytes, true);
  header.setUint16(34, container, true); header.setUint16(36, 22, true); header.setUint16(38, bits, true);
  header.setUint32(40, 0, true); // no channel mask
  [0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71].forEach((b, i) => header.setUint8(44 + i, b));
  tag(60, 'data'); header.setUint32(64, data.length, true);
  const path = join(dir, `${name}.wav`);
  writeFileSync(path, Buffer.concat([new Uint8Array(header.buffer), data]));
  return path;
}

/** Encodes with the reference `flac` tool. */
function flacEncode(name: string, ints: Int32Array[], bits: number, rate: number, args: string[]): string {
  const out = join(dir, `${name}.flac`);
  runTool('flac', ['--silent', '--force', '--channel-map=none', ...args, '-o', out, wavFile(name, ints, bits, rate)]);
  return out;
}

/** Encodes with ffmpeg's FLAC encoder. */
function ffmpegEncode(name: string, ints: Int32Array[], bits: number, rate: number, args: string[]): string {
  const out = join(dir, `${name}.ff.flac`);
  runTool('ffmpeg', ['-v', 'error', '-y', '-i', wavFile(name, ints, bits, rate), '-c:a', 'flac', ...args, out]);
  return out;
}

/** `flac -d` to raw signed little-endian integers (8/16/24/32-bit only), planar. */
function referenceDecode(path: string, channels: number, bits: number): Int32Array[] {
  const result = spawnSync('flac', ['-d', '--silent', '-c', '--force-raw-format', '--endian=little', '--sign=signed', path], { maxBuffer: 1 << 30 });
  assert.equal(result.status, 0, result.stderr.toString());
  const raw = result.stdout;
  const bytes = bits / 8;
  const frames = raw.length / bytes / channels;
  const out = Array.from({ length: channels }, () => new Int32Array(frames));
  for (let i = 0, at = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++, at += bytes) out[c][i] = raw.readIntLE(at, bytes);
  }
  return out;
}

/** The STREAMINFO MD5 of planar integers: interleaved, little-endian, sign-extended to whole bytes. */
function md5(ints: Int32Array[], bits: number): string {
  const bytes = Math.ceil(bits / 8);
  const frames = ints[0].length;
  const raw = Buffer.alloc(frames * ints.length * bytes);
  for (let i = 0, at = 0; i < frames; i++) {
    for (const channel of ints) { raw.writeIntLE(channel[i], at, bytes); at += bytes; }
  }
  return createHash('md5').update(raw).digest('hex');
}

interface Decoded {
  info: FlacStreamInfo;
  ints: Int32Array[];
  /** Byte offset, length and first sample of every frame. */
  frames: { offset: number; length: number; sample: number }[];
  /** Sample rate and block size stated in each frame header. */
  rates: Set<number>;
  sizes: Set<number>;
}

/**
 * Decodes a whole stream with FlacDecoder: integers via toInt32(), and checks on the way that
 * toFloat32() gives exactly int / 2^(bits-1) (up to 24 bits; float32 holds those exactly).
 */
function decode(bytes: Uint8Array): Decoded {
  const { info, audioOffset } = parseFlacStart(bytes);
  const decoder = new FlacDecoder(info);
  const total = info.totalSamples;
  const ints = Array.from({ length: info.channels }, () => new Int32Array(total));
  const floats = Array.from({ length: info.channels }, () => new Float32Array(65536));
  const scale = 2 ** (1 - info.bitsPerSample);
  const frames: Decoded['frames'] = [];
  const rates = new Set<number>();
  const sizes = new Set<number>();
  let at = audioOffset;
  while (decoder.nextSample < total) {
    const length = decoder.decodeFrame(bytes, at, bytes.length);
    assert.ok(length > 0, `frame at byte ${at} (sample ${decoder.nextSample}) runs past the end`);
    frames.push({ offset: at, length, sample: decoder.firstSample });
    rates.add(decoder.header!.sampleRate);
    sizes.add(decoder.blockSize);
    at += length;
    const n = Math.min(decoder.blockSize, total - decoder.firstSample);
    decoder.toInt32(ints, decoder.firstSample, 0, n);
    if (info.bitsPerSample <= 24) {
      decoder.toFloat32(floats, 0, 0, n);
      for (let c = 0; c < info.channels; c++) {
        for (let i = 0; i < n; i++) {
          if (floats[c][i] !== ints[c][decoder.firstSample + i] * scale) assert.fail(`float channel ${c} sample ${decoder.firstSample + i}`);
        }
      }
    }
  }
  return { info, ints, frames, rates, sizes };
}

function assertSameInts(actual: Int32Array[], expected: Int32Array[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: channel count`);
  for (let c = 0; c < expected.length; c++) {
    assert.equal(actual[c].length, expected[c].length, `${what}: length of channel ${c}`);
    for (let i = 0; i < expected[c].length; i++) {
      if (actual[c][i] !== expected[c][i]) assert.fail(`${what}: channel ${c} sample ${i}: ${actual[c][i]} != ${expected[c][i]}`);
    }
  }
}

/** Decodes `path` and checks it against the source, its STREAMINFO MD5 and (8/16/24/32-bit) `flac -d`. */
function checkFile(path: string, source: Int32Array[], bits: number, what: string): Decoded {
  const bytes = new Uint8Array(readFileSync(path));
  const decoded = decode(bytes);
  assert.equal(decoded.info.bitsPerSample, bits, `${what}: bits`);
  assertSameInts(decoded.ints, source, what);
  assert.equal(md5(decoded.ints, bits), Buffer.from(decoded.info.md5).toString('hex'), `${what}: MD5`);
  if (bits % 8 === 0) assertSameInts(decoded.ints, referenceDecode(path, source.length, bits), `${what} vs flac -d`);
  return decoded;
}

// ---------------------------------------------------------------------------------------------
// Streams made by flac, ffmpeg and our encoder

test('flac levels 0, 5, 8, exhaustive search and LPC order 32: bit-exact, 16- and 24-bit stereo', () => {
  for (const bits of [16, 24]) {
    const source = pcm(60_000, 2, bits, bits);
    for (const args of [['-0'], ['-5'], ['-8'], ['-8', '-e', '-p'], ['--lax', '-l', '32', '-e']]) {
      checkFile(flacEncode(`levels-${bits}${args.join('')}`, source, bits, 44100, args), source, bits, `${bits}-bit flac ${args.join(' ')}`);
    }
  }
});

test('every block-size code: 192, 576·2^n, 256·2^n, 8- and 16-bit "at the end of the header" sizes', () => {
  const source = pcm(70_000, 2, 16, 7);
  const seen = new Set<number>();
  for (const size of [192, 576, 1152, 2304, 4608, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 100, 1153, 65535]) {
    const decoded = checkFile(flacEncode(`block-${size}`, source, 16, 44100, ['--lax', '-5', '-b', String(size)]), source, 16, `block size ${size}`);
    for (const s of decoded.sizes) seen.add(s);
    assert.ok(decoded.sizes.has(size), `frames of ${size}`);
  }
  assert.ok(seen.size >= 17, 'the odd last frames too');
});

test('bit depths 8, 12, 16, 20, 24 and 32; 1, 2, 3, 6 and 8 channels; wasted bits', () => {
  const cases: [bits: number, channels: number, wasted: number][] = [
    [8, 1, 0], [8, 2, 0], [12, 2, 0], [16, 6, 0], [16, 3, 0], [20, 2, 0], [24, 1, 0], [24, 8, 0], [32, 2, 0], [32, 1, 0],
    [24, 2, 8], [16, 2, 3],
  ];
  for (const [bits, channels, wasted] of cases) {
    const source = pcm(30_000, channels, bits, bits * 10 + channels, wasted);
    const what = `${bits}-bit ${channels} ch${wasted ? ` ${wasted} wasted bits` : ''}`;
    checkFile(flacEncode(`depth-${bits}-${channels}-${wasted}`, source, bits, 48000, ['--lax', '-8']), source, bits, what);
  }
});

test('sample rates through every header code, and one only STREAMINFO can state', () => {
  // rate → what the frame header states (0 = "see STREAMINFO")
  const rates: [number, number][] = [
    [88200, 88200], [176400, 176400], [192000, 192000], [8000, 8000], [16000, 16000], [22050, 22050], [24000, 24000],
    [32000, 32000], [44100, 44100], [48000, 48000], [96000, 96000], [100000, 100000], [11025, 11025], [7350, 7350],
    [123450, 123450], [96001, 0],
  ];
  const source = pcm(5000, 1, 16, 3);
  for (const [rate, stated] of rates) {
    const decoded = checkFile(flacEncode(`rate-${rate}`, source, 16, rate, ['--lax', '-5']), source, 16, `${rate} Hz`);
    assert.equal(decoded.info.sampleRate, rate);
    assert.deepEqual([...decoded.rates], [stated], `${rate} Hz in the frame headers`);
  }
});

test('ffmpeg: every channel assignment, LPC orders 1–32, Cholesky and exact Rice parameters', () => {
  for (const bits of [16, 24]) {
    const source = pcm(40_000, 2, bits, 100 + bits);
    for (const mode of ['indep', 'left_side', 'right_side', 'mid_side']) {
      checkFile(ffmpegEncode(`ff-${bits}-${mode}`, source, bits, 44100, ['-ch_mode', mode]), source, bits, `ffmpeg ${bits}-bit ${mode}`);
    }
    for (const order of [1, 2, 4, 5, 8, 9, 12, 13, 16, 17, 24, 32]) {
      const args = ['-lpc_type', order % 2 ? 'cholesky' : 'levinson', '-min_prediction_order', String(order), '-max_prediction_order', String(order),
        '-exact_rice_parameters', '1', '-lpc_coeff_precision', String(order % 3 ? 15 : 9)];
      checkFile(ffmpegEncode(`ff-${bits}-order-${order}`, source, bits, 44100, args), source, bits, `ffmpeg ${bits}-bit order ${order}`);
    }
  }
  const six = pcm(20_000, 6, 24, 66);
  checkFile(ffmpegEncode('ff-6ch', six, 24, 48000, ['-compression_level', '12']), six, 24, 'ffmpeg 6 channels level 12');
});

test('our own encoder: levels 0, 5 and 8, 16- and 24-bit, wasted bits', () => {
  for (const [bits, wasted] of [[16, 0], [24, 0], [24, 4]] as const) {
    const source = pcm(50_000, 2, bits, 200 + bits, wasted);
    for (const level of [0, 5, 8]) {
      const path = join(dir, `ours-${bits}-${wasted}-${level}.flac`);
      writeFileSync(path, ourEncode(source, { sampleRate: 44100, bitsPerSample: bits, level }));
      const decoded = decode(new Uint8Array(readFileSync(path)));
      assertSameInts(decoded.ints, source, `our encoder ${bits}-bit level ${level}`);
      assertSameInts(decoded.ints, referenceDecode(path, 2, bits), `our encoder ${bits}-bit level ${level} vs flac -d`);
    }
  }
});

test('decodeFlac() decodes a whole stream in memory to Float32', () => {
  const source = pcm(20_000, 2, 24, 5);
  const { info, channels } = decodeFlac(new Uint8Array(readFileSync(flacEncode('whole', source, 24, 44100, ['-5']))));
  assert.equal(info.totalSamples, 20_000);
  for (let c = 0; c < 2; c++) for (let i = 0; i < 20_000; i++) assert.equal(channels[c][i], source[c][i] / 2 ** 23);
});

// ---------------------------------------------------------------------------------------------
// Variable block sizes: flac's fixed-size frames re-headed with sample numbers

/** Re-heads every frame of `parts` (each a flac file of consecutive audio) as a variable block size stream. */
function variableStream(parts: string[], bits: number, channels: number, source: Int32Array[], blockingBit: 0 | 1): Uint8Array {
  const frames: Uint8Array[] = [];
  let sample = 0;
  let minBlock = 65535;
  let maxBlock = 0;
  let first: FlacStreamInfo | null = null;
  for (const part of parts) {
    const bytes = new Uint8Array(readFileSync(part));
    const decoded = decode(bytes);
    first ??= decoded.info;
    for (const frame of decoded.frames) {
      const header = parseFrameHeader(bytes, frame.offset, bytes.length);
      assert.ok(header && typeof header === 'object');
      const o = frame.offset;
      const utf8Length = header.number < 0x80 ? 1 : bytes[o + 4] < 0xe0 ? 2 : bytes[o + 4] < 0xf0 ? 3 : 4;
      const extras = bytes.subarray(o + 4 + utf8Length, o + header.bytes - 1);
      const body = bytes.subarray(o + header.bytes, o + frame.length - 2);
      const head = [0xff, 0xf8 | blockingBit, bytes[o + 2], bytes[o + 3], ...utf8(sample), ...extras];
      head.push(crc8(Uint8Array.from(head), 0, head.length));
      const out = new Uint8Array(head.length + body.length + 2);
      out.set(head);
      out.set(body, head.length);
      const crc = crc16(out, 0, out.length - 2);
      out[out.length - 2] = crc >> 8;
      out[out.length - 1] = crc & 0xff;
      frames.push(out);
      minBlock = Math.min(minBlock, header.blockSize);
      maxBlock = Math.max(maxBlock, header.blockSize);
      sample += header.blockSize;
    }
  }
  const info = streamInfoBytes({ ...first!, minBlockSize: minBlock, maxBlockSize: maxBlock, totalSamples: sample, md5: Buffer.from(md5(source, bits), 'hex') });
  return Buffer.concat([Buffer.from('fLaC'), Buffer.from([0x80, 0, 0, 34]), info, ...frames]);
}

/** A frame/sample number as FLAC codes it: UTF-8, extended to 7 bytes (36 bits). */
function utf8(n: number): number[] {
  if (n < 0x80) return [n];
  let bytes = 2;
  while (n >= 2 ** (5 * bytes + 1)) bytes++;
  const tail: number[] = [];
  for (let i = 1; i < bytes; i++) {
    tail.unshift(0x80 | (n % 64));
    n = Math.floor(n / 64);
  }
  return [((0xff << (8 - bytes)) & 0xff) | n, ...tail];
}

function streamInfoBytes(info: FlacStreamInfo): Uint8Array {
  const s = new Uint8Array(34);
  s[0] = info.minBlockSize >> 8; s[1] = info.minBlockSize & 0xff;
  s[2] = info.maxBlockSize >> 8; s[3] = info.maxBlockSize & 0xff;
  s[10] = info.sampleRate >> 12; s[11] = (info.sampleRate >> 4) & 0xff;
  s[12] = ((info.sampleRate & 15) << 4) | ((info.channels - 1) << 1) | ((info.bitsPerSample - 1) >> 4);
  s[13] = (((info.bitsPerSample - 1) & 15) << 4) | Math.floor(info.totalSamples / 2 ** 32);
  new DataView(s.buffer).setUint32(14, info.totalSamples >>> 0);
  s.set(info.md5, 18);
  return s;
}

test('variable block sizes (sample numbers in the headers), also with the old blocking bit of 0', () => {
  const source = pcm(40_000, 2, 16, 77);
  const wav = wavFile('variable', source, 16, 44100);
  const parts = [[0, 11_520, 1152], [11_520, 20_000, 576], [20_000, 40_000, 4096]].map(([from, to, block]) => {
    const out = join(dir, `variable-${from}.flac`);
    runTool('flac', ['--silent', '--force', '--channel-map=none', '--lax', '-b', String(block), `--skip=${from}`, `--until=${to}`, '-o', out, wav]);
    return out;
  });
  for (const bit of [1, 0] as const) {
    const decoded = decode(variableStream(parts, 16, 2, source, bit));
    assertSameInts(decoded.ints, source, `variable block size, blocking bit ${bit}`);
    assert.ok(decoded.sizes.has(1152) && decoded.sizes.has(576) && decoded.sizes.has(4096));
  }
});

// ---------------------------------------------------------------------------------------------
// Hand-built frames: the corners encoders rarely reach

class BitWriter {
  private readonly bits: number[] = [];
  /** `width` low bits of v (two's complement for negatives), most significant first; width ≤ 40. */
  put(v: number, width: number): this {
    let u = v < 0 ? v + 2 ** width : v;
    const out: number[] = [];
    for (let b = 0; b < width; b++) { out.push(u % 2); u = Math.floor(u / 2); }
    for (let b = width - 1; b >= 0; b--) this.bits.push(out[b]);
    return this;
  }
  unary(q: number): this {
    for (let i = 0; i < q; i++) this.bits.push(0);
    this.bits.push(1);
    return this;
  }
  rice(residual: number, k: number): this {
    const u = residual >= 0 ? residual * 2 : -residual * 2 - 1;
    this.unary(Math.floor(u / 2 ** k));
    return k > 0 ? this.put(u % 2 ** k, k) : this;
  }
  bytes(): number[] {
    while (this.bits.length % 8) this.bits.push(0);
    const out: number[] = [];
    for (let i = 0; i < this.bits.length; i += 8) out.push(this.bits.slice(i, i + 8).reduce((a, b) => a * 2 + b, 0));
    return out;
  }
}

/**
 * One channel's subframe: the (coded, wasted-bits-free) samples and how to code them. FIXED and LPC
 * residuals are computed from the samples (in BigInt, independently of the decoder); each partition
 * is Rice-coded with the given parameter ('auto': from the partition's mean) or escaped.
 */
type Param = number | 'auto' | { escape: number };
type Plan =
  | { type: 'constant'; value: number; wasted?: number }
  | { type: 'verbatim'; samples: number[]; wasted?: number }
  | { type: 'fixed'; order: number; samples: number[]; partitionOrder: number; params: Param[]; rice2?: boolean; wasted?: number; reservedMethod?: boolean }
  | { type: 'lpc'; coefs: number[]; shift: number; precision: number; samples: number[]; partitionOrder: number; params: Param[]; rice2?: boolean; wasted?: number };

const FIXED = [[], [1], [2, -1], [3, -3, 1], [4, -6, 4, -1]];

function predictorOf(plan: Plan): { coefs: number[]; shift: number } {
  if (plan.type === 'fixed') return { coefs: FIXED[plan.order], shift: 0 };
  if (plan.type === 'lpc') return { coefs: plan.coefs, shift: plan.shift };
  return { coefs: [], shift: 0 };
}

function residualOf(plan: Plan & { samples: number[] }): number[] {
  const { coefs, shift } = predictorOf(plan);
  const s = plan.samples.map(BigInt);
  const out: number[] = [];
  for (let i = coefs.length; i < s.length; i++) {
    let sum = 0n;
    for (let j = 0; j < coefs.length; j++) sum += BigInt(coefs[j]) * s[i - 1 - j];
    out.push(Number(s[i] - (sum >> BigInt(shift))));
  }
  return out;
}

/** The samples a plan codes for, wasted bits put back. */
function planSamples(plan: Plan, n: number): number[] {
  const w = 2 ** (plan.wasted ?? 0);
  return plan.type === 'constant' ? Array(n).fill(plan.value * w) : plan.samples.map((x) => x * w);
}

function writeSubframe(out: BitWriter, plan: Plan, bps: number): void {
  const wasted = plan.wasted ?? 0;
  const order = predictorOf(plan).coefs.length;
  const type = plan.type === 'constant' ? 0 : plan.type === 'verbatim' ? 1 : plan.type === 'fixed' ? 8 + order : 31 + order;
  out.put(0, 1).put(type, 6).put(wasted > 0 ? 1 : 0, 1);
  if (wasted > 0) out.unary(wasted - 1);
  const width = bps - wasted;
  if (plan.type === 'constant') { out.put(plan.value, width); return; }
  if (plan.type === 'verbatim') { for (const x of plan.samples) out.put(x, width); return; }
  for (const x of plan.samples.slice(0, order)) out.put(x, width);
  if (plan.type === 'lpc') {
    out.put(plan.precision - 1, 4).put(plan.shift, 5);
    for (const c of plan.coefs) out.put(c, plan.precision);
  }
  const rice2 = plan.rice2 ?? false;
  out.put(plan.type === 'fixed' && plan.reservedMethod ? 2 : rice2 ? 1 : 0, 2).put(plan.partitionOrder, 4);
  const residual = residualOf(plan);
  const partitions = 2 ** plan.partitionOrder;
  const size = plan.samples.length / partitions;
  let at = 0;
  for (let p = 0; p < partitions; p++) {
    const count = Math.max(0, p === 0 ? size - order : size);
    const part = residual.slice(at, at + count);
    let param = plan.params[p];
    if (param === 'auto') {
      const mean = part.reduce((sum, r) => sum + Math.abs(r), 0) / Math.max(1, part.length);
      param = Math.max(0, Math.min(rice2 ? 30 : 14, Math.round(Math.log2(mean + 1))));
    }
    if (typeof param === 'number') {
      out.put(param, rice2 ? 5 : 4);
      for (const r of part) out.rice(r, param);
    } else {
      out.put(rice2 ? 31 : 15, rice2 ? 5 : 4).put(param.escape, 5);
      for (const r of part) {
        assert.ok(param.escape > 0 ? Math.abs(r) < 2 ** (param.escape - 1) || r === -(2 ** (param.escape - 1)) : r === 0, 'escape width fits');
        out.put(r, param.escape);
      }
    }
    at += count;
  }
}

const BPS_CODES: Record<number, number> = { 8: 1, 12: 2, 16: 4, 20: 5, 24: 6, 32: 7 };

/** A frame: header (16-bit block size at the end), the subframes, CRC-16. */
function buildFrame(number: number, n: number, bps: number, assignment: number, plans: Plan[]): Uint8Array {
  const head = [0xff, 0xf8, 0x70, (assignment << 4) | ((BPS_CODES[bps] ?? 0) << 1), ...utf8(number), (n - 1) >> 8, (n - 1) & 0xff];
  head.push(crc8(Uint8Array.from(head), 0, head.length));
  const body = new BitWriter();
  plans.forEach((plan, c) => {
    const side = (c === 1 && (assignment === LEFT_SIDE || assignment === MID_SIDE)) || (c === 0 && assignment === SIDE_RIGHT);
    writeSubframe(body, plan, side ? bps + 1 : bps);
  });
  return withCrc16([...head, ...body.bytes(), 0, 0]);
}

/** The bytes with their last two replaced by the CRC-16 of the rest. */
function withCrc16(bytes: number[]): Uint8Array {
  const frame = Uint8Array.from(bytes);
  const crc = crc16(frame, 0, frame.length - 2);
  frame[frame.length - 2] = crc >> 8;
  frame[frame.length - 1] = crc & 0xff;
  return frame;
}

function streamInfo(bps: number, channels: number, total = 0): FlacStreamInfo {
  return { minBlockSize: 16, maxBlockSize: 4096, minFrameSize: 0, maxFrameSize: 0, sampleRate: 44100, channels, bitsPerSample: bps, totalSamples: total, md5: new Uint8Array(16) };
}

/** What a frame's channels decode to, by the format's rules for the assignment. */
function expectedChannels(plans: Plan[], n: number, assignment: number): number[][] {
  const [a, b] = plans.map((plan) => planSamples(plan, n));
  if (assignment === LEFT_SIDE) return [a, a.map((x, i) => x - b[i])];
  if (assignment === SIDE_RIGHT) return [a.map((x, i) => x + b[i]), b];
  if (assignment === MID_SIDE) {
    return [a.map((m, i) => (m * 2 + (b[i] & 1) + b[i]) / 2), a.map((m, i) => (m * 2 + (b[i] & 1) - b[i]) / 2)];
  }
  return plans.map((plan) => planSamples(plan, n));
}

function decodeBuilt(frame: Uint8Array, bps: number, channels: number, n: number): number[][] {
  const decoder = new FlacDecoder(streamInfo(bps, channels));
  assert.equal(decoder.decodeFrame(frame, 0, frame.length), frame.length);
  const out = Array.from({ length: channels }, () => new Int32Array(n));
  decoder.toInt32(out, 0, 0, n);
  return out.map((channel) => Array.from(channel));
}

/** n samples in [-2^(bits-1), 2^(bits-1)): a wobbly line plus noise (`noise` of full scale). */
function samples(n: number, bits: number, seed: number, noise = 0.02): number[] {
  const full = 2 ** (bits - 1);
  let state = seed;
  return Array.from({ length: n }, (_, i) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const x = 0.6 * Math.sin(i * 0.2 + seed) + noise * (state / 2 ** 32 - 0.5) * 2;
    return Math.max(-full, Math.min(full - 1, Math.round(x * full)));
  });
}

test('hand-built frames: CONSTANT, VERBATIM, FIXED 0–4, escaped partitions, RICE2, long unary codes, wasted bits', () => {
  const n = 64;
  const cases: { what: string; bps: number; assignment: number; plans: Plan[] }[] = [];
  for (let order = 0; order <= 4; order++) {
    cases.push({ what: `fixed order ${order}`, bps: 16, assignment: 0, plans: [{
      type: 'fixed', order, samples: samples(n, 16, order + 1), partitionOrder: 2, params: ['auto', 'auto', { escape: 18 }, 'auto'],
    }] });
  }
  // An escaped partition of width 0 (zero residuals: a constant stretch), Rice parameter 0 with a
  // unary part of thousands of zeros, RICE2 parameter 30.
  cases.push({ what: 'escape 0, k = 0 with long codes, k = 30', bps: 16, assignment: 0, plans: [{
    type: 'fixed', order: 1, samples: [...Array(16).fill(-7), ...samples(48, 16, 9, 0.3)], partitionOrder: 2, params: [{ escape: 0 }, 0, 30, 1], rice2: true,
  }] });
  cases.push({ what: 'constant', bps: 24, assignment: 0, plans: [{ type: 'constant', value: -8_388_608 }] });
  cases.push({ what: 'verbatim', bps: 24, assignment: 0, plans: [{ type: 'verbatim', samples: samples(n, 24, 4, 0.4) }] });
  cases.push({ what: 'verbatim, 6 wasted bits', bps: 16, assignment: 0, plans: [{ type: 'verbatim', samples: samples(n, 10, 5), wasted: 6 }] });
  // Stereo with every assignment, wasted bits on one channel; a side channel has one bit more.
  for (const assignment of [1, LEFT_SIDE, SIDE_RIGHT, MID_SIDE]) {
    const sideBits = (c: number) => ((c === 1 && assignment !== SIDE_RIGHT && assignment !== 1) || (c === 0 && assignment === SIDE_RIGHT) ? 25 : 24);
    const lpcChannel = assignment === SIDE_RIGHT ? 1 : 0;
    const plans: Plan[] = [0, 1].map((c) => (c === lpcChannel
      ? { type: 'lpc', coefs: [3000, -1500, 400], shift: 11, precision: 14, samples: samples(n, sideBits(c) - 2, 10 + assignment), partitionOrder: 1, params: ['auto', 'auto'], rice2: true, wasted: 2 }
      : { type: 'fixed', order: 2, samples: samples(n, sideBits(c), 20 + assignment), partitionOrder: 0, params: ['auto'], rice2: true }));
    cases.push({ what: `assignment ${assignment}`, bps: 24, assignment, plans });
  }
  // LPC orders 1, 5, 13, 20 and 32 (the 4-, 8- and 16-tap loops and the plain one), precision 15,
  // shift 15, coefficients at both extremes; a residual this large needs RICE2.
  for (const order of [1, 5, 13, 20, 32]) {
    const coefs = Array.from({ length: order }, (_, j) => (j === 0 ? 16383 : j % 2 ? -16384 : 9000 >> j));
    cases.push({ what: `LPC order ${order}`, bps: 24, assignment: 0, plans: [{
      type: 'lpc', coefs, shift: 15, precision: 15, samples: samples(n, 24, order), partitionOrder: 0, params: ['auto'], rice2: true,
    }] });
  }
  // Two LPC channels at once (the paired loop), orders 3 and 12.
  cases.push({ what: 'paired LPC 3 and 12', bps: 16, assignment: 1, plans: [3, 12].map((order, c) => ({
    type: 'lpc' as const, coefs: Array.from({ length: order }, (_, j) => (j % 3 ? -700 : 1900) >> (j >> 2)), shift: 10, precision: 12,
    samples: samples(n, 16, 50 + c), partitionOrder: 0, params: ['auto' as const], rice2: true,
  })) });
  // 32-bit mid/side: a 33-bit side channel (warm-up read as 33 bits), left and right at the extremes.
  const side = Array.from({ length: n }, (_, i) => 2 ** 32 - 1 - 1000 * i);
  const mid = Array.from({ length: n }, (_, i) => -1 - (i % 7));
  cases.push({ what: '32-bit mid/side', bps: 32, assignment: MID_SIDE, plans: [
    { type: 'verbatim', samples: mid },
    { type: 'fixed', order: 1, samples: side, partitionOrder: 0, params: ['auto'] },
  ] });
  for (const [index, { what, bps, assignment, plans }] of cases.entries()) {
    const frame = buildFrame(index, n, bps, assignment, plans);
    const expected = expectedChannels(plans, n, assignment);
    for (const channel of expected) for (const x of channel) assert.ok(Math.abs(x) <= 2 ** 31, `${what}: test values fit int32`);
    assert.deepEqual(decodeBuilt(frame, bps, plans.length, n), expected, what);
  }
  const extremes = decodeBuilt(buildFrame(0, n, 32, MID_SIDE, cases[cases.length - 1].plans), 32, 2, n);
  assert.deepEqual([extremes[0][0], extremes[1][0]], [2 ** 31 - 1, -(2 ** 31)]);
});

test('hand-built frames that break the rules are FlacErrors, not wrong audio', () => {
  const n = 32;
  const good: Plan = { type: 'fixed', order: 2, samples: samples(n, 16, 1), partitionOrder: 1, params: ['auto', 'auto'] };
  const bad: [string, RegExp, Plan][] = [
    ['reserved residual method', /reserved residual coding method/, { ...good, reservedMethod: true }],
    ['partition order 5 with block 32 and order 2', /leaves fewer samples/, { ...good, partitionOrder: 5, params: Array(32).fill(4) }],
    ['wasted bits leave nothing', /wasted bits/, { type: 'constant', value: 0, wasted: 16 }],
  ];
  for (const [what, reason, plan] of bad) {
    const frame = buildFrame(0, n, 16, 0, [plan]);
    assert.throws(() => new FlacDecoder(streamInfo(16, 1)).decodeFrame(frame, 0, frame.length),
      (error: unknown) => error instanceof FlacError && reason.test(error.reason) && error.sample === 0, what);
  }
  // Header-level problems, each under a valid CRC-8 and CRC-16 so that the check itself must catch it.
  const patch = (edit: (bytes: number[]) => void): Uint8Array => {
    const frame = Array.from(buildFrame(0, n, 16, 0, [good]));
    edit(frame);
    frame[7] = crc8(Uint8Array.from(frame), 0, 7); // the header is 8 bytes here
    return withCrc16(frame);
  };
  const header: [string, RegExp, Uint8Array][] = [
    ['reserved subframe type', /reserved subframe type 2/, patch((b) => { b[8] = (b[8] & 0x81) | (2 << 1); })],
    ['subframe padding bit', /padding bit/, patch((b) => { b[8] |= 0x80; })],
    ['reserved channel assignment', /reserved channel assignment/, patch((b) => { b[3] = (11 << 4) | (b[3] & 15); })],
    ['reserved sample size', /reserved sample size/, patch((b) => { b[3] = (b[3] & 0xf1) | (3 << 1); })],
    ['reserved header bit', /reserved bit/, patch((b) => { b[3] |= 1; })],
    ['block size code 0', /reserved block size/, patch((b) => { b[2] &= 0x0f; })],
  ];
  for (const [what, reason, frame] of header) {
    assert.throws(() => new FlacDecoder(streamInfo(16, 1)).decodeFrame(frame, 0, frame.length),
      (error: unknown) => error instanceof FlacError && reason.test(error.reason), what);
  }
  // LPC with precision code 15 (forbidden) or a negative shift.
  const lpc = (precisionCode: number, shift: number) => {
    const w = new BitWriter().put(0, 1).put(32, 6).put(0, 1).put(5, 16).put(precisionCode, 4).put(shift, 5).put(1, 15);
    w.put(0, 2).put(0, 4).put(15, 4).put(0, 5);
    const head = [0xff, 0xf8, 0x70, 4 << 1, 0, 0, 1];
    head.push(crc8(Uint8Array.from(head), 0, head.length));
    return withCrc16([...head, ...w.bytes(), 0, 0]);
  };
  const frame15 = lpc(15, 3);
  const negative = lpc(14, -2);
  assert.throws(() => new FlacDecoder(streamInfo(16, 1)).decodeFrame(frame15, 0, frame15.length), /precision code 15/);
  assert.throws(() => new FlacDecoder(streamInfo(16, 1)).decodeFrame(negative, 0, negative.length), /negative LPC shift/);
});

// ---------------------------------------------------------------------------------------------
// Damage, truncation, streaming

const damageSource = pcm(24_000, 2, 16, 31);
const damageFile = new Uint8Array(readFileSync(flacEncode('damage', damageSource, 16, 44100, ['-5', '-b', '1024'])));
const damage = decode(damageFile);

test('every single-bit flip in the audio is a FlacError at the damaged frame', () => {
  const { frames } = damage;
  const lastFrame = frames[frames.length - 1];
  let checked = 0;
  for (let at = frames[0].offset; at < lastFrame.offset; at += 37) {
    let frame = frames[0];
    for (const f of frames) if (f.offset <= at) frame = f;
    const bytes = Uint8Array.from(damageFile);
    bytes[at] ^= 1 << (at % 8);
    const decoder = new FlacDecoder(damage.info);
    let offset = frames[0].offset;
    try {
      for (;;) {
        const used = decoder.decodeFrame(bytes, offset, bytes.length);
        assert.ok(used > 0 && offset < frame.offset + frame.length, `byte ${at}: damage not seen`);
        offset += used;
      }
    } catch (error) {
      if (!(error instanceof FlacError)) throw error;
      assert.equal(error.sample, frame.sample, `byte ${at}: reported at ${error.sample}, damaged frame starts at ${frame.sample}`);
      assert.match(error.message, /^corrupt FLAC frame near sample \d+ \(.+\)$/);
      checked++;
    }
  }
  assert.equal(checked, Math.ceil((lastFrame.offset - frames[0].offset) / 37));
});

test('a stream cut short asks for more bytes (0), having decoded everything before the cut', () => {
  const { frames } = damage;
  for (const cut of [frames[3].offset + 1, frames[3].offset + 5, frames[3].offset + Math.floor(frames[3].length / 2), frames[4].offset - 1]) {
    const decoder = new FlacDecoder(damage.info);
    let offset = frames[0].offset;
    for (let i = 0; i < 3; i++) offset += decoder.decodeFrame(damageFile, offset, cut);
    assert.equal(decoder.decodeFrame(damageFile, offset, cut), 0, `cut at ${cut}`);
    assert.equal(decoder.nextSample, frames[3].sample);
    // Given the rest, it goes on.
    assert.equal(decoder.decodeFrame(damageFile, offset, damageFile.length), frames[3].length);
  }
});

test('bytes fed in pieces of any size decode the same (the reader does this)', () => {
  let seed = 5;
  const decoder = new FlacDecoder(damage.info);
  const out = Array.from({ length: 2 }, () => new Int32Array(damage.info.totalSamples));
  const buffer = new Uint8Array(damageFile.length);
  let have = 0;
  let offset = damage.frames[0].offset;
  buffer.set(damageFile.subarray(0, offset));
  have = offset;
  while (decoder.nextSample < damage.info.totalSamples) {
    const used = decoder.decodeFrame(buffer, offset, have);
    if (used === 0) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const more = Math.min(damageFile.length - have, 1 + (seed % 3000));
      buffer.set(damageFile.subarray(have, have + more), have);
      have += more;
      continue;
    }
    offset += used;
    decoder.toInt32(out, decoder.firstSample, 0, decoder.blockSize);
  }
  assertSameInts(out, damageSource, 'piecewise');
});

test('frames out of order, from another stream, or with a wrong channel count are errors', () => {
  const { frames, info } = damage;
  const swapped = Buffer.concat([damageFile.subarray(0, frames[2].offset), damageFile.subarray(frames[3].offset, frames[4].offset),
    damageFile.subarray(frames[2].offset, frames[3].offset), damageFile.subarray(frames[4].offset)]);
  const decoder = new FlacDecoder(info);
  let offset = frames[0].offset;
  offset += decoder.decodeFrame(swapped, offset, swapped.length);
  offset += decoder.decodeFrame(swapped, offset, swapped.length);
  assert.throws(() => decoder.decodeFrame(swapped, offset, swapped.length), /frame header says frame 3 where 2 should follow/);
  assert.throws(() => new FlacDecoder({ ...info, channels: 1 }).decodeFrame(damageFile, frames[0].offset, damageFile.length), /a frame has 2 channels, STREAMINFO says 1/);
  assert.throws(() => new FlacDecoder({ ...info, bitsPerSample: 24 }).decodeFrame(damageFile, frames[0].offset, damageFile.length), /16-bit samples, STREAMINFO says 24/);
  assert.throws(() => new FlacDecoder({ ...info, sampleRate: 48000 }).decodeFrame(damageFile, frames[0].offset, damageFile.length), /sample rate 44100 Hz, STREAMINFO says 48000/);
});

test('garbage after a valid frame header never hangs or throws anything but FlacError', () => {
  const header = damageFile.subarray(damage.frames[5].offset, damage.frames[5].offset + 6);
  let seed = 99;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
  for (let trial = 0; trial < 400; trial++) {
    const length = 8 + (trial * 37) % 3000;
    const bytes = new Uint8Array(length);
    bytes.set(header);
    for (let i = header.length; i < length; i++) bytes[i] = trial % 4 === 0 ? 0 : random(); // some all-zero: endless unary runs
    const decoder = new FlacDecoder(damage.info);
    for (const frame of damage.frames.slice(0, 5)) decoder.decodeFrame(damageFile, frame.offset, damageFile.length);
    try {
      decoder.decodeFrame(bytes, 0, length);
    } catch (error) {
      if (!(error instanceof FlacError)) throw error;
    }
  }
});

test('CRCs agree with frames written by flac', () => {
  for (const frame of damage.frames) {
    const end = frame.offset + frame.length;
    assert.equal(crc16(damageFile, frame.offset, end - 2), (damageFile[end - 2] << 8) | damageFile[end - 1]);
  }
});
