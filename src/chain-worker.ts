// Task (on a pooled worker thread, worker-pool.ts) running a serial chain of processors named by plan
// stages (dsp/registry.ts), so a render can use both cores: the main thread runs one part of a chain
// while this runs the next part on the blocks before (a pipeline). Blocks arrive copied, are processed
// in place, latency is trimmed and flushed exactly as on the main thread (StreamingChain), so the
// output is bit-identical.
// main → { kind: 'block', data, frames } | { kind: 'finish', extraFrames } (ring-out past the end)
//      | { kind: 'spare', data } (an output buffer main is done with, for the next output)
// task → { kind: 'ready', latency } first, then { kind: 'out', data, frames } (frames may differ from
//        the input's while latency fills) and { kind: 'ack', data } (each input buffer, once processed)
//      | { kind: 'done' } | { kind: 'error', message }.
// Buffers go back and forth instead of a fresh 512 KB one per block each way: the C heap keeps freed
// large buffers (fragmented), and a master's memory grew with the song's length.
import type { MessagePort } from 'node:worker_threads';
import { createProcessor, type ProcessorType } from './engine/dsp/registry.js';
import { StreamingChain } from './engine/master/stream-chain.js';
import { ackMessage, packRecycled, planarViews } from './block-poster.js';

export interface ChainWorkerData {
  sampleRate: number;
  channelCount: number;
  stages: { processor: ProcessorType; params: unknown }[];
}

/** Resolves after 'done' or an error: nothing runs on after it. */
export function runTask(port: MessagePort, { sampleRate, channelCount, stages }: ChainWorkerData): Promise<void> {
  return new Promise((resolve) => {
    const fail = (error: unknown) => {
      port.postMessage({ kind: 'error', message: (error as Error).message });
      resolve();
    };
    let chain: StreamingChain;
    try {
      chain = new StreamingChain(stages.map((s) => createProcessor(s.processor, sampleRate, channelCount, s.params as never)), channelCount);
    } catch (error) {
      fail(error);
      return;
    }
    const spares: Float32Array[] = [];
    const send = (channels: Float32Array[], frames: number) => {
      const data = packRecycled(spares, channels, frames);
      port.postMessage({ kind: 'out', data, frames }, [data.buffer as ArrayBuffer]);
    };
    port.postMessage({ kind: 'ready', latency: chain.latency });
    let over = false;
    port.on('message', (message: { kind: 'block'; data: Float32Array; frames: number } | { kind: 'spare'; data: Float32Array } | { kind: 'finish'; extraFrames?: number }) => {
      if (over) return;
      try {
        if (message.kind === 'spare') {
          spares.push(message.data);
        } else if (message.kind === 'block') {
          const { data, frames } = message;
          chain.push(planarViews(data, channelCount, frames), frames, send);
          port.postMessage(...ackMessage(data)); // the chain copied what it keeps: the buffer can go back
        } else {
          chain.finish(send, message.extraFrames ?? 0);
          over = true;
          port.postMessage({ kind: 'done' });
          resolve();
        }
      } catch (error) {
        over = true;
        fail(error);
      }
    });
  });
}
