// Streaming AIFF / AIFF-C reader: walks the big-endian IFF chunks (COMM, SSND, text chunks) with a file
// handle, then decodes SSND through the PCM block decoder shared with the WAV reader.
import { open, type FileHandle } from 'node:fs/promises';
import { defaultChannelLayout } from '../engine/audio.js';
import type { AudioFileInfo, AudioMetadata, AudioReader, RawChunk } from './api.js';
import { AudioFileError } from './errors.js';
import { decodeText, fourCC, readAt } from './bytes.js';
import { createPcmReader, type PcmLayout } from './pcm-reader.js';

/** Chunks kept verbatim in info.chunks (text, markers, instrument, application data, ID3). */
const KEPT_CHUNKS = new Set(['NAME', 'AUTH', '(c) ', 'ANNO', 'COMT', 'MARK', 'INST', 'APPL', 'ID3 ', 'id3 ']);
const MAX_KEPT_CHUNK_BYTES = 16 * 1024 * 1024;

interface Compression {
  encoding: PcmLayout['encoding'];
  bigEndian: boolean;
  /** Fixed sample size in bits, or null to take COMM's sampleSize. */
  bits: number | null;
  name: string;
}

/** AIFF-C compression types that are plain PCM in some byte order (QuickTime's names included). */
const PCM_COMPRESSIONS: Record<string, Compression> = {
  NONE: { encoding: 'int', bigEndian: true, bits: null, name: 'PCM' },
  twos: { encoding: 'int', bigEndian: true, bits: null, name: 'PCM' },
  sowt: { encoding: 'int', bigEndian: false, bits: null, name: 'PCM' },
  'raw ': { encoding: 'uint8', bigEndian: true, bits: 8, name: 'PCM' },
  in24: { encoding: 'int', bigEndian: true, bits: 24, name: 'PCM' },
  in32: { encoding: 'int', bigEndian: true, bits: 32, name: 'PCM' },
  '42ni': { encoding: 'int', bigEndian: false, bits: 24, name: 'PCM' },
  '23ni': { encoding: 'int', bigEndian: false, bits: 32, name: 'PCM' },
  fl32: { encoding: 'float', bigEndian: true, bits: 32, name: 'IEEE float' },
  FL32: { encoding: 'float', bigEndian: true, bits: 32, name: 'IEEE float' },
  fl64: { encoding: 'float', bigEndian: true, bits: 64, name: 'IEEE float' },
  FL64: { encoding: 'float', bigEndian: true, bits: 64, name: 'IEEE float' },
};

export async function openAiff(path: string): Promise<AudioReader> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new AudioFileError(path, `cannot open (${error.code ?? error.message})`);
  });
  try {
    const { info, layout } = await parseAiff(path, handle);
    return createPcmReader(handle, info, layout);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function parseAiff(path: string, handle: FileHandle): Promise<{ info: AudioFileInfo; layout: PcmLayout }> {
  const fail = (problem: string): never => { throw new AudioFileError(path, problem); };
  const fileBytes = (await handle.stat()).size;
  const head = await readAt(handle, 0, 12);
  const kind = head.length >= 12 ? fourCC(head, 8) : '';
  if (head.length < 12 || fourCC(head, 0) !== 'FORM' || (kind !== 'AIFF' && kind !== 'AIFC')) {
    fail('not an AIFF file (no FORM/AIFF header)');
  }
  const isAifc = kind === 'AIFC';

  let comm: Uint8Array | null = null;
  let ssnd: { offsetBytes: number; sizeBytes: number } | null = null;
  const chunks: RawChunk[] = [];
  for (let position = 12; position + 8 <= fileBytes;) {
    const header = await readAt(handle, position, 8);
    const id = fourCC(header, 0);
    const sizeBytes = u32be(header, 4);
    const bodyOffset = position + 8;
    if (id === 'COMM' && comm === null) {
      comm = await readAt(handle, bodyOffset, Math.min(sizeBytes, 512));
    } else if (id === 'SSND' && ssnd === null) {
      const ssndHeader = await readAt(handle, bodyOffset, 8);
      if (ssndHeader.length < 8) break;
      // Streaming writers leave the size at 0 or 0xFFFFFFFF: then the samples run to the end of the file.
      const declared = sizeBytes === 0 || sizeBytes === 0xffffffff ? fileBytes - bodyOffset : sizeBytes;
      const skipBytes = u32be(ssndHeader, 0); // SSND "offset": padding before the first sample
      ssnd = { offsetBytes: bodyOffset + 8 + skipBytes, sizeBytes: Math.max(0, declared - 8 - skipBytes) };
      if (bodyOffset + declared > fileBytes) break;
    } else if (KEPT_CHUNKS.has(id) && sizeBytes <= MAX_KEPT_CHUNK_BYTES) {
      const body = await readAt(handle, bodyOffset, sizeBytes);
      if (body.length === sizeBytes) chunks.push({ id, data: body });
    }
    position = bodyOffset + sizeBytes + (sizeBytes % 2);
  }

  if (comm === null) return fail('AIFF header has no COMM chunk');
  if (comm.length < 18) fail(`AIFF COMM chunk is too short (${comm.length} bytes)`);
  const channelCount = u16be(comm, 0);
  const declaredFrames = u32be(comm, 2);
  const sampleSizeBits = u16be(comm, 6);
  const sampleRate = readExtended(comm, 8);
  if (channelCount === 0) fail('AIFF COMM declares 0 channels');
  if (!(sampleRate > 0 && Number.isFinite(sampleRate))) fail(`AIFF COMM declares sample rate ${sampleRate} Hz`);

  let compression = PCM_COMPRESSIONS.NONE;
  if (isAifc) {
    if (comm.length < 22) fail(`AIFF-C COMM chunk is too short (${comm.length} bytes)`);
    const type = fourCC(comm, 18);
    const known = PCM_COMPRESSIONS[type];
    if (!known) {
      const nameBytes = comm.length > 22 ? comm.subarray(23, 23 + comm[22]) : new Uint8Array(0);
      const name = decodeText(nameBytes);
      fail(`unsupported AIFF-C compression '${type}'${name ? ` (${name})` : ''}`);
    }
    compression = known;
  }
  const bits = compression.bits ?? sampleSizeBits;
  if (bits === 0) fail('AIFF COMM declares 0 bits per sample');
  if (compression.encoding !== 'float' && bits > 32) fail(`unsupported AIFF sample size (PCM ${bits}-bit)`);
  // Samples are left-justified in whole bytes, so scaling by the container size is exact.
  // AIFF 8-bit is signed ('int'); only AIFF-C 'raw ' is offset binary.
  const bytesPerSample = Math.ceil(bits / 8);

  if (declaredFrames === 0) fail('contains no audio (0 frames)');
  if (ssnd === null) return fail('AIFF has no SSND chunk');
  const frameBytes = bytesPerSample * channelCount;
  const presentFrames = Math.floor(Math.min(ssnd.sizeBytes, fileBytes - ssnd.offsetBytes) / frameBytes);
  if (presentFrames < declaredFrames) {
    fail(`truncated: the COMM chunk declares ${declaredFrames} frames but only ${Math.max(0, presentFrames)} are present`);
  }

  const info: AudioFileInfo = {
    path,
    format: isAifc ? 'aifc' : 'aiff',
    codec: `${compression.name} ${bits}-bit`,
    sampleRate,
    channelCount,
    channelLayout: defaultChannelLayout(channelCount),
    frames: declaredFrames,
    bitsPerSample: bits,
    metadata: parseTextMetadata(chunks),
    chunks,
  };
  const layout: PcmLayout = {
    encoding: compression.encoding,
    bytesPerSample,
    bigEndian: compression.bigEndian,
    channelCount,
    dataOffsetBytes: ssnd.offsetBytes,
    frames: declaredFrames,
  };
  return { info, layout };
}

/** NAME → title, AUTH → artist, first ANNO → comment (the text chunks of AIFF 1.3). */
function parseTextMetadata(chunks: RawChunk[]): AudioMetadata {
  const metadata: AudioMetadata = {};
  for (const { id, data } of chunks) {
    const text = decodeText(data);
    if (text === '') continue;
    if (id === 'NAME') metadata.title = text;
    else if (id === 'AUTH') metadata.artist = text;
    else if (id === 'ANNO' && metadata.comment === undefined) metadata.comment = text;
  }
  return metadata;
}

/** The 80-bit IEEE 754 extended float of COMM's sample rate: sign+15-bit exponent, 64-bit mantissa with explicit integer bit. */
export function readExtended(bytes: Uint8Array, at: number): number {
  const exponent = ((bytes[at] & 0x7f) << 8) | bytes[at + 1];
  const sign = bytes[at] & 0x80 ? -1 : 1;
  const mantissa = u32be(bytes, at + 2) * 2 ** 32 + u32be(bytes, at + 6);
  if (exponent === 0 && mantissa === 0) return 0;
  if (exponent === 0x7fff) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * mantissa * 2 ** (exponent - 16383 - 63);
}

const u16be = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const u32be = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
