// A part of a chain run on a worker thread (src/chain-worker.ts) as a pipeline stage: blocks from
// `source` are posted as they come (a bounded number in flight), and the worker's output blocks are
// yielded in order. With one part of a chain on the main thread and the next part here, a render uses
// both cores; the output is the same as running the whole chain in one place.
import type { ChainWorkerData } from '../chain-worker.js';
import { startTask } from '../worker-pool.js';
import { packRecycled, planarViews } from '../block-poster.js';
import type { BlockSource } from './passes.js';

/** Frames posted but not yet returned before the source waits (about four 64k-frame blocks). */
const MAX_IN_FLIGHT_FRAMES = 4 * 65536;

export interface WorkerStage {
  /** The chain's latency in samples, as the worker built it (so the main thread need not build it too). */
  latency: Promise<number>;
  /**
   * The source through the chain; drain it once (the worker ends with it). `extraFrames`: ring-out
   * flushed past the input's end, for a next stage that looks ahead by that much.
   */
  run(source: BlockSource, extraFrames?: Promise<number> | number): BlockSource;
  /** Stops the worker (needed only when run() was never drained). */
  close(): Promise<void>;
}

/** Starts the worker at once (its processors build while the caller does other work). */
export function workerStage(data: ChainWorkerData): WorkerStage {
  const worker = startTask('chain', data);
  const ready: { data: Float32Array; frames: number }[] = [];
  /** Input buffers the worker handed back (acks), for the next blocks posted. */
  const spareInputs: Float32Array[] = [];
  let done = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => { const w = wake; wake = null; w?.(); };
  let resolveLatency!: (latency: number) => void, rejectLatency!: (error: Error) => void;
  const latency = new Promise<number>((resolve, reject) => { resolveLatency = resolve; rejectLatency = reject; });
  latency.catch(() => undefined); // surfaced by run()
  worker.on('message', (message: { kind: 'ready'; latency: number } | { kind: 'out'; data: Float32Array; frames: number } | { kind: 'ack'; data: Float32Array } | { kind: 'done' } | { kind: 'error'; message: string }) => {
    if (message.kind === 'ack') { spareInputs.push(message.data); return; }
    if (message.kind === 'ready') resolveLatency(message.latency);
    else if (message.kind === 'out') ready.push(message);
    else if (message.kind === 'done') done = true;
    else { failure = new Error(message.message); rejectLatency(failure); }
    notify();
  });
  worker.on('error', (error) => { failure = error; rejectLatency(error); notify(); });
  worker.on('exit', (code) => { if (!done) { failure ??= new Error(`the chain thread stopped (exit ${code})`); rejectLatency(failure); } notify(); });
  const run = (source: BlockSource, extraFrames: Promise<number> | number = 0): BlockSource => async function* () {
    const waitForMessage = () => new Promise<void>((resolve) => { wake = resolve; });
    const { channelCount } = data;
    let postedFrames = 0, returnedFrames = 0;
    const views = (block: { data: Float32Array; frames: number }) => planarViews(block.data, channelCount, block.frames);
    const next = async (): Promise<{ data: Float32Array; frames: number } | null> => {
      for (;;) {
        if (failure) throw failure;
        if (ready.length) return ready.shift()!;
        if (done) return null;
        await waitForMessage();
      }
    };
    try {
      // A yielded block is the caller's until it asks for the next: then its buffer goes back to the worker.
      const handBack = (out: { data: Float32Array }) => {
        if (!done && !failure) worker.postMessage({ kind: 'spare', data: out.data }, [out.data.buffer as ArrayBuffer]);
      };
      for await (const block of source()) {
        const frames = block[0].length;
        const copy = packRecycled(spareInputs, block, frames);
        worker.postMessage({ kind: 'block', data: copy, frames }, [copy.buffer as ArrayBuffer]);
        postedFrames += frames;
        // Hand back what is finished; wait only when too much is in flight.
        while (ready.length || postedFrames - returnedFrames > MAX_IN_FLIGHT_FRAMES) {
          const out = await next();
          if (!out) break;
          returnedFrames += out.frames;
          yield views(out);
          handBack(out);
        }
      }
      worker.postMessage({ kind: 'finish', extraFrames: await extraFrames });
      for (let out = await next(); out; out = await next()) {
        yield views(out);
        handBack(out);
      }
    } finally {
      await worker.terminate();
    }
  };
  return { latency, run, close: async () => { await worker.terminate(); } };
}
