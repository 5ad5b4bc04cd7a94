// Streaming FLAC writer on libflacjs (libFLAC compiled with emscripten).
// libFLAC's stream encoder cannot seek, so it leaves STREAMINFO's total samples and MD5 at zero and
// writes its own empty VORBIS_COMMENT. We hold back the metadata it emits until the first audio frame,
// replace it with STREAMINFO + our VORBIS_COMMENT + PADDING, and at finish() patch STREAMINFO (frame
// sizes, total samples, MD5 from libFLAC's final metadata callback) in place with a positional write.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defaultChannelLayout, type ChannelLabel } from '../engine/audio.js';
import type { AudioMetadata, AudioWriter, WriterOptions } from './api.js';
import { WriterLifecycle } from './writer-lifecycle.js';
import { createAtomicFile, type AtomicFile } from './atomic.js';

type LibFlac = import('libflacjs').Flac;

export interface FlacWriterOptions extends WriterOptions {
  bits: 16 | 24;
  /** libFLAC compression level 0–8 (default 5, as the flac tool). */
  compression?: number;
  /** Default: 'tpdf' at 16 bits, 'none' (plain rounding) at 24 bits. */
  dither?: 'tpdf' | 'none';
}

/** Bytes of PADDING left after the tags so they can be edited in place (the flac tool leaves 8 KiB). */
const PADDING_BYTES = 8192;
/** Offset of STREAMINFO's body: "fLaC" + 4-byte block header. */
const STREAMINFO_OFFSET = 8;
const STREAMINFO_BYTES = 34;
const VENDOR_FALLBACK = 'reference libFLAC';

/** WAVEFORMATEXTENSIBLE speaker bits, in the order that also defines the channel order of a mask. */
const SPEAKER_BITS: Partial<Record<ChannelLabel, number>> = {
  L: 0x1, R: 0x2, C: 0x4, LFE: 0x8, Lb: 0x10, Rb: 0x20, Lc: 0x40, Rc: 0x80, Cb: 0x100, Ls: 0x200, Rs: 0x400,
  Tc: 0x800, Tfl: 0x1000, Tfc: 0x2000, Tfr: 0x4000, Tbl: 0x8000, Tbc: 0x10000, Tbr: 0x20000,
};

let libFlacPromise: Promise<{ lib: LibFlac; variant: string }> | null = null;

/**
 * Loads libFLAC once. The wasm build is ~4x faster than asm.js, but its emscripten loader would
 * fetch() the .wasm path on Node ≥ 18; it only decides that synchronously while being required, so
 * `fetch` is hidden for exactly that synchronous call (no other code can run meanwhile). If anything
 * about that fails, or MIXMASTER_LIBFLAC=asmjs, the asm.js build is used.
 */
export function loadLibFlac(): Promise<{ lib: LibFlac; variant: string }> {
  libFlacPromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const factory = require('libflacjs') as (variant?: string) => LibFlac;
    const whenReady = (lib: LibFlac) =>
      lib.isReady() ? Promise.resolve(lib) : new Promise<LibFlac>((resolve) => lib.on('ready', () => resolve(lib)));
    const wasmFile = join(dirname(require.resolve('libflacjs')), 'dist', 'libflac.wasm.wasm');
    if (process.env.MIXMASTER_LIBFLAC !== 'asmjs' && existsSync(wasmFile)) {
      const fetchDescriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
      let wasm: LibFlac | null = null;
      try {
        if (fetchDescriptor) delete (globalThis as { fetch?: unknown }).fetch;
        wasm = factory('wasm');
      } catch {
        wasm = null;
      } finally {
        if (fetchDescriptor) Object.defineProperty(globalThis, 'fetch', fetchDescriptor);
      }
      if (wasm) {
        const ready = await Promise.race([whenReady(wasm), new Promise<null>((resolve) => setTimeout(resolve, 10000, null))]);
        if (ready) return { lib: ready, variant: wasm.variant ?? 'wasm' };
      }
    }
    const asm = await whenReady(factory());
    return { lib: asm, variant: asm.variant ?? 'asmjs' };
  })();
  return libFlacPromise;
}

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

function metadataBlock(type: number, body: Uint8Array, last: boolean): Uint8Array {
  if (body.length >= 1 << 24) throw new Error('FLAC metadata block larger than 16 MiB');
  const block = new Uint8Array(4 + body.length);
  block[0] = (last ? 0x80 : 0) | type;
  block[1] = (body.length >>> 16) & 0xff;
  block[2] = (body.length >>> 8) & 0xff;
  block[3] = body.length & 0xff;
  block.set(body, 4);
  return block;
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

/**
 * Rewrites the metadata libFLAC emitted ("fLaC" + STREAMINFO + its VORBIS_COMMENT ...) as
 * "fLaC" + STREAMINFO + our VORBIS_COMMENT (keeping libFLAC's vendor string) + PADDING.
 */
function rebuildHeader(emitted: Uint8Array, comments: string[]): { header: Uint8Array; streamInfo: Uint8Array } {
  if (String.fromCharCode(...emitted.subarray(0, 4)) !== 'fLaC') throw new Error('libFLAC did not start its stream with fLaC');
  let streamInfo: Uint8Array | null = null;
  let vendor = VENDOR_FALLBACK;
  let p = 4;
  while (p + 4 <= emitted.length) {
    const type = emitted[p] & 0x7f;
    const length = (emitted[p + 1] << 16) | (emitted[p + 2] << 8) | emitted[p + 3];
    const body = emitted.subarray(p + 4, p + 4 + length);
    if (type === 0) streamInfo = body.slice();
    if (type === 4 && body.length >= 4) {
      const vendorLength = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(0, true);
      vendor = new TextDecoder().decode(body.subarray(4, 4 + vendorLength));
    }
    const last = (emitted[p] & 0x80) !== 0;
    p += 4 + length;
    if (last) break;
  }
  if (!streamInfo || streamInfo.length !== STREAMINFO_BYTES) throw new Error('libFLAC emitted no STREAMINFO');
  const blocks = [
    new Uint8Array([0x66, 0x4c, 0x61, 0x43]),
    metadataBlock(0, streamInfo, false),
    metadataBlock(4, vorbisCommentBody(vendor, comments), false),
    metadataBlock(1, new Uint8Array(PADDING_BYTES), true),
  ];
  const header = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let offset = 0;
  for (const block of blocks) {
    header.set(block, offset);
    offset += block.length;
  }
  return { header, streamInfo };
}

interface FinalStreamInfo {
  min_framesize: number;
  max_framesize: number;
  md5sum: string;
}

/** STREAMINFO with the values only known at the end: frame sizes, total samples, MD5. */
function patchStreamInfo(initial: Uint8Array, final: FinalStreamInfo, totalSamples: number): Uint8Array {
  const info = initial.slice();
  const put24 = (at: number, value: number) => {
    info[at] = (value >>> 16) & 0xff;
    info[at + 1] = (value >>> 8) & 0xff;
    info[at + 2] = value & 0xff;
  };
  put24(4, final.min_framesize);
  put24(7, final.max_framesize);
  // Bytes 13..17 hold 4 bits of bits-per-sample, then the 36-bit total sample count.
  const high = Math.floor(totalSamples / 2 ** 32);
  if (high >= 16) throw new Error('more than 2^36 samples do not fit STREAMINFO');
  info[13] = (info[13] & 0xf0) | high;
  const low = totalSamples >>> 0;
  info[14] = (low >>> 24) & 0xff;
  info[15] = (low >>> 16) & 0xff;
  info[16] = (low >>> 8) & 0xff;
  info[17] = low & 0xff;
  if (!/^[0-9a-f]{32}$/i.test(final.md5sum)) throw new Error(`libFLAC reported no MD5 (${final.md5sum})`);
  for (let i = 0; i < 16; i++) info[18 + i] = parseInt(final.md5sum.slice(2 * i, 2 * i + 2), 16);
  return info;
}

/** Float → integer with optional TPDF dither (±1 LSB triangular), rounding and clipping. */
class Quantizer {
  private seed = 0x9e3779b9;
  constructor(
    private readonly bits: 16 | 24,
    private readonly dither: boolean,
  ) {}

  run(input: Float32Array, output: Int32Array, frames: number): void {
    const scale = 2 ** (this.bits - 1);
    const max = scale - 1;
    const min = -scale;
    if (this.dither) {
      let s = this.seed;
      for (let i = 0; i < frames; i++) {
        // Two xorshift32 draws; their difference / 2^32 is triangular on (-1, 1) LSB.
        s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
        const a = s >>> 0;
        s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
        const v = Math.round(input[i] * scale + (a - (s >>> 0)) * 2.3283064365386963e-10);
        output[i] = v > max ? max : v < min ? min : v; // NaN stores as 0
      }
      this.seed = s;
    } else {
      for (let i = 0; i < frames; i++) {
        const v = Math.round(input[i] * scale);
        output[i] = v > max ? max : v < min ? min : v;
      }
    }
  }
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

  const { lib: Flac } = await loadLibFlac();
  const encoder = Flac.create_libflac_encoder(sampleRate, channelCount, bits, compression as import('libflacjs').CompressionLevel, 0, false, 0);
  if (!encoder) throw new Error(`libFLAC refused ${channelCount} ch / ${sampleRate} Hz / ${bits} bit`);

  let headerBytes: Uint8Array[] | null = []; // libFLAC's metadata, until the first audio frame
  let streamInfo: Uint8Array | null = null;
  let output: Uint8Array[] = [];
  let finalInfo: FinalStreamInfo | null = null;
  let ignoreOutput = false;

  const takeHeader = () => {
    if (!headerBytes) return;
    const emitted = concat(headerBytes);
    headerBytes = null;
    const rebuilt = rebuildHeader(emitted, comments);
    streamInfo = rebuilt.streamInfo;
    output.unshift(rebuilt.header);
  };

  const status = Flac.init_encoder_stream(
    encoder,
    (data, numberOfBytes, samples) => {
      if (ignoreOutput) return;
      const bytes = numberOfBytes === data.length ? data : data.subarray(0, numberOfBytes);
      if (headerBytes && samples === 0) {
        headerBytes.push(bytes);
      } else {
        takeHeader();
        output.push(bytes);
      }
    },
    (info) => {
      if (info) finalInfo = info;
    },
  );
  if (status !== 0) {
    Flac.FLAC__stream_encoder_delete(encoder);
    throw new Error(`libFLAC encoder init failed (status ${status})`);
  }

  let file: AtomicFile;
  try {
    file = await createAtomicFile(path);
  } catch (error) {
    Flac.FLAC__stream_encoder_delete(encoder);
    throw error;
  }

  let position = 0;
  const flush = async () => {
    if (output.length === 0) return;
    const buffers = output;
    output = [];
    const total = buffers.reduce((n, b) => n + b.length, 0);
    let written = 0;
    while (written < total) {
      const { bytesWritten } = await file.handle.writev(written === 0 ? buffers : [concat(buffers).subarray(written)], position + written);
      if (bytesWritten === 0) throw new Error(`could not write ${file.tempPath}`);
      written += bytesWritten;
    }
    position += total;
  };

  let totalSamples = 0;
  let ints = Array.from({ length: channelCount }, () => new Int32Array(0));
  const quantizer = new Quantizer(bits, dither);
  let encoderAlive = true;

  const release = () => {
    if (!encoderAlive) return;
    encoderAlive = false;
    ignoreOutput = true;
    Flac.FLAC__stream_encoder_delete(encoder);
  };

  const lifecycle = new WriterLifecycle(`FLAC writer for ${path}`, async () => {
    release();
    await file.abort();
  });
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
        for (let c = 0; c < channelCount; c++) quantizer.run(channels[order[c]], ints[c], frames);
        const ok = Flac.FLAC__stream_encoder_process(encoder, ints.map((a) => a.subarray(0, frames)), frames);
        if (!ok) throw new Error(`libFLAC failed while encoding (state ${Flac.FLAC__stream_encoder_get_state(encoder)})`);
        totalSamples += frames;
        await flush();
      });
    },

    finish() {
      return run(async () => {
        const ok = Flac.FLAC__stream_encoder_finish(encoder);
        if (!ok) throw new Error(`libFLAC failed to finish (state ${Flac.FLAC__stream_encoder_get_state(encoder)})`);
        takeHeader(); // no audio at all: the metadata is all there is
        release();
        await flush();
        if (!finalInfo || !streamInfo) throw new Error('libFLAC reported no final STREAMINFO');
        const patched = patchStreamInfo(streamInfo, finalInfo, totalSamples);
        const { bytesWritten } = await file.handle.write(patched, 0, patched.length, STREAMINFO_OFFSET);
        if (bytesWritten !== patched.length) throw new Error(`short write of STREAMINFO to ${file.tempPath}`);
        await file.commit();
      }, true);
    },

    abort: () => lifecycle.abort(),
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
