// Oversampling for the waveshapers: the shared halfband up path (resample/oversampler.ts), and a down
// path whose last stage is alias-free. The shared halfband's transition is centred on the base Nyquist
// (0.45 → 0.55 fs), so a harmonic just above fs/2 (the 5th of a 5 kHz tone, 25 kHz at 48 kHz) would
// fold back to 23 kHz only ~30 dB down. Here the top stages are the shared halfbands, and the 2x → 1x
// stage is a Kaiser-windowed sinc FIR (Kaiser 1974) with its stopband (90 dB) starting at fs/2 (pass
// 0.42 fs). The halfbands run at 'draft' quality (70 dB): what they let through lands above fs/2 at the
// 2x rate, where the final stage removes it, or 70 dB down on top of the harmonics' own level.
import { Oversampler, oversamplerStageDesign, type OversamplingFactor } from '../resample/oversampler.js';
import { HalfbandDownsampler } from '../resample/halfband.js';
import { besselI0, kaiserBeta, kaiserLength, kaiserWindow, sinc } from '../resample/kaiser.js';
import { instantiateKernel } from '../../wasm.js';
import { DECIMATOR_KERNEL_WASM_BASE64 } from './decimator-kernel.wasm.js';
import { WidePairs } from './wide-pairs.js';

/** Base-rate frames per internal pass (the scratch buffers hold this many, times the factor). */
export const OVERSAMPLING_CHUNK = 256;
const PASSBAND = 0.42;
const STOPBAND = 0.5;
/** The final stage carries the alias protection of the audio band; the halfbands only reject images far from it. */
const FINAL_ATTENUATION_DB = 90;
const HALFBAND_QUALITY = 'draft';

/** Odd-length linear-phase low-pass for the 2x → 1x stage, in cycles per 2x-rate sample; DC gain 1. */
export function finalStageTaps(): Float64Array {
  const pass = PASSBAND / 2;
  const stop = STOPBAND / 2;
  let length = kaiserLength(FINAL_ATTENUATION_DB, stop - pass);
  if (length % 2 === 0) length++;
  const centre = (length - 1) / 2;
  const beta = kaiserBeta(FINAL_ATTENUATION_DB);
  const i0 = besselI0(beta);
  const cutoff = pass + stop; // 2 · (pass + stop) / 2
  const taps = new Float64Array(length);
  let sum = 0;
  for (let n = 0; n < length; n++) sum += taps[n] = cutoff * sinc(cutoff * (n - centre)) * kaiserWindow((n - centre) / centre, beta, i0);
  for (let n = 0; n < length; n++) taps[n] /= sum;
  return taps;
}

export class WaveshaperOversampler {
  readonly factor: OversamplingFactor;
  /** Round-trip delay in base-rate frames (an integer). */
  readonly latency: number;
  private readonly up: Oversampler;
  private readonly halfbands: HalfbandDownsampler[];
  private readonly taps: Float64Array;
  private readonly centre: number;
  /** Per channel: pad delay + 2x-rate history for the final FIR. */
  private readonly padFrames: number;
  private readonly pads: Float64Array[];
  private readonly padIndex: Int32Array;
  private readonly histories: Float64Array[];
  /** The final FIR's WebAssembly kernel (bit-identical to the JS loop in downsample()), or null. */
  private readonly kernel: ((history: number, taps: number, centre: number, frames: number, out: number) => void) | null = null;
  private readonly historyAddresses: number[] = [];
  private readonly outputAddress: number = 0;
  private readonly kernelOutput: Float64Array | null = null;
  private readonly scratchA: Float64Array;
  private readonly scratchB: Float64Array;
  /**
   * The whole round trip on channel pairs in one WebAssembly kernel (wide-pairs.ts), bit-identical to
   * upsample() / downsample(); null where unavailable (then callers use the per-channel methods).
   */
  readonly pairs: WidePairs | null;

  /** `blockFrames`: stereo, give the pair kernel a PairBlock of that many frames with a dry line of `latency` frames. */
  constructor(private readonly channelCount: number, factor: OversamplingFactor, blockFrames = 0) {
    this.factor = factor;
    this.up = new Oversampler(channelCount, factor, { chunkFrames: OVERSAMPLING_CHUNK, quality: HALFBAND_QUALITY });
    const stages = Math.log2(factor);
    // Halfband decimators from the top rate down to 2x: stage s runs at 2^s times the base rate.
    this.halfbands = [];
    let topDelay = this.up.upsampleLatencyFrames;
    for (let s = stages; s >= 2; s--) {
      const design = oversamplerStageDesign(s, HALFBAND_QUALITY);
      this.halfbands.push(new HalfbandDownsampler(design, channelCount, OVERSAMPLING_CHUNK * 2 ** s));
      topDelay += (2 * design.m + 1) * 2 ** (stages - s);
    }
    this.taps = finalStageTaps();
    this.centre = (this.taps.length - 1) / 2;
    topDelay += this.centre * 2 ** (stages - 1);
    // A top-rate pad makes the round trip a whole number of base samples.
    this.padFrames = (factor - (topDelay % factor)) % factor;
    this.latency = (topDelay + this.padFrames) / factor;
    this.pads = Array.from({ length: channelCount }, () => new Float64Array(Math.max(1, this.padFrames)));
    this.padIndex = new Int32Array(channelCount);
    const historyLength = this.taps.length - 1 + 2 * OVERSAMPLING_CHUNK;
    // The final FIR runs in a WebAssembly SIMD kernel where available (taps at 0, then each channel's
    // history, then the output), with the histories as views onto its memory.
    const align = (bytes: number) => 16 * Math.ceil(bytes / 16);
    const tapBytes = align(this.taps.length * 8), historyBytes = align(historyLength * 8);
    const kernel = this.centre % 4 === 0
      ? instantiateKernel(DECIMATOR_KERNEL_WASM_BASE64, tapBytes + channelCount * historyBytes + OVERSAMPLING_CHUNK * 8)
      : null;
    if (kernel) {
      const buffer = kernel.memory.buffer;
      new Float64Array(buffer, 0, this.taps.length).set(this.taps);
      this.historyAddresses = Array.from({ length: channelCount }, (_, c) => tapBytes + c * historyBytes);
      this.histories = this.historyAddresses.map((at) => new Float64Array(buffer, at, historyLength));
      this.outputAddress = tapBytes + channelCount * historyBytes;
      this.kernelOutput = new Float64Array(buffer, this.outputAddress, OVERSAMPLING_CHUNK);
      this.kernel = kernel.exports.fir as (history: number, taps: number, centre: number, frames: number, out: number) => void;
    } else {
      this.histories = Array.from({ length: channelCount }, () => new Float64Array(historyLength));
    }
    this.scratchA = new Float64Array(OVERSAMPLING_CHUNK * factor);
    this.scratchB = new Float64Array(OVERSAMPLING_CHUNK * factor);
    this.pairs = factor === 4 && this.padFrames === 0 && this.halfbands.length === 1
      ? WidePairs.create(channelCount, OVERSAMPLING_CHUNK, oversamplerStageDesign(1, HALFBAND_QUALITY), oversamplerStageDesign(2, HALFBAND_QUALITY),
        oversamplerStageDesign(2, HALFBAND_QUALITY), this.taps, blockFrames > 0 ? { frames: blockFrames, lineFrames: this.latency } : undefined)
      : null;
  }

  /** `frames` <= OVERSAMPLING_CHUNK base frames of every channel into output[c][0 .. frames · factor). */
  upsample(input: Float32Array[], frames: number, output: Float32Array[]): void {
    this.up.upsample(input, frames, output);
  }

  /** frames · factor top-rate samples of every channel into output[c][offset .. offset + frames). */
  downsample(input: Float32Array[], frames: number, output: Float64Array[]): void {
    const factor = this.factor;
    const taps = this.taps;
    const length = taps.length;
    const centre = this.centre;
    for (let c = 0; c < this.channelCount; c++) {
      // Pad delay (ring), into scratch A.
      const ring = this.pads[c];
      const top = frames * factor;
      let source = this.scratchA;
      const x = input[c];
      if (this.padFrames === 0) {
        for (let i = 0; i < top; i++) source[i] = x[i];
      } else {
        let index = this.padIndex[c];
        const size = ring.length;
        for (let i = 0; i < top; i++) {
          source[i] = ring[index];
          ring[index] = x[i];
          index = index + 1 === size ? 0 : index + 1;
        }
        this.padIndex[c] = index;
      }
      let count = top;
      for (const stage of this.halfbands) {
        const target = source === this.scratchA ? this.scratchB : this.scratchA;
        stage.process(c, source, 0, count, target, 0);
        source = target;
        count /= 2;
      }
      // Final 2x → 1x FIR: y[i] = Σ h[k] x[2i - k] over the history (delay: centre), symmetric taps folded.
      const history = this.histories[c];
      const kept = length - 1;
      for (let i = 0; i < count; i++) history[kept + i] = source[i];
      const y = output[c];
      if (this.kernel !== null) {
        this.kernel(this.historyAddresses[c], 0, centre, frames, this.outputAddress);
        const heap = this.kernelOutput as Float64Array;
        for (let i = 0; i < frames; i++) y[i] = heap[i];
      } else {
        // The kernel's arithmetic (decimator-kernel.wat): four partial sums over the taps k mod 4.
        const middle = taps[centre];
        for (let i = 0; i < frames; i++) {
          const newest = kept + 2 * i;
          const oldest = newest - length + 1;
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          let k = 0;
          for (; k + 3 < centre; k += 4) {
            s0 += taps[k] * (history[newest - k] + history[oldest + k]);
            s1 += taps[k + 1] * (history[newest - k - 1] + history[oldest + k + 1]);
            s2 += taps[k + 2] * (history[newest - k - 2] + history[oldest + k + 2]);
            s3 += taps[k + 3] * (history[newest - k - 3] + history[oldest + k + 3]);
          }
          for (; k < centre; k++) s0 += taps[k] * (history[newest - k] + history[oldest + k]);
          y[i] = ((s0 + s1) + (s2 + s3)) + middle * history[newest - centre];
        }
      }
      history.copyWithin(0, count, count + kept);
    }
  }

  reset(): void {
    this.up.reset();
    for (const stage of this.halfbands) stage.reset();
    for (const pad of this.pads) pad.fill(0);
    for (const history of this.histories) history.fill(0);
    this.padIndex.fill(0);
    this.pairs?.reset();
  }
}
