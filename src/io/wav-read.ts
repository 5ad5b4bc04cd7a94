// Streaming WAV / RF64 / BW64 reader: walks the RIFF chunks with a file handle (never reading the
// audio), validates the fmt chunk, then decodes the data chunk block by block (pcm-reader.ts).
import { open, type FileHandle } from 'node:fs/promises';
import { defaultChannelLayout, type ChannelLabel } from '../engine/audio.js';
import {
  DEFAULT_BLOCK_FRAMES, type AudioFileInfo, type AudioMetadata, type AudioReader, type RawChunk,
} from './api.js';
import { AudioFileError } from './errors.js';
import { decodeText, fourCC, readAt, u16le, u32le, u64le } from './bytes.js';
import { maskToLayout } from './channel-mask.js';
import { createPcmReader, type PcmLayout } from './pcm-reader.js';

/** Chunks kept verbatim in info.chunks so a rewrite can pass them on; other unknown chunks are skipped. */
const KEPT_CHUNKS = new Set([
  'bext', 'LIST', 'iXML', 'axml', 'cue ', 'smpl', 'inst', 'cart', 'umid', 'chna', 'acid', 'plst', 'id3 ', 'ID3 ', '_PMX',
]);
/** Larger metadata chunks (e.g. an ID3 tag with cover art) are skipped rather than held in memory. */
const MAX_KEPT_CHUNK_BYTES = 16 * 1024 * 1024;
const UNKNOWN_SIZE = 0xffffffff;

/** The GUID tail (bytes 2..15) shared by KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT. */
const SUBFORMAT_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

const FORMAT_NAMES: Record<number, string> = {
  0x0002: 'ADPCM', 0x0006: 'A-law', 0x0007: 'µ-law', 0x0011: 'IMA ADPCM', 0x0031: 'GSM 6.10',
  0x0050: 'MPEG', 0x0055: 'MPEG Layer III', 0x0092: 'AC-3 over S/PDIF', 0x00ff: 'AAC', 0x0161: 'WMA',
  0x1610: 'HE-AAC', 0x2000: 'AC-3', 0xf1ac: 'FLAC',
};

/** LIST/INFO tag → metadata field (ITCH and IPRT follow ffmpeg's mapping). */
const INFO_TAGS: Record<string, keyof AudioMetadata> = {
  INAM: 'title', IART: 'artist', IPRD: 'album', ICRD: 'year', IGNR: 'genre', ITRK: 'track', IPRT: 'track',
  ICMT: 'comment', ISRC: 'isrc', ITCH: 'encodedBy',
};

export async function openWav(path: string): Promise<AudioReader> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new AudioFileError(path, `cannot open (${error.code ?? error.message})`);
  });
  try {
    const { info, layout } = await parseWav(path, handle);
    return createPcmReader(handle, info, layout);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function parseWav(path: string, handle: FileHandle): Promise<{ info: AudioFileInfo; layout: PcmLayout }> {
  const fail = (problem: string): never => { throw new AudioFileError(path, problem); };
  const fileBytes = (await handle.stat()).size;
  const head = await readAt(handle, 0, 12);
  const magic = fourCC(head, 0);
  if (head.length < 12 || !['RIFF', 'RF64', 'BW64'].includes(magic) || fourCC(head, 8) !== 'WAVE') {
    fail('not a WAV file (no RIFF/WAVE header)');
  }
  const is64 = magic !== 'RIFF';

  let fmt: Uint8Array | null = null;
  let data: { offsetBytes: number; sizeBytes: number } | null = null;
  let ds64DataBytes: number | null = null;
  const ds64Sizes = new Map<string, number>();
  const chunks: RawChunk[] = [];
  let position = 12;
  let previousOdd = false;
  while (position + 8 <= fileBytes) {
    let header = await readAt(handle, position, 8);
    if (!isFourCC(header, 0) && previousOdd) {
      // Some writers forget the pad byte after an odd-sized chunk: accept the unpadded position.
      position -= 1;
      header = await readAt(handle, position, 8);
    }
    if (!isFourCC(header, 0)) break; // trailing junk after the last chunk
    const id = fourCC(header, 0);
    const bodyOffset = position + 8;
    let sizeBytes = u32le(header, 4);
    if (id === 'ds64' && is64) {
      const body = await readAt(handle, bodyOffset, Math.min(sizeBytes, 4096));
      if (body.length < 28) fail('RF64 ds64 chunk is too short');
      ds64DataBytes = u64le(body, 8);
      const tableLength = u32le(body, 24);
      for (let i = 0, at = 28; i < tableLength && at + 12 <= body.length; i++, at += 12) {
        ds64Sizes.set(fourCC(body, at), u64le(body, at + 4));
      }
    }
    if (sizeBytes === UNKNOWN_SIZE) {
      if (is64) sizeBytes = id === 'data' ? (ds64DataBytes ?? fail('RF64 file has no ds64 chunk')) : (ds64Sizes.get(id) ?? sizeBytes);
      else if (id === 'data') sizeBytes = fileBytes - bodyOffset; // streaming writers: data runs to the end of the file
    }
    if (id === 'data' && data === null) {
      data = { offsetBytes: bodyOffset, sizeBytes };
      if (bodyOffset + sizeBytes > fileBytes) break; // truncated: reported below with frame counts
    } else if (id === 'fmt ' && fmt === null) {
      fmt = await readAt(handle, bodyOffset, Math.min(sizeBytes, 256));
    } else if (KEPT_CHUNKS.has(id) && sizeBytes <= MAX_KEPT_CHUNK_BYTES) {
      const body = await readAt(handle, bodyOffset, sizeBytes);
      if (body.length === sizeBytes) chunks.push({ id, data: body });
    }
    previousOdd = sizeBytes % 2 === 1;
    position = bodyOffset + sizeBytes + (sizeBytes % 2);
  }

  if (fmt === null) return fail('WAV header has no fmt chunk');
  const format = parseFmt(fmt, fail);
  if (data === null) return fail('WAV has no data chunk');
  const frameBytes = format.bytesPerSample * format.channelCount;
  const declaredFrames = Math.floor(data.sizeBytes / frameBytes);
  if (declaredFrames === 0) fail('contains no audio (0 frames)');
  const presentFrames = Math.floor(Math.min(data.sizeBytes, fileBytes - data.offsetBytes) / frameBytes);
  if (presentFrames < declaredFrames) {
    fail(`truncated: the data chunk declares ${declaredFrames} frames but only ${presentFrames} are present`);
  }

  const info: AudioFileInfo = {
    path,
    format: is64 ? 'rf64' : 'wav',
    codec: format.codec,
    sampleRate: format.sampleRate,
    channelCount: format.channelCount,
    channelLayout: format.channelLayout,
    frames: declaredFrames,
    bitsPerSample: format.validBits,
    metadata: parseInfoMetadata(chunks),
    chunks,
  };
  const layout: PcmLayout = {
    encoding: format.encoding,
    bytesPerSample: format.bytesPerSample,
    bigEndian: false,
    channelCount: format.channelCount,
    dataOffsetBytes: data.offsetBytes,
    frames: declaredFrames,
  };
  return { info, layout };
}

interface WavFormat {
  encoding: PcmLayout['encoding'];
  bytesPerSample: number;
  validBits: number;
  channelCount: number;
  sampleRate: number;
  channelLayout: ChannelLabel[];
  codec: string;
}

function parseFmt(fmt: Uint8Array, fail: (problem: string) => never): WavFormat {
  if (fmt.length < 16) fail(`WAV fmt chunk is too short (${fmt.length} bytes)`);
  let tag = u16le(fmt, 0);
  const channelCount = u16le(fmt, 2);
  const sampleRate = u32le(fmt, 4);
  const blockAlign = u16le(fmt, 12);
  const bits = u16le(fmt, 14);
  if (channelCount === 0) fail('WAV fmt declares 0 channels');
  if (sampleRate === 0) fail('WAV fmt declares sample rate 0 Hz');
  let validBits = bits;
  let channelLayout = defaultChannelLayout(channelCount);
  if (tag === 0xfffe) {
    if (fmt.length < 40) fail(`WAV extensible fmt chunk is too short (${fmt.length} bytes, needs 40)`);
    const declaredValid = u16le(fmt, 18);
    if (declaredValid > 0 && declaredValid <= bits) validBits = declaredValid;
    const mask = u32le(fmt, 20);
    if (mask !== 0) channelLayout = maskToLayout(mask, channelCount);
    if (!SUBFORMAT_TAIL.every((byte, i) => fmt[26 + i] === byte)) {
      fail(`unsupported WAV encoding (extensible subformat ${guidText(fmt.subarray(24, 40))})`);
    }
    tag = u16le(fmt, 24);
  }
  if (tag !== 1 && tag !== 3) {
    const name = FORMAT_NAMES[tag];
    fail(`unsupported WAV encoding (format tag 0x${tag.toString(16).padStart(4, '0')}${name ? `, ${name}` : ''})`);
  }
  if (bits === 0) fail('WAV fmt declares 0 bits per sample');
  const bytesPerSample = Math.ceil(bits / 8);
  if (tag === 3 && bits !== 32 && bits !== 64) fail(`unsupported WAV sample size (IEEE float ${bits}-bit)`);
  if (tag === 1 && bytesPerSample > 4) fail(`unsupported WAV sample size (PCM ${bits}-bit)`);
  const expectedAlign = bytesPerSample * channelCount;
  if (blockAlign !== expectedAlign) {
    fail(`WAV fmt block align is ${blockAlign} bytes but ${channelCount} channels of ${bits}-bit samples need ${expectedAlign}`);
  }
  const encoding = tag === 3 ? 'float' : bytesPerSample === 1 ? 'uint8' : 'int';
  const codec = tag === 3 ? `IEEE float ${bits}-bit` : `PCM ${validBits}-bit`;
  return { encoding, bytesPerSample, validBits, channelCount, sampleRate, channelLayout, codec };
}

/** Tags of every LIST/INFO chunk among `chunks`. */
export function parseInfoMetadata(chunks: RawChunk[]): AudioMetadata {
  const metadata: AudioMetadata = {};
  for (const { id, data } of chunks) {
    if (id !== 'LIST' || data.length < 4 || fourCC(data, 0) !== 'INFO') continue;
    for (let at = 4; at + 8 <= data.length;) {
      const tag = fourCC(data, at);
      const sizeBytes = u32le(data, at + 4);
      const text = decodeText(data.subarray(at + 8, Math.min(data.length, at + 8 + sizeBytes)));
      const field = INFO_TAGS[tag];
      if (field === 'track') {
        const track = Number.parseInt(text, 10); // "3" or "3/12"
        if (Number.isFinite(track)) metadata.track = track;
      } else if (field && text !== '') {
        metadata[field] = text;
      }
      at += 8 + sizeBytes + (sizeBytes % 2);
    }
  }
  return metadata;
}

/** Chunk ids are four printable ASCII characters. */
function isFourCC(bytes: Uint8Array, at: number): boolean {
  for (let i = at; i < at + 4; i++) if (!(bytes[i] >= 0x20 && bytes[i] <= 0x7e)) return false;
  return true;
}

/** Canonical GUID text; the first three fields are stored little-endian. */
function guidText(b: Uint8Array): string {
  const hex = (value: number, digits: number) => value.toString(16).padStart(digits, '0');
  const tail = Array.from(b.subarray(8, 16), (byte) => hex(byte, 2)).join('');
  return `${hex(u32le(b, 0), 8)}-${hex(u16le(b, 4), 4)}-${hex(u16le(b, 6), 4)}-${tail.slice(0, 4)}-${tail.slice(4)}`;
}
