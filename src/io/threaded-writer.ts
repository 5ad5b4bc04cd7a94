// An AudioWriter whose encoder runs on a worker thread (src/encoder-worker.ts): write() posts the block
// (block-poster.ts: recycled buffers, bounded in flight), so the main thread only waits when the
// encoder falls behind.
import type { EncoderWorkerData } from '../encoder-worker.js';
import { startWorker } from '../worker-start.js';
import { BlockPoster } from '../block-poster.js';
import type { AudioWriter } from './api.js';
import type { Measurements } from '../engine/analysis/analyze.js';

/** A threaded writer; `measured` resolves with what the worker measured of the finished file, if it did. */
export interface ThreadedWriter extends AudioWriter {
  measured: Promise<Measurements | null>;
}

/** Blocks queued for the encoder (64k frames each: at most ~12 MB): the main thread runs ahead instead of waiting. */
const MAX_IN_FLIGHT = 24;

export function createThreadedWriter(data: EncoderWorkerData): ThreadedWriter {
  const worker = startWorker('encoder-worker', data);
  const poster = new BlockPoster(worker, MAX_IN_FLIGHT);
  let failure: Error | null = null;
  let settle: { resolve: () => void; reject: (e: Error) => void } | null = null;
  let resolveMeasured!: (measured: Measurements | null) => void;
  const measured = new Promise<Measurements | null>((resolve) => { resolveMeasured = resolve; });
  const stopPosting = () => { if (failure) poster.fail(failure); };
  worker.on('message', (message: { kind: 'ack'; data: Float32Array } | { kind: 'done'; measured?: Measurements | null } | { kind: 'error'; message: string }) => {
    if (message.kind === 'ack') {
      poster.acknowledge(message.data);
    } else if (message.kind === 'done') {
      resolveMeasured(message.measured ?? null);
      settle?.resolve();
    } else {
      failure = new Error(message.message);
      settle?.reject(failure);
      stopPosting();
    }
  });
  worker.on('error', (error) => { failure = error; settle?.reject(error); stopPosting(); });
  // A worker that dies without saying so must not leave finish()/abort() waiting for ever.
  let exited = false;
  worker.on('exit', (code) => {
    exited = true;
    failure ??= new Error(`the encoder thread stopped (exit ${code})`);
    settle?.reject(failure);
    stopPosting();
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
      await worker.terminate();
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
