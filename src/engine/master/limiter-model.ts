// A fast model of "how loud will the master be after the limiter at drive d": while the pre-limiter
// signal streams past once, it keeps per 2.5 ms slot the K-weighted energy (BS.1770) and the peak; the
// model then replays the limiter's gain computer at slot rate (look-ahead minimum, hold, release) and
// integrates the gated loudness of energy × gain². Solving it for the target gives the drive for the
// real limiter pass, so calibration needs one real pass (two when the model is off), not a search.
// Memory: 12 bytes per slot (4.8 kB per second of audio, 17 MB for an hour), independent of the channel
// count, in fixed pages that are never copied; a prediction streams over them and allocates no per-slot arrays.
import { FAST_RELEASE_RATIO } from '../dsp/dynamics/limiter-release.js';
import { gatedLoudness, powerToLufs } from '../analysis/loudness-meter.js';
import { kWeightingHighPass, kWeightingShelf, kWeightSumOfSquares, type BiquadCoefficients } from '../analysis/k-weighting.js';
import { STEREO_K_CHUNK_FRAMES, StereoKWeighting } from '../analysis/k-weighting-stereo.js';

export const MODEL_SLOT_SECONDS = 0.0025;
/** Slots per storage page (2.7 minutes at 44.1 kHz): pages are appended, never grown or copied. */
const PAGE_BITS = 16;
const PAGE_SLOTS = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SLOTS - 1;
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
  private readonly energyPages: Float64Array[] = [];
  private readonly peakPages: Float32Array[] = [];
  private slotCount = 0;
  /** Block energies of the last prediction (BS.1770 400 ms blocks), reused across predictions. */
  private blockScratch = new Float64Array(0);
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
    const slot = this.slotCount++;
    if ((slot & PAGE_MASK) === 0) {
      this.energyPages.push(new Float64Array(PAGE_SLOTS));
      this.peakPages.push(new Float32Array(PAGE_SLOTS));
    }
    this.energyPages[slot >>> PAGE_BITS][slot & PAGE_MASK] = this.slotEnergy;
    this.peakPages[slot >>> PAGE_BITS][slot & PAGE_MASK] = this.slotPeak;
    this.fill = 0;
    this.slotEnergy = 0;
    this.slotPeak = 0;
    for (const state of this.states) for (let i = 2; i < 6; i++) if (Math.abs(state[i]) < 1e-30) state[i] = 0;
  }

  /** Complete slots so far (the last partial slot is dropped: under 2.5 ms of a song). */
  get count(): number {
    return this.slotCount;
  }

  /** K-weighted energy (sum of squares over the channels) of slot `k` < count. */
  energyAt(k: number): number {
    return this.energyPages[k >>> PAGE_BITS][k & PAGE_MASK];
  }

  /** Sample peak (largest |x| over the channels) of slot `k` < count. */
  peakAt(k: number): number {
    return this.peakPages[k >>> PAGE_BITS][k & PAGE_MASK];
  }

  /** The slot pages, for predictions' inner loops (PAGE_SLOTS slots each; the last one partly filled). */
  get pages(): { energyPages: readonly Float64Array[]; peakPages: readonly Float32Array[] } {
    return { energyPages: this.energyPages, peakPages: this.peakPages };
  }

  /** A Float64Array of at least `length` for block energies (grown, never shrunk). */
  blocks(length: number): Float64Array {
    if (this.blockScratch.length < length) this.blockScratch = new Float64Array(Math.max(length, 2 * this.blockScratch.length));
    return this.blockScratch.subarray(0, length);
  }
}

/**
 * Predicted integrated loudness (LUFS, BS.1770-4 gating) after the limiter at `driveDb`. One walk over the
 * slots runs the limiter's gain computer at slot rate: a look-ahead minimum of the needed gain (the gain
 * that brings a slot's driven peak, with the inter-sample margin, down to the ceiling), then the same
 * program-adaptive release as limiter-release.ts (hold, a sustained envelope charging and decaying with
 * the release time, and a fall towards it ten times faster); each slot's energy after the drive and that
 * power gain goes into 400 ms blocks every 100 ms, gated as the meter does. Needed and power gains are
 * rounded to float32, as the per-slot arrays of earlier versions stored them: the same predictions.
 */
export function predictLimitedLufs(stats: LimiterModelStats, driveDb: number, shape: LimiterShape): number {
  const { count, slotFrames, sampleRate } = stats;
  const slotSeconds = slotFrames / sampleRate;
  const drive = Math.pow(10, driveDb / 20);
  const ceiling = Math.pow(10, shape.ceilingDb / 20);
  const ahead = Math.max(1, Math.round(shape.lookaheadSeconds / slotSeconds));
  const hold = Math.max(0, Math.round(shape.holdSeconds / slotSeconds));
  const coefficient = (seconds: number) => 1 - Math.exp(-slotSeconds / Math.max(1e-6, seconds));
  const slow = coefficient(shape.releaseSeconds);
  const fast = coefficient(shape.releaseSeconds * FAST_RELEASE_RATIO);
  const perBlock = Math.max(1, Math.round(0.4 / slotSeconds));
  const hop = Math.max(1, Math.round(0.1 / slotSeconds));
  const blocks = stats.blocks(count < perBlock ? 0 : Math.floor((count - perBlock) / hop) + 1);
  const total = limitedEnergies(stats, { drive, ceiling, ahead, hold, slow, fast }, perBlock, hop, blocks);
  if (count < perBlock) return powerToLufs(total / Math.max(1, count * slotFrames));
  return gatedLoudness(blocks, -10).loudness; // BS.1770-4 integrated gating, as the meter does it
}

interface SlotGainCurve {
  drive: number;
  ceiling: number;
  /** Look-ahead and hold in slots. */
  ahead: number;
  hold: number;
  /** Per-slot release coefficients: the sustained envelope's and the fall towards it. */
  slow: number;
  fast: number;
}

/**
 * The walk of predictLimitedLufs: fills `blocks` (mean power per frame of each 400 ms block after the
 * drive and the limiter) and returns the sum of every slot's energy after them. Only the loop lives here:
 * calls after a loop that V8 compiled mid-way (on-stack) had no feedback and deoptimized every prediction.
 */
function limitedEnergies(stats: LimiterModelStats, curve: SlotGainCurve, perBlock: number, hop: number, blocks: Float64Array): number {
  const { drive, ceiling, ahead, hold, slow, fast } = curve;
  const { count, slotFrames } = stats;
  const { energyPages, peakPages } = stats.pages;
  const peakScale = drive * ISP_MARGIN;
  const framesPerBlock = perBlock * slotFrames;
  // Needed gains of slots b .. b + ahead (1 past the end), and the last perBlock weighted energies.
  const needs = new Float64Array(ahead + 1).fill(1);
  const ring = new Float64Array(perBlock);
  let next = 0; // where the need of the next slot read ahead goes
  let sustained = 0, reduction = 0, holdLeft = 0, total = 0;
  let at = 0, block = 0, sinceBlock = hop - 1; // the first block ends at slot perBlock - 1
  for (let k = -ahead; k < count; k++) {
    // Read slot k + ahead's need, then slot k is the oldest in `needs`.
    const readSlot = k + ahead;
    let need = 1;
    if (readSlot < count) {
      const peak = peakPages[readSlot >>> PAGE_BITS][readSlot & PAGE_MASK] * peakScale;
      if (peak > ceiling) need = Math.fround(ceiling / peak);
    }
    needs[next] = need;
    if (++next > ahead) next = 0;
    if (k < 0) continue;
    let wanted = 1;
    for (let i = 0; i <= ahead; i++) if (needs[i] < wanted) wanted = needs[i];
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
    const gain = Math.fround((1 - reduction) * (1 - reduction)); // power gain
    const weighted = energyPages[k >>> PAGE_BITS][k & PAGE_MASK] * drive * drive * gain;
    total += weighted;
    ring[at] = weighted;
    if (++at === perBlock) at = 0;
    if (k + 1 >= perBlock && ++sinceBlock === hop) {
      // Slots k + 1 - perBlock .. k, oldest first: ring[at ..] then ring[.. at).
      let sum = 0;
      for (let i = at; i < perBlock; i++) sum += ring[i];
      for (let i = 0; i < at; i++) sum += ring[i];
      blocks[block++] = sum / framesPerBlock;
      sinceBlock = 0;
    }
  }
  return total;
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
