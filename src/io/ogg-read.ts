// Streaming Ogg Vorbis / Ogg Opus reader. Headers (rate, channels, pre-skip, tags) and the exact
// length (last page's granule position) are parsed here; the wasm decoders do the audio. Every page's
// CRC-32 is checked as it streams past (the decoders do not), so a damaged file stops with an error.
// Channels are reordered from Vorbis order (L C R …) to the WAV/SMPTE order (L R C LFE …).
import { open, type FileHandle } from 'node:fs/promises';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import { defaultChannelLayout } from '../engine/audio.js';
import { DEFAULT_BLOCK_FRAMES, type AudioFileInfo, type AudioReader } from './api.js';
import { AudioFileError } from './errors.js';
import { decoderRelease } from './decoder-release.js';
import { BlockBuilder } from './block-builder.js';
import { READ_CHUNK_BYTES, readAt } from './bytes.js';
import { parseVorbisComments } from './vorbis-comments.js';

/** Decoder output index for each WAV-order channel, by channel count (Vorbis I spec §4.3.9). */
const VORBIS_TO_WAV: Record<number, number[]> = {
  3: [0, 2, 1], // L C R → L R C
  5: [0, 2, 1, 3, 4], // L C R Ls Rs
  6: [0, 2, 1, 5, 3, 4], // L C R Ls Rs LFE → L R C LFE Ls Rs
  7: [0, 2, 1, 6, 5, 3, 4], // L C R Ls Rs Cb LFE → L R C LFE Cb Ls Rs
  8: [0, 2, 1, 7, 5, 6, 3, 4], // L C R Ls Rs Lb Rb LFE → L R C LFE Lb Rb Ls Rs
};
const MAX_HEADER_BYTES = 16 * 1024 * 1024; // comment packets with cover art can be large
const MAX_PAGE_BYTES = 27 + 255 + 255 * 255;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** Ogg's CRC-32 (polynomial 0x04c11db7, not reflected) of a whole page, its CRC field read as zero. */
export function oggPageCrc(page: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < page.length; i++) {
    const byte = i >= 22 && i < 26 ? 0 : page[i];
    crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff];
  }
  return crc >>> 0;
}

interface PageHeader {
  flags: number;
  granule: number; // -1 when no packet ends on the page
  serial: number;
  crc: number;
  headerBytes: number;
  pageBytes: number;
  segments: Uint8Array; // lacing values
}

/** The page header at `offset`, or null when the bytes there are not (or not yet all) one. */
function pageAt(bytes: Uint8Array, offset: number): PageHeader | null {
  if (offset + 27 > bytes.length || bytes[offset] !== 0x4f || bytes[offset + 1] !== 0x67
    || bytes[offset + 2] !== 0x67 || bytes[offset + 3] !== 0x53 || bytes[offset + 4] !== 0) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
  const count = bytes[offset + 26];
  if (offset + 27 + count > bytes.length) return null;
  const segments = bytes.subarray(offset + 27, offset + 27 + count);
  let body = 0;
  for (const lacing of segments) body += lacing;
  const low = view.getUint32(6, true), high = view.getInt32(10, true);
  return {
    flags: bytes[offset + 5],
    granule: high === -1 && low === 0xffffffff ? -1 : high * 2 ** 32 + low,
    serial: view.getUint32(14, true),
    crc: view.getUint32(22, true),
    headerBytes: 27 + count,
    pageBytes: 27 + count + body,
    segments,
  };
}

interface OggHeader {
  codec: 'vorbis' | 'opus';
  sampleRate: number;
  channelCount: number;
  serial: number;
  preSkip: number;
  gainDb: number;
  mappingFamily: number;
  comments: Uint8Array | null;
}

/** Reads the first logical stream's first two packets (identification, comments). */
async function readHeaders(path: string, handle: FileHandle): Promise<OggHeader> {
  const fail = (problem: string): never => { throw new AudioFileError(path, problem); };
  const packets: Uint8Array[] = [];
  let partial: Uint8Array[] = [];
  let serial = -1;
  let position = 0;
  while (packets.length < 2 && position < MAX_HEADER_BYTES) {
    const bytes = await readAt(handle, position, MAX_PAGE_BYTES);
    const page = pageAt(bytes, 0);
    if (!page || page.pageBytes > bytes.length) {
      return fail(position === 0 ? 'not a valid Ogg file (no Ogg page header)' : 'truncated: the file ends inside the Ogg headers');
    }
    if (oggPageCrc(bytes.subarray(0, page.pageBytes)) !== page.crc) fail(`corrupt Ogg page at byte ${position} (CRC mismatch)`);
    if (serial === -1) serial = page.serial;
    if (page.serial === serial) {
      let offset = page.headerBytes;
      for (const lacing of page.segments) {
        partial.push(bytes.subarray(offset, offset + lacing));
        offset += lacing;
        if (lacing < 255) { packets.push(concat(partial)); partial = []; } // a lacing value < 255 ends a packet
      }
    }
    position += page.pageBytes;
  }
  const ident = packets[0];
  if (!ident) return fail('not a valid Ogg file (no complete header packet)');
  const text = (bytes: Uint8Array | undefined, offset: number, length: number) =>
    bytes ? String.fromCharCode(...bytes.subarray(offset, offset + length)) : '';
  const view = new DataView(ident.buffer, ident.byteOffset, ident.byteLength);
  if (ident.length >= 30 && ident[0] === 1 && text(ident, 1, 6) === 'vorbis') {
    return {
      codec: 'vorbis', sampleRate: view.getUint32(12, true), channelCount: ident[11], serial,
      preSkip: 0, gainDb: 0, mappingFamily: 1,
      comments: packets[1]?.[0] === 3 && text(packets[1], 1, 6) === 'vorbis' ? packets[1].subarray(7) : null,
    };
  }
  if (ident.length >= 19 && text(ident, 0, 8) === 'OpusHead') {
    return {
      codec: 'opus', sampleRate: 48000, channelCount: ident[9], serial,
      preSkip: view.getUint16(10, true), gainDb: view.getInt16(16, true) / 256, mappingFamily: ident[18],
      comments: text(packets[1], 0, 8) === 'OpusTags' ? packets[1].subarray(8) : null,
    };
  }
  return fail(`unsupported Ogg codec (only Vorbis and Opus are supported; found "${text(ident, 0, 8).replace(/[^\x20-\x7e]/g, '?')}")`);
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0].slice();
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) { out.set(part, offset); offset += part.length; }
  return out;
}

/** Granule position of the stream's last page (from the file's tail) and whether it ends the stream. */
async function lastGranule(handle: FileHandle, fileBytes: number, serial: number): Promise<{ granule: number | null; ended: boolean }> {
  const start = Math.max(0, fileBytes - 2 * MAX_PAGE_BYTES);
  const tail = await readAt(handle, start, fileBytes - start);
  for (let offset = tail.length - 27; offset >= 0; offset--) {
    const page = pageAt(tail, offset);
    if (!page || offset + page.pageBytes > tail.length) continue;
    if (oggPageCrc(tail.subarray(offset, offset + page.pageBytes)) !== page.crc) continue;
    if (page.serial !== serial) return { granule: null, ended: true }; // chained: another stream ends the file
    if (page.granule >= 0) return { granule: page.granule, ended: (page.flags & 4) !== 0 };
  }
  return { granule: null, ended: false };
}

export async function openOgg(path: string): Promise<AudioReader> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new AudioFileError(path, `cannot open (${error.code ?? error.message})`);
  });
  try {
    const header = await readHeaders(path, handle);
    const { codec, channelCount } = header;
    if (channelCount === 0) throw new AudioFileError(path, `corrupt ${codec === 'opus' ? 'Opus' : 'Vorbis'} header (0 channels)`);
    const { granule, ended } = await lastGranule(handle, (await handle.stat()).size, header.serial);
    const vorbisOrder = header.mappingFamily <= 1 && channelCount <= 8;
    const info: AudioFileInfo = {
      path,
      format: codec === 'opus' ? 'opus' : 'ogg-vorbis',
      codec: codec === 'opus' ? 'Opus' : 'Vorbis',
      sampleRate: header.sampleRate,
      channelCount,
      channelLayout: vorbisOrder ? defaultChannelLayout(channelCount) : Array.from({ length: channelCount }, () => 'unknown' as const),
      frames: granule === null ? null : Math.max(0, granule - header.preSkip),
      metadata: header.comments ? parseVorbisComments(header.comments).metadata : {},
      chunks: [],
    };
    const order = vorbisOrder ? VORBIS_TO_WAV[channelCount] ?? null : null;
    const live = new Set<() => void>();
    return {
      info,
      blocks: (blockFrames = DEFAULT_BLOCK_FRAMES) => decodeOgg(info, header, order, ended, blockFrames, live),
      async close() { for (const release of live) release(); },
    };
  } finally {
    await handle.close();
  }
}

/**
 * Walks the pages of the byte stream as it is read, checking each CRC; a page split across reads is
 * carried over. Bytes that are no page are tolerated only at the end (a tag some taggers append):
 * a good page after them means a damaged page in the middle.
 */
class PageChecker {
  private carry = new Uint8Array(0);
  private carryPosition = 0; // file offset of carry[0]
  private junkAt = -1;
  private granule = 0; // last granule seen, to say where damage is

  constructor(private readonly path: string, private readonly serial: number) {}

  check(chunk: Uint8Array): void {
    const bytes = this.carry.length ? concat([this.carry, chunk]) : chunk;
    let offset = 0;
    while (offset + 27 <= bytes.length) {
      const page = pageAt(bytes, offset);
      if (page && offset + page.pageBytes > bytes.length) break; // continues in the next read
      if (!page && bytes[offset] === 0x4f && offset + 27 + 255 > bytes.length) break; // header may be cut
      if (!page || oggPageCrc(bytes.subarray(offset, offset + page.pageBytes)) !== page.crc) {
        if (this.junkAt < 0) this.junkAt = this.carryPosition + offset;
        offset++;
        continue;
      }
      if (this.junkAt >= 0) this.fail();
      if (page.serial !== this.serial) {
        throw new AudioFileError(this.path, 'holds several Ogg streams (chained or multiplexed), which is not supported');
      }
      if (page.granule >= 0) this.granule = page.granule;
      offset += page.pageBytes;
    }
    this.carry = bytes.slice(offset);
    this.carryPosition += offset;
  }

  /** Called when the stream came up short: junk where pages should be means damage, not truncation. */
  fail(): void {
    if (this.junkAt >= 0) {
      throw new AudioFileError(this.path, `corrupt Ogg page at byte ${this.junkAt} (bad CRC or header) near sample ${this.granule}`);
    }
  }
}

async function* decodeOgg(
  info: AudioFileInfo, header: OggHeader, order: number[] | null, ended: boolean, blockFrames: number, live: Set<() => void>,
): AsyncGenerator<Float32Array[], void, void> {
  const { path, channelCount } = info;
  const expected = info.frames;
  const builder = new BlockBuilder(channelCount, blockFrames);
  const checker = new PageChecker(path, header.serial);
  const gain = header.gainDb === 0 ? 1 : Math.pow(10, header.gainDb / 20); // Opus output gain, as ffmpeg applies it
  const handle = await open(path, 'r');
  const decoder = header.codec === 'opus' ? new OggOpusDecoder() : new OggVorbisDecoder();
  const release = decoderRelease(handle, decoder, live);
  try {
    await decoder.ready;
    const chunk = new Uint8Array(READ_CHUNK_BYTES);
    let position = 0;
    let produced = 0;
    for (let atEnd = false; !atEnd;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      position += bytesRead;
      atEnd = bytesRead === 0;
      if (!atEnd) checker.check(chunk.subarray(0, bytesRead));
      const result = atEnd ? await decoder.flush() : await decoder.decode(chunk.subarray(0, bytesRead));
      if (result.errors.length > 0) {
        const error = result.errors[0];
        throw new AudioFileError(path, `corrupt ${info.codec} packet near sample ${error.outputSamples} (${error.message})`);
      }
      if (result.samplesDecoded === 0) continue;
      if (result.channelData.length !== channelCount) {
        throw new AudioFileError(path, `decoder returned ${result.channelData.length} channels, the header says ${channelCount}`);
      }
      const channels = order ? order.map((index) => result.channelData[index]) : result.channelData;
      const take = expected === null ? result.samplesDecoded : Math.min(result.samplesDecoded, expected - produced);
      if (take <= 0) continue;
      if (gain !== 1) for (const channel of channels) for (let i = 0; i < take; i++) channel[i] *= gain;
      produced += take;
      yield* builder.push(channels, 0, take);
    }
    if (expected !== null && produced < expected) {
      checker.fail();
      throw new AudioFileError(path, `truncated: the audio ends at sample ${produced} of the ${expected} the last page states`);
    }
    // Every complete stream ends with an end-of-stream page; without one the file was cut short.
    if (!ended) throw new AudioFileError(path, `truncated: the Ogg stream stops at sample ${produced} without its end page`);
    yield* builder.flush();
  } finally {
    release();
  }
}
