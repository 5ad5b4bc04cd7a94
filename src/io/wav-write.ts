// Streaming WAV writer: header up front with placeholder sizes, samples buffered into 1 MiB positional
// writes, sizes patched at finish(). A JUNK chunk reserves room for a ds64 so a file past 4 GiB becomes
// RF64 in place (EBU Tech 3306). Written to a temp file beside the target and renamed on finish.
import { defaultChannelLayout, type ChannelLabel } from '../engine/audio.js';
import { channelDitherSeed, createQuantizer, type DitherKind } from '../engine/dsp/dither.js';
import type { AudioMetadata, AudioWriter, RawChunk, SampleEncoding, WriterOptions } from './api.js';
import { createAtomicFile } from './atomic.js';
import { MASK_LABELS } from './channel-mask.js';

export interface WavWriterOptions extends WriterOptions {
  encoding: SampleEncoding;
  /** Word-length reduction for int output: TPDF dither (default), noise-shaped TPDF, or plain rounding. */
  dither?: DitherKind;
  ditherSeed?: number;
  /** bext OriginationDate/Time (default: now); fix it for byte-identical renders. */
  originationDate?: Date;
  /** Data size in bytes above which finish() writes RF64; only tests lower it from the 4 GiB RIFF limit. */
  rf64ThresholdBytes?: number;
}

const OUTPUT_BUFFER_BYTES = 1 << 20;
const MAX_U32 = 0xffffffff;
const DS64_BODY_BYTES = 28; // riffSize64, dataSize64, sampleCount64, tableLength
const BEXT_V1_BYTES = 602;
/** KSDATAFORMAT_SUBTYPE_* GUID bytes after the 2-byte format tag. */
const SUBFORMAT_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/** metadata field → LIST/INFO tag, in the order written (ITCH is ffmpeg's "encoded_by"). */
const INFO_FIELDS: [keyof AudioMetadata, string][] = [
  ['title', 'INAM'], ['artist', 'IART'], ['album', 'IPRD'], ['year', 'ICRD'], ['genre', 'IGNR'],
  ['track', 'ITRK'], ['comment', 'ICMT'], ['isrc', 'ISRC'], ['encodedBy', 'ITCH'],
];

export async function createWavWriter(path: string, options: WavWriterOptions): Promise<AudioWriter> {
  const { sampleRate, channelCount, encoding } = options;
  if (!Number.isInteger(channelCount) || channelCount < 1 || channelCount > 0xffff) {
    throw new RangeError(`WAV writer: channelCount must be an integer from 1 to 65535, got ${channelCount}`);
  }
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > MAX_U32) {
    throw new RangeError(`WAV writer: sampleRate must be a positive integer, got ${sampleRate}`);
  }
  if (!(encoding.kind === 'int' && (encoding.bits === 16 || encoding.bits === 24)) && !(encoding.kind === 'float' && encoding.bits === 32)) {
    throw new RangeError(`WAV writer: unsupported encoding ${JSON.stringify(encoding)} (int 16/24 or float 32)`);
  }
  const layout = options.channelLayout ?? defaultChannelLayout(channelCount);
  if (layout.length !== channelCount) {
    throw new RangeError(`WAV writer: channelLayout has ${layout.length} labels for ${channelCount} channels`);
  }
  const bytesPerSample = encoding.bits / 8;
  const blockAlign = bytesPerSample * channelCount;
  const header = buildHeader(options, layout);
  const threshold = options.rf64ThresholdBytes ?? MAX_U32;

  const file = await createAtomicFile(path, { durable: options.durable });
  const { handle } = file;
  /** handle.write may write less than asked (rarely, for files): loop until all of `bytes` is out. */
  const writeFully = async (bytes: Uint8Array, position: number) => {
    for (let done = 0; done < bytes.length;) {
      const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
      if (bytesWritten === 0) throw new Error(`WAV writer: no progress writing ${path}`);
      done += bytesWritten;
    }
  };
  try {
    await writeFully(header.bytes, 0);
  } catch (error) {
    await file.abort();
    throw error;
  }

  const capacityFrames = Math.max(1, Math.floor(OUTPUT_BUFFER_BYTES / blockAlign));
  const buffer = new Uint8Array(capacityFrames * blockAlign);
  // One quantizer (own dither sequence) per channel: the noise then depends neither on how the caller
  // splits its writes nor on the other channels, and encoding can run channel by channel.
  const quantizers = encoding.kind === 'int'
    ? Array.from({ length: channelCount }, (_, c) =>
      createQuantizer(encoding.bits, options.dither ?? 'tpdf', channelDitherSeed(options.ditherSeed ?? 1, c)))
    : null;
  let bufferedFrames = 0;
  let flushedFrames = 0;
  let state: 'open' | 'finished' | 'aborted' = 'open';

  const flush = async () => {
    if (bufferedFrames === 0) return;
    await writeFully(buffer.subarray(0, bufferedFrames * blockAlign), header.dataStart + flushedFrames * blockAlign);
    flushedFrames += bufferedFrames;
    bufferedFrames = 0;
  };

  const codes = quantizers ? Array.from({ length: channelCount }, () => new Int32Array(capacityFrames)) : [];
  const pack = createPacker(encoding, channelCount, buffer, codes);
  /** Throws for the first non-finite sample of frames [from, from + count), if any. */
  const rejectNonFinite = (channels: Float32Array[], from: number, count: number) => {
    for (let i = from; i < from + count; i++) {
      for (let c = 0; c < channelCount; c++) {
        const x = channels[c][i];
        if (x - x !== 0) {
          throw new RangeError(`WAV writer: ${Number.isNaN(x) ? 'NaN' : 'infinite'} sample at frame ${flushedFrames + bufferedFrames + i - from}, channel ${c + 1}`);
        }
      }
    }
  };
  /** Checks, quantizes and interleaves frames [from, from + count) into the buffer. */
  const encode = (channels: Float32Array[], from: number, count: number) => {
    if (!allFinite(channels, channelCount, from, count)) rejectNonFinite(channels, from, count);
    for (let c = 0; c < channelCount; c++) quantizers?.[c].quantizeBlock(channels[c], from, count, codes[c], 0); // clamped to the int range
    pack(channels, from, count, bufferedFrames);
    bufferedFrames += count;
  };

  const patch = (position: number, bytes: Uint8Array) => writeFully(bytes, position);

  return {
    async write(channels, frames) {
      if (state !== 'open') throw new Error(`WAV writer for ${path} is already ${state}`);
      if (channels.length !== channelCount) throw new RangeError(`WAV writer: got ${channels.length} channels, expected ${channelCount}`);
      if (!Number.isInteger(frames) || frames < 0 || channels.some((samples) => samples.length < frames)) {
        throw new RangeError(`WAV writer: frames must be an integer within each channel's length, got ${frames}`);
      }
      for (let done = 0; done < frames;) {
        const count = Math.min(frames - done, capacityFrames - bufferedFrames);
        encode(channels, done, count);
        done += count;
        if (bufferedFrames === capacityFrames) await flush();
      }
    },

    async finish() {
      if (state !== 'open') throw new Error(`WAV writer for ${path} is already ${state}`);
      try {
        await flush();
        const dataBytes = flushedFrames * blockAlign;
        let endBytes = header.dataStart + dataBytes;
        if (dataBytes % 2 === 1) await patch(endBytes++, new Uint8Array(1)); // pad byte after an odd data chunk
        const riffBytes = endBytes - 8;
        if (riffBytes > MAX_U32 || dataBytes > threshold) {
          // RF64: 32-bit sizes become 0xFFFFFFFF and the reserved JUNK turns into ds64 with the real ones.
          const ds64 = new Uint8Array(8 + DS64_BODY_BYTES);
          ds64.set(ascii('ds64'), 0);
          const d = new DataView(ds64.buffer);
          d.setUint32(4, DS64_BODY_BYTES, true);
          setU64(d, 8, riffBytes);
          setU64(d, 16, dataBytes);
          setU64(d, 24, flushedFrames);
          await patch(0, concat([ascii('RF64'), u32(MAX_U32)]));
          await patch(header.junkAt, ds64);
          await patch(header.dataSizeAt, u32(MAX_U32));
          if (header.factFramesAt >= 0) await patch(header.factFramesAt, u32(MAX_U32));
        } else {
          await patch(4, u32(riffBytes));
          await patch(header.dataSizeAt, u32(dataBytes));
          if (header.factFramesAt >= 0) await patch(header.factFramesAt, u32(flushedFrames));
        }
        await file.commit();
        state = 'finished';
      } catch (error) {
        state = 'aborted';
        await file.abort();
        throw error;
      }
    },

    async abort() {
      if (state !== 'open') return;
      state = 'aborted';
      await file.abort();
    },
  };
}

/** Interleaves `count` frames into `buffer` at frame `at`: int codes (from `codes`) or floats (from `channels` at `from`). */
type Packer = (channels: Float32Array[], from: number, count: number, at: number) => void;

/**
 * Whether frames [from, from + count) hold only finite samples: x - x is 0 for a finite x and NaN
 * otherwise, so one sum per frame tells. (A plain function, not a closure per writer: V8 optimizes it once.)
 */
function allFinite(channels: Float32Array[], channelCount: number, from: number, count: number): boolean {
  let check = 0;
  if (channelCount === 2) {
    const left = channels[0], right = channels[1];
    for (let i = from; i < from + count; i++) check += (left[i] - left[i]) + (right[i] - right[i]);
  } else {
    for (let c = 0; c < channelCount; c++) {
      const samples = channels[c];
      for (let i = from; i < from + count; i++) check += samples[i] - samples[i];
    }
  }
  return check === 0;
}

/**
 * One tight loop per sample format (as the reader's block decoders), picked once: a shared loop over
 * every format went polymorphic and ran at about half the speed. Typed-array views store whole samples
 * where the host is little-endian, as WAV is; a DataView does it on other hosts. Stereo 16-bit stores
 * one 32-bit word per frame and stereo 24-bit three words per two frames; other 24-bit layouts store
 * bytes one by one.
 */
function createPacker(encoding: SampleEncoding, channelCount: number, buffer: Uint8Array, codes: Int32Array[]): Packer {
  const step = channelCount;
  if (encoding.kind === 'float') {
    if (LITTLE_ENDIAN_HOST && step === 2) {
      const f32 = new Float32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength >> 2);
      return (channels, from, count, at) => {
        const left = channels[0], right = channels[1];
        for (let i = 0, j = 2 * at; i < count; i++, j += 2) { f32[j] = left[from + i]; f32[j + 1] = right[from + i]; } // float keeps overs
      };
    }
    if (LITTLE_ENDIAN_HOST) {
      const f32 = new Float32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength >> 2);
      return (channels, from, count, at) => {
        for (let c = 0; c < step; c++) {
          const samples = channels[c];
          for (let i = 0, j = at * step + c; i < count; i++, j += step) f32[j] = samples[from + i]; // float keeps overs
        }
      };
    }
    const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    return (channels, from, count, at) => {
      for (let c = 0; c < step; c++) {
        const samples = channels[c];
        for (let i = 0, k = (at * step + c) * 4; i < count; i++, k += step * 4) view.setFloat32(k, samples[from + i], true);
      }
    };
  }
  if (encoding.bits === 16 && LITTLE_ENDIAN_HOST && step === 2 && buffer.byteOffset % 4 === 0) {
    // Stereo 16-bit: one 32-bit store per frame (left in the low half).
    const u32 = new Uint32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength >> 2);
    return (_channels, _from, count, at) => {
      const left = codes[0], right = codes[1];
      for (let i = 0; i < count; i++) u32[at + i] = (left[i] & 0xffff) | (right[i] << 16);
    };
  }
  if (encoding.bits === 16 && LITTLE_ENDIAN_HOST) {
    const i16 = new Int16Array(buffer.buffer, buffer.byteOffset, buffer.byteLength >> 1);
    return (_channels, _from, count, at) => {
      for (let c = 0; c < step; c++) {
        const code = codes[c];
        for (let i = 0, j = at * step + c; i < count; i++, j += step) i16[j] = code[i];
      }
    };
  }
  if (encoding.bits === 16) {
    const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    return (_channels, _from, count, at) => {
      for (let c = 0; c < step; c++) {
        const code = codes[c];
        for (let i = 0, k = (at * step + c) * 2; i < count; i++, k += step * 2) view.setInt16(k, code[i], true);
      }
    };
  }
  if (step === 2 && LITTLE_ENDIAN_HOST && buffer.byteOffset % 4 === 0) {
    // Stereo 24-bit: two frames are 12 bytes, three 32-bit words (L0 | R0 << 24, R0 >> 8 | L1 << 16,
    // L1 >> 16 | R1 << 8): 3 stores instead of 12. Pairs start at even frames (4-byte aligned).
    const u32 = new Uint32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength >> 2);
    return (_channels, _from, count, at) => {
      let i = 0;
      if (at % 2 === 1 && count > 0) packOne24(buffer, codes, i++, at * 6);
      const left = codes[0], right = codes[1];
      for (let w = ((at + i) * 6) >> 2; i + 1 < count; i += 2, w += 3) {
        const l0 = left[i], r0 = right[i], l1 = left[i + 1], r1 = right[i + 1];
        u32[w] = (l0 & 0xffffff) | (r0 << 24);
        u32[w + 1] = ((r0 >> 8) & 0xffff) | (l1 << 16);
        u32[w + 2] = ((l1 >> 16) & 0xff) | (r1 << 8);
      }
      if (i < count) packOne24(buffer, codes, i, (at + i) * 6);
    };
  }
  return packBytes24(step, buffer, codes);
}

/** Frame `i` of stereo codes as 6 bytes at byte `k`. */
function packOne24(buffer: Uint8Array, codes: Int32Array[], i: number, k: number): void {
  for (let c = 0; c < 2; c++, k += 3) {
    const v = codes[c][i];
    buffer[k] = v & 0xff;
    buffer[k + 1] = (v >> 8) & 0xff;
    buffer[k + 2] = (v >> 16) & 0xff;
  }
}

/** 24-bit codes byte by byte (any channel count, any host). */
function packBytes24(step: number, buffer: Uint8Array, codes: Int32Array[]): Packer {
  return (_channels, _from, count, at) => {
    for (let c = 0; c < step; c++) {
      const code = codes[c];
      for (let i = 0, k = (at * step + c) * 3; i < count; i++, k += step * 3) {
        const v = code[i];
        buffer[k] = v & 0xff;
        buffer[k + 1] = (v >> 8) & 0xff;
        buffer[k + 2] = (v >> 16) & 0xff;
      }
    }
  };
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface WavHeader {
  bytes: Uint8Array;
  junkAt: number;
  factFramesAt: number;
  dataSizeAt: number;
  dataStart: number;
}

/** Every chunk before the samples; sizes that depend on the length are placeholders patched at finish. */
function buildHeader(options: WavWriterOptions, layout: ChannelLabel[]): WavHeader {
  const { sampleRate, channelCount, encoding } = options;
  const isFloat = encoding.kind === 'float';
  const blockAlign = (encoding.bits / 8) * channelCount;
  const extensible = channelCount > 2 || (!isFloat && encoding.bits > 16);
  const tag = isFloat ? 3 : 1;

  const fmt = new DataView(new ArrayBuffer(extensible ? 40 : isFloat ? 18 : 16));
  fmt.setUint16(0, extensible ? 0xfffe : tag, true);
  fmt.setUint16(2, channelCount, true);
  fmt.setUint32(4, sampleRate, true);
  fmt.setUint32(8, sampleRate * blockAlign, true);
  fmt.setUint16(12, blockAlign, true);
  fmt.setUint16(14, encoding.bits, true);
  if (extensible) {
    fmt.setUint16(16, 22, true); // cbSize
    fmt.setUint16(18, encoding.bits, true); // valid bits
    fmt.setUint32(20, channelMask(layout), true);
    fmt.setUint16(24, tag, true);
    SUBFORMAT_TAIL.forEach((byte, i) => fmt.setUint8(26 + i, byte));
  }

  const metadata = options.metadata ?? {};
  const hasMetadata = INFO_FIELDS.some(([field]) => metadata[field] !== undefined && metadata[field] !== '');
  // Chunks we regenerate are not passed through twice.
  const regenerated = (chunk: RawChunk) =>
    ['fmt ', 'data', 'fact', 'ds64', 'JUNK', 'junk'].includes(chunk.id)
    || (hasMetadata && chunk.id === 'bext')
    || (hasMetadata && chunk.id === 'LIST' && String.fromCharCode(...chunk.data.subarray(0, 4)) === 'INFO');

  const parts: Uint8Array[] = [ascii('RIFF'), u32(0), ascii('WAVE')];
  let size = 12;
  let factFramesAt = -1;
  const add = (id: string, body: Uint8Array) => {
    if (!/^[\x20-\x7e]{4}$/.test(id)) throw new RangeError(`WAV writer: chunk id must be 4 ASCII characters, got "${id}"`);
    parts.push(ascii(id), u32(body.length), body);
    if (body.length % 2 === 1) parts.push(new Uint8Array(1));
    size += 8 + body.length + (body.length % 2);
  };
  const junkAt = size;
  add('JUNK', new Uint8Array(DS64_BODY_BYTES)); // must be first to become ds64
  // bext before LIST: readers that map both (ffmpeg: description → comment, origination date → date)
  // let the later INFO tags win, so ICMT/ICRD are what players show.
  if (hasMetadata) add('bext', bext(metadata, options.originationDate ?? new Date()));
  add('fmt ', new Uint8Array(fmt.buffer));
  if (isFloat) {
    factFramesAt = size + 8;
    add('fact', u32(0));
  }
  if (hasMetadata) add('LIST', infoList(metadata));
  for (const chunk of options.chunks ?? []) if (!regenerated(chunk)) add(chunk.id, chunk.data);
  const dataSizeAt = size + 4;
  parts.push(ascii('data'), u32(0));
  size += 8;
  return { bytes: concat(parts), junkAt, factFramesAt, dataSizeAt, dataStart: size };
}

/** dwChannelMask for a layout; 0 ("no speaker positions") when the labels are not distinct speakers in mask-bit order. */
export function channelMask(layout: ChannelLabel[]): number {
  let mask = 0;
  let previousBit = -1;
  for (const label of layout) {
    const bit = MASK_LABELS.indexOf(label);
    if (bit <= previousBit) return 0; // 'M', 'unknown', duplicates or out of order
    mask += 2 ** bit;
    previousBit = bit;
  }
  return mask;
}

/** LIST/INFO: each tag is NUL-terminated UTF-8, padded to an even size. */
function infoList(metadata: AudioMetadata): Uint8Array {
  const parts: Uint8Array[] = [ascii('INFO')];
  for (const [field, tag] of INFO_FIELDS) {
    const value = metadata[field];
    if (value === undefined || value === '') continue;
    const text = new TextEncoder().encode(`${value}\0`);
    parts.push(ascii(tag), u32(text.length), text);
    if (text.length % 2 === 1) parts.push(new Uint8Array(1));
  }
  return concat(parts);
}

/** BWF bext version 1 (EBU Tech 3285): Description = title, Originator = mixmaster, local origination date/time. */
function bext(metadata: AudioMetadata, now: Date): Uint8Array {
  const body = new Uint8Array(BEXT_V1_BYTES);
  const two = (n: number) => String(n).padStart(2, '0');
  putText(body, 0, 256, metadata.title ?? '');
  putText(body, 256, 32, 'mixmaster');
  putText(body, 320, 10, `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`);
  putText(body, 330, 8, `${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}`);
  new DataView(body.buffer).setUint16(346, 1, true); // version; TimeReference (338..345) stays 0
  return body;
}

/** Writes UTF-8 text into a fixed field, cut on a character boundary; the rest stays NUL. */
function putText(target: Uint8Array, at: number, fieldBytes: number, text: string): void {
  const { written } = new TextEncoder().encodeInto(text, target.subarray(at, at + fieldBytes));
  target.fill(0, at + written, at + fieldBytes);
}

function setU64(view: DataView, at: number, value: number): void {
  view.setUint32(at, value % 2 ** 32, true);
  view.setUint32(at + 4, Math.floor(value / 2 ** 32), true);
}

const ascii = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));

function u32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return bytes;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
