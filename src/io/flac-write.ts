// Streaming FLAC writer on our own encoder (flac-encode.ts): planar float blocks are quantized to 16 or
// 24 bits (TPDF dither by default at 16), MD5-summed as FLAC defines it (interleaved little-endian
// samples at the stored byte width) and encoded; the file is "fLaC", STREAMINFO, VORBIS_COMMENT (tags,
// and WAVEFORMATEXTENSIBLE_CHANNEL_MASK for layouts FLAC's default order does not imply) and 8 KiB of
// PADDING, then the frames. STREAMINFO (total samples, frame sizes, MD5) is rewritten in place at
// finish(). Written to a temp file beside the target and renamed into place by finish().
import { createHash } from 'node:crypto';
import { defaultChannelLayout, type ChannelLabel } from '../engine/audio.js';
import type { AudioMetadata, AudioWriter, WriterOptions } from './api.js';
import { WriterLifecycle } from './writer-lifecycle.js';
import { channelDitherSeed, createQuantizer } from '../engine/dsp/dither.js';
import { createAtomicFile } from './atomic.js';
import { FlacEncoder, FLAC_VENDOR, metadataBlock } from './flac-encode.js';

export interface FlacWriterOptions extends WriterOptions {
  bits: 16 | 24;
  /** Compression level 0–8 as the flac tool's (default 5); see FlacEncoderOptions.level. */
  compression?: number;
  /** Default: 'tpdf' at 16 bits, 'none' (plain rounding) at 24 bits. */
  dither?: 'tpdf' | 'none';
}

/** Bytes of PADDING left after the tags so they can be edited in place (the flac tool leaves 8 KiB). */
const PADDING_BYTES = 8192;
/** Offset of STREAMINFO's body: "fLaC" + 4-byte block header. */
const STREAMINFO_OFFSET = 8;

/** WAVEFORMATEXTENSIBLE speaker bits, in the order that also defines the channel order of a mask. */
const SPEAKER_BITS: Partial<Record<ChannelLabel, number>> = {
  L: 0x1, R: 0x2, C: 0x4, LFE: 0x8, Lb: 0x10, Rb: 0x20, Lc: 0x40, Rc: 0x80, Cb: 0x100, Ls: 0x200, Rs: 0x400,
  Tc: 0x800, Tfl: 0x1000, Tfc: 0x2000, Tfr: 0x4000, Tbl: 0x8000, Tbc: 0x10000, Tbr: 0x20000,
};

/**
 * The WAVEFORMATEXTENSIBLE_CHANNEL_MASK for a layout FLAC's default order does not already imply,
 * with the channel order the mask requires (ascending speaker bits); null when none is needed or
 * the layout cannot be expressed as a mask (unknown labels, duplicates).
 */
export function flacChannelMask(layout: ChannelLabel[] | undefined): { mask: number; order: number[] } | null {
  if (!layout) return null;
  const defaults = defaultChannelLayout(layout.length);
  if (layout.every((label, i) => label === defaults[i])) return null;
  const bits = layout.map((label) => SPEAKER_BITS[label] ?? (label === 'M' && layout.length === 1 ? SPEAKER_BITS.C! : 0));
  if (bits.some((bit) => bit === 0) || new Set(bits).size !== bits.length) return null;
  const order = bits.map((_, i) => i).sort((a, b) => bits[a] - bits[b]);
  return { mask: bits.reduce((mask, bit) => mask | bit, 0), order };
}

/** Vorbis comments for AudioMetadata, in the usual field names. */
export function vorbisComments(metadata: AudioMetadata | undefined, channelMask?: number): string[] {
  const comments: string[] = [];
  const add = (key: string, value: string | number | undefined) => {
    if (value === undefined) return;
    const text = String(value).trim();
    if (text !== '') comments.push(`${key}=${text}`);
  };
  if (metadata) {
    add('TITLE', metadata.title);
    add('ARTIST', metadata.artist);
    add('ALBUM', metadata.album);
    add('ALBUMARTIST', metadata.albumArtist);
    add('DATE', metadata.year);
    add('GENRE', metadata.genre);
    if (metadata.track !== undefined) {
      if (!Number.isInteger(metadata.track) || metadata.track < 1) throw new Error(`track number ${metadata.track} is not a positive integer`);
      add('TRACKNUMBER', metadata.track);
    }
    add('ISRC', metadata.isrc);
    add('COMMENT', metadata.comment);
    add('ENCODER', metadata.encodedBy);
  }
  if (channelMask !== undefined) add('WAVEFORMATEXTENSIBLE_CHANNEL_MASK', `0x${channelMask.toString(16).toUpperCase().padStart(4, '0')}`);
  return comments;
}

/** VORBIS_COMMENT body: little-endian lengths, vendor, then KEY=value entries (UTF-8). */
export function vorbisCommentBody(vendor: string, comments: string[]): Uint8Array {
  const utf8 = new TextEncoder();
  const parts = [utf8.encode(vendor), ...comments.map((c) => utf8.encode(c))];
  const body = new Uint8Array(4 + parts[0].length + 4 + parts.slice(1).reduce((n, p) => n + 4 + p.length, 0));
  const view = new DataView(body.buffer);
  let p = 0;
  view.setUint32(p, parts[0].length, true);
  body.set(parts[0], p + 4);
  p += 4 + parts[0].length;
  view.setUint32(p, comments.length, true);
  p += 4;
  for (const part of parts.slice(1)) {
    view.setUint32(p, part.length, true);
    body.set(part, p + 4);
    p += 4 + part.length;
  }
  return body;
}

export async function createFlacWriter(path: string, options: FlacWriterOptions): Promise<AudioWriter> {
  const { sampleRate, channelCount, bits } = options;
  const compression = options.compression ?? 5;
  if (!Number.isInteger(channelCount) || channelCount < 1 || channelCount > 8) throw new Error(`FLAC takes 1–8 channels, not ${channelCount}`);
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 655350) throw new Error(`FLAC cannot store a sample rate of ${sampleRate} Hz`);
  if (bits !== 16 && bits !== 24) throw new Error(`FLAC export writes 16 or 24 bits, not ${bits}`);
  if (!Number.isInteger(compression) || compression < 0 || compression > 8) throw new Error(`FLAC compression level must be 0–8, not ${compression}`);
  if (options.channelLayout && options.channelLayout.length !== channelCount) {
    throw new Error(`channel layout has ${options.channelLayout.length} labels for ${channelCount} channels`);
  }
  const dither = (options.dither ?? (bits === 16 ? 'tpdf' : 'none')) === 'tpdf';
  const mask = flacChannelMask(options.channelLayout);
  const order = mask ? mask.order : Array.from({ length: channelCount }, (_, i) => i);
  const comments = vorbisComments(options.metadata, mask?.mask);
  const encoder = new FlacEncoder({ sampleRate, channels: channelCount, bitsPerSample: bits, level: compression });
  const header = concat([
    new Uint8Array([0x66, 0x4c, 0x61, 0x43]), // fLaC
    metadataBlock(0, encoder.streamInfo(), false), // rewritten at finish()
    metadataBlock(4, vorbisCommentBody(FLAC_VENDOR, comments), false),
    metadataBlock(1, new Uint8Array(PADDING_BYTES), true),
  ]);

  const file = await createAtomicFile(path, { durable: options.durable });
  let position = 0;
  const writeFully = async (bytes: Uint8Array, at: number) => {
    for (let done = 0; done < bytes.length;) {
      const { bytesWritten } = await file.handle.write(bytes, done, bytes.length - done, at + done);
      if (bytesWritten === 0) throw new Error(`could not write ${file.tempPath}`);
      done += bytesWritten;
    }
  };
  const append = async (bytes: Uint8Array) => {
    await writeFully(bytes, position);
    position += bytes.length;
  };
  try {
    await append(header);
  } catch (error) {
    await file.abort();
    throw error;
  }

  const md5 = createHash('md5');
  const width = bits / 8;
  let md5Words = new Uint32Array(0);
  let ints = Array.from({ length: channelCount }, () => new Int32Array(0));
  // TPDF seeded per channel as the WAV writer does (one master's FLAC and WAV hold the same samples);
  // NaN stores as 0, overs saturate.
  const quantizers = Array.from({ length: channelCount }, (_, c) => createQuantizer(bits, dither ? 'tpdf' : 'none', channelDitherSeed(1, c)));

  const lifecycle = new WriterLifecycle(`FLAC writer for ${path}`, () => file.abort());
  const run = (task: () => Promise<void>, finishes = false) => lifecycle.run(task, finishes);

  return {
    async write(channels: Float32Array[], frames: number) {
      if (channels.length !== channelCount) throw new Error(`FLAC writer expects ${channelCount} channels, got ${channels.length}`);
      if (!Number.isInteger(frames) || frames < 0 || channels.some((c) => c.length < frames)) {
        throw new Error(`FLAC writer: bad frame count ${frames} for blocks of ${channels.map((c) => c.length).join('/')}`);
      }
      return run(async () => {
        if (frames === 0) return;
        if (ints[0].length < frames) ints = Array.from({ length: channelCount }, () => new Int32Array(frames));
        for (let c = 0; c < channelCount; c++) quantizers[order[c]].quantizeBlock(channels[order[c]], 0, frames, ints[c], 0);
        if (md5Words.length * 4 < frames * channelCount * width + 8) md5Words = new Uint32Array(Math.ceil((frames * channelCount * width) / 4) + 2);
        md5.update(interleaveLittleEndian(ints, frames, width, md5Words));
        await append(encoder.write(ints, frames));
      });
    },

    finish() {
      return run(async () => {
        await append(encoder.finish());
        const streamInfo = encoder.streamInfo(new Uint8Array(md5.digest()));
        await writeFully(streamInfo, STREAMINFO_OFFSET);
        await file.commit();
      }, true);
    },

    abort: () => lifecycle.abort(),
  };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Interleaved little-endian integers of `width` bytes (the bytes FLAC's MD5 covers), into `words`' bytes. */
function interleaveLittleEndian(ints: Int32Array[], frames: number, width: number, words: Uint32Array): Uint8Array {
  const channels = ints.length;
  const stride = channels * width;
  const out = new Uint8Array(words.buffer, words.byteOffset, frames * stride);
  if (LITTLE_ENDIAN && channels === 2 && width === 3) {
    // Two stereo frames are 12 bytes, three 32-bit words.
    const left = ints[0];
    const right = ints[1];
    let w = 0;
    let i = 0;
    for (; i + 1 < frames; i += 2, w += 3) {
      const a = left[i];
      const b = right[i];
      const c = left[i + 1];
      const d = right[i + 1];
      words[w] = (a & 0xffffff) | (b << 24);
      words[w + 1] = ((b >>> 8) & 0xffff) | (c << 16);
      words[w + 2] = ((c >>> 16) & 0xff) | (d << 8);
    }
    if (i < frames) {
      const k = 6 * i;
      const a = left[i];
      const b = right[i];
      out[k] = a; out[k + 1] = a >> 8; out[k + 2] = a >> 16;
      out[k + 3] = b; out[k + 4] = b >> 8; out[k + 5] = b >> 16;
    }
    return out;
  }
  if (LITTLE_ENDIAN && channels === 2 && width === 2) {
    const left = ints[0];
    const right = ints[1];
    for (let i = 0; i < frames; i++) words[i] = (left[i] & 0xffff) | (right[i] << 16);
    return out;
  }
  for (let c = 0; c < channels; c++) {
    const samples = ints[c];
    if (width === 3) {
      for (let i = 0, k = c * 3; i < frames; i++, k += stride) {
        const v = samples[i];
        out[k] = v;
        out[k + 1] = v >> 8;
        out[k + 2] = v >> 16;
      }
    } else {
      for (let i = 0, k = c * 2; i < frames; i++, k += stride) {
        const v = samples[i];
        out[k] = v;
        out[k + 1] = v >> 8;
      }
    }
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
