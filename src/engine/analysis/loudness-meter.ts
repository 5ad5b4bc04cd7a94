// A streaming BS.1770-4 / EBU R128 loudness meter: push blocks, then query.
// Momentary (400 ms) and short-term (3 s) windows slide in 10 ms hops (100 Hz, so max momentary
// is exact to 0.06 LU for a burst at any offset, EBU 3341 #13/#14); gating blocks and LRA use
// the standard 100 ms step. Windows are whole hops, so their lengths are exact at any rate.
import { type ChannelLabel, powerToDb } from '../audio.js';
import { bs1770ChannelWeight } from './channel-weights.js';
import { GrowableFloat64 } from './growable.js';
import { flushKWeightingDenormals, kWeightingHighPass, kWeightingShelf, kWeightSumOfSquares, type BiquadCoefficients } from './k-weighting.js';
import { STEREO_K_CHUNK_FRAMES, StereoKWeighting } from './k-weighting-stereo.js';

const HOPS_PER_STEP = 10; // 10 ms hops in a 100 ms step
const STEPS_PER_MOMENTARY = 4; // 400 ms
const STEPS_PER_SHORT_TERM = 30; // 3 s
const HOPS_PER_MOMENTARY = HOPS_PER_STEP * STEPS_PER_MOMENTARY;
const HOPS_PER_SHORT_TERM = HOPS_PER_STEP * STEPS_PER_SHORT_TERM;
const ABSOLUTE_GATE_LUFS = -70;
const RELATIVE_GATE_LU = -10; // BS.1770-4 integrated
const LRA_RELATIVE_GATE_LU = -20; // EBU Tech 3342

/** BS.1770: L = -0.691 + 10 log10(sum of weighted mean squares). */
export function powerToLufs(power: number): number {
  return -0.691 + powerToDb(power);
}

export function lufsToPower(lufs: number): number {
  return Math.pow(10, (lufs + 0.691) / 10);
}

export interface LoudnessMeterOptions {
  sampleRate: number;
  channelLayout: ChannelLabel[];
  /** Keep momentary and short-term loudness for every hop (memory: 16 bytes per 10 ms). */
  keepSeries?: boolean;
  /** false: stereo is filtered per channel in JS, not by the wasm pair kernel (same results; for tests). */
  wasm?: boolean;
}

export interface LoudnessSeries {
  /** Nominal hop; element k is the window ending at (k + 1) * hopSeconds. */
  hopSeconds: number;
  /** LUFS per hop; NaN before the first full window and for silence (-Infinity) is kept as -Infinity. */
  momentaryLufs: Float64Array;
  shortTermLufs: Float64Array;
}

export class LoudnessMeter {
  readonly sampleRate: number;
  readonly channelCount: number;
  /** Frames in a 100 ms gating step (window lengths are exact multiples of it). */
  readonly stepFrames: number;
  readonly hopSeconds = 0.01;

  private readonly weights: Float64Array;
  private readonly shelf: BiquadCoefficients;
  private readonly highPass: BiquadCoefficients;
  private readonly filterStates: Float64Array[];
  /** Stereo: both channels' K-weighting in one wasm loop (bit-identical to the per-channel JS path). */
  private readonly pair: StereoKWeighting | null;
  private readonly hopChannelSums: Float64Array;
  /** Ring of the last 300 weighted hop energies (sum of squares, not yet divided by frames). */
  private readonly hopRing = new Float64Array(HOPS_PER_SHORT_TERM);
  private hopIndex = 0; // hops completed
  private framesIntoHop = 0;
  private framesTotal = 0;
  private readonly momentaryFrames: number;
  private readonly shortTermFrames: number;
  private readonly blockPowers = new GrowableFloat64();
  private readonly shortTermPowers = new GrowableFloat64();
  private readonly momentarySeries: GrowableFloat64 | null;
  private readonly shortTermSeries: GrowableFloat64 | null;
  private maxMomentaryPower = -1;
  private maxShortTermPower = -1;

  constructor(options: LoudnessMeterOptions) {
    const { sampleRate, channelLayout } = options;
    if (!(sampleRate > 0)) throw new RangeError(`sample rate must be positive, got ${sampleRate}`);
    if (channelLayout.length < 1) throw new RangeError('at least one channel is needed');
    this.sampleRate = sampleRate;
    this.channelCount = channelLayout.length;
    this.weights = Float64Array.from(channelLayout, bs1770ChannelWeight);
    this.shelf = kWeightingShelf(sampleRate);
    this.highPass = kWeightingHighPass(sampleRate);
    this.filterStates = channelLayout.map(() => new Float64Array(6));
    this.pair = this.channelCount === 2 && options.wasm !== false ? StereoKWeighting.create(this.shelf, this.highPass) : null;
    this.hopChannelSums = new Float64Array(this.channelCount);
    this.stepFrames = Math.round(sampleRate / 10);
    this.momentaryFrames = this.stepFrames * STEPS_PER_MOMENTARY;
    this.shortTermFrames = this.stepFrames * STEPS_PER_SHORT_TERM;
    this.momentarySeries = options.keepSeries ? new GrowableFloat64() : null;
    this.shortTermSeries = options.keepSeries ? new GrowableFloat64() : null;
  }

  /** Frames in hop number `hop` (0-based): hop boundaries are floor(k * step / 10), so 10 hops = 1 step exactly. */
  private hopLength(hop: number): number {
    const within = hop % HOPS_PER_STEP;
    return Math.floor(((within + 1) * this.stepFrames) / HOPS_PER_STEP) - Math.floor((within * this.stepFrames) / HOPS_PER_STEP);
  }

  push(channels: Float32Array[], frames: number): void {
    if (channels.length !== this.channelCount) {
      throw new RangeError(`expected ${this.channelCount} channels, got ${channels.length}`);
    }
    if (this.pair) {
      this.pushPair(this.pair, channels[0], channels[1], frames);
      return;
    }
    let position = 0;
    while (position < frames) {
      const hopFrames = this.hopLength(this.hopIndex);
      const take = Math.min(hopFrames - this.framesIntoHop, frames - position);
      for (let c = 0; c < this.channelCount; c++) {
        this.hopChannelSums[c] = kWeightSumOfSquares(
          channels[c], position, position + take, this.shelf, this.highPass, this.filterStates[c], this.hopChannelSums[c],
        );
      }
      position += take;
      this.framesIntoHop += take;
      this.framesTotal += take;
      if (this.framesIntoHop === hopFrames) this.completeHop();
    }
  }

  /** push() for a stereo pair through the wasm kernel: the same hops, sums and states as the JS path. */
  private pushPair(pair: StereoKWeighting, left: Float32Array, right: Float32Array, frames: number): void {
    const sums = pair.sums;
    for (let base = 0; base < frames; base += STEREO_K_CHUNK_FRAMES) {
      const count = Math.min(STEREO_K_CHUNK_FRAMES, frames - base);
      pair.load(left, right, base, count);
      let position = 0;
      while (position < count) {
        const hopFrames = this.hopLength(this.hopIndex);
        const take = Math.min(hopFrames - this.framesIntoHop, count - position);
        pair.run(position, position + take);
        position += take;
        this.framesIntoHop += take;
        this.framesTotal += take;
        if (this.framesIntoHop === hopFrames) {
          this.hopChannelSums[0] = sums[0];
          this.hopChannelSums[1] = sums[1];
          sums[0] = 0;
          sums[1] = 0;
          this.completeHop();
        }
      }
    }
  }

  private completeHop(): void {
    let energy = 0;
    for (let c = 0; c < this.channelCount; c++) {
      energy += this.weights[c] * this.hopChannelSums[c];
      this.hopChannelSums[c] = 0;
      flushKWeightingDenormals(this.filterStates[c]);
    }
    this.pair?.flushDenormals();
    this.hopRing[this.hopIndex % HOPS_PER_SHORT_TERM] = energy;
    this.hopIndex++;
    this.framesIntoHop = 0;

    const momentaryPower = this.hopIndex >= HOPS_PER_MOMENTARY ? this.windowEnergy(HOPS_PER_MOMENTARY) / this.momentaryFrames : NaN;
    const shortTermPower = this.hopIndex >= HOPS_PER_SHORT_TERM ? this.windowEnergy(HOPS_PER_SHORT_TERM) / this.shortTermFrames : NaN;
    if (momentaryPower > this.maxMomentaryPower) this.maxMomentaryPower = momentaryPower;
    if (shortTermPower > this.maxShortTermPower) this.maxShortTermPower = shortTermPower;
    if (this.hopIndex % HOPS_PER_STEP === 0) {
      if (this.hopIndex >= HOPS_PER_MOMENTARY) this.blockPowers.push(momentaryPower);
      if (this.hopIndex >= HOPS_PER_SHORT_TERM) this.shortTermPowers.push(shortTermPower);
    }
    this.momentarySeries?.push(powerToLufs(momentaryPower));
    this.shortTermSeries?.push(powerToLufs(shortTermPower));
  }

  /** Sum of the last `hops` hop energies, summed afresh (no running-sum drift, silence stays exactly 0). */
  private windowEnergy(hops: number): number {
    let sum = 0;
    for (let k = this.hopIndex - hops; k < this.hopIndex; k++) sum += this.hopRing[k % HOPS_PER_SHORT_TERM];
    return sum;
  }

  get frames(): number {
    return this.framesTotal;
  }

  /** Gated integrated loudness (BS.1770-4 §2.8); -Infinity when no block passes the gates. */
  integratedLufs(): number {
    return gatedLoudness(this.blockPowers.view(), RELATIVE_GATE_LU).loudness;
  }

  /** Loudness range (EBU Tech 3342), percentiles as ffmpeg takes them; 0 when fewer than 2 blocks pass. */
  loudnessRangeLu(): number {
    return loudnessRange(this.shortTermPowers.view());
  }

  maxMomentaryLufs(): number {
    return this.maxMomentaryPower < 0 ? NaN : powerToLufs(this.maxMomentaryPower);
  }

  maxShortTermLufs(): number {
    return this.maxShortTermPower < 0 ? NaN : powerToLufs(this.maxShortTermPower);
  }

  /** The 400 ms gating-block powers so far (one per 100 ms step). */
  gatingBlockPowers(): Float64Array {
    return this.blockPowers.view();
  }

  series(): LoudnessSeries | null {
    if (!this.momentarySeries || !this.shortTermSeries) return null;
    return {
      hopSeconds: this.hopSeconds,
      momentaryLufs: this.momentarySeries.view(),
      shortTermLufs: this.shortTermSeries.view(),
    };
  }
}

/** Absolute gate at -70 LUFS, then a relative gate `relativeGateLu` below the mean of what passed. */
export function gatedLoudness(powers: Float64Array, relativeGateLu: number): { loudness: number; passed: Float64Array } {
  const absolutePower = lufsToPower(ABSOLUTE_GATE_LUFS);
  let sum = 0;
  let count = 0;
  for (const p of powers) if (p > absolutePower) { sum += p; count++; }
  if (count === 0) return { loudness: -Infinity, passed: new Float64Array(0) };
  const relativePower = (sum / count) * Math.pow(10, relativeGateLu / 10);
  const gate = Math.max(absolutePower, relativePower);
  const passed = powers.filter((p) => p > gate);
  let passedSum = 0;
  for (const p of passed) passedSum += p;
  return { loudness: passed.length ? powerToLufs(passedSum / passed.length) : -Infinity, passed };
}

/** LRA = 95th - 10th percentile of gated short-term loudness; the k-th value is the round(p*n/100)-th smallest. */
export function loudnessRange(shortTermPowers: Float64Array): number {
  const { passed } = gatedLoudness(shortTermPowers, LRA_RELATIVE_GATE_LU);
  const n = passed.length;
  if (n < 2) return 0;
  const sorted = Float64Array.from(passed).sort();
  const at = (percent: number) => sorted[Math.min(n - 1, Math.max(0, Math.round((percent * n) / 100) - 1))];
  return powerToLufs(at(95)) - powerToLufs(at(10));
}
