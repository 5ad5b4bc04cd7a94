// Streaming MP3 reader with exact gapless length. We parse the Xing/Info + LAME tag ourselves and
// run mpg123 with its own gapless trimming OFF (it would otherwise trim too, and only when it
// recognises the tag): skipping encoder delay + 529 (decoder delay) samples at the start and
// stopping at frames × samplesPerFrame − delay − padding matches ffmpeg and LAME's own decoder.
import { open, type FileHandle } from 'node:fs/promises';
import { MPEGDecoder } from 'mpg123-decoder';
import { DEFAULT_BLOCK_FRAMES, type AudioFileInfo, type AudioMetadata, type AudioReader } from './api.js';
import { AudioFileError } from './errors.js';
import { decoderRelease } from './decoder-release.js';
import { BlockBuilder } from './block-builder.js';
import { READ_CHUNK_BYTES, id3v2Size, readAt } from './bytes.js';
import { quietly } from './quietly.js';

/** The decoder delay of the reference MP3 decoder that LAME's delay/padding figures assume. */
export const MP3_DECODER_DELAY = 529;
/** How far past the ID3v2 tag to look for the first frame (some files have padding or junk). */
const SYNC_SEARCH_BYTES = 256 * 1024;

const BITRATES: Record<string, number[]> = { // kbit/s by [version 1 | 2 (also 2.5)][layer]
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  '2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES = [44100, 48000, 32000];

export interface MpegFrameHeader {
  version: 1 | 2 | 2.5;
  layer: 1 | 2 | 3;
  sampleRate: number;
  channelCount: number;
  frameBytes: number;
  samplesPerFrame: number;
  /** Low bits that every frame of one stream shares (sync, version, layer, sample rate). */
  streamKey: number;
}

/** Decodes the 4-byte frame header at `offset`, or null if it is not a valid (non-free-format) one. */
export function parseFrameHeader(bytes: Uint8Array, offset: number): MpegFrameHeader | null {
  if (offset + 4 > bytes.length || bytes[offset] !== 0xff || (bytes[offset + 1] & 0xe0) !== 0xe0) return null;
  const b1 = bytes[offset + 1], b2 = bytes[offset + 2], b3 = bytes[offset + 3];
  const versionBits = (b1 >> 3) & 3, layerBits = (b1 >> 1) & 3;
  const bitrateIndex = b2 >> 4, rateIndex = (b2 >> 2) & 3;
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const sampleRate = SAMPLE_RATES[rateIndex] / (version === 1 ? 1 : version === 2 ? 2 : 4);
  const bitrate = BITRATES[`${version === 1 ? 1 : 2}-${layer}`][bitrateIndex] * 1000;
  const padding = (b2 >> 1) & 1;
  const samplesPerFrame = layer === 1 ? 384 : layer === 3 && version !== 1 ? 576 : 1152;
  const frameBytes = layer === 1
    ? (Math.floor((12 * bitrate) / sampleRate) + padding) * 4
    : Math.floor((samplesPerFrame / 8) * bitrate / sampleRate) + padding;
  const channelCount = (b3 >> 6) === 3 ? 1 : 2;
  return { version, layer, sampleRate, channelCount, frameBytes, samplesPerFrame, streamKey: (b1 << 8) | (b2 & 0x0c) };
}

/** First offset where three consecutive frames (or frames up to the end of `bytes`) agree. */
function findFirstFrame(bytes: Uint8Array, atFileEnd: boolean): number {
  for (let offset = 0; offset + 4 <= bytes.length; offset++) {
    const first = parseFrameHeader(bytes, offset);
    if (!first) continue;
    let next = offset + first.frameBytes, confirmed = 0;
    while (confirmed < 2) {
      if (next + 4 > bytes.length) { if (atFileEnd && next <= bytes.length) confirmed = 2; break; }
      const header = parseFrameHeader(bytes, next);
      if (!header || header.streamKey !== first.streamKey) break;
      next += header.frameBytes;
      confirmed++;
    }
    if (confirmed === 2) return offset;
  }
  return -1;
}

/** Gapless figures from a Xing/Info frame carrying a LAME tag (null when there is none). */
export function parseLameTag(
  frame: Uint8Array, header: MpegFrameHeader,
): { frames: number; bytes: number | null; delay: number; padding: number } | null {
  const sideInfo = header.version === 1 ? (header.channelCount === 1 ? 17 : 32) : (header.channelCount === 1 ? 9 : 17);
  let offset = 4 + sideInfo;
  const tag = String.fromCharCode(...frame.subarray(offset, offset + 4));
  if (header.layer !== 3 || (tag !== 'Xing' && tag !== 'Info')) return null;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const flags = view.getUint32(offset + 4);
  offset += 8;
  if (!(flags & 1)) return null; // no frame count: the length cannot be exact
  const frames = view.getUint32(offset);
  const bytes = (flags & 2) ? view.getUint32(offset + 4) : null; // stream size, Info frame included
  offset += 4 + ((flags & 2) ? 4 : 0) + ((flags & 4) ? 100 : 0) + ((flags & 8) ? 4 : 0);
  // LAME tag: 9-byte encoder name ("LAME3.100", "Lavc59.37" …), then delay/padding at +21..23.
  if (offset + 24 > frame.length || !/^[A-Za-z]{4}/.test(String.fromCharCode(...frame.subarray(offset, offset + 4)))) return null;
  const delay = (frame[offset + 21] << 4) | (frame[offset + 22] >> 4);
  const padding = ((frame[offset + 22] & 0x0f) << 8) | frame[offset + 23];
  return { frames, bytes, delay, padding };
}

export async function openMp3(path: string): Promise<AudioReader> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new AudioFileError(path, `cannot open (${error.code ?? error.message})`);
  });
  try {
    const fileBytes = (await handle.stat()).size;
    const head = await readAt(handle, 0, 10);
    const tagBytes = id3v2Size(head);
    const metadata = tagBytes > 0 ? parseId3v2(await readAt(handle, 0, Math.min(tagBytes, 1 << 20))) : {};
    const window = await readAt(handle, tagBytes, SYNC_SEARCH_BYTES);
    const first = findFirstFrame(window, tagBytes + window.length >= fileBytes);
    if (first < 0) throw new AudioFileError(path, 'not a valid MP3 file (no MPEG audio frames found)');
    const header = parseFrameHeader(window, first)!;
    const lame = parseLameTag(window.subarray(first, first + header.frameBytes), header);
    const audioStart = tagBytes + first;
    const audioEnd = fileBytes - (await trailingTagBytes(handle, fileBytes));
    const audioBytes = audioEnd - audioStart;
    // Xing's byte count equals the audio's size (LAME and ffmpeg alike). A tag that covers only part of
    // the file (MP3s joined with cat) or counts no frames cannot give the length: decode it all then.
    const trusted = lame !== null && lame.frames > 0 && (lame.bytes === null || audioBytes <= lame.bytes + 4096);
    const info: AudioFileInfo = {
      path,
      format: 'mp3',
      codec: `MPEG-${header.version} Layer ${['I', 'II', 'III'][header.layer - 1]}`,
      sampleRate: header.sampleRate,
      channelCount: header.channelCount,
      channelLayout: header.channelCount === 1 ? ['M'] : ['L', 'R'],
      frames: trusted ? Math.max(0, lame.frames * header.samplesPerFrame - lame.delay - lame.padding) : null,
      metadata,
      chunks: [],
    };
    const skip = lame ? lame.delay + MP3_DECODER_DELAY : 0;
    // ... and tells a cut-off file from one that lost frames in the middle.
    const cutOff = trusted && lame.bytes !== null && audioBytes < lame.bytes;
    const live = new Set<() => void>();
    return {
      info,
      blocks: (blockFrames = DEFAULT_BLOCK_FRAMES) => decodeMp3(info, audioStart, audioEnd, skip, cutOff, blockFrames, live),
      async close() { for (const release of live) release(); },
    };
  } finally {
    await handle.close();
  }
}

/** Bytes of ID3v1 ("TAG", 128 bytes) and APEv2 tags at the end, which are not audio. */
async function trailingTagBytes(handle: FileHandle, fileBytes: number): Promise<number> {
  let end = fileBytes;
  const tail = await readAt(handle, Math.max(0, end - 128), 128);
  if (tail.length === 128 && tail[0] === 0x54 && tail[1] === 0x41 && tail[2] === 0x47) end -= 128;
  const footer = await readAt(handle, Math.max(0, end - 32), 32);
  if (footer.length === 32 && String.fromCharCode(...footer.subarray(0, 8)) === 'APETAGEX') {
    const view = new DataView(footer.buffer, footer.byteOffset);
    const size = view.getUint32(12, true) + ((view.getUint32(20, true) & 0x80000000) ? 32 : 0);
    if (size <= end) end -= size;
  }
  return fileBytes - end;
}

const ID3_FIELDS: Record<string, keyof AudioMetadata> = {
  TIT2: 'title', TPE1: 'artist', TALB: 'album', TPE2: 'albumArtist', TDRC: 'year', TYER: 'year',
  TCON: 'genre', TRCK: 'track', TSRC: 'isrc', TENC: 'encodedBy', COMM: 'comment',
  TT2: 'title', TP1: 'artist', TAL: 'album', TP2: 'albumArtist', TYE: 'year', TCO: 'genre', TRK: 'track', COM: 'comment',
};

/** The text frames of an ID3v2.2/2.3/2.4 tag that map to our metadata; anything odd is skipped. */
function parseId3v2(tag: Uint8Array): AudioMetadata {
  const metadata: AudioMetadata = {};
  const major = tag[3];
  if (major < 2 || major > 4 || (tag[5] & 0x80)) return metadata; // unsynchronised tags: not worth it
  const idLength = major === 2 ? 3 : 4, headerLength = major === 2 ? 6 : 10;
  const syncsafe = (o: number) => ((tag[o] & 0x7f) << 21) | ((tag[o + 1] & 0x7f) << 14) | ((tag[o + 2] & 0x7f) << 7) | (tag[o + 3] & 0x7f);
  let offset = 10;
  if (major > 2 && (tag[5] & 0x40)) offset += major === 4 ? syncsafe(10) : 4 + ((tag[10] << 24) | (tag[11] << 16) | (tag[12] << 8) | tag[13]);
  while (offset + headerLength <= tag.length && tag[offset] !== 0) {
    const id = String.fromCharCode(...tag.subarray(offset, offset + idLength));
    const size = major === 2 ? (tag[offset + 3] << 16) | (tag[offset + 4] << 8) | tag[offset + 5]
      : major === 4 ? syncsafe(offset + 4) : ((tag[offset + 4] << 24) | (tag[offset + 5] << 16) | (tag[offset + 6] << 8) | tag[offset + 7]) >>> 0;
    const formatFlags = major === 2 ? 0 : tag[offset + 9];
    const body = tag.subarray(offset + headerLength, offset + headerLength + size);
    offset += headerLength + size;
    const field = ID3_FIELDS[id];
    // Compressed or encrypted frames (2.4: 0x0c, 2.3: 0xc0 in the format flags) are skipped.
    const compressed = (formatFlags & (major === 4 ? 0x0c : 0xc0)) !== 0;
    if (!field || metadata[field] !== undefined || body.length < 2 || compressed) continue;
    // COMM: encoding, 3-byte language, description, text; only the description-less comment counts.
    const strings = field === 'comment' ? id3Strings(body[0], body.subarray(4)) : id3Strings(body[0], body.subarray(1));
    if (field === 'comment' && (strings.length < 2 || strings[0] !== '')) continue;
    let text = strings[field === 'comment' ? 1 : 0] ?? '';
    text = text.trim();
    if (text === '') continue;
    if (field === 'track') {
      const track = Number.parseInt(text, 10);
      if (Number.isFinite(track) && track > 0) metadata.track = track;
    } else metadata[field] = text;
  }
  return metadata;
}

/** Splits an ID3 text body at its terminators (one zero byte, or two aligned ones for UTF-16) and decodes each part. */
function id3Strings(encoding: number, bytes: Uint8Array): string[] {
  const wide = encoding === 1 || encoding === 2;
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i += wide ? 2 : 1) {
    if (i < bytes.length && !(bytes[i] === 0 && (!wide || bytes[i + 1] === 0))) continue;
    let part = bytes.subarray(start, Math.min(i, bytes.length));
    start = i + (wide ? 2 : 1);
    let label = encoding === 0 ? 'latin1' : encoding === 3 ? 'utf-8' : encoding === 2 ? 'utf-16be' : 'utf-16le';
    if (encoding === 1 && part[0] === 0xfe && part[1] === 0xff) label = 'utf-16be';
    if (encoding === 1 && ((part[0] === 0xfe && part[1] === 0xff) || (part[0] === 0xff && part[1] === 0xfe))) part = part.subarray(2);
    parts.push(new TextDecoder(label).decode(part));
  }
  return parts;
}

async function* decodeMp3(
  info: AudioFileInfo, audioStart: number, audioEnd: number, skip: number, cutOff: boolean,
  blockFrames: number, live: Set<() => void>,
): AsyncGenerator<Float32Array[], void, void> {
  const { path, channelCount } = info;
  const expected = info.frames;
  const builder = new BlockBuilder(channelCount, blockFrames);
  const handle = await open(path, 'r');
  const decoder = new MPEGDecoder({ enableGapless: false });
  const release = decoderRelease(handle, decoder, live);
  try {
    await decoder.ready;
    const chunk = new Uint8Array(READ_CHUNK_BYTES);
    let toSkip = skip;
    let decodedTotal = 0; // samples out of mpg123 (before trimming)
    let produced = 0; // frames handed out
    let firstError: { outputSamples: number; message: string } | null = null;
    for (let position = audioStart; position < audioEnd && (expected === null || produced < expected);) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, audioEnd - position), position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const result = quietly(() => decoder.decode(chunk.subarray(0, bytesRead)));
      firstError ??= result.errors[0] ?? null;
      decodedTotal += result.samplesDecoded;
      // mpg123 skips junk and carries on; junk after the audio is harmless, audio after junk is not.
      if (firstError && decodedTotal > firstError.outputSamples) {
        throw new AudioFileError(path, `corrupt MPEG audio near sample ${Math.max(0, firstError.outputSamples - skip)} (${firstError.message.replace(/^-?\d+ /, '')})`);
      }
      // mpg123 always outputs two channels; for mono both carry the same samples.
      const channels = channelCount === 1 ? [result.channelData[0]] : result.channelData;
      const start = Math.min(toSkip, result.samplesDecoded);
      toSkip -= start;
      let end = result.samplesDecoded;
      if (expected !== null) end = Math.min(end, start + expected - produced);
      if (end <= start) continue;
      produced += end - start;
      yield* builder.push(channels, start, end);
    }
    if (decodedTotal === 0) throw new AudioFileError(path, 'not a valid MP3 file (no MPEG audio frame decodes)');
    if (expected !== null && produced < expected) {
      throw new AudioFileError(path, cutOff
        ? `truncated: the audio ends at sample ${produced} of the ${expected} its LAME tag states`
        : `corrupt MPEG audio: only ${produced} of the ${expected} samples its LAME tag states decode (frames are damaged or missing)`);
    }
    yield* builder.flush();
  } finally {
    release();
  }
}
