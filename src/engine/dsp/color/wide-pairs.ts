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

  private constructor(
    private readonly exports: { up: Up; down: Down; fir: Down; tanh: Tanh; tube: Tube },
    buffer: ArrayBuffer,
    private readonly layout: { c1: number; c2: number; d: number; t: number; m1: number; m2: number; md: number; centre: number; drive: number; post: number; pairs: PairAddresses[]; chunk: number; pairBytes: number },
  ) {
    this.pairs = layout.pairs.length;
    const { md, chunk } = layout;
    this.drive = new Float64Array(buffer, layout.drive, chunk);
    this.post = new Float64Array(buffer, layout.post, chunk);
    this.in = layout.pairs.map((a) => new Float64Array(buffer, a.u1 + 16 * (2 * layout.m1 + 1), 2 * chunk));
    this.wide = layout.pairs.map((a) => new Float64Array(buffer, a.w + 16 * (4 * md + 2), 8 * chunk));
    this.out = layout.pairs.map((a) => new Float64Array(buffer, a.out, 2 * chunk));
    this.regions = layout.pairs.map((a) => new Float64Array(buffer, a.u1, layout.pairBytes / 8));
  }

  /** A kernel for `channelCount` channels and chunks of up to `chunk` base frames, or null (no WebAssembly SIMD). */
  static create(channelCount: number, chunk: number, up1: HalfbandDesign, up2: HalfbandDesign, down: HalfbandDesign, taps: Float64Array): WidePairs | null {
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
    const kernel = instantiateKernel(WAVESHAPER_KERNEL_WASM_BASE64, at);
    if (!kernel) return null;
    const buffer = kernel.memory.buffer;
    new Float64Array(buffer, c1, up1.m + 1).set(up1.pairTaps.map((tap) => 2 * tap));
    new Float64Array(buffer, c2, up2.m + 1).set(up2.pairTaps.map((tap) => 2 * tap));
    new Float64Array(buffer, d, down.m + 1).set(down.pairTaps);
    new Float64Array(buffer, t, taps.length).set(taps);
    const e = kernel.exports as unknown as { up: Up; down: Down; fir: Down; tanh: Tanh; tube: Tube };
    return new WidePairs(e, buffer, { c1, c2, d, t, m1: up1.m, m2: up2.m, md: down.m, centre, drive, post, pairs, chunk, pairBytes });
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
