// The MP3 check, decoded while LAME encodes: the writer hands over each run of finished MPEG frames as
// it appends them to the file, a worker (verify-worker.ts) decodes them with mpg123 and meters them as
// a player would hear the file (encoder and decoder delay skipped, padding cut), so the check ends a
// moment after the encoder instead of a whole decode later. Then the file itself is read back: its
// LAME tag must state exactly the length that was measured and its audio frames must hash to the bytes
// that were decoded, so the measurement is the file's, after the fact.
import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { Measurements } from '../engine/analysis/analyze.js';
import { id3v2Size, readAt } from '../io/bytes.js';
import { openMp3, parseFrameHeader } from '../io/mp3-read.js';
import { startWorker } from '../worker-start.js';

export interface Mp3StreamCheckData {
  mode: 'mp3-stream';
  sampleRate: number;
  channelCount: number;
}

const HASH = 'sha256';

export class Mp3StreamCheck {
  private readonly worker;
  private readonly hash: Hash = createHash(HASH);
  private readonly result: Promise<Measurements>;
  private failure: Error | null = null;

  constructor(sampleRate: number, channelCount: number) {
    this.worker = startWorker('verify-worker', { mode: 'mp3-stream', sampleRate, channelCount } satisfies Mp3StreamCheckData);
    this.result = new Promise<Measurements>((resolve, reject) => {
      const fail = (error: Error) => { this.failure ??= error; reject(error); };
      this.worker.on('message', (message: { kind: 'result'; measured: Measurements } | { kind: 'error'; message: string }) => {
        if (message.kind === 'result') resolve(message.measured);
        else fail(new Error(`checking the MP3 stream: ${message.message}`));
      });
      this.worker.on('error', fail);
      this.worker.on('exit', (code) => fail(new Error(`checking the MP3 stream: the worker stopped (exit ${code})`)));
    });
    this.result.catch(() => undefined); // surfaced by finish()
  }

  /** Frames as the writer appends them to the file (copied: the caller keeps its buffer). */
  push(frames: Uint8Array): void {
    if (this.failure || frames.length === 0) return;
    this.hash.update(frames);
    const copy = frames.slice();
    this.worker.postMessage({ kind: 'bytes', data: copy }, [copy.buffer]);
  }

  /**
   * After the writer finished `path` with `frames` samples per channel: the stream's measurements,
   * once the file is confirmed to hold exactly those frames and that length.
   */
  async finish(path: string, frames: number): Promise<Measurements> {
    try {
      this.worker.postMessage({ kind: 'finish', frames });
      const measured = await this.result;
      await confirmFile(path, frames, this.hash.digest('hex'));
      return measured;
    } finally {
      await this.worker.terminate();
    }
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
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
