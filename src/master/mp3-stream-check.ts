// The MP3 check, decoded while LAME encodes: the writer hands over each run of finished MPEG frames as
// it appends them to the file; they are decoded with mpg123 and metered as a player hears the file
// (encoder and decoder delay skipped, padding cut), so the check ends a moment after the encoder
// instead of a whole decode later. Then the file itself is read back: its LAME tag must state exactly
// the length that was measured and its audio frames must hash to the bytes that were decoded, so the
// measurement is the file's, after the fact.
// Mp3StreamCheck hands the frames to a task on a thread of its own (verify-worker.ts,
// mp3-stream-decoder.ts): the thread that feeds LAME must stay idle enough to refill LAME's 64 KiB input
// pipe at once, or LAME stalls. In a master, main starts the check task and hands its port to the
// encoder task, so the frames go from thread to thread.
import type { MessagePort } from 'node:worker_threads';
import type { Measurements } from '../engine/analysis/analyze.js';
import { startTask, TaskThread } from '../worker-pool.js';

export interface Mp3StreamCheckData {
  mode: 'mp3-stream';
  sampleRate: number;
  channelCount: number;
  /** Which mpg123 decodes: the system's when installed ('auto', the default), or the one named. */
  decoder?: 'auto' | 'system' | 'wasm';
}

/** Starts the check task (verify-worker.ts) on a pooled thread; its port may be handed to the thread that encodes. */
export function startMp3StreamCheck(sampleRate: number, channelCount: number, decoder: Mp3StreamCheckData['decoder'] = 'auto'): TaskThread {
  return startTask('verify', { mode: 'mp3-stream', sampleRate, channelCount, decoder } satisfies Mp3StreamCheckData);
}

type CheckReply = { kind: 'result'; measured: Measurements } | { kind: 'error'; message: string };

/** The feeding side: frames go to the check task, which decodes and meters them. */
export class Mp3StreamCheck {
  private readonly result: Promise<Measurements>;
  private failure: Error | null = null;

  /** A check on a task of its own, started here. */
  static start(sampleRate: number, channelCount: number, decoder: Mp3StreamCheckData['decoder'] = 'auto'): Mp3StreamCheck {
    return new Mp3StreamCheck(startMp3StreamCheck(sampleRate, channelCount, decoder));
  }

  /** `channel`: the check task itself, or its port handed over from the thread that started it. */
  constructor(private readonly channel: TaskThread | MessagePort) {
    this.result = new Promise<Measurements>((resolve, reject) => {
      const fail = (error: Error) => { this.failure ??= error; reject(error); };
      const stopped = () => fail(new Error('the MP3 check stopped'));
      const onMessage = (message: CheckReply) => {
        if (message.kind === 'result') resolve(message.measured);
        else fail(new Error(message.message));
      };
      if (channel instanceof TaskThread) {
        channel.on('message', onMessage).on('error', fail).on('exit', stopped);
      } else {
        channel.on('message', onMessage);
        channel.on('close', stopped);
      }
    });
    this.result.catch(() => undefined); // surfaced by finish()
  }

  /** Frames as the writer appends them to the file, in file order (copied). */
  push(frames: Uint8Array): void {
    if (this.failure) throw this.failure;
    if (frames.length === 0) return;
    const copy = frames.slice();
    this.channel.postMessage({ kind: 'bytes', data: copy }, [copy.buffer]);
  }

  /** After the writer finished `path` with `frames` samples per channel: the measurements of the file. */
  async finish(path: string, frames: number): Promise<Measurements> {
    try {
      this.channel.postMessage({ kind: 'finish', path, frames });
      return await this.result;
    } finally {
      await this.terminate();
    }
  }

  async terminate(): Promise<void> {
    if (this.channel instanceof TaskThread) await this.channel.terminate();
    else this.channel.close();
  }
}
