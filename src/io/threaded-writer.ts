// An AudioWriter whose encoder runs on a worker thread (src/encoder-worker.ts): write() copies the block
// into a recycled buffer and posts it; at most a few blocks are in flight, so memory stays bounded and
// the main thread only waits when the encoder falls behind.
import type { EncoderWorkerData } from '../encoder-worker.js';
import { startWorker } from '../worker-start.js';
import type { AudioWriter } from './api.js';

/** Blocks queued for the encoder (64k frames each: at most ~12 MB): the main thread runs ahead instead of waiting. */
const MAX_IN_FLIGHT = 24;

export function createThreadedWriter(data: EncoderWorkerData): AudioWriter {
  const worker = startWorker('encoder-worker', data);
  const spare: Float32Array[] = [];
  let inFlight = 0;
  let failure: Error | null = null;
  let waiters: (() => void)[] = [];
  let settle: { resolve: () => void; reject: (e: Error) => void } | null = null;
  const wake = () => { for (const w of waiters.splice(0)) w(); };
  worker.on('message', (message: { kind: 'ack'; data: Float32Array } | { kind: 'done' } | { kind: 'error'; message: string }) => {
    if (message.kind === 'ack') {
      inFlight--;
      spare.push(message.data);
      waiters.shift()?.();
    } else if (message.kind === 'done') {
      settle?.resolve();
    } else {
      failure = new Error(message.message);
      settle?.reject(failure);
      wake();
    }
  });
  worker.on('error', (error) => { failure = error; settle?.reject(error); wake(); });
  // A worker that dies without saying so must not leave finish()/abort() waiting for ever.
  let exited = false;
  worker.on('exit', (code) => {
    exited = true;
    failure ??= new Error(`the encoder thread stopped (exit ${code})`);
    settle?.reject(failure);
    wake();
  });
  const end = async (kind: 'finish' | 'abort') => {
    if (failure || exited) {
      await worker.terminate();
      if (kind === 'finish') throw failure;
      return;
    }
    const done = new Promise<void>((resolve, reject) => { settle = { resolve, reject }; });
    worker.postMessage({ kind });
    try {
      await done;
    } finally {
      waiters = [];
      await worker.terminate();
    }
  };
  return {
    async write(channels, frames) {
      while (inFlight >= MAX_IN_FLIGHT && !failure) await new Promise<void>((w) => waiters.push(w));
      if (failure) throw failure;
      const size = channels.length * frames;
      const recycled = spare.pop();
      const buffer = recycled && recycled.length >= size ? recycled.subarray(0, size) : new Float32Array(size);
      channels.forEach((channel, c) => buffer.set(channel.subarray(0, frames), c * frames));
      inFlight++;
      worker.postMessage({ kind: 'block', data: buffer, frames }, [buffer.buffer as ArrayBuffer]);
    },
    finish: () => end('finish'),
    abort: () => end('abort').catch(() => undefined),
  };
}
