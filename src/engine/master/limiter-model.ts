// A fast model of "how loud will the master be after the limiter at drive d": while the pre-limiter
// signal streams past once, it keeps per 2.5 ms slot the K-weighted energy (BS.1770) and the peak; the
// model then replays the limiter's gain computer at slot rate (look-ahead minimum, hold, release) and
// integrates the gated loudness of energy × gain². Solving it for the target gives the drive for the
// real limiter pass, so calibration needs one real pass (two when the model is off), not a search.
// Memory: 16 bytes per slot (6.4 kB per second of audio), independent of the channel count.
import { FAST_RELEASE_RATIO } from '../dsp/dynamics/limiter-release.js';
import { gatedLoudness, powerToLufs } from '../analysis/loudness-meter.js';
import { kWeightingHighPass, kWeightingShelf, kWeightSumOfSquares, type BiquadCoefficients } from '../analysis/k-weighting.js';
import { STEREO_K_CHUNK_FRAMES, StereoKWeighting } from '../analysis/k-weighting-stereo.js';

export const MODEL_SLOT_SECONDS = 0.0025;
/** Inter-sample peaks read above sample peaks (up to ~0.5 dB in music); 0.1 dB fits the real limiter best on the corpus. */
const ISP_MARGIN = Math.pow(10, 0.1 / 20);

export interface LimiterShape {
  ceilingDb: number;
  releaseSeconds: number;
  holdSeconds: number;
  lookaheadSeconds: number;
}

export class LimiterModelStats {
  readonly slotFrames: number;
  private energies: Float64Array;
  private peaks: Float32Array;
  private count = 0;
  private fill = 0;
  private slotEnergy = 0;
  private slotPeak = 0;
  private readonly shelf: BiquadCoefficients;
  private readonly highPass: BiquadCoefficients;
  private readonly states: Float64Array[];
  /** A stereo pair's K-weighting in the wasm kernel (the loudness meter's), else null: JS per channel. */
  private readonly pair: StereoKWeighting | null;

  constructor(readonly sampleRate: number, channelCount: number, options: { wasm?: boolean } = {}) {
    this.slotFrames = Math.max(1, Math.round(MODEL_SLOT_SECONDS * sampleRate));
    this.energies = new Float64Array(4096);
    this.peaks = new Float32Array(4096);
    this.shelf = kWeightingShelf(sampleRate);
    this.highPass = kWeightingHighPass(sampleRate);
    this.states = Array.from({ length: channelCount }, () => new Float64Array(6));
    this.pair = channelCount === 2 && options.wasm !== false ? StereoKWeighting.create(this.shelf, this.highPass) : null;
  }

  push(channels: Float32Array[], frames: number): void {
    if (this.pair !== null) {
      this.pushPair(this.pair, channels[0], channels[1], frames);
      return;
    }
    for (let start = 0; start < frames;) {
      const end = Math.min(frames, start + this.slotFrames - this.fill);
      for (let c = 0; c < this.states.length; c++) {
        const x = channels[c];
        this.slotEnergy = kWeightSumOfSquares(x, start, end, this.shelf, this.highPass, this.states[c], this.slotEnergy);
        let peak = this.slotPeak;
        for (let i = start; i < end; i++) { const v = Math.abs(x[i]); if (v > peak) peak = v; }
        this.slotPeak = peak;
      }
      this.fill += end - start;
      start = end;
      if (this.fill === this.slotFrames) this.closeSlot();
    }
  }

  /** push() for a stereo pair: the kernel sums each channel's squares over the slot; the peaks in JS. */
  private pushPair(pair: StereoKWeighting, left: Float32Array, right: Float32Array, frames: number): void {
    const sums = pair.sums;
    for (let base = 0; base < frames; base += STEREO_K_CHUNK_FRAMES) {
      const count = Math.min(STEREO_K_CHUNK_FRAMES, frames - base);
      pair.load(left, right, base, count);
      for (let position = 0; position < count;) {
        const take = Math.min(this.slotFrames - this.fill, count - position);
        pair.run(position, position + take);
        let peak = this.slotPeak;
        for (let i = base + position, end = base + position + take; i < end; i++) {
          const l = Math.abs(left[i]), r = Math.abs(right[i]);
          const v = l > r ? l : r;
          if (v > peak) peak = v;
        }
        this.slotPeak = peak;
        position += take;
        this.fill += take;
        if (this.fill === this.slotFrames) {
          this.slotEnergy = sums[0] + sums[1];
          sums[0] = 0;
          sums[1] = 0;
          pair.flushDenormals();
          this.closeSlot();
        }
      }
    }
  }

  private closeSlot(): void {
    if (this.count === this.energies.length) {
      const energies = new Float64Array(this.count * 2); energies.set(this.energies); this.energies = energies;
      const peaks = new Float32Array(this.count * 2); peaks.set(this.peaks); this.peaks = peaks;
    }
    this.energies[this.count] = this.slotEnergy;
    this.peaks[this.count] = this.slotPeak;
    this.count++;
    this.fill = 0;
    this.slotEnergy = 0;
    this.slotPeak = 0;
    for (const state of this.states) for (let i = 2; i < 6; i++) if (Math.abs(state[i]) < 1e-30) state[i] = 0;
  }

  /** Slots so far (the last partial slot is dropped: under 2.5 ms of a song). */
  get slots(): { energies: Float64Array; peaks: Float32Array; count: number; slotFrames: number; sampleRate: number } {
    return { energies: this.energies, peaks: this.peaks, count: this.count, slotFrames: this.slotFrames, sampleRate: this.sampleRate };
  }
}

/** Predicted integrated loudness (LUFS, BS.1770-4 gating) after the limiter at `driveDb`. */
export function predictLimitedLufs(stats: LimiterModelStats, driveDb: number, shape: LimiterShape): number {
  const { energies, peaks, count, slotFrames, sampleRate } = stats.slots;
  const slotSeconds = slotFrames / sampleRate;
  const drive = Math.pow(10, driveDb / 20);
  const gains = slotGains(peaks, count, drive, slotSeconds, shape);
  // BS.1770 gating on 400 ms blocks every 100 ms, from the slots.
  const perBlock = Math.max(1, Math.round(0.4 / slotSeconds));
  const hop = Math.max(1, Math.round(0.1 / slotSeconds));
  if (count < perBlock) return powerToLufs(blockEnergy(energies, gains, 0, count, drive) / Math.max(1, count * slotFrames));
  const blocks = new Float64Array(Math.floor((count - perBlock) / hop) + 1);
  const framesPerBlock = perBlock * slotFrames;
  for (let k = 0; k < blocks.length; k++) blocks[k] = blockEnergy(energies, gains, k * hop, k * hop + perBlock, drive) / framesPerBlock;
  return gatedLoudness(blocks, -10).loudness; // BS.1770-4 integrated gating, as the meter does it
}

// The stages of the prediction are small functions of one loop each: a solve calls the prediction a few
// dozen times, and one large function with several hot loops was re-optimized by V8 over and over.

/**
 * The limiter's power gain per slot at `drive`: the gain curve at slot rate, a look-ahead minimum of the
 * needed gain, then the same program-adaptive release as limiter-release.ts (hold, a sustained envelope
 * charging and decaying with the release time, and a fall towards it ten times faster).
 */
function slotGains(peaks: Float32Array, count: number, drive: number, slotSeconds: number, shape: LimiterShape): Float32Array {
  const ceiling = Math.pow(10, shape.ceilingDb / 20);
  const ahead = Math.max(1, Math.round(shape.lookaheadSeconds / slotSeconds));
  const hold = Math.max(0, Math.round(shape.holdSeconds / slotSeconds));
  const coefficient = (seconds: number) => 1 - Math.exp(-slotSeconds / Math.max(1e-6, seconds));
  const slow = coefficient(shape.releaseSeconds);
  const fast = coefficient(shape.releaseSeconds * FAST_RELEASE_RATIO);
  const need = neededGains(peaks, count, drive, ceiling);
  const gains = new Float32Array(count);
  let sustained = 0, reduction = 0, holdLeft = 0;
  for (let b = 0; b < count; b++) {
    let wanted = 1;
    const end = Math.min(count - 1, b + ahead);
    for (let k = b; k <= end; k++) if (need[k] < wanted) wanted = need[k];
    const target = 1 - wanted;
    sustained += (target - sustained) * slow;
    if (target > 0 && target >= reduction) {
      reduction = target;
      holdLeft = hold;
    } else if (holdLeft > 0) {
      holdLeft--;
      if (target > reduction) reduction = target;
    } else {
      const floor = Math.min(sustained, reduction);
      reduction = Math.max(target, floor + (reduction - floor) * (1 - fast));
    }
    gains[b] = (1 - reduction) * (1 - reduction); // power gain
  }
  return gains;
}

/** Per slot, the gain that brings its driven peak (with the inter-sample margin) down to `ceiling`, or 1. */
function neededGains(peaks: Float32Array, count: number, drive: number, ceiling: number): Float32Array {
  const need = new Float32Array(count);
  for (let b = 0; b < count; b++) {
    const peak = peaks[b] * drive * ISP_MARGIN;
    need[b] = peak > ceiling ? ceiling / peak : 1;
  }
  return need;
}

/** Energy of slots [from, to) after the drive and the limiter's gains. */
function blockEnergy(energies: Float64Array, gains: Float32Array, from: number, to: number, drive: number): number {
  let sum = 0;
  for (let b = from; b < to; b++) sum += energies[b] * drive * drive * gains[b];
  return sum;
}

/** The drive (dB) at which the model reaches `targetLufs` (bisection; loudness rises with drive). */
export function solveDriveDb(stats: LimiterModelStats, targetLufs: number, shape: LimiterShape, offsetLu = 0, range: [number, number] = [-24, 36]): number {
  let [low, high] = range;
  if (predictLimitedLufs(stats, high, shape) + offsetLu < targetLufs) return high;
  if (predictLimitedLufs(stats, low, shape) + offsetLu > targetLufs) return low;
  for (let i = 0; i < 30 && high - low > 0.002; i++) {
    const mid = (low + high) / 2;
    if (predictLimitedLufs(stats, mid, shape) + offsetLu < targetLufs) low = mid; else high = mid;
  }
  return (low + high) / 2;
}
