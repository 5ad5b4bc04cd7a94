// Building a mix graph step by step (the shape a session plan compiles into), then rendering it:
//   const graph = createMixGraph({ sampleRate: 48000 });
//   graph.addBus({ id: 'verb', processors: [reverb] });
//   graph.addTrack({ id: 'vox', source: [vox], gainDb: -3, pan: 0.1, sends: [{ bus: 'verb', levelDb: -12 }] });
//   graph.addTrack({ id: 'gtr', source: [l, r], processors: [{ processor: 'compressor', params: { thresholdDb: -18 } }] });
//   const mix = graph.renderAll();
// Inserts named by type (as on 'gtr') are built through the registry; renderMixParallel(graph.spec)
// (src/mix/parallel-render.ts) runs the tracks whose inserts are all named on worker threads, same bits.
// The graph compiles on the first query or render; after that it is frozen (build a new one to change the routing).
import type { Audio } from '../audio.js';
import type { BusSpec, MasterSpec, MixGraphSpec, TrackSpec } from './api.js';
import type { LatencyPlan } from './latency.js';
import { MixRenderer } from './renderer.js';

export interface MixGraphOptions {
  sampleRate: number;
  /** Frames per internal block; default 1024. The output does not depend on it. */
  blockFrames?: number;
}

export const DEFAULT_GRAPH_BLOCK_FRAMES = 1024;

export class MixGraph {
  private readonly data: MixGraphSpec;
  private compiled: MixRenderer | null = null;

  constructor(options: MixGraphOptions) {
    this.data = { sampleRate: options.sampleRate, blockFrames: options.blockFrames ?? DEFAULT_GRAPH_BLOCK_FRAMES, tracks: [], buses: [], master: {} };
  }

  /** The graph as plain data (processors included by reference). */
  get spec(): Readonly<MixGraphSpec> {
    return this.data;
  }

  private editable(): MixGraphSpec {
    if (this.compiled) throw new Error('mix graph: already compiled (rendered or queried); build a new graph to change it');
    return this.data;
  }

  addTrack(track: TrackSpec): this {
    this.editable().tracks.push(track);
    return this;
  }

  addBus(bus: BusSpec): this {
    this.editable().buses.push(bus);
    return this;
  }

  setMaster(master: MasterSpec): this {
    this.editable().master = master;
    return this;
  }

  /** Compiles (validates routing, plans latency, allocates buffers) if not done yet. */
  compile(): MixRenderer {
    this.compiled ??= new MixRenderer(this.data);
    return this.compiled;
  }

  /** Total latency of the graph in samples; trimmed from the output. */
  get latencySamples(): number {
    return this.compile().latencySamples;
  }

  /** Per-node latencies and per-edge compensation delays. */
  get latencyPlan(): LatencyPlan {
    return this.compile().plan;
  }

  /** The next `frames` frames of the mix (streaming). */
  render(frames: number): Audio {
    return this.compile().render(frames);
  }

  /** Like render(), into caller-owned buffers, allocation-free. */
  renderInto(out: Float32Array[], frames: number, offset = 0): void {
    this.compile().renderInto(out, frames, offset);
  }

  /** The whole mix from the start (longest source + tail). */
  renderAll(tailSeconds = 0): Audio {
    return this.compile().renderAll(tailSeconds);
  }

  /** Back to the start of the render. */
  reset(): void {
    this.compile().reset();
  }
}

export const createMixGraph = (options: MixGraphOptions): MixGraph => new MixGraph(options);
