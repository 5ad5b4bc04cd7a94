// Saturation: drive into a static curve ('tanh' soft clip, 'tube' biased and asymmetric with its DC
// removed afterwards, 'hard' clip with antiderivative anti-aliasing), run at 4x the sample rate so
// the harmonics the curve makes stay out of the audio band; then level (auto gain and outputDb) and
// dry/wet against the dry signal delayed by the oversampler's latency. A stereo saturation works on a
// block in the pair kernel's memory (wide-pairs.ts): copied in once, each chunk loaded, oversampled,
// shaped, decimated and (with settled levels) mixed in the kernel, copied out once; the same arithmetic
// as the per-channel JS path, bit-identical.
import { assertProcessorShape, DENORMAL_FLOOR as SHARED_DENORMAL_FLOOR, type ParametricProcessor } from '../api.js';
import { Smoother } from '../smoothing.js';
import { requireRange } from '../space/range.js';
import { OVERSAMPLING_CHUNK, WaveshaperOversampler } from './oversampling.js';
import { autoGain, fastTanh as sharedFastTanh, hardClipAdaa as sharedHardClipAdaa, SATURATION_MODES, TUBE_OFFSET, TUBE_SCALE, tubeCurve as sharedTubeCurve, type SaturationMode } from './shapers.js';
import type { PairBlock, WidePairs } from './wide-pairs.js';

// Module-local bindings of per-sample helpers: hot loops call them directly, never through a module
// binding (which some loaders compile to a getter call per use).
const fastTanh = sharedFastTanh;
const hardClipAdaa = sharedHardClipAdaa;
const tubeCurve = sharedTubeCurve;

/** A module-local copy: hot loops read a constant, not a module binding (a getter call under some loaders). */
const DENORMAL_FLOOR = SHARED_DENORMAL_FLOOR;

export type { SaturationMode };

export interface SaturationParams {
  mode: SaturationMode;
  /** Gain into the curve (dB), 0..48. */
  driveDb: number;
  /** Gain after the curve (dB), on top of the automatic compensation. */
  outputDb: number;
  /** Undo the drive's level change (a −12 dBFS sine keeps its peak level). */
  autoGain: boolean;
  /** Dry/wet, 0..1. */
  mix: number;
}

export const SATURATION_DEFAULTS: SaturationParams = { mode: 'tanh', driveDb: 6, outputDb: 0, autoGain: true, mix: 1 };

export const SATURATION_OVERSAMPLING = 4;
/** Frames a stereo saturation copies into the kernel's memory per pass (a multiple of OVERSAMPLING_CHUNK). */
const BLOCK_FRAMES = 4096;
/** The DC blocker after the tube curve: one-pole high-pass at this frequency. */
const DC_BLOCK_HZ = 5;

const dbToGain = (db: number) => Math.pow(10, db / 20);

function validate(p: SaturationParams): void {
  if (!SATURATION_MODES.includes(p.mode)) throw new RangeError(`saturation: mode must be one of ${SATURATION_MODES.join(', ')}, got ${String(p.mode)}`);
  requireRange('saturation', 'driveDb', p.driveDb, 0, 48);
  requireRange('saturation', 'outputDb', p.outputDb, -48, 24);
  requireRange('saturation', 'mix', p.mix, 0, 1);
}

export class Saturation implements ParametricProcessor<SaturationParams> {
  /** The oversampler's round trip; the dry path is delayed to match. */
  readonly latency: number;
  private current: SaturationParams;
  private readonly oversampler: WaveshaperOversampler;
  private readonly input: Float32Array[];
  private readonly wide: Float32Array[];
  private readonly wet: Float64Array[];
  private readonly dry: Float64Array[];
  private dryIndex = 0;
  private readonly previous: Float64Array;
  private readonly dc: Float64Array;
  private readonly dcCoefficient: number;
  private readonly drive: Smoother;
  private readonly gain: Smoother;
  private readonly mix: Smoother;
  private readonly tubeAmount: Smoother;
  /** Mode changes cross-fade: `fade` runs 0 → 1 from `fadeFrom` to the current mode. */
  private readonly fade: Smoother;
  private fadeFrom: SaturationMode;
  private readonly driveChunk = new Float64Array(OVERSAMPLING_CHUNK);
  private readonly fadeChunk = new Float64Array(OVERSAMPLING_CHUNK);
  private readonly fadeScratch = new Float32Array(OVERSAMPLING_CHUNK * SATURATION_OVERSAMPLING);
  /** Stereo with the pair kernel: its block (and its dry line and DC levels, used instead of `dry` and `dc`). */
  private readonly block: PairBlock | null;
  /** The drive value the kernel's drive buffer holds for every frame of a chunk (NaN: not filled). */
  private driveFilled = NaN;

  constructor(sampleRate: number, private readonly channelCount: number, params: Partial<SaturationParams> = {}) {
    assertProcessorShape('saturation', sampleRate, channelCount);
    this.current = { ...SATURATION_DEFAULTS, ...params };
    validate(this.current);
    this.fadeFrom = this.current.mode;
    this.oversampler = new WaveshaperOversampler(channelCount, SATURATION_OVERSAMPLING, channelCount === 2 ? BLOCK_FRAMES : 0);
    this.block = this.oversampler.pairs?.block ?? null;
    this.latency = this.oversampler.latency;
    const wideFrames = OVERSAMPLING_CHUNK * SATURATION_OVERSAMPLING;
    this.input = Array.from({ length: channelCount }, () => new Float32Array(OVERSAMPLING_CHUNK));
    this.wide = Array.from({ length: channelCount }, () => new Float32Array(wideFrames));
    this.wet = Array.from({ length: channelCount }, () => new Float64Array(OVERSAMPLING_CHUNK));
    this.dry = this.block ? [] : Array.from({ length: channelCount }, () => new Float64Array(Math.max(1, this.latency)));
    this.previous = new Float64Array(channelCount);
    this.dc = this.block ? this.block.state.subarray(0, 2) : new Float64Array(channelCount);
    this.dcCoefficient = 1 - Math.exp((-2 * Math.PI * DC_BLOCK_HZ) / sampleRate);
    this.drive = new Smoother(sampleRate, 1);
    this.gain = new Smoother(sampleRate, 1);
    this.mix = new Smoother(sampleRate, 1);
    this.tubeAmount = new Smoother(sampleRate, 0);
    this.fade = new Smoother(sampleRate, 1);
    this.oversampler.pairs?.post.fill(1);
    this.reset();
  }

  get params(): Readonly<SaturationParams> {
    return this.current;
  }

  set(params: Partial<SaturationParams>): void {
    const next = { ...this.current, ...params };
    validate(next);
    if (next.mode !== this.current.mode) {
      this.fadeFrom = this.current.mode;
      this.fade.jump(0);
      this.fade.setTarget(1);
    }
    this.current = next;
    this.setTargets(false);
  }

  reset(): void {
    this.oversampler.reset();
    for (const line of this.dry) line.fill(0);
    this.block?.line.fill(0);
    this.dryIndex = 0;
    this.previous.fill(0);
    this.dc.fill(0);
    this.fadeFrom = this.current.mode;
    this.fade.jump(1);
    this.setTargets(true);
  }

  private setTargets(jump: boolean): void {
    const p = this.current;
    const drive = dbToGain(p.driveDb);
    const gain = dbToGain(p.outputDb) * (p.autoGain ? autoGain(p.mode, drive) : 1);
    const targets: [Smoother, number][] = [[this.drive, drive], [this.gain, gain], [this.mix, p.mix], [this.tubeAmount, p.mode === 'tube' ? 1 : 0]];
    for (const [smoother, value] of targets) if (jump) smoother.jump(value); else smoother.setTarget(value);
  }

  /**
   * Shapes one channel's top-rate chunk, element j at x[xAt + j · xStride], into out[outAt + j · outStride]
   * (may be the same array), `drive` per base frame; results are rounded to f32 (the wide signal's precision).
   */
  private shape(mode: SaturationMode, x: Float32Array | Float64Array, xAt: number, xStride: number, out: Float32Array | Float64Array, outAt: number, outStride: number, c: number, frames: number): void {
    const factor = SATURATION_OVERSAMPLING;
    const drive = this.driveChunk;
    const fround = Math.fround;
    // Every mode keeps the last driven sample, so switching to 'hard' starts its segment correctly.
    const last = frames > 0 ? drive[frames - 1] * x[xAt + (frames * factor - 1) * xStride] : this.previous[c];
    if (mode === 'tanh') {
      for (let i = 0; i < frames; i++) for (let j = i * factor, end = j + factor; j < end; j++) out[outAt + j * outStride] = fround(fastTanh(drive[i] * x[xAt + j * xStride]));
    } else if (mode === 'tube') {
      for (let i = 0; i < frames; i++) for (let j = i * factor, end = j + factor; j < end; j++) out[outAt + j * outStride] = fround(tubeCurve(drive[i] * x[xAt + j * xStride]));
    } else {
      let previous = this.previous[c];
      for (let i = 0; i < frames; i++) {
        for (let j = i * factor, end = j + factor; j < end; j++) {
          const v = drive[i] * x[xAt + j * xStride];
          out[outAt + j * outStride] = fround(hardClipAdaa(v, previous));
          previous = v;
        }
      }
    }
    this.previous[c] = last;
  }

  /** One channel's chunk through the curve(s): the current mode, cross-faded from `fadeFrom` while fading. */
  private shapeFaded(fading: boolean, x: Float32Array | Float64Array, at: number, stride: number, c: number, count: number): void {
    const factor = SATURATION_OVERSAMPLING;
    const mode = this.current.mode;
    if (!fading) {
      this.shape(mode, x, at, stride, x, at, stride, c, count);
      return;
    }
    // Cross-fade from the old curve to the new one, per base frame.
    const { fadeScratch } = this;
    const previous = this.previous[c];
    this.shape(this.fadeFrom, x, at, stride, fadeScratch, 0, 1, c, count);
    this.previous[c] = previous;
    this.shape(mode, x, at, stride, x, at, stride, c, count);
    for (let i = 0; i < count; i++) {
      const f = this.fadeChunk[i];
      if (f === 1) continue; // the fade ended inside this chunk: exactly the new curve, as an unfaded chunk
      for (let j = i * factor, end = j + factor; j < end; j++) {
        const k = at + j * stride;
        x[k] = Math.fround(fadeScratch[j] + (x[k] - fadeScratch[j]) * f);
      }
    }
  }

  private mixStereo(channels: Float32Array[], start: number, count: number, gain: number, mix: number, tube: number): number {
    const { wet, dry } = this;
    return mixStereoLoop(wet[0], wet[1], dry[0], dry[1], channels[0], channels[1], start, count, this.dc, this.dryIndex, this.latency, this.dcCoefficient, gain, mix, tube);
  }

  /** The oversampled curve for frames [start, start + count) of every channel into `wet`, on the pair kernel. */
  private wetPairs(pairs: WidePairs, channels: Float32Array[], start: number, count: number, fading: boolean): void {
    const factor = SATURATION_OVERSAMPLING;
    const mode = this.current.mode;
    for (let p = 0; p < pairs.pairs; p++) {
      pairs.load(p, channels, start, count);
      pairs.upsample(p, count);
      const x = pairs.wide[p];
      const lanes = Math.min(2, this.channelCount - 2 * p);
      if (!fading && mode !== 'hard') {
        for (let lane = 0; lane < lanes; lane++) this.previous[2 * p + lane] = count > 0 ? this.driveChunk[count - 1] * x[2 * (count * factor - 1) + lane] : this.previous[2 * p + lane];
        if (mode === 'tanh') pairs.tanh(p, count);
        else pairs.tube(p, count, TUBE_OFFSET, TUBE_SCALE);
      } else {
        for (let lane = 0; lane < lanes; lane++) this.shapeFaded(fading, x, lane, 2, 2 * p + lane, count);
      }
      pairs.downsample(p, count);
      const out = pairs.out[p];
      for (let lane = 0; lane < lanes; lane++) {
        const w = this.wet[2 * p + lane];
        for (let i = 0; i < count; i++) w[i] = out[2 * i + lane];
      }
    }
  }

  process(channels: Float32Array[], frames: number): void {
    const block = this.block;
    if (block !== null) {
      for (let done = 0; done < frames; done += block.frames) this.processBlock(block, channels, done, Math.min(block.frames, frames - done));
      return;
    }
    const factor = SATURATION_OVERSAMPLING;
    const { wide, wet, dry, input } = this;
    const pairs = this.oversampler.pairs;
    for (let start = 0; start < frames; start += OVERSAMPLING_CHUNK) {
      const count = Math.min(OVERSAMPLING_CHUNK, frames - start);
      for (let i = 0; i < count; i++) this.driveChunk[i] = this.drive.next();
      const fading = this.fade.smoothing;
      if (fading) for (let i = 0; i < count; i++) this.fadeChunk[i] = this.fade.next();
      if (pairs !== null) {
        const drive = pairs.drive;
        for (let i = 0; i < count; i++) drive[i] = this.driveChunk[i];
        this.wetPairs(pairs, channels, start, count, fading);
      } else {
        for (let c = 0; c < this.channelCount; c++) {
          const from = channels[c];
          const to = input[c];
          for (let i = 0; i < count; i++) to[i] = from[start + i];
        }
        this.oversampler.upsample(input, count, wide);
        for (let c = 0; c < this.channelCount; c++) this.shapeFaded(fading, wide[c], 0, 1, c, count);
        this.oversampler.downsample(wide, count, wet);
      }
      const dc = this.dcCoefficient;
      const latency = this.latency;
      let index = this.dryIndex;
      if (!this.gain.smoothing && !this.mix.smoothing && !this.tubeAmount.smoothing) {
        // Settled levels: one loop per channel, the same arithmetic as the per-frame loop below.
        const gain = this.gain.current, mix = this.mix.current, tube = this.tubeAmount.current, dryGain = 1 - mix;
        if (this.channelCount === 2) {
          // Stereo: both channels in one loop (their DC-blocker recursions overlap); the same arithmetic.
          this.dryIndex = this.mixStereo(channels, start, count, gain, mix, tube);
          continue;
        }
        for (let c = 0; c < this.channelCount; c++) {
          const w = wet[c], line = dry[c], out = channels[c];
          let level = this.dc[c];
          let at = index;
          for (let i = 0; i < count; i++) {
            const v = w[i];
            const next = level + dc * (v - level);
            level = Math.abs(next) > DENORMAL_FLOOR ? next : 0;
            const delayed = line[at];
            const x = out[start + i];
            line[at] = x;
            const shaped = (v - next * tube) * gain * mix;
            out[start + i] = delayed * dryGain + (Math.abs(shaped) > DENORMAL_FLOOR ? shaped : 0);
            at = at + 1 === latency ? 0 : at + 1;
          }
          this.dc[c] = level;
          if (c === this.channelCount - 1) index = at;
        }
        this.dryIndex = index;
        continue;
      }
      for (let i = 0; i < count; i++) {
        const gain = this.gain.next();
        const mix = this.mix.next();
        const tube = this.tubeAmount.next();
        for (let c = 0; c < this.channelCount; c++) {
          const w = wet[c][i];
          const level = this.dc[c] + dc * (w - this.dc[c]);
          this.dc[c] = Math.abs(level) > DENORMAL_FLOOR ? level : 0;
          const delayed = dry[c][index];
          const x = channels[c][start + i];
          dry[c][index] = x;
          const shaped = (w - level * tube) * gain * mix;
          channels[c][start + i] = delayed * (1 - mix) + (Math.abs(shaped) > DENORMAL_FLOOR ? shaped : 0);
        }
        index = index + 1 === latency ? 0 : index + 1;
      }
      this.dryIndex = index;
    }
  }

  /**
   * process() for frames [offset, offset + n) of a stereo signal (n <= the block's frames) through the
   * kernel's block: the chunks of process() with the same arithmetic (the curve through the pair kernel,
   * or shapeFaded() while modes cross-fade; the output stage in the kernel while levels are settled,
   * else the per-frame loop below on the block, the dry line and the DC levels in the kernel's memory).
   */
  private processBlock(block: PairBlock, channels: Float32Array[], offset: number, n: number): void {
    const pairs = this.oversampler.pairs as WidePairs;
    const latency = this.latency, line = block.line, state = block.state, dc = this.dcCoefficient;
    const out = pairs.out[0], left = block.arrays[0], right = block.arrays[1];
    pairs.loadBlock(channels, offset, n);
    for (let start = 0; start < n; start += OVERSAMPLING_CHUNK) {
      const count = Math.min(OVERSAMPLING_CHUNK, n - start);
      const drive = pairs.drive, driveChunk = this.driveChunk;
      const settled = !this.drive.smoothing;
      if (!settled || this.driveFilled !== this.drive.current) {
        // (A settled smoother's next() returns its value unchanged: filling once is the same as per frame.)
        for (let i = 0; i < count; i++) drive[i] = driveChunk[i] = this.drive.next();
        this.driveFilled = settled && count === OVERSAMPLING_CHUNK ? this.drive.current : NaN;
      }
      const fading = this.fade.smoothing;
      if (fading) for (let i = 0; i < count; i++) this.fadeChunk[i] = this.fade.next();
      pairs.loadFromBlock(start, count);
      this.shapePair(pairs, count, fading);
      if (!this.gain.smoothing && !this.mix.smoothing && !this.tubeAmount.smoothing) {
        const mix = this.mix.current;
        state[2] = dc; state[3] = this.gain.current; state[4] = mix; state[5] = this.tubeAmount.current; state[6] = 1 - mix;
        this.dryIndex = pairs.mixIntoBlock(start, count, this.dryIndex, latency);
        continue;
      }
      let index = this.dryIndex;
      for (let i = 0; i < count; i++) {
        const gain = this.gain.next();
        const mix = this.mix.next();
        const tube = this.tubeAmount.next();
        for (let c = 0; c < 2; c++) {
          const w = out[2 * i + c];
          const level = state[c] + dc * (w - state[c]);
          state[c] = Math.abs(level) > DENORMAL_FLOOR ? level : 0;
          const delayed = line[2 * index + c];
          const x = c === 0 ? left[start + i] : right[start + i];
          line[2 * index + c] = x;
          const shaped = (w - level * tube) * gain * mix;
          const y = delayed * (1 - mix) + (Math.abs(shaped) > DENORMAL_FLOOR ? shaped : 0);
          if (c === 0) left[start + i] = y; else right[start + i] = y;
        }
        index = index + 1 === latency ? 0 : index + 1;
      }
      this.dryIndex = index;
    }
    pairs.storeBlock(channels, offset, n);
  }

  /** wetPairs() for the stereo block path: pair 0, already loaded, through the curve(s) into pairs.out[0]. */
  private shapePair(pairs: WidePairs, count: number, fading: boolean): void {
    const factor = SATURATION_OVERSAMPLING;
    const mode = this.current.mode;
    pairs.upsample(0, count);
    const x = pairs.wide[0];
    if (!fading && mode !== 'hard') {
      for (let lane = 0; lane < 2; lane++) this.previous[lane] = count > 0 ? this.driveChunk[count - 1] * x[2 * (count * factor - 1) + lane] : this.previous[lane];
      if (mode === 'tanh') pairs.tanh(0, count);
      else pairs.tube(0, count, TUBE_OFFSET, TUBE_SCALE);
    } else {
      for (let lane = 0; lane < 2; lane++) this.shapeFaded(fading, x, lane, 2, lane, count);
    }
    pairs.downsample(0, count);
  }
}

/** The settled-level output loop for two channels at once (Saturation.process's arithmetic); returns the new dry index. */
function mixStereoLoop(
  wl: Float64Array, wr: Float64Array, ll: Float64Array, lr: Float64Array, ol: Float32Array, or: Float32Array, start: number, count: number,
  state: Float64Array, index: number, latency: number, dc: number, gain: number, mix: number, tube: number,
): number {
  const dryGain = 1 - mix;
  let a = state[0], b = state[1], at = index;
  for (let i = 0; i < count; i++) {
    const v = wl[i], u = wr[i];
    const nextA = a + dc * (v - a), nextB = b + dc * (u - b);
    a = Math.abs(nextA) > DENORMAL_FLOOR ? nextA : 0;
    b = Math.abs(nextB) > DENORMAL_FLOOR ? nextB : 0;
    const delayedA = ll[at], delayedB = lr[at];
    ll[at] = ol[start + i]; lr[at] = or[start + i];
    const shapedA = (v - nextA * tube) * gain * mix, shapedB = (u - nextB * tube) * gain * mix;
    ol[start + i] = delayedA * dryGain + (Math.abs(shapedA) > DENORMAL_FLOOR ? shapedA : 0);
    or[start + i] = delayedB * dryGain + (Math.abs(shapedB) > DENORMAL_FLOOR ? shapedB : 0);
    at = at + 1 === latency ? 0 : at + 1;
  }
  state[0] = a; state[1] = b;
  return at;
}

export const createSaturation = (sampleRate: number, channelCount: number, params?: Partial<SaturationParams>) =>
  new Saturation(sampleRate, channelCount, params);
