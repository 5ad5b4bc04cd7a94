// Renders a mix graph with its tracks' insert chains (the heavy part: EQ, dynamics, colour…) on worker
// threads, one per core, while this thread does the summing: faders, pans, sends, buses, the master,
// automation and latency compensation, i.e. the MixRenderer itself, reading each remote track's chain
// output from a feed instead of running the chain. Streams in chunks with a bounded number in flight,
// so memory does not grow with the song (beyond the sources the spec holds).
//
// Same bits as MixGraph.renderAll() / renderMix() on the same spec:
// - a remote track's processors are built from the same specs by the same code (resolveInserts), for the
//   same rate and channel count, and run by the same InsertChain (automation on the same clock);
// - each chunk starts on the renderer's block grid (blocks of blockFrames from 0 up to the graph's
//   latency, then from the latency on) and the worker cuts it into blocks from there, so every
//   process() call covers the same samples as in the single-thread render (processors are block-size
//   invariant anyway; this makes the equality independent of that);
// - the summing runs here, in the same renderer, in the same order.
// A track goes to a worker when all its inserts are ProcessorSpecs (instances cannot cross threads);
// other tracks, buses and the master run here. Muted tracks stay here too (built for their latency only).
// Sources are copied into each chunk's buffer here, except those in SharedArrayBuffers, which the
// workers read themselves (then this thread only sums).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Audio } from '../engine/audio.js';
import { isProcessorSpec, MIX_CHANNELS, type MixGraphSpec, type ProcessorSpec, type TrackSpec } from '../engine/mix/api.js';
import { MixRenderer, silentNodes, type TrackFeed } from '../engine/mix/renderer.js';
import type { TrackWorkerData, TrackWorkerReply } from '../track-worker.js';
import { startWorker } from '../worker-start.js';

export interface ParallelMixOptions {
  /** Seconds rendered past the longest source (reverb and delay tails), as renderAll(tailSeconds). */
  tailSeconds?: number;
  /** Worker threads (default: one per core). */
  workers?: number;
  /** Frames per chunk sent to the workers; rounded up to a multiple of the graph's blockFrames. Default 16384. */
  chunkFrames?: number;
  /** Chunks each worker may hold before this thread waits (default 3). */
  chunksInFlight?: number;
  /** The track-worker script to start (default: the package's own, dist/track-worker.js or the .ts under tsx). */
  workerEntry?: URL;
}

const DEFAULT_CHUNK_FRAMES = 16384;
const DEFAULT_CHUNKS_IN_FLIGHT = 3;

/** A track that can run on a worker: every insert named by type, at least one. */
const isRemotable = (track: TrackSpec): track is TrackSpec & { processors: ProcessorSpec[] } =>
  (track.processors?.length ?? 0) > 0 && track.processors!.every(isProcessorSpec);

/** Sources in SharedArrayBuffers are read by the workers themselves (no copy on this thread). */
const isShared = (source: Float32Array[]) => typeof SharedArrayBuffer !== 'undefined' && source.every((c) => c.buffer instanceof SharedArrayBuffer);

/** Rough cost of a track's chain, for spreading tracks over workers. */
const cost = (track: TrackSpec & { processors: ProcessorSpec[] }) => track.source.length * track.processors.length;

/** Tracks over `count` workers, heaviest first onto the least loaded (LPT scheduling). */
function distribute<T extends TrackSpec & { processors: ProcessorSpec[] }>(tracks: T[], count: number): T[][] {
  const groups: T[][] = Array.from({ length: count }, () => []);
  const loads = new Array<number>(count).fill(0);
  for (const track of [...tracks].sort((a, b) => cost(b) - cost(a))) {
    const w = loads.indexOf(Math.min(...loads));
    groups[w].push(track);
    loads[w] += cost(track);
  }
  return groups.filter((g) => g.length > 0).map((g) => tracks.filter((t) => g.includes(t))); // graph order inside a worker
}

/** A chunk of render positions [start, start + frames). */
interface Chunk {
  start: number;
  frames: number;
}

/** One worker: its tracks, chunk replies in order, and recycled buffers. */
class TrackWorker {
  readonly ready: Promise<number[]>;
  private readonly replies: { position: number; frames: number; data: Float32Array }[] = [];
  private readonly spare: Float32Array[] = [];
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private closed = false;
  private readonly worker: Worker;
  /** Channels of all its tracks together (samples per frame of a chunk buffer). */
  readonly width: number;

  constructor(
    readonly tracks: (TrackSpec & { processors: ProcessorSpec[] })[], data: Omit<TrackWorkerData, 'tracks'>, private readonly chunkFrames: number, entry?: URL,
  ) {
    this.width = tracks.reduce((sum, t) => sum + t.source.length, 0);
    const workerData: TrackWorkerData = {
      ...data, tracks: tracks.map((t) => ({ id: t.id, channelCount: t.source.length, processors: t.processors, ...(isShared(t.source) ? { source: t.source } : {}) })),
    };
    this.worker = entry ? new Worker(entry, { workerData }) : startWorker('track-worker', workerData);
    let resolveReady!: (latencies: number[]) => void, rejectReady!: (error: Error) => void;
    this.ready = new Promise<number[]>((resolve, reject) => { resolveReady = resolve; rejectReady = reject; });
    this.ready.catch(() => undefined); // surfaced by whoever awaits it
    const fail = (error: Error) => { this.failure ??= error; rejectReady(this.failure); this.notify(); };
    this.worker.on('message', (message: TrackWorkerReply) => {
      if (message.kind === 'ready') resolveReady(message.latencies);
      else if (message.kind === 'chunk') { this.replies.push(message); this.notify(); }
      else fail(new Error(`track worker (${tracks.map((t) => t.id).join(', ')}): ${message.message}`));
    });
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => { if (!this.closed) fail(new Error(`a track worker stopped (exit ${code})`)); });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Copies the tracks' source samples for the chunk (zero past a source's end; shared ones are left to the worker) and posts them. */
  post(chunk: Chunk): void {
    if (this.failure) throw this.failure;
    const { start, frames } = chunk;
    const data = this.spare.pop() ?? new Float32Array(this.width * this.chunkFrames);
    let base = 0;
    for (const track of this.tracks) {
      if (isShared(track.source)) { base += track.source.length * frames; continue; } // the worker reads it
      for (const channel of track.source) {
        const available = Math.max(0, Math.min(frames, channel.length - start));
        if (available > 0) data.set(channel.subarray(start, start + available), base);
        if (available < frames) data.fill(0, base + available, base + frames);
        base += frames;
      }
    }
    this.worker.postMessage({ kind: 'chunk', position: start, frames, data }, [data.buffer as ArrayBuffer]);
  }

  /** The next processed chunk (in posting order). */
  async next(): Promise<{ position: number; frames: number; data: Float32Array }> {
    for (;;) {
      if (this.failure) throw this.failure;
      const reply = this.replies.shift();
      if (reply) return reply;
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
  }

  /** A chunk buffer every feed is done with: reused by a later post(). */
  recycle(data: Float32Array): void {
    this.spare.push(data);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }
}

/** A remote track's chain output, chunk by chunk, read in place by the track's strip. */
class ChunkFeed implements TrackFeed {
  readonly channels: Float32Array[];
  private readonly queue: { start: number; frames: number; channels: Float32Array[] }[] = [];
  private scratch: Float32Array[] = [];

  constructor(readonly latency: number, private readonly channelCount: number) {
    this.channels = new Array<Float32Array>(channelCount);
  }

  /** Adds the chunk's output: the track's channels start at `base` of `data`, `frames` apart. */
  push(start: number, frames: number, data: Float32Array, base: number): void {
    const channels = Array.from({ length: this.channelCount }, (_, c) => data.subarray(base + c * frames, base + (c + 1) * frames));
    this.queue.push({ start, frames, channels });
  }

  /** Forgets chunks that end at or before `position`. */
  drop(position: number): void {
    while (this.queue.length && this.queue[0].start + this.queue[0].frames <= position) this.queue.shift();
  }

  read(position: number, frames: number): number {
    this.drop(position);
    const first = this.queue[0];
    if (!first || first.start > position) throw new Error(`mix feed: render position ${position} is not available`);
    const offset = position - first.start;
    if (offset + frames <= first.frames) {
      for (let c = 0; c < this.channelCount; c++) this.channels[c] = first.channels[c];
      return offset;
    }
    // A block across two chunks (not with the chunking below, which follows the block grid): copy it.
    if ((this.scratch[0]?.length ?? 0) < frames) this.scratch = Array.from({ length: this.channelCount }, () => new Float32Array(frames));
    let done = 0;
    for (const chunk of this.queue) {
      if (done === frames) break;
      const from = position + done - chunk.start;
      if (from < 0 || from >= chunk.frames) throw new Error(`mix feed: render position ${position + done} is not available`);
      const n = Math.min(frames - done, chunk.frames - from);
      for (let c = 0; c < this.channelCount; c++) this.scratch[c].set(chunk.channels[c].subarray(from, from + n), done);
      done += n;
    }
    if (done < frames) throw new Error(`mix feed: render positions up to ${position + frames} are not available`);
    for (let c = 0; c < this.channelCount; c++) this.channels[c] = this.scratch[c];
    return 0;
  }
}

/**
 * Chunks of render positions on the renderer's block grid: [0, latency) in pieces of `size` (a multiple
 * of blockFrames, so every piece starts on a block boundary), then [latency, end) in pieces of `size`.
 */
export function planChunks(latency: number, end: number, size: number): Chunk[] {
  const chunks: Chunk[] = [];
  for (let start = 0; start < latency; start += size) chunks.push({ start, frames: Math.min(size, latency - start) });
  for (let start = latency; start < end; start += size) chunks.push({ start, frames: Math.min(size, end - start) });
  return chunks;
}

/**
 * The mix as a stream of stereo output blocks (views valid until the next one), the same samples as
 * renderAll(tailSeconds) of the same spec in one thread. Breaking out of the loop stops the workers.
 */
export async function* streamMixParallel(spec: MixGraphSpec, options: ParallelMixOptions = {}): AsyncGenerator<Float32Array[], void, void> {
  const silent = silentNodes(spec);
  const remote = spec.tracks.filter((t) => !silent.has(t.id)).filter(isRemotable);
  const workerCount = Math.max(0, Math.min(options.workers ?? availableParallelism(), remote.length));
  const block = spec.blockFrames;
  if (!(Number.isInteger(block) && block >= 1)) throw new RangeError(`mix graph: blockFrames must be a whole number >= 1, got ${block}`);
  const chunkFrames = Math.ceil((options.chunkFrames ?? DEFAULT_CHUNK_FRAMES) / block) * block;
  const inFlight = Math.max(1, options.chunksInFlight ?? DEFAULT_CHUNKS_IN_FLIGHT);
  const workers = workerCount > 0
    ? distribute(remote, workerCount).map((tracks) => new TrackWorker(tracks, { sampleRate: spec.sampleRate, blockFrames: block }, chunkFrames, options.workerEntry))
    : [];
  try {
    const latencies = await Promise.all(workers.map((w) => w.ready));
    const feeds = new Map<string, ChunkFeed>();
    workers.forEach((w, i) => w.tracks.forEach((t, j) => feeds.set(t.id, new ChunkFeed(latencies[i][j], t.source.length))));
    const renderer = new MixRenderer(spec, { trackFeeds: feeds });
    const latency = renderer.latencySamples;
    const outFrames = renderer.sourceFrames + Math.round((options.tailSeconds ?? 0) * spec.sampleRate);
    const chunks = planChunks(latency, latency + outFrames, chunkFrames);
    const out = Array.from({ length: MIX_CHANNELS }, () => new Float32Array(chunkFrames));
    // Chunk buffers by chunk index, per worker, until the renderer is past them.
    const held: { end: number; buffers: Float32Array[] }[] = [];
    let posted = 0;
    const postAhead = (received: number) => {
      for (; posted < chunks.length && posted - received < inFlight; posted++) for (const w of workers) w.post(chunks[posted]);
    };
    postAhead(0);
    for (let k = 0; k < chunks.length; k++) {
      const chunk = chunks[k];
      const replies = await Promise.all(workers.map((w) => w.next()));
      replies.forEach((reply, i) => {
        if (reply.position !== chunk.start || reply.frames !== chunk.frames) throw new Error(`track worker: chunk ${reply.position}+${reply.frames} out of order`);
        let base = 0;
        for (const track of workers[i].tracks) {
          feeds.get(track.id)!.push(chunk.start, chunk.frames, reply.data, base);
          base += track.source.length * chunk.frames;
        }
      });
      held.push({ end: chunk.start + chunk.frames, buffers: replies.map((r) => r.data) });
      postAhead(k + 1); // the workers go on while this thread sums
      const frames = chunk.start + chunk.frames - Math.max(chunk.start, latency); // output frames in this chunk
      if (frames <= 0) continue; // a piece of the latency: rendered with the first output chunk
      renderer.renderInto(out, frames);
      const rendered = chunk.start + chunk.frames;
      for (const feed of feeds.values()) feed.drop(rendered);
      while (held.length && held[0].end <= rendered) held.shift()!.buffers.forEach((data, i) => workers[i].recycle(data));
      yield frames === chunkFrames ? out : out.map((c) => c.subarray(0, frames));
    }
  } finally {
    await Promise.all(workers.map((w) => w.close()));
  }
}

/** The whole mix from the start (longest source + tail), like renderMix(spec, tailSeconds), on worker threads. */
export async function renderMixParallel(spec: MixGraphSpec, options: ParallelMixOptions = {}): Promise<Audio> {
  const frames = Math.max(0, ...spec.tracks.map((t) => t.source[0]?.length ?? 0)) + Math.round((options.tailSeconds ?? 0) * spec.sampleRate);
  const channels = Array.from({ length: MIX_CHANNELS }, () => new Float32Array(frames));
  let at = 0;
  for await (const block of streamMixParallel(spec, options)) {
    for (let c = 0; c < MIX_CHANNELS; c++) channels[c].set(block[c], at);
    at += block[0].length;
  }
  if (at !== frames) throw new Error(`parallel mix: rendered ${at} of ${frames} frames`);
  return { sampleRate: spec.sampleRate, channels };
}
