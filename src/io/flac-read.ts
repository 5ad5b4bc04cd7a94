// Streaming FLAC reader: parses STREAMINFO / VORBIS_COMMENT itself (exact length, tags, layout), reads
// the file in 1 MiB chunks and decodes them with our own decoder (flac-decode.ts), which checks each
// frame header's CRC-8, each frame's CRC-16 and that frame numbers follow on, so damage is an error
// naming the sample, never wrong audio. The STREAMINFO MD5 is not checked: hashing all the output
// would cost about as much again as decoding, and the CRC-16 of every frame already catches damage
// to the file; what MD5 adds is a check on the encoder (and on us), which the tests do instead.
import { open, type FileHandle } from 'node:fs/promises';
import { defaultChannelLayout, type ChannelLabel } from '../engine/audio.js';
import { DEFAULT_BLOCK_FRAMES, type AudioFileInfo, type AudioMetadata, type AudioReader } from './api.js';
import { AudioFileError } from './errors.js';
import { READ_CHUNK_BYTES, id3v2Size, readAt } from './bytes.js';
import { MASK_LABELS } from './channel-mask.js';
import { FlacDecoder, FlacError, parseStreamInfo, type FlacStreamInfo } from './flac-decode.js';
import { parseVorbisComments } from './vorbis-comments.js';
import { decoderRelease } from './decoder-release.js';

interface FlacHeader {
  sampleRate: number;
  channelCount: number;
  bitsPerSample: number;
  totalSamples: number;
  streamInfo: FlacStreamInfo;
  audioOffset: number;
  metadata: AudioMetadata;
  channelMask: number | null;
}

export async function openFlac(path: string): Promise<AudioReader> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new AudioFileError(path, `cannot open (${error.code ?? error.message})`);
  });
  let header: FlacHeader;
  try {
    header = await parseFlacHeader(path, handle);
  } finally {
    await handle.close();
  }
  const { sampleRate, channelCount, bitsPerSample, totalSamples } = header;
  const info: AudioFileInfo = {
    path,
    format: 'flac',
    codec: `FLAC ${bitsPerSample}-bit`,
    sampleRate,
    channelCount,
    channelLayout: flacLayout(channelCount, header.channelMask),
    frames: totalSamples > 0 ? totalSamples : null, // 0 = "unknown" in STREAMINFO
    bitsPerSample,
    metadata: header.metadata,
    chunks: [],
  };
  const live = new Set<() => void>();
  return {
    info,
    blocks: (blockFrames = DEFAULT_BLOCK_FRAMES) => decodeFlac(info, header, blockFrames, live),
    async close() {
      for (const release of live) release();
    },
  };
}

/** WAVEFORMATEXTENSIBLE_CHANNEL_MASK if it names every channel, else FLAC's default order (= WAV's). */
function flacLayout(channelCount: number, mask: number | null): ChannelLabel[] {
  if (channelCount === 1) return ['M'];
  if (mask !== null) {
    const labels = MASK_LABELS.filter((_, bit) => mask & (1 << bit));
    if (labels.length === channelCount) return labels;
  }
  return defaultChannelLayout(channelCount);
}

async function parseFlacHeader(path: string, handle: FileHandle): Promise<FlacHeader> {
  const fail = (problem: string): never => { throw new AudioFileError(path, problem); };
  const start = id3v2Size(await readAt(handle, 0, 10));
  const magic = await readAt(handle, start, 4);
  if (String.fromCharCode(...magic) === 'OggS') fail('Ogg FLAC is not supported; convert it to native FLAC (flac --decode, then flac)');
  if (String.fromCharCode(...magic) !== 'fLaC') fail('not a FLAC file (no fLaC marker)');

  let position = start + 4;
  let streamInfo: Uint8Array | null = null;
  let metadata: AudioMetadata = {};
  let channelMask: number | null = null;
  for (let last = false; !last;) {
    const blockHeader = await readAt(handle, position, 4);
    if (blockHeader.length < 4) fail('truncated: the file ends inside the FLAC metadata');
    last = (blockHeader[0] & 0x80) !== 0;
    const type = blockHeader[0] & 0x7f;
    const length = (blockHeader[1] << 16) | (blockHeader[2] << 8) | blockHeader[3];
    if (type === 127) fail('corrupt FLAC metadata (invalid block type)');
    if (type === 0 || type === 4) {
      const body = await readAt(handle, position + 4, length);
      if (body.length < length) fail('truncated: the file ends inside the FLAC metadata');
      if (type === 0) streamInfo = body;
      else {
        const comments = parseVorbisComments(body);
        metadata = comments.metadata;
        const mask = comments.fields.get('WAVEFORMATEXTENSIBLE_CHANNEL_MASK');
        if (mask !== undefined && /^(0x[0-9a-f]+|\d+)$/i.test(mask)) channelMask = Number(mask);
      }
    }
    position += 4 + length;
  }
  const parsed = streamInfo === null ? null : parseStreamInfo(streamInfo);
  if (parsed === null) return fail('corrupt FLAC header (no valid STREAMINFO block)');
  if (parsed.sampleRate === 0) fail('corrupt FLAC header (sample rate 0)');
  return {
    sampleRate: parsed.sampleRate, channelCount: parsed.channels, bitsPerSample: parsed.bitsPerSample,
    totalSamples: parsed.totalSamples, streamInfo: parsed, audioOffset: position, metadata, channelMask,
  };
}

/** An ID3v1 or APEv2 tag, which some taggers append after the last frame. */
function isTrailingTag(bytes: Uint8Array): boolean {
  const text = String.fromCharCode(...bytes.subarray(0, 8));
  return (bytes.length === 128 && text.startsWith('TAG')) || text === 'APETAGEX';
}

/**
 * Decodes frame by frame with our own decoder (flac-decode.ts), reading the file in chunks. Every
 * frame must parse, pass its header CRC-8 and frame CRC-16 and carry the next frame/sample number,
 * so damage anywhere becomes an error at its sample. Frames go straight into the blocks we yield.
 */
async function* decodeFlac(
  info: AudioFileInfo, header: FlacHeader, blockFrames: number, live: Set<() => void>,
): AsyncGenerator<Float32Array[], void, void> {
  const { path, channelCount } = info;
  const expected = info.frames;
  if (!(Number.isInteger(blockFrames) && blockFrames > 0)) {
    throw new RangeError(`blockFrames must be a positive integer, got ${blockFrames}`);
  }
  const block = blockFrames;
  const blocks = Array.from({ length: channelCount }, () => new Float32Array(block));
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new AudioFileError(path, `cannot open (${error.code ?? error.message})`);
  });
  const release = decoderRelease(handle, null, live);
  try {
    const decoder = new FlacDecoder(header.streamInfo);
    const of = expected === null ? '' : ` of the ${expected} its header states`;
    const truncated = (where: string) => new AudioFileError(path, `truncated: the file ends ${where}${of}`);
    let buffer = new Uint8Array(READ_CHUNK_BYTES + (64 << 10));
    let start = 0; // the next frame's first byte in `buffer`
    let end = 0; // how much of `buffer` holds file data
    let position = header.audioOffset; // file offset of buffer[end]
    let atEnd = false;
    let fill = 0; // frames in `blocks`
    while (expected === null || decoder.nextSample < expected) {
      let used = 0;
      if (start < end) {
        try {
          used = decoder.decodeFrame(buffer, start, end);
        } catch (error) {
          if (!(error instanceof FlacError)) throw error;
          // Streams of unknown length: a tag after the last frame is not damage.
          const atBoundary = expected === null && decoder.nextSample > 0 && error.sample === decoder.nextSample;
          if (atBoundary && atEnd && isTrailingTag(buffer.subarray(start, end))) break;
          if (!(atBoundary && !atEnd && end - start < 4096)) throw new AudioFileError(path, error.message);
        }
      }
      if (used === 0) {
        if (atEnd) {
          if (start === end) break;
          throw truncated(`inside the frame at sample ${decoder.nextSample}`);
        }
        // Need more of the file: keep the unread part, make room (a frame may be larger than a chunk).
        if (start > 0) {
          buffer.copyWithin(0, start, end);
          end -= start;
          start = 0;
        }
        if (buffer.length - end < READ_CHUNK_BYTES) {
          const grown = new Uint8Array(Math.max(buffer.length * 2, end + READ_CHUNK_BYTES));
          grown.set(buffer.subarray(0, end));
          buffer = grown;
        }
        const { bytesRead } = await handle.read(buffer, end, READ_CHUNK_BYTES, position);
        position += bytesRead;
        end += bytesRead;
        atEnd = bytesRead === 0;
        continue;
      }
      start += used;
      // Never hand out more than STREAMINFO promised.
      const take = expected === null ? decoder.blockSize : Math.min(decoder.blockSize, expected - decoder.firstSample);
      for (let from = 0; from < take;) {
        const count = Math.min(take - from, block - fill);
        decoder.toFloat32(blocks, fill, from, count);
        fill += count;
        from += count;
        if (fill === block) {
          fill = 0;
          yield blocks;
        }
      }
    }
    if (expected !== null && decoder.nextSample < expected) throw truncated(`at sample ${decoder.nextSample}`);
    if (fill > 0) yield blocks.map((channel) => channel.subarray(0, fill));
  } finally {
    release();
  }
}
