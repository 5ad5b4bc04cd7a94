// An AudioWriter whose encoder runs on a pooled worker thread (src/encoder-worker.ts): write() posts the
// block (block-poster.ts: recycled buffers, bounded in flight), so the main thread only waits when the
// encoder falls behind. An MP3 asked to be checked gets a check task beside it (mp3-stream-check.ts),
// whose port goes to the encoder task: LAME's frames go from thread to thread.
import type { EncoderWorkerData } from '../encoder-worker.js';
import { startTask, type TaskThread } from '../worker-pool.js';
import { startMp3StreamCheck } from '../master/mp3-stream-check.js';
import { BlockPoster } from '../block-poster.js';
import type { AudioWriter } from './api.js';
import type { Measurements } from '../engine/analysis/analyze.js';

/** A threaded writer; `measured` resolves with what the worker measured of the finished file, if it did. */
export interface ThreadedWriter extends AudioWriter {
  measured: Promise<Measurements | null>;
}

/** Blocks queued for the encoder (64k frames each: at most ~12 MB): the main thread runs ahead instead of waiting. */
const MAX_IN_FLIGHT = 24;

/** `check`: an MP3 is decoded and measured as it is written (`measured` resolves with that). */
export function createThreadedWriter(request: EncoderWorkerData & { check?: boolean }): ThreadedWriter {
  const { check, ...data } = request;
  let checkTask: TaskThread | null = null;
  let worker: TaskThread;
  if (check && data.format === 'mp3') {
    checkTask = startMp3StreamCheck(data.options.sampleRate, data.options.channelCount);
    const checkPort = checkTask.transferPort();
    worker = startTask('encoder', { ...data, checkPort }, [checkPort]);
  } else {
    worker = startTask('encoder', data);
  }
  const stop = () => Promise.all([worker.terminate(), checkTask?.terminate()]);
  const poster = new BlockPoster(worker, MAX_IN_FLIGHT);
  let failure: Error | null = null;
  let settle: { resolve: () => void; reject: (e: Error) => void } | null = null;
  let resolveMeasured!: (measured: Measurements | null) => void;
  const measured = new Promise<Measurements | null>((resolve) => { resolveMeasured = resolve; });
  const stopPosting = () => { if (failure) poster.fail(failure); };
  /** The first failure is the one reported; waiting posts and finish()/abort() give up. */
  const failed = (error: Error) => { failure ??= error; settle?.reject(failure); stopPosting(); };
  worker.on('message', (message: { kind: 'ack'; data: Float32Array } | { kind: 'done'; measured?: Measurements | null } | { kind: 'error'; message: string }) => {
    if (message.kind === 'ack') {
      poster.acknowledge(message.data);
    } else if (message.kind === 'done') {
      resolveMeasured(message.measured ?? null);
      settle?.resolve();
    } else {
      failed(new Error(message.message));
    }
  });
  worker.on('error', failed);
  // A thread that dies without saying so must not leave finish()/abort() waiting for ever.
  let exited = false;
  worker.on('exit', (code) => { exited = true; failed(new Error(`the encoder thread stopped (exit ${code})`)); });
  checkTask?.on('error', failed).on('exit', (code) => failed(new Error(`the MP3 check thread stopped (exit ${code})`)));
  const end = async (kind: 'finish' | 'abort') => {
    if (failure || exited) {
      await stop();
      if (kind === 'finish') throw failure;
      return;
    }
    const done = new Promise<void>((resolve, reject) => { settle = { resolve, reject }; });
    worker.postMessage({ kind });
    try {
      await done;
    } finally {
      await stop();
    }
  };
  return {
    measured,
    async write(channels, frames) {
      if (failure) throw failure;
      await poster.post(channels, frames);
    },
    finish: () => end('finish'),
    abort: () => end('abort').catch(() => undefined),
  };
}
