// A channel strip at run time (track, bus or master): input → inserts → pan/balance → fader, then
// its edges (main output and sends) add into the summing buffers downstream, each through its own
// compensation delay. Fader, pan and send levels follow their lanes per sample, evaluated on the
// source timeline (render position − the latency the signal has picked up), so automation stays
// attached to the audio it was written for.
import { balanceGainLeft, balanceGainRight, type BalanceLaw } from '../dsp/stereo/balance.js';
import { panGainLeft, panGainRight, type PanLaw } from '../dsp/stereo/pan.js';
import { DelayBuffer } from '../dsp/utility/delay-buffer.js';
import { MIX_CHANNELS } from './api.js';
import { CompiledLane, type Automatable } from './automation.js';
import { InsertChain, type ResolvedInsert } from './inserts.js';

/**
 * A track's insert-chain output produced elsewhere (a worker thread), read by the strip in place of
 * running the chain: the strip's fader, pan and sends then work on it exactly as on its own output.
 */
export interface TrackFeed {
  /** Latency of the insert chain that produced the feed, samples. */
  readonly latency: number;
  /** The chain's output channels (the track's channel count), valid after read() until the next read(). */
  readonly channels: Float32Array[];
  /**
   * Makes the output for graph render positions [position, position + frames) readable in `channels`
   * and returns the index of `position` in them. Positions are read once each, in order.
   */
  read(position: number, frames: number): number;
}

/** One connection into a summing point: the main output or a send. */
export class Edge {
  private readonly lines: DelayBuffer[] | null;

  constructor(
    readonly to: Float32Array[],
    readonly delaySamples: number,
    /** dB lane of a send; null = unity (the main output). */
    private readonly level: CompiledLane | null,
    readonly preFader: boolean,
  ) {
    this.lines = delaySamples > 0 ? Array.from({ length: MIX_CHANNELS }, () => new DelayBuffer(delaySamples)) : null;
  }

  /** Adds `source` × level (at source-timeline sample `position` onwards), delayed, into the destination. */
  push(source: Float32Array[], frames: number, position: number, gains: Float64Array): void {
    const unity = this.level === null;
    const constant = unity || this.level.fill(gains, position, frames, true);
    const g0 = unity ? 1 : gains[0];
    for (let c = 0; c < MIX_CHANNELS; c++) {
      const x = source[c];
      const y = this.to[c];
      const line = this.lines?.[c];
      const d = this.delaySamples;
      if (unity) {
        if (line) line.processAdd(x, y, frames, d);
        else for (let i = 0; i < frames; i++) y[i] += x[i];
      } else if (line) {
        for (let i = 0; i < frames; i++) {
          line.push(x[i] * (constant ? g0 : gains[i]));
          y[i] += line.tap(d);
        }
      } else if (constant) {
        for (let i = 0; i < frames; i++) y[i] += x[i] * g0;
      } else {
        for (let i = 0; i < frames; i++) y[i] += x[i] * gains[i];
      }
    }
  }

  /**
   * The edge's gain when push() would add `source × gain` straight in over this block (no compensation
   * delay, a level that holds over the block), else NaN. Lets a strip add its sends in its fader loop.
   */
  staticGain(position: number, frames: number, gains: Float64Array): number {
    if (this.lines) return NaN;
    if (this.level === null) return 1;
    return this.level.fill(gains, position, frames, true) ? gains[0] : NaN;
  }

  reset(): void {
    if (this.lines) for (const line of this.lines) line.reset();
  }
}

export interface StripOptions {
  id: string;
  sampleRate: number;
  blockFrames: number;
  /** Channels entering the strip: 1 or 2 for tracks, 2 for buses and the master. */
  channelCount: number;
  /** Built inserts (see resolveInserts); ignored when `feed` is given. */
  inserts: ResolvedInsert[];
  /** Tracks whose chain runs elsewhere: its output, instead of running `inserts` here. */
  feed?: TrackFeed;
  /** Latency of the signal at the strip's input (from the latency plan). */
  inputSamples: number;
  gainDb: Automatable;
  pan: Automatable;
  panLaw: PanLaw;
  balanceLaw: BalanceLaw;
  /** Track source audio; absent for buses and the master (they read their summing buffers). */
  source?: Float32Array[];
}

export class Strip {
  readonly id: string;
  /** Input and insert buffers; for buses and the master, the summing point itself. */
  readonly work: Float32Array[];
  /** Post-pan, pre-fader, stereo (filled only when a pre-fader send needs it). */
  readonly pre: Float32Array[];
  /** Post-fader, stereo. */
  readonly post: Float32Array[];
  readonly edges: Edge[] = [];
  readonly outputSamples: number;
  private readonly chain: InsertChain;
  private readonly fader: CompiledLane;
  private readonly pan: CompiledLane;
  private readonly gains: Float64Array;
  private readonly positions: Float64Array;
  private readonly panLeft: Float64Array;
  private readonly panRight: Float64Array;
  private readonly sendGains: Float64Array;
  private readonly mono: boolean;
  private readonly source?: Float32Array[];
  private readonly feed: TrackFeed | null;
  private hasPreFader = false;
  private hasPostFader = false;
  /** Summing buffers the main output adds into directly (a unity edge with no compensation delay), or null. */
  private direct: Float32Array[] | null = null;

  constructor(private readonly options: StripOptions) {
    const { id, sampleRate, blockFrames, channelCount } = options;
    this.id = id;
    this.mono = channelCount === 1;
    this.source = options.source;
    this.work = Array.from({ length: channelCount }, () => new Float32Array(blockFrames));
    this.pre = Array.from({ length: MIX_CHANNELS }, () => new Float32Array(blockFrames));
    this.post = Array.from({ length: MIX_CHANNELS }, () => new Float32Array(blockFrames));
    this.feed = options.feed ?? null;
    this.chain = new InsertChain(this.feed ? [] : options.inserts, channelCount, sampleRate, options.inputSamples, id);
    this.outputSamples = options.inputSamples + (this.feed ? this.feed.latency : this.chain.latency);
    this.fader = new CompiledLane(options.gainDb, sampleRate, `${id} gainDb`);
    this.pan = new CompiledLane(options.pan, sampleRate, `${id} pan`);
    this.gains = new Float64Array(blockFrames);
    this.positions = new Float64Array(blockFrames);
    this.panLeft = new Float64Array(blockFrames);
    this.panRight = new Float64Array(blockFrames);
    this.sendGains = new Float64Array(blockFrames);
  }

  /** Connects an output; the main output (`main`) with no delay is summed in the fader loop itself. */
  addEdge(edge: Edge, main = false): void {
    if (main && edge.delaySamples === 0 && this.direct === null) {
      this.direct = edge.to;
      return;
    }
    this.edges.push(edge);
    if (edge.preFader) this.hasPreFader = true;
    else this.hasPostFader = true;
  }

  /** Renders one block at graph clock `renderPosition`: reads the source (tracks), processes, pushes the edges. */
  process(renderPosition: number, frames: number): void {
    const source = this.source;
    let input = this.work;
    let offset = 0;
    if (this.feed) {
      offset = this.feed.read(renderPosition, frames);
      input = this.feed.channels;
    } else if (source && this.chain.empty && renderPosition + frames <= source[0].length) {
      input = source; // read the source in place: no inserts to run, no zero padding needed
      offset = renderPosition;
    } else {
      if (source) this.readSource(renderPosition, frames);
      this.chain.process(this.work, frames, renderPosition);
    }
    const position = renderPosition - this.outputSamples;
    if (this.mix(input, offset, position, frames)) return;
    for (let e = 0; e < this.edges.length; e++) {
      const edge = this.edges[e];
      edge.push(edge.preFader ? this.pre : this.post, frames, position, this.sendGains);
    }
  }

  private readSource(start: number, frames: number): void {
    const source = this.source!;
    for (let c = 0; c < source.length; c++) {
      const from = source[c];
      const to = this.work[c];
      const available = Math.max(0, Math.min(frames, from.length - start));
      for (let i = 0; i < available; i++) to[i] = from[start + i];
      for (let i = available; i < frames; i++) to[i] = 0;
    }
  }

  /**
   * Pan (mono tracks) or balance (stereo) and fader, per sample, from input[·][offset …]. Every path
   * computes the same float32 values: pre = fround(x·pan), post = fround(x·pan·fader). Returns true
   * when it also added the sends (static fader, pan and send levels, no compensation delay): each
   * destination sample then sees the same additions, in the same order, as from Edge.push().
   */
  private mix(input: Float32Array[], offset: number, position: number, frames: number): boolean {
    const faderConstant = this.fader.fill(this.gains, position, frames, true);
    const panConstant = this.pan.fill(this.positions, position, frames);
    const { panLaw, balanceLaw } = this.options;
    const left = this.mono ? panGainLeft : balanceGainLeft;
    const right = this.mono ? panGainRight : balanceGainRight;
    const law = (this.mono ? panLaw : balanceLaw) as PanLaw & BalanceLaw;
    const n = panConstant ? 1 : frames;
    for (let i = 0; i < n; i++) {
      this.panLeft[i] = left(law, this.positions[i]);
      this.panRight[i] = right(law, this.positions[i]);
    }
    const writePre = this.hasPreFader;
    const writePost = this.hasPostFader || this.direct === null;
    const direct = this.direct;
    const f0 = this.gains[0];
    const gains = this.gains;
    if (panConstant && faderConstant && this.mixWithSends(input, offset, position, frames, f0)) return true;
    for (let c = 0; c < MIX_CHANNELS; c++) {
      const x = input[this.mono ? 0 : c];
      const pan = c === 0 ? this.panLeft : this.panRight;
      const p0 = pan[0];
      const pre = this.pre[c];
      const post = this.post[c];
      if (direct && !writePre && !writePost && panConstant && faderConstant) {
        // The common case (static fader and pan, straight to a summing point): one fused loop.
        const y = direct[c];
        for (let i = 0; i < frames; i++) y[i] += Math.fround(x[offset + i] * p0 * f0);
        continue;
      }
      const y = direct ? direct[c] : post;
      if (!writePre && panConstant && faderConstant) {
        // Static fader and pan feeding post-fader sends (and maybe a summing point).
        for (let i = 0; i < frames; i++) {
          const w = Math.fround(x[offset + i] * p0 * f0);
          post[i] = w;
          if (direct) y[i] += w;
        }
        continue;
      }
      for (let i = 0; i < frames; i++) {
        const v = x[offset + i] * (panConstant ? p0 : pan[i]);
        const w = Math.fround(v * (faderConstant ? f0 : gains[i]));
        if (writePre) pre[i] = v;
        if (writePost) post[i] = w;
        if (direct) y[i] += w;
      }
    }
    return false;
  }

  /**
   * Static fader and pan with one or two sends that add straight in: one pass per channel computes
   * v = x·pan and w = fround(v·fader), adds w to the summing point and fround(v) (pre-fader) or w
   * (post-fader) × the send level to each send's bus, exactly what pre/post stored and Edge.push()
   * would add, in the same order (main output, then the edges in order). False when not applicable.
   */
  private mixWithSends(input: Float32Array[], offset: number, position: number, frames: number, f0: number): boolean {
    const edges = this.edges;
    if (edges.length === 0 || edges.length > 2) return false;
    const g0 = edges[0].staticGain(position, frames, this.sendGains);
    const g1 = edges.length > 1 ? edges[1].staticGain(position, frames, this.sendGains) : 0;
    if (Number.isNaN(g0) || Number.isNaN(g1)) return false;
    const pre0 = edges[0].preFader, pre1 = edges.length > 1 && edges[1].preFader;
    for (let c = 0; c < MIX_CHANNELS; c++) {
      const x = input[this.mono ? 0 : c];
      const p0 = c === 0 ? this.panLeft[0] : this.panRight[0];
      const a = edges[0].to[c];
      const y = this.direct ? this.direct[c] : null;
      if (edges.length === 1) {
        if (y) {
          for (let i = 0; i < frames; i++) {
            const v = x[offset + i] * p0;
            const w = Math.fround(v * f0);
            y[i] += w;
            a[i] += (pre0 ? Math.fround(v) : w) * g0;
          }
        } else {
          for (let i = 0; i < frames; i++) {
            const v = x[offset + i] * p0;
            a[i] += (pre0 ? Math.fround(v) : Math.fround(v * f0)) * g0;
          }
        }
        continue;
      }
      const b = edges[1].to[c];
      if (y) {
        for (let i = 0; i < frames; i++) {
          const v = x[offset + i] * p0;
          const w = Math.fround(v * f0);
          y[i] += w;
          a[i] += (pre0 ? Math.fround(v) : w) * g0;
          b[i] += (pre1 ? Math.fround(v) : w) * g1;
        }
      } else {
        for (let i = 0; i < frames; i++) {
          const v = x[offset + i] * p0;
          const w = Math.fround(v * f0);
          a[i] += (pre0 ? Math.fround(v) : w) * g0;
          b[i] += (pre1 ? Math.fround(v) : w) * g1;
        }
      }
    }
    return true;
  }

  reset(): void {
    this.chain.reset();
    for (const edge of this.edges) edge.reset();
  }
}
