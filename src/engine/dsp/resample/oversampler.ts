// Streaming linear-phase oversampler by 2, 4 or 8: a cascade of halfband FIR stages (halfband.ts).
// Stage 1 carries the sharp transition (0.45 -> 0.55 of the base rate); later stages only reject the
// images of what stage 1 passed, so they are short. Same filters up and down, so an up -> down round
// trip is a pure delay of `latency` base-rate samples (a whole number: the down path pads the top rate).
//
//   const os = new Oversampler(2, 4);                // stereo, 4x, 'standard' quality
//   os.upsample(input, frames, wide);                // wide[c] holds frames * 4 samples
//   ... process wide at 4x ...
//   os.downsample(wide, frames * 4, output);         // output[c] holds frames samples
//
// Both directions keep their own state, so the upsampled signal may also be used alone (detection):
// upsampled sample j then shows the input at base time (j - upsampleLatencyFrames) / factor.

import { designHalfband, HalfbandDownsampler, HalfbandUpsampler, type HalfbandDesign } from './halfband.js';

export type OversamplingFactor = 2 | 4 | 8;

/**
 * 'draft': 70 dB per stage (round trip -65 to -75 dB), ripple < 0.01 dB (detectors, cheap colour);
 * 'standard': >= 100 dB, ripple < 0.001 dB; 'high': >= 120 dB. Passband to 0.45 fs in every case.
 */
export type OversamplingQuality = 'draft' | 'standard' | 'high';

export interface OversamplerOptions {
  quality?: OversamplingQuality;
  /** Largest `frames` per call is unlimited; this is only the internal chunk (base-rate frames). */
  chunkFrames?: number;
}

const STAGE_ONE_DB: Record<OversamplingQuality, number> = { draft: 70, standard: 105, high: 125 };
/** Later stages get a little more attenuation than stage 1, so their stopbands do not stack up to it. */
const LATER_STAGE_EXTRA_DB = 4;
/** Passband edge as a fraction of the base rate. */
export const OVERSAMPLER_PASSBAND = 0.45;

const designCache = new Map<string, HalfbandDesign>();

/**
 * Delay of a cascade of 2x interpolating stages (designs in order from the base rate), in top-rate
 * frames: each stage delays by 2m + 1 of its output samples, i.e. (2m + 1) * 2^(S - s) top-rate samples.
 */
export function upsampleLatencyFrames(designs: readonly HalfbandDesign[]): number {
  let top = 0;
  designs.forEach((d, s) => { top += (2 * d.m + 1) * 2 ** (designs.length - 1 - s); });
  return top;
}

/** Halfband for stage `stage` (1 = base -> 2x) at a quality; pure function of its arguments (cached). */
export function oversamplerStageDesign(stage: number, quality: OversamplingQuality): HalfbandDesign {
  const key = `${stage}:${quality}`;
  let design = designCache.get(key);
  if (!design) {
    const attenuationDb = STAGE_ONE_DB[quality] + LATER_STAGE_EXTRA_DB * (stage - 1);
    // Stage s runs at 2^s x base; it must pass 0.45 fs (stage 1) or the 0.55 fs stage 1 lets through (s > 1),
    // and reject from the mirror of that edge: transition (cycles per high-rate sample) = 1/2 - 2 edge / 2^s.
    const edge = stage === 1 ? OVERSAMPLER_PASSBAND : 1 - OVERSAMPLER_PASSBAND;
    design = designHalfband(attenuationDb, 0.5 - (2 * edge) / 2 ** stage);
    designCache.set(key, design);
  }
  return design;
}

const DEFAULT_CHUNK = 256;

export class Oversampler {
  readonly channelCount: number;
  readonly factor: OversamplingFactor;
  readonly quality: OversamplingQuality;
  /** Delay of the upsampled signal, in upsampled frames (input sample n appears at output n * factor + this). */
  readonly upsampleLatencyFrames: number;
  /** Round trip upsample -> downsample delay in base-rate frames (an integer). */
  readonly latency: number;
  private readonly stages: number;
  private readonly up: HalfbandUpsampler[];
  private readonly down: HalfbandDownsampler[];
  private readonly chunk: number;
  /** Ping-pong scratch for the intermediate rates (one per direction), top-rate sized. */
  private readonly scratchA: Float64Array;
  private readonly scratchB: Float64Array;
  /** Top-rate pad delay of the down path, per channel (ring of `padFrames`). */
  private readonly padFrames: number;
  private readonly pad: Float64Array[];
  private padIndex: Int32Array;

  constructor(channelCount: number, factor: OversamplingFactor, options: OversamplerOptions = {}) {
    if (!(Number.isInteger(channelCount) && channelCount >= 1 && channelCount <= 32)) {
      throw new RangeError(`oversampler: channel count must be 1-32, got ${channelCount}`);
    }
    if (factor !== 2 && factor !== 4 && factor !== 8) throw new RangeError(`oversampler: factor must be 2, 4 or 8, got ${factor}`);
    this.channelCount = channelCount;
    this.factor = factor;
    this.quality = options.quality ?? 'standard';
    if (!(this.quality in STAGE_ONE_DB)) throw new RangeError(`oversampler: unknown quality ${this.quality}`);
    this.chunk = Math.max(1, Math.floor(options.chunkFrames ?? DEFAULT_CHUNK));
    this.stages = Math.log2(factor);
    const designs = Array.from({ length: this.stages }, (_, s) => oversamplerStageDesign(s + 1, this.quality));
    // Stage s (1-based) runs with chunk * 2^(s-1) input frames when upsampling.
    this.up = designs.map((d, s) => new HalfbandUpsampler(d, channelCount, this.chunk * 2 ** s));
    this.down = designs.map((d, s) => new HalfbandDownsampler(d, channelCount, this.chunk * 2 ** (s + 1)));
    const top = upsampleLatencyFrames(designs);
    this.upsampleLatencyFrames = top;
    this.padFrames = (factor - ((2 * top) % factor)) % factor;
    this.latency = (2 * top + this.padFrames) / factor;
    this.pad = Array.from({ length: channelCount }, () => new Float64Array(Math.max(1, this.padFrames)));
    this.padIndex = new Int32Array(channelCount);
    this.scratchA = new Float64Array(this.chunk * factor);
    this.scratchB = new Float64Array(this.chunk * factor);
  }

  /** Upsamples `frames` base-rate frames of every channel into output[c][0 .. frames * factor). */
  upsample(input: Float32Array[], frames: number, output: Float32Array[]): void {
    const { factor, chunk, stages, scratchA, scratchB } = this;
    for (let c = 0; c < this.channelCount; c++) {
      const x = input[c];
      const y = output[c];
      for (let start = 0; start < frames; start += chunk) {
        const n = Math.min(chunk, frames - start);
        // All stages run on f64 scratch (one element type per loop keeps the JIT monomorphic).
        for (let i = 0; i < n; i++) scratchB[i] = x[start + i];
        let source = scratchB;
        let target = scratchA;
        let length = n;
        for (let s = 0; s < stages; s++) {
          this.up[s].process(c, source, 0, length, target, 0);
          const swap = source;
          source = target;
          target = swap;
          length *= 2;
        }
        const offset = start * factor;
        for (let i = 0; i < length; i++) y[offset + i] = source[i];
      }
    }
  }

  /** Downsamples `upFrames` (a multiple of factor) of every channel into output[c][0 .. upFrames / factor). */
  downsample(input: Float32Array[], upFrames: number, output: Float32Array[]): void {
    const { factor, chunk, stages } = this;
    if (upFrames % factor !== 0) throw new RangeError(`oversampler: ${upFrames} frames is not a multiple of ${factor}`);
    const frames = upFrames / factor;
    for (let c = 0; c < this.channelCount; c++) {
      const x = input[c];
      const y = output[c];
      for (let start = 0; start < frames; start += chunk) {
        const n = Math.min(chunk, frames - start);
        let length = n * factor;
        // Top-rate pad delay (makes the round trip a whole number of base samples).
        let source = this.scratchA;
        let target = this.scratchB;
        this.delayPad(c, x, start * factor, length, source);
        for (let s = stages - 1; s >= 0; s--) {
          this.down[s].process(c, source, 0, length, target, 0);
          const swap = source;
          source = target;
          target = swap;
          length /= 2;
        }
        for (let i = 0; i < n; i++) y[start + i] = source[i];
      }
    }
  }

  private delayPad(channel: number, input: Float32Array, offset: number, length: number, out: Float64Array): void {
    const padFrames = this.padFrames;
    if (padFrames === 0) {
      for (let i = 0; i < length; i++) out[i] = input[offset + i];
      return;
    }
    const ring = this.pad[channel];
    let index = this.padIndex[channel];
    for (let i = 0; i < length; i++) {
      out[i] = ring[index];
      ring[index] = input[offset + i];
      index = index + 1 === padFrames ? 0 : index + 1;
    }
    this.padIndex[channel] = index;
  }

  /** Clears all filter memory. */
  reset(): void {
    for (const stage of this.up) stage.reset();
    for (const stage of this.down) stage.reset();
    for (const ring of this.pad) ring.fill(0);
    this.padIndex.fill(0);
  }
}
