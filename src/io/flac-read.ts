// Streaming FLAC reader: parses STREAMINFO / VORBIS_COMMENT itself (exact length, tags, layout), reads
// the file in 1 MiB chunks, splits it into frames itself and hands whole frames to the libFLAC wasm
// decoder (its bundled parser silently drops everything after a damaged frame). libFLAC checks each
// frame's CRC-16 and we check each frame's sample count, so damage is an error, never wrong audio.
import { open, type FileHandle } from 'node:fs/promises';
import { defaultChannelLayout, type ChannelLabel } from '../engine/audio.js';
import { DEFAULT_BLOCK_FRAMES, type AudioFileInfo, type AudioMetadata, type AudioReader } from './api.js';
import { AudioFileError } from './errors.js';
import { decoderRelease } from './decoder-release.js';
import { BlockBuilder } from './block-builder.js';
import { READ_CHUNK_BYTES, id3v2Size, readAt } from './bytes.js';
import { MASK_LABELS } from './channel-mask.js';
import { quietly } from './quietly.js';
import { parseVorbisComments } from './vorbis-comments.js';

const ROUNDER = 1.5 * 2 ** 52;

interface FlacHeader {
  sampleRate: number;
  channelCount: number;
  bitsPerSample: number;
  totalSamples: number;
  maxBlockSize: number;
  streamInfo: Uint8Array;
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
  if (streamInfo === null || streamInfo.length < 34) return fail('corrupt FLAC header (no STREAMINFO block)');
  // STREAMINFO: bytes 2..3 max block size; 10..17 sample rate (20 bits), channels-1 (3), bits-1 (5), total samples (36).
  const s = streamInfo;
  const sampleRate = (s[10] << 12) | (s[11] << 4) | (s[12] >> 4);
  const channelCount = ((s[12] >> 1) & 7) + 1;
  const bitsPerSample = (((s[12] & 1) << 4) | (s[13] >> 4)) + 1;
  const totalSamples = (s[13] & 0x0f) * 2 ** 32 + ((s[14] << 24) >>> 0) + (s[15] << 16) + (s[16] << 8) + s[17];
  if (sampleRate === 0) fail('corrupt FLAC header (sample rate 0)');
  const maxBlockSize = (s[2] << 8) | s[3];
  return { sampleRate, channelCount, bitsPerSample, totalSamples, maxBlockSize, streamInfo: s.subarray(0, 34), audioOffset: position, metadata, channelMask };
}

/** "Error: FLAC__STREAM_DECODER_ERROR_STATUS_FRAME_CRC_MISMATCH; State: …" → "frame crc mismatch". */
function describeFlacError(message: string): string {
  const status = /ERROR_STATUS_([A-Z_]+)/.exec(message);
  return status ? status[1].toLowerCase().replace(/_/g, ' ') : message;
}

const CRC8 = Uint8Array.from({ length: 256 }, (_, i) => {
  let r = i;
  for (let k = 0; k < 8; k++) r = r & 0x80 ? ((r << 1) ^ 0x07) & 0xff : r << 1;
  return r;
});

interface FrameHeader { bytes: number; blockSize: number; number: number; key: number }

/**
 * The frame header at `o` (sync, block size, rate, UTF-8-coded frame/sample number, CRC-8), null if
 * there is none, undefined if the buffer ends too soon to tell (max header length is 16 bytes).
 */
function frameHeaderAt(b: Uint8Array, o: number, atEnd: boolean): FrameHeader | null | undefined {
  if (o + 16 > b.length && !atEnd) return undefined;
  if (b[o] !== 0xff || (b[o + 1] & 0xfe) !== 0xf8 || o + 6 > b.length) return null;
  const sizeCode = b[o + 2] >> 4, rateCode = b[o + 2] & 15, bpsCode = (b[o + 3] >> 1) & 7;
  if (sizeCode === 0 || rateCode === 15 || (b[o + 3] >> 4) > 10 || bpsCode === 3 || (b[o + 3] & 1)) return null;
  const first = b[o + 4];
  const extra = first < 0x80 ? 0 : first < 0xc0 ? -1 : first < 0xe0 ? 1 : first < 0xf0 ? 2 : first < 0xf8 ? 3 : first < 0xfc ? 4 : first < 0xfe ? 5 : first === 0xfe ? 6 : -1;
  if (extra < 0) return null;
  let number = extra === 0 ? first : first & (0x3f >> extra);
  let p = o + 5;
  for (let k = 0; k < extra; k++, p++) {
    if ((b[p] & 0xc0) !== 0x80) return null;
    number = number * 64 + (b[p] & 0x3f);
  }
  let blockSize = sizeCode === 1 ? 192 : sizeCode <= 5 ? 576 << (sizeCode - 2) : sizeCode >= 8 ? 256 << (sizeCode - 8) : 0;
  if (sizeCode === 6) blockSize = b[p++] + 1;
  else if (sizeCode === 7) { blockSize = ((b[p] << 8) | b[p + 1]) + 1; p += 2; }
  p += rateCode === 12 ? 1 : rateCode === 13 || rateCode === 14 ? 2 : 0;
  if (p >= b.length) return null;
  let crc = 0;
  for (let i = o; i < p; i++) crc = CRC8[crc ^ b[i]];
  if (crc !== b[p]) return null;
  // What every frame of the stream shares: blocking strategy, rate and sample-size codes.
  return { bytes: p + 1 - o, blockSize, number, key: ((b[o + 1] & 1) << 8) | (rateCode << 4) | bpsCode };
}

/** x = int / toInt → int * fromInt. Adding and subtracting 1.5 * 2^52 rounds: 5x faster than Math.round. */
function requantize(channel: Float32Array, frames: number, toInt: number, fromInt: number): void {
  for (let i = 0; i < frames; i++) channel[i] = ((channel[i] * toInt + ROUNDER) - ROUNDER) * fromInt;
}

/**
 * Decodes frame by frame. We split the stream at frame headers ourselves (the next header must carry
 * the next frame/sample number, so a sync code inside audio data cannot fool us) and hand whole frames
 * to libFLAC, which checks each frame's CRC-16: damage anywhere becomes an error at its sample.
 */
async function* decodeFlac(
  info: AudioFileInfo, header: FlacHeader, blockFrames: number, live: Set<() => void>,
): AsyncGenerator<Float32Array[], void, void> {
  const { path, channelCount } = info;
  const expected = info.frames;
  const corrupt = (sample: number, why: string) => new AudioFileError(path, `corrupt FLAC frame near sample ${sample} (${why})`);
  const builder = new BlockBuilder(channelCount, blockFrames);
  // Loaded on first decode, so that opening and probing a FLAC stays cheap.
  const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
  const handle = await open(path, 'r');
  const decoder = new FLACDecoder();
  const release = decoderRelease(handle, decoder, live);
  try {
    await decoder.ready;
    // Give libFLAC the stream header first: frames of odd rates or word lengths refer to STREAMINFO.
    const streamHeader = new Uint8Array(8 + header.streamInfo.length);
    streamHeader.set([0x66, 0x4c, 0x61, 0x43, 0x80, 0, 0, header.streamInfo.length]); // "fLaC", last block, type 0
    streamHeader.set(header.streamInfo, 8);
    const headerResult = quietly(() => decoder.decodeFrames([streamHeader]));
    if ((await headerResult).errors.length > 0) throw new AudioFileError(path, 'corrupt FLAC header (STREAMINFO rejected)');
    // libFLAC's float output is int / (2^(bits-1) - 1); we want int / 2^(bits-1), exact like our PCM readers.
    const toInt = 2 ** (header.bitsPerSample - 1) - 1;
    const fromInt = 1 / 2 ** (header.bitsPerSample - 1);
    // No valid frame is bigger than a verbatim one: past that without the next header, sync is lost.
    const maxFrameBytes = 64 + Math.ceil(((header.maxBlockSize || 65536) * channelCount * (header.bitsPerSample + 1)) / 8);
    const chunk = new Uint8Array(READ_CHUNK_BYTES);
    let position = header.audioOffset;
    let pending = new Uint8Array(0); // bytes from the current frame's header on
    let current: FrameHeader | null = null;
    let firstBlockSize = 0;
    let scan = 0; // where to look for the next header in `pending`
    let decoded = 0; // frames out of libFLAC
    let produced = 0; // frames handed out
    const sampleOf = (frame: FrameHeader) => ((frame.key & 0x100) ? frame.number : frame.number * firstBlockSize);
    for (let atEnd = false; !atEnd;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      position += bytesRead;
      atEnd = bytesRead === 0;
      const bytes = new Uint8Array(pending.length + bytesRead);
      bytes.set(pending);
      bytes.set(chunk.subarray(0, bytesRead), pending.length);
      const frames: Uint8Array[] = [];
      let frameSamples = 0; // what the frames' headers say they hold
      let start = 0;
      if (current === null) {
        const first = frameHeaderAt(bytes, 0, atEnd);
        if (first === undefined) { pending = bytes; continue; }
        if (first === null) {
          if (bytes.length === 0) break; // no audio at all: "truncated" below unless STREAMINFO says 0
          throw corrupt(0, 'no frame header after the metadata');
        }
        current = first;
        firstBlockSize = first.blockSize;
        scan = first.bytes;
      }
      for (;;) {
        scan = bytes.indexOf(0xff, scan);
        if (scan < 0) { scan = bytes.length; break; }
        const next = frameHeaderAt(bytes, scan, atEnd);
        if (next === undefined) break; // need more data to judge this candidate
        const wanted = (current.key & 0x100) ? current.number + current.blockSize : current.number + 1;
        if (next && next.key === current.key && next.number === wanted) {
          frames.push(bytes.subarray(start, scan));
          frameSamples += current.blockSize;
          start = scan;
          current = next;
          scan += next.bytes;
        } else {
          scan++;
        }
      }
      if (!atEnd && scan - start > maxFrameBytes) throw corrupt(sampleOf(current), 'lost sync: the next frame header is missing');
      const lastFrameSample = sampleOf(current);
      if (atEnd && start < bytes.length) {
        frames.push(bytes.subarray(start));
        frameSamples += current.blockSize;
      }
      pending = bytes.subarray(start);
      scan -= start;
      if (frames.length === 0) continue;
      const result = await quietly(() => decoder.decodeFrames(frames));
      decoded += result.samplesDecoded;
      const error = result.errors[0];
      // libFLAC reports CRC errors, but a frame damaged so that its parse runs into the next one can
      // also just yield nothing: every frame must give the samples its header states.
      if ((error || result.samplesDecoded !== frameSamples) && (expected === null || decoded < expected)) {
        const where = error ? error.outputSamples : decoded;
        // Damage only in the last piece of the file is where the file was cut off.
        if (atEnd && where >= lastFrameSample) {
          throw new AudioFileError(path, `truncated: the file ends inside the frame at sample ${lastFrameSample}${expected === null ? '' : ` of the ${expected} its header states`}`);
        }
        throw corrupt(where, error ? describeFlacError(error.message) : 'the frame does not decode');
      }
      if (result.samplesDecoded === 0) continue;
      if (result.channelData.length !== channelCount) {
        throw corrupt(decoded - result.samplesDecoded, `a frame has ${result.channelData.length} channels, STREAMINFO says ${channelCount}`);
      }
      // Never hand out more than STREAMINFO promised.
      const take = expected === null ? result.samplesDecoded : Math.min(result.samplesDecoded, expected - produced);
      produced += take;
      for (const channel of result.channelData) requantize(channel, take, toInt, fromInt);
      yield* builder.push(result.channelData, 0, take);
    }
    if (expected !== null && produced < expected) {
      throw new AudioFileError(path, `truncated: the file ends at sample ${produced} of the ${expected} its header states`);
    }
    yield* builder.flush();
  } finally {
    release();
  }
}
