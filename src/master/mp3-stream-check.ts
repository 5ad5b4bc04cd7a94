// The MP3 check, decoded while LAME encodes: the writer hands over each run of finished MPEG frames as
// it appends them to the file; they are decoded with mpg123 and metered as a player hears the file
// (encoder and decoder delay skipped, padding cut), so the check ends a moment after the encoder
// instead of a whole decode later. Then the file itself is read back: its LAME tag must state exactly
// the length that was measured and its audio frames must hash to the bytes that were decoded, so the
// measurement is the file's, after the fact.
// Mp3StreamCheck hands the frames to its own worker thread (verify-worker.ts, mp3-stream-decoder.ts):
// the thread that feeds LAME must stay idle enough to refill LAME's 64 KiB input pipe at once, or LAME
// stalls.
import type { Measurements } from '../engine/analysis/analyze.js';
import { startWorker } from '../worker-start.js';

export interface Mp3StreamCheckData {
  mode: 'mp3-stream';
  sampleRate: number;
  channelCount: number;
  /** Which mpg123 decodes: the system's when installed ('auto', the default), or the one named. */
  decoder?: 'auto' | 'system' | 'wasm';
}

/** The feeding side: frames go to a verify worker that decodes and meters them. */
export class Mp3StreamCheck {
  private readonly worker;
  private readonly result: Promise<Measurements>;
  private failure: Error | null = null;

  /** `decoder`: which mpg123 decodes, the system's when installed ('auto') or the one named. */
  constructor(sampleRate: number, channelCount: number, decoder: Mp3StreamCheckData['decoder'] = 'auto') {
    this.worker = startWorker('verify-worker', { mode: 'mp3-stream', sampleRate, channelCount, decoder } satisfies Mp3StreamCheckData);
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
