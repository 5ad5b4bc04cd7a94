// Streaming MP3 writer: LAME (wasm-media-encoders) frames behind an ID3v2.4 tag and a Xing/Info +
// LAME tag frame, so decoders know the exact length (gapless) and VBR files seek and time right.
// The tag frame is reserved (zeros) while encoding and written in place at finish().
import { createMp3Encoder } from 'wasm-media-encoders';
import { findSystemLame, startLameProcess, type Mp3FrameEncoder } from './lame-process.js';
import type { AudioWriter, WriterOptions } from './api.js';
import { WriterLifecycle } from './writer-lifecycle.js';

export { LAME_ENCODER_DELAY } from './mp3-xing.js';
import { createAtomicFile, type AtomicFile } from './atomic.js';
import { buildId3v24 } from './id3.js';
import {
  LAME_ENCODER_DELAY,
  buildLameTagFrame,
  buildXingToc,
  crc16,
  lameTagFrameLayout,
  makeMpegHeader,
  parseMpegHeader,
  parseXingFrame,
  readUint32BE,
} from './mp3-xing.js';

// (wasm-media-encoders rejects 56.)
export type Mp3CbrKbps = 32 | 40 | 48 | 64 | 80 | 96 | 112 | 128 | 160 | 192 | 224 | 256 | 320;
export type Mp3Mode = { cbrKbps: Mp3CbrKbps } | { vbrQuality: number };

export interface Mp3WriterOptions extends WriterOptions {
  mode: Mp3Mode;
  /** 'auto' (default): the system's `lame` when installed (faster), else LAME built to wasm. */
  encoder?: 'auto' | 'system' | 'wasm';
  /** Called with each run of MPEG audio frames as it is appended to the file (in file order). */
  onAudio?: (frames: Uint8Array) => void;
}

/** Which LAME `auto` picks here: 'system' or 'wasm'. */
export const defaultMp3Encoder = (): 'system' | 'wasm' => (findSystemLame() ? 'system' : 'wasm');

async function createWasmEncoder(sampleRate: number, channels: 1 | 2, mode: Mp3Mode): Promise<Mp3FrameEncoder> {
  const encoder = await createMp3Encoder();
  const outputSampleRate = sampleRate as 32000 | 44100 | 48000;
  encoder.configure('cbrKbps' in mode
    ? { sampleRate, channels, bitrate: mode.cbrKbps, outputSampleRate }
    : { sampleRate, channels, vbrQuality: mode.vbrQuality, outputSampleRate });
  // The wasm LAME wants [-1, 1]: out-of-range or non-finite samples are clamped into a scratch copy.
  const clampScratch: Float32Array[] = [];
  const clamped = (channel: Float32Array, index: number): Float32Array => {
    let ok = true;
    for (let i = 0; i < channel.length; i++) {
      const v = channel[i];
      if (!(v >= -1 && v <= 1)) { ok = false; break; }
    }
    if (ok) return channel;
    if (!clampScratch[index] || clampScratch[index].length < channel.length) clampScratch[index] = new Float32Array(channel.length);
    const out = clampScratch[index].subarray(0, channel.length);
    for (let i = 0; i < channel.length; i++) {
      const v = channel[i];
      out[i] = v > 1 ? 1 : v < -1 ? -1 : v === v ? v : 0;
    }
    return out;
  };
  return {
    version: 'LAME3.100',
    encode: (block) => encoder.encode(block.map(clamped)),
    finalize: () => encoder.finalize(),
    dispose: () => undefined,
  };
}

/** MPEG-1 Layer III rates; anything else must be resampled by the caller. */
export const MP3_SAMPLE_RATES = [32000, 44100, 48000] as const;
const SAMPLES_PER_FRAME = 1152;
/** LAME gives VBR tag frames this bitrate (MPEG-1). */
const VBR_TAG_KBPS = 128;
/** Largest block handed to the encoder at once (bounds its wasm buffers). */
const ENCODE_BLOCK = 65536;

/**
 * Splits the encoder's byte stream into frames: counts them, records where each starts, CRCs them,
 * and drops a Xing/Info frame if the encoder ever emits its own (ours replaces it).
 */
export class Mp3FrameScanner {
  frameCount = 0;
  audioBytes = 0;
  musicCrc = 0;
  firstHeader: number | null = null;
  minKbps = Infinity;
  droppedEncoderTag = false;
  /** Start of each audio frame, counted from the first audio byte. */
  frameStarts: number[] = [];
  private pending = new Uint8Array(0);

  /** Takes encoder output (which the encoder owns: it is copied) and returns the complete frames in it. */
  push(chunk: Uint8Array): Uint8Array {
    if (chunk.length === 0 && this.pending.length === 0) return chunk;
    const data = new Uint8Array(this.pending.length + chunk.length);
    data.set(this.pending);
    data.set(chunk, this.pending.length);
    let offset = 0;
    let out = 0; // complete frames are compacted to the front of `data`
    while (offset + 4 <= data.length) {
      const header = parseMpegHeader(readUint32BE(data, offset));
      if (!header) throw new Error(`LAME produced bytes that are not an MPEG frame (audio byte ${this.audioBytes + out})`);
      if (offset + header.frameBytes > data.length) break;
      const frame = data.subarray(offset, offset + header.frameBytes);
      offset += header.frameBytes;
      if (this.firstHeader === null && !this.droppedEncoderTag && parseXingFrame(frame)) {
        this.droppedEncoderTag = true;
        continue;
      }
      if (this.firstHeader === null) this.firstHeader = readUint32BE(frame, 0);
      this.frameStarts.push(this.audioBytes + out);
      this.frameCount++;
      this.minKbps = Math.min(this.minKbps, header.bitrateKbps);
      this.musicCrc = crc16(frame, this.musicCrc);
      if (out !== offset - header.frameBytes) data.copyWithin(out, offset - header.frameBytes, offset);
      out += header.frameBytes;
    }
    this.pending = data.slice(offset);
    this.audioBytes += out;
    return data.subarray(0, out);
  }

  end(): void {
    if (this.pending.length > 0) throw new Error(`LAME left ${this.pending.length} bytes that are not a whole MPEG frame`);
  }
}

export async function createMp3Writer(path: string, options: Mp3WriterOptions): Promise<AudioWriter> {
  const { sampleRate, channelCount, mode } = options;
  if (!(MP3_SAMPLE_RATES as readonly number[]).includes(sampleRate)) {
    throw new Error(`MP3 export needs 32, 44.1 or 48 kHz (MPEG-1 Layer III), not ${sampleRate} Hz: resample first`);
  }
  if (channelCount !== 1 && channelCount !== 2) {
    throw new Error(`MP3 export takes 1 or 2 channels, not ${channelCount}: downmix first`);
  }
  const cbr = 'cbrKbps' in mode;
  if (cbr && !isLayer3Bitrate(sampleRate, channelCount, mode.cbrKbps)) {
    throw new Error(`${mode.cbrKbps} kb/s is not an MPEG-1 Layer III bitrate`);
  }
  if (!cbr && !(mode.vbrQuality >= 0 && mode.vbrQuality < 10)) {
    throw new Error(`MP3 VBR quality must be 0 (best) to 9.999, not ${mode.vbrQuality}`);
  }
  const channels = channelCount as 1 | 2;

  const choice = options.encoder ?? 'auto';
  const lame = choice === 'wasm' ? null : findSystemLame();
  if (choice === 'system' && !lame) throw new Error('MP3 export: no system LAME (install the lame package, or use the wasm encoder)');
  const encoder: Mp3FrameEncoder = lame
    ? startLameProcess(lame, { sampleRate, channels, ...mode })
    : await createWasmEncoder(sampleRate, channels, mode);

  const id3 = buildId3v24(options.metadata);
  const tagLayout = lameTagFrameLayout(sampleRate, channels, cbr ? mode.cbrKbps : VBR_TAG_KBPS);
  const audioStart = id3.length + tagLayout.frameBytes;

  let file: AtomicFile;
  try {
    file = await createAtomicFile(path, { durable: options.durable });
  } catch (error) {
    encoder.dispose();
    throw error;
  }
  let position = 0;
  const append = async (bytes: Uint8Array) => {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await file.handle.write(bytes, done, bytes.length - done, position + done);
      if (bytesWritten === 0) throw new Error(`could not write ${file.tempPath}`);
      done += bytesWritten;
    }
    position += bytes.length;
  };

  const scanner = new Mp3FrameScanner();
  let inputFrames = 0;
  try {
    const head = new Uint8Array(audioStart);
    head.set(id3, 0); // the tag frame stays zero until finish()
    await append(head);
  } catch (error) {
    encoder.dispose();
    await file.abort();
    throw error;
  }

  const lifecycle = new WriterLifecycle(`MP3 writer for ${path}`, () => { encoder.dispose(); return file.abort(); });
  const run = (task: () => Promise<void>, finishes = false) => lifecycle.run(task, finishes);

  return {
    async write(input: Float32Array[], frames: number) {
      if (input.length !== channelCount) throw new Error(`MP3 writer expects ${channelCount} channels, got ${input.length}`);
      if (!Number.isInteger(frames) || frames < 0 || input.some((c) => c.length < frames)) {
        throw new Error(`MP3 writer: bad frame count ${frames} for blocks of ${input.map((c) => c.length).join('/')}`);
      }
      return run(async () => {
        for (let offset = 0; offset < frames; offset += ENCODE_BLOCK) {
          const n = Math.min(ENCODE_BLOCK, frames - offset);
          const block = input.map((c) => c.subarray(offset, offset + n));
          const bytes = scanner.push(await encoder.encode(block));
          inputFrames += n;
          if (bytes.length > 0) {
            options.onAudio?.(bytes);
            await append(bytes);
          }
        }
      });
    },

    finish() {
      return run(async () => {
        if (inputFrames === 0) {
          // LAME emits no frame at all for no input, and decoders refuse a file that is only a tag:
          // encode one silent sample, which the tag's padding then hides.
          const bytes = scanner.push(await encoder.encode(Array.from({ length: channelCount }, () => new Float32Array(1))));
          options.onAudio?.(bytes);
          await append(bytes);
        }
        const tail = scanner.push(await encoder.finalize());
        if (tail.length > 0) {
          options.onAudio?.(tail);
          await append(tail);
        }
        scanner.end();
        const padding = scanner.frameCount * SAMPLES_PER_FRAME - LAME_ENCODER_DELAY - inputFrames;
        if (scanner.frameCount > 0 && (padding < 0 || padding > 4095)) {
          throw new Error(`LAME wrote ${scanner.frameCount} frames for ${inputFrames} samples: padding ${padding} does not fit the LAME tag`);
        }
        const streamBytes = tagLayout.frameBytes + scanner.audioBytes;
        const toc = buildXingToc(scanner.frameStarts, scanner.audioBytes);
        const quality = cbr ? 57 : Math.max(0, Math.round(100 - 10 * mode.vbrQuality));
        const tag = buildLameTagFrame({
          firstFrameHeader: scanner.firstHeader ?? makeMpegHeader(sampleRate, channels, tagLayout.bitrateKbps),
          tagBitrateKbps: tagLayout.bitrateKbps,
          vbr: !cbr,
          frameCount: scanner.frameCount,
          streamBytes,
          toc,
          quality,
          encoderDelay: LAME_ENCODER_DELAY,
          padding: Math.max(0, padding),
          musicCrc: scanner.musicCrc,
          encoderVersion: encoder.version,
          vbrMethod: cbr ? 1 : 4,
          // What LAME 3.100's own tag says for these settings (informational only).
          lowpassHz: cbr ? Math.min(20500, sampleRate / 2) : sampleRate / 2,
          encodingFlags: 3,
          athType: cbr ? 4 : 5,
          bitrateKbps: cbr ? mode.cbrKbps : 32,
          presetId: cbr ? mode.cbrKbps : Number.isInteger(mode.vbrQuality) ? 500 - 10 * mode.vbrQuality : 0,
        });
        if (tag.length !== tagLayout.frameBytes) throw new Error('LAME tag frame size changed while encoding');
        const { bytesWritten } = await file.handle.write(tag, 0, tag.length, id3.length);
        if (bytesWritten !== tag.length) throw new Error(`short write of the LAME tag to ${file.tempPath}`);
        await file.commit();
      }, true);
    },

    abort: () => lifecycle.abort(),
  };
}

function isLayer3Bitrate(sampleRate: number, channels: number, kbps: number): boolean {
  try {
    makeMpegHeader(sampleRate, channels === 1 ? 1 : 2, kbps);
    return true;
  } catch {
    return false;
  }
}
