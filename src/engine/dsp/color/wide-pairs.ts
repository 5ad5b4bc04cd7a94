// The waveshapers' 4x round trip (halfband up x2, curve, halfband down, final FIR) for channel PAIRS in
// one WebAssembly SIMD kernel (waveshaper-kernel.wat): both channels of a pair share every f64x2
// operation, so a chunk costs a handful of calls instead of per-channel, per-stage JS loops and copies.
// Same operations in the same order as the per-channel JS path in oversampling.ts (bit-identical).
import { instantiateKernel } from '../../wasm.js';
import type { HalfbandDesign } from '../resample/halfband.js';
import { WAVESHAPER_KERNEL_WASM_BASE64 } from './waveshaper-kernel.wasm.js';

type Up = (buf: number, coef: number, m: number, frames: number, out: number, round: number) => void;
type Down = (buf: number, taps: number, m: number, frames: number, out: number) => void;
type Tanh = (x: number, drive: number, post: number, frames: number) => void;
type Tube = (x: number, drive: number, frames: number, offset: number, scale: number) => void;
type Load2 = (l: number, r: number, dst: number, frames: number) => void;
type Mix = (wet: number, dry: number, line: number, index: number, latency: number, state: number, outL: number, outR: number, frames: number) => number;
type Exports = { up: Up; down: Down; fir: Down; tanh: Tanh; tube: Tube; load2: Load2; mix: Mix };

/**
 * A stereo block in the kernel's memory (for a processor's whole block: copied in once, each chunk
 * loaded into the pair from it, the output mixed back into it, copied out once), with a dry delay line
 * (interleaved f64 frames) and the mix stage's state (mix()).
 */
export interface PairBlock {
  /** Planar f32, `frames` each. */
  readonly arrays: Float32Array[];
  readonly at: number[];
  readonly frames: number;
  /** The dry delay line: frame j at [2j] (left) and [2j + 1] (right). */
  readonly line: Float64Array;
  /** mix()'s state: [0, 1] the DC blockers' levels, then dc coefficient, gain, mix, tube, 1 − mix. */
  readonly state: Float64Array;
}

interface PairAddresses { u1: number; u2: number; w: number; f: number; out: number }

export class WidePairs {
  readonly pairs: number;
  /** Per pair: this chunk's top-rate signal, interleaved (frame j at [2j] and [2j + 1]), filled by upsample(). */
  readonly wide: Float64Array[];
  /** Per pair: the base-rate result of downsample(), interleaved. */
  readonly out: Float64Array[];
  /** Per pair: where load() writes the base-rate input, interleaved. */
  readonly in: Float64Array[];
  /** Per base frame of the chunk: the drive into the curve and the gain after it (tanh()). */
  readonly drive: Float64Array;
  readonly post: Float64Array;
  private readonly regions: Float64Array[];
  /** With create(…, blockFrames): the stereo block (pair 0 only). */
  readonly block: PairBlock | null = null;
  private readonly views: (Float32Array | undefined)[][] = [[], []];
  private readonly lineAt: number = 0;
  private readonly stateAt: number = 0;

  private constructor(
    private readonly exports: Exports,
    buffer: ArrayBuffer,
    private readonly layout: { c1: number; c2: number; d: number; t: number; m1: number; m2: number; md: number; centre: number; drive: number; post: number; pairs: PairAddresses[]; chunk: number; pairBytes: number },
    block: { l: number; r: number; frames: number; line: number; lineFrames: number; state: number } | null = null,
  ) {
    this.pairs = layout.pairs.length;
    const { md, chunk } = layout;
    this.drive = new Float64Array(buffer, layout.drive, chunk);
    this.post = new Float64Array(buffer, layout.post, chunk);
    this.in = layout.pairs.map((a) => new Float64Array(buffer, a.u1 + 16 * (2 * layout.m1 + 1), 2 * chunk));
    this.wide = layout.pairs.map((a) => new Float64Array(buffer, a.w + 16 * (4 * md + 2), 8 * chunk));
    this.out = layout.pairs.map((a) => new Float64Array(buffer, a.out, 2 * chunk));
    this.regions = layout.pairs.map((a) => new Float64Array(buffer, a.u1, layout.pairBytes / 8));
    if (block) {
      const at = [block.l, block.r];
      this.block = {
        arrays: at.map((a) => new Float32Array(buffer, a, block.frames)), at, frames: block.frames,
        line: new Float64Array(buffer, block.line, 2 * block.lineFrames), state: new Float64Array(buffer, block.state, 7),
      };
      this.lineAt = block.line;
      this.stateAt = block.state;
    }
  }

  /**
   * A kernel for `channelCount` channels and chunks of up to `chunk` base frames, or null (no WebAssembly
   * SIMD). `block` (stereo only): room for a PairBlock of that many frames, with a dry line of `lineFrames`.
   */
  static create(
    channelCount: number, chunk: number, up1: HalfbandDesign, up2: HalfbandDesign, down: HalfbandDesign, taps: Float64Array,
    block?: { frames: number; lineFrames: number },
  ): WidePairs | null {
    const centre = (taps.length - 1) / 2;
    if (centre % 4 !== 0) return null;
    const align = (bytes: number) => 16 * Math.ceil(bytes / 16);
    let at = 0;
    const take = (bytes: number) => { const start = at; at += align(bytes); return start; };
    const c1 = take(8 * (up1.m + 1)), c2 = take(8 * (up2.m + 1)), d = take(8 * (down.m + 1)), t = take(8 * taps.length);
    const drive = take(8 * chunk), post = take(8 * chunk);
    const pairCount = Math.ceil(channelCount / 2);
    const pairStart = at;
    const pairs: PairAddresses[] = [];
    for (let p = 0; p < pairCount; p++) {
      pairs.push({
        u1: take(16 * (2 * up1.m + 1 + chunk)),
        u2: take(16 * (2 * up2.m + 1 + 2 * chunk)),
        w: take(16 * (4 * down.m + 2 + 4 * chunk)),
        f: take(16 * (2 * centre + 2 * chunk)),
        out: take(16 * chunk),
      });
    }
    const pairBytes = (at - pairStart) / pairCount;
    const blockAt = block && channelCount === 2
      ? { l: take(4 * block.frames), r: take(4 * block.frames), frames: block.frames, line: take(16 * Math.max(1, block.lineFrames)), lineFrames: Math.max(1, block.lineFrames), state: take(64) }
      : null;
    const kernel = instantiateKernel(WAVESHAPER_KERNEL_WASM_BASE64, at);
    if (!kernel) return null;
    const buffer = kernel.memory.buffer;
    new Float64Array(buffer, c1, up1.m + 1).set(up1.pairTaps.map((tap) => 2 * tap));
    new Float64Array(buffer, c2, up2.m + 1).set(up2.pairTaps.map((tap) => 2 * tap));
    new Float64Array(buffer, d, down.m + 1).set(down.pairTaps);
    new Float64Array(buffer, t, taps.length).set(taps);
    const e = kernel.exports as unknown as Exports;
    return new WidePairs(e, buffer, { c1, c2, d, t, m1: up1.m, m2: up2.m, md: down.m, centre, drive, post, pairs, chunk, pairBytes }, blockAt);
  }

  /** channels[·][offset, offset + frames) into the block (frames <= block.frames): a memcpy when the arrays hold exactly that. */
  loadBlock(channels: Float32Array[], offset: number, frames: number): void {
    const arrays = (this.block as PairBlock).arrays;
    for (let c = 0; c < 2; c++) {
      const x = channels[c], to = arrays[c];
      if (offset === 0 && x.length === frames) to.set(x);
      else for (let i = 0; i < frames; i++) to[i] = x[offset + i];
    }
  }

  /** The block's first `frames` into channels[·][offset, …), through views of the block's length (made once per length). */
  storeBlock(channels: Float32Array[], offset: number, frames: number): void {
    const block = this.block as PairBlock;
    for (let c = 0; c < 2; c++) {
      const x = channels[c];
      if (frames >= 64) {
        const views = this.views[c];
        let view = views[frames];
        if (view === undefined) view = views[frames] = new Float32Array(block.arrays[c].buffer, block.at[c], frames);
        x.set(view, offset);
      } else {
        const from = block.arrays[c];
        for (let i = 0; i < frames; i++) x[offset + i] = from[i];
      }
    }
  }

  /** The block's frames [start, start + frames) into pair 0's input (as load()). */
  loadFromBlock(start: number, frames: number): void {
    const block = this.block as PairBlock, a = this.layout.pairs[0];
    this.exports.load2(block.at[0] + 4 * start, block.at[1] + 4 * start, a.u1 + 16 * (2 * this.layout.m1 + 1), frames);
  }

  /**
   * The stereo output stage into the block at [start, start + frames): out[0] (wet) through the DC
   * blockers, the pair's input (dry) through the delay line from `index` (`latency` frames long), mixed
   * with block.state's levels; returns the next index.
   */
  mixIntoBlock(start: number, frames: number, index: number, latency: number): number {
    const block = this.block as PairBlock, a = this.layout.pairs[0];
    return this.exports.mix(a.out, a.u1 + 16 * (2 * this.layout.m1 + 1), this.lineAt, index, latency, this.stateAt,
      block.at[0] + 4 * start, block.at[1] + 4 * start, frames);
  }

  /** Base-rate frames [start, start + frames) of channels 2p and 2p + 1 (or silence) into the pair's input. */
  load(p: number, channels: Float32Array[], start: number, frames: number): void {
    const to = this.in[p];
    const left = channels[2 * p];
    const right = 2 * p + 1 < channels.length ? channels[2 * p + 1] : null;
    if (right === null) {
      for (let i = 0; i < frames; i++) { to[2 * i] = left[start + i]; to[2 * i + 1] = 0; }
    } else {
      for (let i = 0; i < frames; i++) { to[2 * i] = left[start + i]; to[2 * i + 1] = right[start + i]; }
    }
  }

  /** The loaded input, 4x, into wide[p] (rounded to f32, as the per-channel path's Float32Array). */
  upsample(p: number, frames: number): void {
    const l = this.layout, a = l.pairs[p];
    this.exports.up(a.u1, l.c1, l.m1, frames, a.u2 + 16 * (2 * l.m2 + 1), 0);
    this.exports.up(a.u2, l.c2, l.m2, 2 * frames, a.w + 16 * (4 * l.md + 2), 1);
  }

  /** wide[p][4i + r] = f32(fastTanh(drive[i] · x) · post[i]). */
  tanh(p: number, frames: number): void {
    this.exports.tanh(this.layout.pairs[p].w + 16 * (4 * this.layout.md + 2), this.layout.drive, this.layout.post, frames);
  }

  /** wide[p][4i + r] = f32((fastTanh(drive[i] · x + 0.3) − offset) · scale). */
  tube(p: number, frames: number, offset: number, scale: number): void {
    this.exports.tube(this.layout.pairs[p].w + 16 * (4 * this.layout.md + 2), this.layout.drive, frames, offset, scale);
  }

  /** wide[p] back to the base rate, into out[p]. */
  downsample(p: number, frames: number): void {
    const l = this.layout, a = l.pairs[p];
    this.exports.down(a.w, l.d, l.md, 4 * frames, a.f + 16 * 2 * l.centre);
    this.exports.fir(a.f, l.t, l.centre, frames, a.out);
  }

  reset(): void {
    for (const region of this.regions) region.fill(0);
  }
}
