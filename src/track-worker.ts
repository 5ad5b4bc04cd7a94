// Worker thread running the insert chains of some of a mix graph's tracks (src/mix/parallel-render.ts),
// while the main thread sums faders, pans, sends, buses and the master. The chains are built from
// their specs (registry type + params) by the same code as the single-thread renderer (resolveInserts,
// InsertChain), and each chunk is cut into process() calls at the same render positions the
// single-thread renderer uses, with the same automation clock, so the output is bit-identical.
// main → { kind: 'chunk', position, frames, data }: for each rendered track in order, its channels'
//        source samples for render positions [position, position + frames), zero past the source's end
//        (planar, `frames` apart); processed in place and handed back. A track whose source lives in
//        SharedArrayBuffers is read here instead (main posts the buffer without copying into it).
// worker → { kind: 'ready', latencies } first (every track's chain latency, samples), then
//          { kind: 'chunk', position, frames, data } per chunk, in order | { kind: 'error', message }.
import { parentPort, workerData } from 'node:worker_threads';
import type { ProcessorSpec } from './engine/mix/api.js';
import { InsertChain, resolveInserts } from './engine/mix/inserts.js';

export interface TrackWorkerData {
  sampleRate: number;
  /** The graph's block size: chunks start on its block grid and are cut into blocks of this size from there. */
  blockFrames: number;
  /** `source`: the track's channels when they are in SharedArrayBuffers (read here), else absent (sent in chunks). */
  tracks: { id: string; channelCount: number; processors: ProcessorSpec[]; source?: Float32Array[] }[];
}

export type TrackWorkerRequest = { kind: 'chunk'; position: number; frames: number; data: Float32Array };
export type TrackWorkerReply =
  | { kind: 'ready'; latencies: number[] }
  | { kind: 'chunk'; position: number; frames: number; data: Float32Array }
  | { kind: 'error'; message: string };

const { sampleRate, blockFrames, tracks } = workerData as TrackWorkerData;
const port = parentPort!;
const reply = (message: TrackWorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
try {
  // A track's input latency is always 0 (nothing feeds a track), as in the renderer's latency plan.
  const chains = tracks.map((t) => new InsertChain(resolveInserts(t.processors, sampleRate, t.channelCount, t.id), t.channelCount, sampleRate, 0, t.id));
  const views = tracks.map((t) => new Array<Float32Array>(t.channelCount));
  reply({ kind: 'ready', latencies: chains.map((c) => c.latency) });
  port.on('message', (message: TrackWorkerRequest) => {
    try {
      const { position, frames, data } = message;
      let base = 0;
      for (let t = 0; t < tracks.length; t++) {
        const chain = chains[t], view = views[t], { channelCount, source } = tracks[t];
        if (source) {
          for (let c = 0; c < channelCount; c++) {
            const from = source[c], at = base + c * frames;
            const available = Math.max(0, Math.min(frames, from.length - position));
            if (available > 0) data.set(from.subarray(position, position + available), at);
            if (available < frames) data.fill(0, at + available, at + frames);
          }
        }
        // The renderer's cut: blocks of blockFrames from a block-grid position (the chunk's start).
        for (let at = 0; at < frames; at += blockFrames) {
          const n = Math.min(blockFrames, frames - at);
          for (let c = 0; c < channelCount; c++) view[c] = data.subarray(base + c * frames + at, base + c * frames + at + n);
          chain.process(view, n, position + at);
        }
        base += channelCount * frames;
      }
      reply({ kind: 'chunk', position, frames, data }, [data.buffer as ArrayBuffer]);
    } catch (error) {
      reply({ kind: 'error', message: (error as Error).message });
    }
  });
} catch (error) {
  reply({ kind: 'error', message: (error as Error).message });
}
