// The MP3 check, decoded while LAME encodes: the writer hands over each run of finished MPEG frames as
// it appends them to the file; they are decoded with mpg123 and metered as a player hears the file
// (encoder and decoder delay skipped, padding cut), so the check ends a moment after the encoder
// instead of a whole decode later. Then the file itself is read back: its LAME tag must state exactly
// the length that was measured and its audio frames must hash to the bytes that were decoded, so the
// measurement is the file's, after the fact.
// Mp3StreamCheck decodes on its own worker thread (verify-worker.ts): the thread that feeds LAME must
// stay idle enough to refill LAME's 64 KiB input pipe at once, or LAME stalls.
import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { MPEGDecoder } from 'mpg123-decoder';
import { Analyzer, type Measurements } from '../engine/analysis/analyze.js';
import { defaultChannelLayout } from '../engine/audio.js';
import { id3v2Size, readAt } from '../io/bytes.js';
import { MP3_DECODER_DELAY, openMp3, parseFrameHeader } from '../io/mp3-read.js';
import { LAME_ENCODER_DELAY } from '../io/mp3-write.js';
import { quietly } from '../io/quietly.js';
import { startWorker } from '../worker-start.js';

const HASH = 'sha256';
/** Decoded samples held back until the length is known (LAME's padding is under 2 frames). */
const HOLD_FRAMES = 4096;

export interface Mp3StreamCheckData {
  mode: 'mp3-stream';
  sampleRate: number;
  channelCount: number;
}

/** The feeding side: frames go to a verify worker that decodes and meters them. */
export class Mp3StreamCheck {
  private readonly worker;
  private readonly result: Promise<Measurements>;
  private failure: Error | null = null;

  constructor(sampleRate: number, channelCount: number) {
    this.worker = startWorker('verify-worker', { mode: 'mp3-stream', sampleRate, channelCount } satisfies Mp3StreamCheckData);
    this.result = new Promise<Measurements>((resolve, reject) => {
      const fail = (error: Error) => { this.failure ??= error; reject(error); };
      this.worker.on('message', (message: { kind: 'result'; measured: Measurements } | { kind: 'error'; message: string }) => {
        if (message.kind === 'result') resolve(message.measured);
        else fail(new Error(message.message));
      });
      this.worker.on('error', fail);
      this.worker.on('exit', (code) => fail(new Error(`the MP3 check stopped (exit ${code})`)));
    });
    this.result.catch(() => undefined); // surfaced by finish()
  }

  /** Frames as the writer appends them to the file, in file order (copied). */
  push(frames: Uint8Array): void {
    if (this.failure) throw this.failure;
    if (frames.length === 0) return;
    const copy = frames.slice();
    this.worker.postMessage({ kind: 'bytes', data: copy }, [copy.buffer]);
  }

  /** After the writer finished `path` with `frames` samples per channel: the measurements of the file. */
  async finish(path: string, frames: number): Promise<Measurements> {
    try {
      this.worker.postMessage({ kind: 'finish', path, frames });
      return await this.result;
    } finally {
      await this.worker.terminate();
    }
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}

/** The decoding side (on the verify worker). */
export class Mp3StreamDecoder {
  private readonly decoder = new MPEGDecoder({ enableGapless: false });
  private readonly hash: Hash = createHash(HASH);
  /** The same analysis as the file check (analyzeFile without spectrum), so both read alike. */
  private readonly analyzer: Analyzer;
  private toSkip = LAME_ENCODER_DELAY + MP3_DECODER_DELAY;
  private held: Float32Array[];
  private pushed = 0;

  private constructor(private readonly channelCount: number, sampleRate: number) {
    this.analyzer = new Analyzer({ sampleRate, channelLayout: defaultChannelLayout(channelCount), spectrum: false, expectedFrames: null });
    this.held = Array.from({ length: channelCount }, () => new Float32Array(0));
  }

  static async create(sampleRate: number, channelCount: number): Promise<Mp3StreamDecoder> {
    const check = new Mp3StreamDecoder(channelCount, sampleRate);
    await check.decoder.ready;
    return check;
  }

  /** Frames as the writer appends them to the file, in file order. */
  push(frames: Uint8Array): void {
    if (frames.length === 0) return;
    this.hash.update(frames);
    const result = quietly(() => this.decoder.decode(frames));
    if (result.errors.length > 0) throw new Error(`the MP3 check cannot decode LAME's frames (mpg123: ${result.errors[0].message})`);
    // mpg123 always outputs two channels; for mono both carry the same samples.
    const channels = this.channelCount === 1 ? [result.channelData[0]] : result.channelData;
    const start = Math.min(this.toSkip, result.samplesDecoded);
    this.toSkip -= start;
    if (result.samplesDecoded > start) this.take(channels, start, result.samplesDecoded);
  }

  /**
   * After the writer finished `path` with `frames` samples per channel: the stream's measurements,
   * once the file is confirmed to hold exactly those frames and that length.
   */
  async finish(path: string, frames: number): Promise<Measurements> {
    try {
      const rest = frames - this.pushed;
      if (rest < 0 || rest > this.held[0].length) {
        throw new Error(`${path}: ${this.pushed + this.held[0].length} samples decoded, ${frames} encoded`);
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
    this.decoder.free();
  }

  /** Everything but the last HOLD_FRAMES goes to the meters now. */
  private take(channels: Float32Array[], start: number, end: number): void {
    const all = this.held[0].length + end - start;
    const joined = channels.map((c, i) => {
      const out = new Float32Array(all);
      out.set(this.held[i]);
      out.set(c.subarray(start, end), this.held[i].length);
      return out;
    });
    const ready = Math.max(0, all - HOLD_FRAMES);
    if (ready > 0) this.analyzer.push(joined.map((c) => c.subarray(0, ready)), ready);
    this.pushed += ready;
    this.held = joined.map((c) => c.subarray(ready));
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
