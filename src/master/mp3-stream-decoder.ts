// The decoding side of the streamed MP3 check (mp3-stream-check.ts), on the verify worker: MPEG frames
// in file order are decoded with mpg123 (the system's, as a child process, when installed: ~3x faster
// than the wasm build; mpg123-process.ts) and metered as a player hears the finished file (encoder and
// decoder delay skipped, padding cut); at the end the file is read back and must state that length in
// its LAME tag and hash to the frames that were decoded.
import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { MPEGDecoder } from 'mpg123-decoder';
import { Analyzer, type Measurements } from '../engine/analysis/analyze.js';
import { defaultChannelLayout } from '../engine/audio.js';
import { id3v2Size, readAt } from '../io/bytes.js';
import { MP3_DECODER_DELAY, openMp3, parseFrameHeader } from '../io/mp3-read.js';
import { LAME_ENCODER_DELAY } from '../io/mp3-xing.js';
import { quietly } from '../io/quietly.js';
import { findSystemMpg123, startMpg123, type Mpg123Process } from '../io/mpg123-process.js';

const HASH = 'sha256';
/** Decoded samples held back until the length is known (LAME's padding is under 2 frames). */
const HOLD_FRAMES = 4096;

export class Mp3StreamDecoder {
  /** The wasm decoder, or null while the system's mpg123 decodes (`native`). */
  private readonly decoder: MPEGDecoder | null;
  private readonly native: Mpg123Process | null;
  private readonly hash: Hash = createHash(HASH);
  /** The same analysis as the file check (analyzeFile without spectrum), so both read alike. */
  private readonly analyzer: Analyzer;
  private toSkip = LAME_ENCODER_DELAY + MP3_DECODER_DELAY;
  /** Per channel: the held-back samples at the start, room for the next decoded run after them. */
  private held: Float32Array[];
  private heldFrames = 0;
  private pushed = 0;

  private constructor(private readonly channelCount: number, sampleRate: number, mpg123: string | null) {
    this.analyzer = new Analyzer({ sampleRate, channelLayout: defaultChannelLayout(channelCount), spectrum: false, expectedFrames: null });
    this.held = Array.from({ length: channelCount }, () => new Float32Array(2 * HOLD_FRAMES));
    this.native = mpg123 ? startMpg123(mpg123, channelCount === 1 ? 1 : 2, (channels, frames) => this.decoded(channels, frames)) : null;
    this.decoder = this.native ? null : new MPEGDecoder({ enableGapless: false });
  }

  /** `decoder`: 'system' (the mpg123 command), 'wasm', or 'auto' (the system's when installed). */
  static async create(sampleRate: number, channelCount: number, decoder: 'auto' | 'system' | 'wasm' = 'auto'): Promise<Mp3StreamDecoder> {
    const mpg123 = decoder === 'wasm' ? null : findSystemMpg123();
    if (decoder === 'system' && !mpg123) throw new Error('the system has no mpg123 command');
    const check = new Mp3StreamDecoder(channelCount, sampleRate, mpg123);
    await check.decoder?.ready;
    return check;
  }

  /** Frames as the writer appends them to the file, in file order. */
  push(frames: Uint8Array): void {
    if (frames.length === 0) return;
    this.hash.update(frames);
    if (this.native) {
      this.native.write(frames);
      return;
    }
    const result = quietly(() => this.decoder!.decode(frames));
    if (result.errors.length > 0) throw new Error(`the MP3 check cannot decode LAME's frames (mpg123: ${result.errors[0].message})`);
    // mpg123 always outputs two channels; for mono both carry the same samples.
    this.decoded(this.channelCount === 1 ? [result.channelData[0]] : result.channelData, result.samplesDecoded);
  }

  /** Decoded samples in stream order: the decoder delay is skipped, the rest metered (all but the held-back end). */
  private decoded(channels: Float32Array[], frames: number): void {
    const start = Math.min(this.toSkip, frames);
    this.toSkip -= start;
    if (frames > start) this.take(channels, start, frames);
  }

  /**
   * After the writer finished `path` with `frames` samples per channel: the stream's measurements,
   * once the file is confirmed to hold exactly those frames and that length.
   */
  async finish(path: string, frames: number): Promise<Measurements> {
    try {
      await this.native?.end();
      const rest = frames - this.pushed;
      if (rest < 0 || rest > this.heldFrames) {
        throw new Error(`${path}: ${this.pushed + this.heldFrames} samples decoded, ${frames} encoded`);
      }
      if (rest > 0) this.analyzer.push(this.held.map((c) => c.subarray(0, rest)), rest);
      const measured = this.analyzer.finish();
      await confirmFile(path, frames, this.hash.digest('hex'));
      return measured;
    } finally {
      this.free();
    }
  }

  free(): void {
    this.decoder?.free();
    this.native?.kill();
  }

  /** Everything but the last HOLD_FRAMES goes to the meters now (appended in place: no allocation per run). */
  private take(channels: Float32Array[], start: number, end: number): void {
    const all = this.heldFrames + end - start;
    if (this.held[0].length < all) {
      this.held = this.held.map((c) => {
        const bigger = new Float32Array(2 * all);
        bigger.set(c.subarray(0, this.heldFrames));
        return bigger;
      });
    }
    this.held.forEach((buffer, i) => buffer.set(channels[i].subarray(start, end), this.heldFrames));
    const ready = Math.max(0, all - HOLD_FRAMES);
    if (ready > 0) {
      this.analyzer.push(this.held.map((c) => c.subarray(0, ready)), ready);
      for (const buffer of this.held) buffer.copyWithin(0, ready, all);
    }
    this.pushed += ready;
    this.heldFrames = all - ready;
  }
}

/** The file's LAME tag states `frames` samples, and its audio frames (after the tag frame) hash to `digest`. */
async function confirmFile(path: string, frames: number, digest: string): Promise<void> {
  const reader = await openMp3(path);
  await reader.close();
  if (reader.info.frames !== frames) {
    throw new Error(`${path}: its LAME tag states ${reader.info.frames} samples, ${frames} were encoded and checked`);
  }
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const tag = id3v2Size(await readAt(handle, 0, 10));
    const header = parseFrameHeader(await readAt(handle, tag, 4), 0);
    if (!header) throw new Error(`${path}: no MPEG frame after the ID3 tag`);
    const hash = createHash(HASH);
    const chunk = new Uint8Array(1 << 20);
    for (let position = tag + header.frameBytes; position < size;) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, size - position), position);
      if (bytesRead === 0) break;
      hash.update(chunk.subarray(0, bytesRead));
      position += bytesRead;
    }
    if (hash.digest('hex') !== digest) throw new Error(`${path}: its audio frames differ from the ones that were decoded and checked`);
  } finally {
    await handle.close();
  }
}
