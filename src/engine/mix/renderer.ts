// Offline, deterministic renderer of a MixGraphSpec: tracks, then buses (each after everything that
// feeds it), then the master, block by block with buffers allocated once. Parallel paths are
// delay-compensated (latency.ts) and the graph's total latency is trimmed from the output, so output
// sample n lines up with source sample n. Same spec and input → bit-identical output for any block size.
// Inserts named by type (ProcessorSpec) are built here through the registry; a track may instead be
// fed its insert chain's output from elsewhere (TrackFeed: a worker thread, src/mix/parallel-render.ts).
import type { Audio } from '../audio.js';
import { BALANCE_DEFAULTS, assertBalanceLaw } from '../dsp/stereo/balance.js';
import { PAN_DEFAULTS, assertPanLaw } from '../dsp/stereo/pan.js';
import { MIX_CHANNELS, type BusSpec, type MixGraphSpec, type TrackSpec } from './api.js';
import { CompiledLane } from './automation.js';
import { chainLatency, resolveInserts, type ResolvedInsert } from './inserts.js';
import { MASTER, planLatency, type LatencyEdge, type LatencyPlan } from './latency.js';
import { Edge, Strip, type TrackFeed } from './strip.js';

export type { TrackFeed };

export interface MixRendererOptions {
  /**
   * Tracks whose insert chains run elsewhere, by id: the strip reads each chain's output from its
   * feed (and its latency from it) instead of building and running the track's processors here.
   */
  trackFeeds?: ReadonlyMap<string, TrackFeed>;
}

interface EdgeSpec extends LatencyEdge {
  level: CompiledLane | null;
  preFader: boolean;
}

function validate(spec: MixGraphSpec): void {
  if (!(spec.sampleRate >= 8000 && spec.sampleRate <= 384000)) throw new RangeError(`mix graph: sample rate ${spec.sampleRate} Hz is outside 8-384 kHz`);
  if (!(Number.isInteger(spec.blockFrames) && spec.blockFrames >= 1)) throw new RangeError(`mix graph: blockFrames must be a whole number >= 1, got ${spec.blockFrames}`);
  const ids = new Set<string>();
  for (const node of [...spec.tracks, ...spec.buses]) {
    if (node.id === MASTER) throw new RangeError(`mix graph: '${MASTER}' is reserved for the master bus`);
    if (ids.has(node.id)) throw new RangeError(`mix graph: duplicate id '${node.id}'`);
    ids.add(node.id);
    if (node.panLaw !== undefined) assertPanLaw(node.panLaw);
    if (node.balanceLaw !== undefined) assertBalanceLaw(node.balanceLaw);
  }
  const buses = new Set(spec.buses.map((b) => b.id));
  for (const node of [...spec.tracks, ...spec.buses]) {
    const output = node.output ?? MASTER;
    if (output !== MASTER && !buses.has(output)) throw new RangeError(`mix graph: '${node.id}' outputs to unknown bus '${output}'`);
    for (const send of node.sends ?? []) if (!buses.has(send.bus)) throw new RangeError(`mix graph: '${node.id}' sends to unknown bus '${send.bus}'`);
  }
  for (const track of spec.tracks) {
    const { source } = track;
    if (!(source.length === 1 || source.length === 2)) throw new RangeError(`mix graph: track '${track.id}' must be mono or stereo, got ${source.length} channels`);
    if (source.some((c) => c.length !== source[0].length)) throw new RangeError(`mix graph: track '${track.id}' channels differ in length`);
  }
}

/** Ids of the tracks and buses that render silent: muted, or (tracks) not soloed while another track is. */
export function silentNodes(spec: MixGraphSpec): Set<string> {
  const anySolo = spec.tracks.some((t) => t.solo);
  return new Set<string>([
    ...spec.tracks.filter((t) => t.mute || (anySolo && !t.solo)).map((t) => t.id),
    ...spec.buses.filter((b) => b.mute).map((b) => b.id),
  ]);
}

export class MixRenderer {
  readonly sampleRate: number;
  readonly blockFrames: number;
  /** Latency plan: per-node input/output latency and each edge's compensation delay. */
  readonly plan: LatencyPlan;
  /** Total latency of the graph, samples (trimmed from the output). */
  readonly latencySamples: number;
  /** Length of the longest source, frames. */
  readonly sourceFrames: number;
  private readonly strips: Strip[];
  private readonly master: Strip;
  private readonly sums: Float32Array[][];
  private renderPosition = 0;
  private delivered = 0;

  constructor(spec: MixGraphSpec, options: MixRendererOptions = {}) {
    validate(spec);
    this.sampleRate = spec.sampleRate;
    this.blockFrames = spec.blockFrames;
    const silent = silentNodes(spec);
    const feeds = options.trackFeeds ?? new Map<string, TrackFeed>();
    for (const id of feeds.keys()) if (!spec.tracks.some((t) => t.id === id)) throw new RangeError(`mix graph: a feed for unknown track '${id}'`);

    // Processors named by type are built now, for their strip's channel count (fed tracks build none).
    const inserts = new Map<string, ResolvedInsert[]>();
    for (const t of spec.tracks) inserts.set(t.id, feeds.has(t.id) ? [] : resolveInserts(t.processors ?? [], spec.sampleRate, t.source.length, t.id));
    for (const b of spec.buses) inserts.set(b.id, resolveInserts(b.processors ?? [], spec.sampleRate, MIX_CHANNELS, b.id));
    const masterInserts = resolveInserts(spec.master.processors ?? [], spec.sampleRate, MIX_CHANNELS, MASTER);

    // Latency is planned on the whole graph (muted nodes included), so muting never moves the timing.
    const edges: EdgeSpec[] = [];
    for (const node of [...spec.tracks, ...spec.buses]) {
      edges.push({ from: node.id, to: node.output ?? MASTER, level: null, preFader: false });
      for (const send of node.sends ?? []) {
        edges.push({ from: node.id, to: send.bus, level: new CompiledLane(send.levelDb, spec.sampleRate, `${node.id} send to ${send.bus}`), preFader: send.preFader ?? false });
      }
    }
    this.plan = planLatency({
      nodes: [
        ...spec.tracks.map((t) => ({ id: t.id, kind: 'track' as const, processingSamples: feeds.get(t.id)?.latency ?? chainLatency(inserts.get(t.id)!) })),
        ...spec.buses.map((b) => ({ id: b.id, kind: 'bus' as const, processingSamples: chainLatency(inserts.get(b.id)!) })),
      ],
      masterProcessingSamples: chainLatency(masterInserts),
      edges,
    });
    this.latencySamples = this.plan.totalSamples;
    this.sourceFrames = Math.max(0, ...spec.tracks.map((t) => t.source[0].length));

    const inputOf = new Map(this.plan.nodes.map((n) => [n.id, n.inputSamples]));
    const strip = (node: TrackSpec | BusSpec, source?: Float32Array[]) => new Strip({
      id: node.id,
      sampleRate: spec.sampleRate,
      blockFrames: spec.blockFrames,
      channelCount: source ? source.length : MIX_CHANNELS,
      inserts: inserts.get(node.id)!,
      feed: feeds.get(node.id),
      inputSamples: inputOf.get(node.id)!,
      gainDb: node.gainDb ?? 0,
      pan: node.pan ?? 0,
      panLaw: node.panLaw ?? PAN_DEFAULTS.law,
      balanceLaw: node.balanceLaw ?? BALANCE_DEFAULTS.law,
      source,
    });
    const busSpecs = new Map(spec.buses.map((b) => [b.id, b]));
    const tracks = spec.tracks.filter((t) => !silent.has(t.id)).map((t) => strip(t, t.source));
    const buses = this.plan.busOrder.filter((id) => !silent.has(id)).map((id) => strip(busSpecs.get(id)!));
    this.master = new Strip({
      id: MASTER, sampleRate: spec.sampleRate, blockFrames: spec.blockFrames, channelCount: MIX_CHANNELS,
      inserts: masterInserts, inputSamples: inputOf.get(MASTER)!, gainDb: spec.master.gainDb ?? 0,
      pan: 0, panLaw: PAN_DEFAULTS.law, balanceLaw: BALANCE_DEFAULTS.law,
    });
    this.strips = [...tracks, ...buses];

    const byId = new Map<string, Strip>([...this.strips, this.master].map((s) => [s.id, s]));
    edges.forEach((edge, index) => {
      const from = byId.get(edge.from);
      const to = byId.get(edge.to);
      if (!from || !to) return; // muted (or fed only by muted sources): contributes silence
      from.addEdge(new Edge(to.work, this.plan.edgeDelaysSamples[index], edge.level, edge.preFader), edge.level === null);
    });
    this.sums = [...buses, this.master].map((s) => s.work);
  }

  /** Frames of output delivered so far. */
  get position(): number {
    return this.delivered;
  }

  /** One block of `frames` (<= blockFrames) at the current render position, into the master's post buffers. */
  private block(frames: number): void {
    for (let s = 0; s < this.sums.length; s++) for (let c = 0; c < MIX_CHANNELS; c++) this.sums[s][c].fill(0, 0, frames);
    for (let s = 0; s < this.strips.length; s++) this.strips[s].process(this.renderPosition, frames);
    this.master.process(this.renderPosition, frames);
    this.renderPosition += frames;
  }

  /**
   * Renders the next `frames` output frames into out[c][offset …]. The first call first runs the
   * graph for its latency and drops that many frames. No allocation.
   */
  renderInto(out: Float32Array[], frames: number, offset = 0): void {
    while (this.renderPosition < this.latencySamples) this.block(Math.min(this.blockFrames, this.latencySamples - this.renderPosition));
    let done = 0;
    while (done < frames) {
      const n = Math.min(this.blockFrames, frames - done);
      this.block(n);
      for (let c = 0; c < MIX_CHANNELS; c++) {
        const from = this.master.post[c];
        const to = out[c];
        for (let i = 0; i < n; i++) to[offset + done + i] = from[i];
      }
      done += n;
    }
    this.delivered += frames;
  }

  /** The next `frames` output frames as new Audio. */
  render(frames: number): Audio {
    const channels = Array.from({ length: MIX_CHANNELS }, () => new Float32Array(frames));
    this.renderInto(channels, frames);
    return { sampleRate: this.sampleRate, channels };
  }

  /** From the start: the longest source plus `tailSeconds` (reverb and delay tails), time-aligned. */
  renderAll(tailSeconds = 0): Audio {
    this.reset();
    return this.render(this.sourceFrames + Math.round(tailSeconds * this.sampleRate));
  }

  /** Rewinds to the start: processors, automation state and compensation delays back to their initial state. */
  reset(): void {
    for (const strip of this.strips) strip.reset();
    this.master.reset();
    this.renderPosition = 0;
    this.delivered = 0;
  }
}

/** Renders a whole spec once (convenience for tests and the CLI). */
export function renderMix(spec: MixGraphSpec, tailSeconds = 0): Audio {
  return new MixRenderer(spec).renderAll(tailSeconds);
}
