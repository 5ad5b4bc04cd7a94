// Sample-domain statistics in one streaming pass: peak, RMS, DC, clipped runs, head/tail silence,
// and the stereo sums behind correlation and mono-sum loss. The reductions (peak, sums of x^2 and x,
// the cross sum) run in a WebAssembly SIMD kernel where available (signal-stats-kernel.wat: four
// partial sums, equal to the JS path's sequential sums to within rounding); every pass over a file
// (analysis, each delivered file's check) runs them.
import { instantiateKernel } from '../wasm.js';
import { SIGNAL_STATS_KERNEL_WASM_BASE64 } from './signal-stats-kernel.wasm.js';

/** |x| at or above this is "at full scale" (within ~1 LSB of 16-bit full scale). */
export const CLIP_LEVEL = 0.9999;
/** A clip is this many consecutive full-scale samples: single full-scale samples are legal. */
export const MIN_CLIP_RUN = 3;
/** Below -60 dBFS counts as silence for head/tail trimming. */
export const SILENCE_LEVEL = 0.001;

/** Frames per kernel call (three f32 channel slots of this size, then the results). */
const KERNEL_FRAMES = 16384;
const RESULTS_AT = 3 * 4 * KERNEL_FRAMES;

type StatsKernel = {
  channel(xAt: number, n: number, outAt: number): void;
  cross(aAt: number, bAt: number, n: number): number;
  /** Slots 0 and 1 (the first two channels, for the cross sum) and 2 (any other channel). */
  slots: Float32Array[];
  results: Float64Array;
};

function createStatsKernel(): StatsKernel | null {
  const instance = instantiateKernel(SIGNAL_STATS_KERNEL_WASM_BASE64, RESULTS_AT + 24);
  if (!instance) return null;
  const { buffer } = instance.memory;
  return {
    channel: instance.exports.channel as StatsKernel['channel'],
    cross: instance.exports.cross as StatsKernel['cross'],
    slots: [0, 1, 2].map((slot) => new Float32Array(buffer, 4 * KERNEL_FRAMES * slot, KERNEL_FRAMES)),
    results: new Float64Array(buffer, RESULTS_AT, 3),
  };
}

export interface SignalStatsOptions {
  /** false: never use the WebAssembly kernel (tests compare both paths). */
  wasm?: boolean;
}

export class SignalStats {
  readonly channelCount: number;
  readonly peaks: Float64Array;
  readonly sumSquares: Float64Array;
  readonly sums: Float64Array;
  readonly clippedSamples: Float64Array;
  readonly clippedRuns: Float64Array;
  private readonly runLengths: Float64Array;
  /** Sum of x0 * x1 over the first two channels. */
  crossSum = 0;
  frames = 0;
  /** First and last frame with any channel above SILENCE_LEVEL; -1 while none. */
  firstSoundFrame = -1;
  lastSoundFrame = -1;

  private readonly kernel: StatsKernel | null;
  /** Per channel, this push's peak (the kernel path gathers them chunk by chunk). */
  private readonly blockPeaks: Float64Array;

  constructor(channelCount: number, options: SignalStatsOptions = {}) {
    this.channelCount = channelCount;
    this.kernel = options.wasm === false ? null : createStatsKernel();
    this.blockPeaks = new Float64Array(channelCount);
    this.peaks = new Float64Array(channelCount);
    this.sumSquares = new Float64Array(channelCount);
    this.sums = new Float64Array(channelCount);
    this.clippedSamples = new Float64Array(channelCount);
    this.clippedRuns = new Float64Array(channelCount);
    this.runLengths = new Float64Array(channelCount);
  }

  push(channels: Float32Array[], frames: number): void {
    if (this.kernel) {
      this.pushKernel(this.kernel, channels, frames);
      return;
    }
    for (let c = 0; c < this.channelCount; c++) {
      const x = channels[c];
      // One tight reduction per channel; the rare cases (clips, silence edges) get their own scans.
      let peak = 0;
      let squares = 0;
      let sum = 0;
      for (let i = 0; i < frames; i++) {
        const v = x[i];
        squares += v * v;
        sum += v;
        const a = Math.abs(v);
        peak = a > peak ? a : peak;
      }
      if (peak > this.peaks[c]) this.peaks[c] = peak;
      this.sumSquares[c] += squares;
      this.sums[c] += sum;
      if (peak >= CLIP_LEVEL || this.runLengths[c] > 0) this.countClips(c, x, frames);
      if (peak > SILENCE_LEVEL) this.trackSound(x, frames);
    }
    if (this.channelCount >= 2) {
      const x0 = channels[0];
      const x1 = channels[1];
      let cross = 0;
      for (let i = 0; i < frames; i++) cross += x0[i] * x1[i];
      this.crossSum += cross;
    }
    this.frames += frames;
  }

  /** push() with the reductions in the kernel, chunk by chunk; the rare scans as in the JS path. */
  private pushKernel(kernel: StatsKernel, channels: Float32Array[], frames: number): void {
    const { slots, results } = kernel;
    const peaks = this.blockPeaks;
    peaks.fill(0);
    for (let start = 0; start < frames; start += KERNEL_FRAMES) {
      const n = Math.min(KERNEL_FRAMES, frames - start);
      for (let c = 0; c < this.channelCount; c++) {
        const slot = c < 2 ? c : 2;
        slots[slot].set(channels[c].subarray(start, start + n));
        kernel.channel(4 * KERNEL_FRAMES * slot, n, RESULTS_AT);
        if (results[0] > peaks[c]) peaks[c] = results[0];
        this.sumSquares[c] += results[1];
        this.sums[c] += results[2];
      }
      if (this.channelCount >= 2) this.crossSum += kernel.cross(0, 4 * KERNEL_FRAMES, n);
    }
    for (let c = 0; c < this.channelCount; c++) {
      const x = channels[c], peak = peaks[c];
      if (peak > this.peaks[c]) this.peaks[c] = peak;
      if (peak >= CLIP_LEVEL || this.runLengths[c] > 0) this.countClips(c, x, frames);
      if (peak > SILENCE_LEVEL) this.trackSound(x, frames);
    }
    this.frames += frames;
  }

  private countClips(c: number, x: Float32Array, frames: number): void {
    let run = this.runLengths[c];
    for (let i = 0; i < frames; i++) {
      if (Math.abs(x[i]) >= CLIP_LEVEL) {
        run++;
        if (run === MIN_CLIP_RUN) { this.clippedSamples[c] += MIN_CLIP_RUN; this.clippedRuns[c]++; }
        else if (run > MIN_CLIP_RUN) this.clippedSamples[c]++;
      } else {
        run = 0;
      }
    }
    this.runLengths[c] = run;
  }

  /** Updates the first/last non-silent frame from a block known to hold sound. */
  private trackSound(x: Float32Array, frames: number): void {
    if (this.firstSoundFrame < 0 || this.firstSoundFrame >= this.frames) {
      let first = 0;
      while (Math.abs(x[first]) <= SILENCE_LEVEL) first++;
      if (this.firstSoundFrame < 0 || this.frames + first < this.firstSoundFrame) this.firstSoundFrame = this.frames + first;
    }
    let last = frames - 1;
    while (Math.abs(x[last]) <= SILENCE_LEVEL) last--;
    if (this.frames + last > this.lastSoundFrame) this.lastSoundFrame = this.frames + last;
  }
}
