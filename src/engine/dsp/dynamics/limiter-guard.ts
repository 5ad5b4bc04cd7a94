// Final, sample-accurate stage of the limiter: measures its own output exactly as the BS.1770-4
// Annex 2 meter does (same taps, on the float32 samples that leave the limiter; like the meter, not the
// samples themselves) and, wherever the main
// gain curve left an over (its gain varied under the 12-tap window), applies a short smooth dip:
// target (ceiling / peak)^2, i.e. twice the over, so the dip's own modulation cannot re-create it.
// Normally idle (gain exactly 1, output bit-identical to its input). A chunk whose windows the meter's
// wasm kernel (limiter-kernel.ts) already shows below the ceiling is not interpolated again in JS
// (same result, 10x faster). The lines live in the kernel's memory; a caller that writes its chunk into
// `inputs` saves a copy, and whole chunks leave by one block copy.
import { BS1770_DELAY, BS1770_TAPS, bs1770WindowPeaks } from './limiter-bs1770.js';
import { IntervalPeaks } from './limiter-detector.js';
import { BoxcarCascade, gainCurveLayout, MinHold } from './limiter-gain.js';
import { createWindowPeakKernel, type WindowPeakKernel } from './limiter-kernel.js';

/** The meter runs in f32 (wasm kernel); its rounding is below 12 * 2^-24 of the sum of |terms|. */
export const GUARD_CEILING_FACTOR = 1 - 4e-6;
/**
 * The kernel's f32 error is below 23 roundings * 2^-24 * (sum of |terms| <= 2.02 max|y|), i.e. < 3e-6 of
 * the limit here: a window the kernel puts below this fraction of the limit is below it in f64 too.
 */
const KERNEL_CLEAR_FACTOR = 1 - 1e-5;
/** Gain-curve delay of the dip: 4-sample boxcars (10-sample ramps) and a 12-sample flat bottom (the meter's span). */
const GUARD_DELAY = 15;
const GUARD_MIN_HOLD = 12;
const HISTORY = BS1770_TAPS - 1;

/** The largest value in `count` ring slots from interval `from` on. */
function slotsMax(peaks: IntervalPeaks, from: number, count: number): number {
  const { ring, mask } = peaks;
  let max = 0;
  for (let k = from; k < from + count; k++) {
    const v = ring[k & mask];
    if (v > max) max = v;
  }
  return max;
}

/** Zeroes `count` ring slots from interval `from` on. */
function clearSlots(peaks: IntervalPeaks, from: number, count: number): void {
  const { ring, mask } = peaks;
  for (let k = from; k < from + count; k++) ring[k & mask] = 0;
}

export class TruePeakGuard {
  readonly latency = BS1770_DELAY + GUARD_DELAY;
  private readonly history: number;
  private readonly lines: Float32Array[];
  /**
   * Per channel, where process() reads its input fastest (the line itself): a caller that writes its
   * chunk here and passes these arrays to process() saves a copy.
   */
  readonly inputs: Float32Array[];
  /** Per channel, the delayed frames a whole chunk sends out (lines[c][history - latency ..]). */
  private readonly outs: Float32Array[];
  private readonly maxFrames: number;
  private readonly scratch: Float64Array;
  private readonly peaks: IntervalPeaks;
  private readonly hold: MinHold;
  private readonly smoother: BoxcarCascade;
  private readonly kernel: WindowPeakKernel | null;
  /** Chunks whose peaks are all within the limit skip the per-frame targets (same result); false for tests. */
  private readonly skipClearChunks: boolean;
  private frame = 0;

  constructor(private readonly channelCount: number, maxFrames: number, options: { wasm?: boolean; skipClearChunks?: boolean } = {}) {
    this.skipClearChunks = options.skipClearChunks !== false;
    const layout = gainCurveLayout(GUARD_DELAY, GUARD_MIN_HOLD);
    this.hold = new MinHold(3 * layout.boxcar - 2 + layout.hold);
    this.smoother = new BoxcarCascade(layout.boxcar);
    this.history = Math.max(HISTORY, this.latency);
    this.maxFrames = maxFrames;
    this.kernel = options.wasm === false ? null : createWindowPeakKernel(channelCount, this.history + maxFrames);
    this.lines = this.kernel?.lines ?? Array.from({ length: channelCount }, () => new Float32Array(this.history + maxFrames));
    this.inputs = this.lines.map((line) => line.subarray(this.history, this.history + maxFrames));
    const back = this.history - this.latency;
    this.outs = this.lines.map((line) => line.subarray(back, back + maxFrames));
    this.scratch = new Float64Array(maxFrames);
    this.peaks = new IntervalPeaks(BS1770_DELAY + maxFrames + 2);
  }

  /**
   * Reads `frames` frames of `input`, writes them `latency` frames later to output[c][outputOffset ..]
   * (may be the same arrays). `ceiling[i]` is the linear ceiling at frame i; `lowestCeiling`, when the
   * caller knows it, their smallest. Returns the smallest gain applied.
   */
  process(input: Float32Array[], frames: number, ceiling: Float64Array, output: Float32Array[], outputOffset = 0, lowestCeiling = NaN): number {
    const { peaks, frame, history, scratch, kernel } = this;
    let lowest = lowestCeiling;
    if (Number.isNaN(lowest)) {
      lowest = Infinity;
      for (let i = 0; i < frames; i++) if (ceiling[i] < lowest) lowest = ceiling[i];
    }
    const clear = lowest * GUARD_CEILING_FACTOR * KERNEL_CLEAR_FACTOR;
    for (let c = 0; c < this.channelCount; c++) {
      const x = input[c];
      const line = this.lines[c];
      if (x !== this.inputs[c]) for (let i = 0; i < frames; i++) line[history + i] = x[i];
      // Windows ending before the chunk's last frame are judged within this chunk (ceilings known):
      // skip them when the kernel shows them clear. The last one is decided in the next chunk: always exact.
      let exactFrom = 0;
      if (kernel !== null && frames > 1 && kernel.peak(c, history, history + frames - 1) <= clear) exactFrom = frames - 1;
      bs1770WindowPeaks(line, history + exactFrom, frames - exactFrom, scratch, exactFrom);
      for (let i = exactFrom; i < frames; i++) peaks.add(frame + i - BS1770_DELAY, scratch[i]);
    }
    const back = history - this.latency;
    // Targets first: if none asks for a dip and the curve is at rest, the chunk passes through untouched.
    let quiet = true;
    const first = frame - BS1770_DELAY;
    if (this.skipClearChunks && slotsMax(peaks, first - 1, frames + 1) <= lowest * GUARD_CEILING_FACTOR) {
      // Every peak the loop below would take is within every frame's limit: its ratios would all be 1.
      // Same targets and the same slots freed (take() frees the one before each interval it reads).
      scratch.fill(1, 0, frames);
      clearSlots(peaks, first - 1, frames);
    } else {
      for (let i = 0; i < frames; i++) {
        const peak = peaks.take(first + i);
        const limit = ceiling[i] * GUARD_CEILING_FACTOR;
        const ratio = peak > limit ? limit / peak : 1;
        scratch[i] = ratio * ratio;
        if (ratio !== 1) quiet = false;
      }
    }
    if (quiet && this.hold.idle(frames)) {
      if (this.smoother.idle(frames)) {
        for (let c = 0; c < this.channelCount; c++) {
          const line = this.lines[c];
          const out = output[c];
          if (frames === this.maxFrames) out.set(this.outs[c], outputOffset);
          else for (let i = 0; i < frames; i++) out[outputOffset + i] = line[back + i];
        }
        this.frame = frame + frames;
        for (const line of this.lines) line.copyWithin(0, frames, frames + history);
        return 1;
      }
      // The hold took the 1s; the smoother is still ramping back: feed it 1s below.
      for (let i = 0; i < frames; i++) scratch[i] = -1;
    }
    // The gain curve first (into scratch, in place of the targets), then one tight loop per channel.
    let smallest = 1;
    const hold = this.hold, smoother = this.smoother;
    for (let i = 0; i < frames; i++) {
      const held = scratch[i] < 0 ? 1 : hold.next(scratch[i]);
      const gain = smoother.next(held);
      if (gain < smallest) smallest = gain;
      scratch[i] = gain;
    }
    for (let c = 0; c < this.channelCount; c++) {
      const line = this.lines[c], out = output[c];
      for (let i = 0; i < frames; i++) {
        const gain = scratch[i], y = line[back + i];
        out[outputOffset + i] = gain === 1 ? y : Math.fround(gain * y);
      }
    }
    for (const line of this.lines) line.copyWithin(0, frames, frames + history);
    this.frame = frame + frames;
    return smallest;
  }

  reset(): void {
    for (const line of this.lines) line.fill(0);
    this.peaks.reset();
    this.hold.reset();
    this.smoother.reset();
    this.frame = 0;
  }
}
