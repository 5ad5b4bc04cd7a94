// Linkwitz-Riley 4th-order (LR4) crossover for 2-5 bands: each split is a squared 2nd-order
// Butterworth low/high pair, and every band below a split gets that split's 2nd-order all-pass, so
// the bands sum to an all-pass (flat magnitude).
import { assertProcessorShape, DENORMAL_FLOOR as SHARED_DENORMAL_FLOOR } from '../api.js';
import { biquadCoefficientsInto, MAX_FREQUENCY_RATIO, wrapPhase } from './biquad.js';
import { SECTION_COEFFICIENT_STRIDE, multiplySectionResponses, SECTION_SCRATCH_FRAMES } from './sections.js';

/** A module-local copy: hot loops read a constant, not a module binding (a getter call under some loaders). */
const DENORMAL_FLOOR = SHARED_DENORMAL_FLOOR;

export interface CrossoverOptions {
  /** Split frequencies in Hz, strictly increasing; 1-4 of them make 2-5 bands. */
  frequenciesHz: number[];
}

/** State numbers per split and channel: input, low-pass, low-pass² and all-pass histories (2 each). */
const SPLIT_STATE = 8;

/** The cookbook all-pass (numerator a2, a1, 1) over x[0, n) in place; state x1, x2, y1, y2 at o, o + d, o + 2d, o + 3d. */
function allPassInPlace(a1: number, a2: number, state: Float64Array, o: number, d: number, x: Float64Array, n: number): void {
  let x1 = state[o], x2 = state[o + d], y1 = state[o + 2 * d], y2 = state[o + 3 * d];
  for (let i = 0; i < n; i++) {
    const v = x[i];
    let y = (a2 * v + a1 * x1 + x2 - a2 * y2) - a1 * y1;
    if (Math.abs(y) < DENORMAL_FLOOR) y = 0;
    x2 = x1; x1 = v; y2 = y1; y1 = y;
    x[i] = y;
  }
  state[o] = x1; state[o + d] = x2; state[o + 2 * d] = y1; state[o + 3 * d] = y2;
}

/**
 * One LR4 split over work[0, n): band ← LP²(work), work ← AP(work) − LP²(work), state (x, LP, LP², AP
 * histories) at o, o + d, … o + 7d. A function of its own, so its loop is optimised apart from the caller's.
 */
function lr4SplitInPlace(b0: number, a1: number, a2: number, st: Float64Array, o: number, d: number, work: Float64Array, band: Float64Array, n: number): void {
  let x1 = st[o], x2 = st[o + d], l1 = st[o + 2 * d], l2 = st[o + 3 * d], m1 = st[o + 4 * d], m2 = st[o + 5 * d], p1 = st[o + 6 * d], p2 = st[o + 7 * d];
  for (let i = 0; i < n; i++) {
    const v = work[i];
    let l = (b0 * (v + 2 * x1 + x2) - a2 * l2) - a1 * l1;
    if (Math.abs(l) < DENORMAL_FLOOR) l = 0;
    let m = (b0 * (l + 2 * l1 + l2) - a2 * m2) - a1 * m1;
    if (Math.abs(m) < DENORMAL_FLOOR) m = 0;
    let p = (a2 * v + a1 * x1 + x2 - a2 * p2) - a1 * p1;
    if (Math.abs(p) < DENORMAL_FLOOR) p = 0;
    x2 = x1; x1 = v; l2 = l1; l1 = l; m2 = m1; m1 = m; p2 = p1; p1 = p;
    band[i] = m;
    work[i] = p - m;
  }
  st[o] = x1; st[o + d] = x2; st[o + 2 * d] = l1; st[o + 3 * d] = l2; st[o + 4 * d] = m1; st[o + 5 * d] = m2; st[o + 6 * d] = p1; st[o + 7 * d] = p2;
}

/** Sections per split in the coefficient array: LP, LP, HP, HP, AP. */
const SECTIONS_PER_SPLIT = 5;
const LP = 0, HP = 2, AP = 4;

/**
 * Writes the sections of one LR4 split at `frequencyHz` into `out` from section `sectionOffset`:
 * two identical Butterworth low-passes, two high-passes and the matching all-pass.
 */
export function linkwitzRileySplitInto(sampleRate: number, frequencyHz: number, out: Float64Array, sectionOffset = 0): void {
  // Linkwitz-Riley LR4 = (2nd-order Butterworth)^2; LP^2 + HP^2 = all-pass with Q = 1/sqrt(2) (RBJ cookbook sections).
  const o = SECTION_COEFFICIENT_STRIDE * sectionOffset;
  biquadCoefficientsInto(sampleRate, 'lowPass', frequencyHz, Math.SQRT1_2, 0, out, o + SECTION_COEFFICIENT_STRIDE * LP);
  out.copyWithin(o + SECTION_COEFFICIENT_STRIDE * (LP + 1), o + SECTION_COEFFICIENT_STRIDE * LP, o + SECTION_COEFFICIENT_STRIDE * (LP + 1));
  biquadCoefficientsInto(sampleRate, 'highPass', frequencyHz, Math.SQRT1_2, 0, out, o + SECTION_COEFFICIENT_STRIDE * HP);
  out.copyWithin(o + SECTION_COEFFICIENT_STRIDE * (HP + 1), o + SECTION_COEFFICIENT_STRIDE * HP, o + SECTION_COEFFICIENT_STRIDE * (HP + 1));
  biquadCoefficientsInto(sampleRate, 'allPass', frequencyHz, Math.SQRT1_2, 0, out, o + SECTION_COEFFICIENT_STRIDE * AP);
}

/**
 * Splits a multichannel signal into bands that sum to an all-pass. Band 0 is the lowest:
 * band b = HP_0 ... HP_{b-1} · LP_b · AP_{b+1} ... AP_{n-2} (the standard LR4 tree with all-pass
 * compensation of the lower bands). Zero latency; allocation-free split().
 */
export class Crossover {
  readonly latency = 0;
  readonly bandCount: number;
  readonly frequenciesHz: readonly number[];
  private readonly coefficients: Float64Array;
  /** Per split: the low-pass's b0 (b1 = 2·b0, b2 = b0) and the shared denominator a1, a2. */
  readonly splitCoefficients: Float64Array;
  /**
   * Numbers by kind then channel: number k of channel c at k·channelCount + c (a stereo pair's numbers
   * are f64x2 [left, right], as the biquad kernel's split2 reads them). Per channel: SPLIT_STATE numbers
   * per split (input, low-pass, low-pass², all-pass histories), then the compensation all-passes.
   */
  readonly state: Float64Array;
  private readonly stateNumbersPerChannel: number;
  /** State offset (numbers, within a channel) of the all-pass that band b gets for split j. */
  private readonly compensationState: Int32Array;
  private readonly work = new Float64Array(SECTION_SCRATCH_FRAMES);
  private readonly band = new Float64Array(SECTION_SCRATCH_FRAMES);

  /** `state`: where to keep the filter states (stateSize(…) numbers or more; zeroed here), e.g. in a KernelHeap. */
  constructor(private readonly sampleRate: number, private readonly channelCount: number, options: CrossoverOptions, state?: Float64Array) {
    assertProcessorShape('crossover', sampleRate, channelCount);
    const frequencies = options?.frequenciesHz;
    if (!Array.isArray(frequencies) || frequencies.length < 1 || frequencies.length > 4) {
      throw new RangeError('crossover: frequenciesHz must hold 1-4 split frequencies (2-5 bands)');
    }
    frequencies.forEach((hz, i) => {
      if (!(hz > 0 && hz < MAX_FREQUENCY_RATIO * sampleRate)) throw new RangeError(`crossover: ${hz} Hz is outside (0, ${MAX_FREQUENCY_RATIO * sampleRate}) Hz`);
      if (i > 0 && !(hz > frequencies[i - 1])) throw new RangeError('crossover: frequenciesHz must be strictly increasing');
    });
    this.frequenciesHz = [...frequencies];
    const splits = frequencies.length;
    this.bandCount = splits + 1;
    this.coefficients = new Float64Array(splits * SECTIONS_PER_SPLIT * SECTION_COEFFICIENT_STRIDE);
    frequencies.forEach((hz, i) => linkwitzRileySplitInto(sampleRate, hz, this.coefficients, i * SECTIONS_PER_SPLIT));
    // The cookbook low-pass, high-pass and all-pass of one split share a1 and a2; the low-pass numerator
    // is b0·(1, 2, 1) and the all-pass's is (a2, a1, 1).
    this.splitCoefficients = new Float64Array(3 * splits);
    for (let j = 0; j < splits; j++) {
      const o = j * SECTIONS_PER_SPLIT * SECTION_COEFFICIENT_STRIDE;
      this.splitCoefficients[3 * j] = this.coefficients[o];
      this.splitCoefficients[3 * j + 1] = this.coefficients[o + 3];
      this.splitCoefficients[3 * j + 2] = this.coefficients[o + 4];
    }
    // Per channel: SPLIT_STATE numbers per split (input, low-pass, low-pass², all-pass histories),
    // then the compensation all-passes (x1, x2, y1, y2 each).
    this.compensationState = new Int32Array(this.bandCount * splits).fill(-1);
    let next = SPLIT_STATE * splits;
    for (let b = 0; b < splits; b++) for (let j = b + 1; j < splits; j++) { this.compensationState[b * splits + j] = next; next += 4; }
    this.stateNumbersPerChannel = next;
    const size = channelCount * this.stateNumbersPerChannel;
    if (state && state.length < size) throw new RangeError('crossover: state storage too small');
    this.state = state ?? new Float64Array(size);
    this.state.fill(0, 0, size);
  }

  /** Numbers of state a crossover with `splits` split frequencies needs for `channelCount` channels. */
  static stateSize(channelCount: number, splits: number): number {
    return channelCount * (SPLIT_STATE * splits + 4 * ((splits * (splits - 1)) / 2));
  }

  /**
   * Writes band b of channel c into bands[b][c][0, frames). Each chunk of input is read before any
   * band is written, so a band array may be the input array itself. Per split, one loop runs the
   * squared low-pass and the all-pass on the signal left above the previous splits; the high band is
   * all-pass − low-pass² (LR4: LP² + HP² = AP exactly), which saves the two high-pass sections.
   */
  split(input: Float32Array[], frames: number, bands: Float32Array[][]): void {
    const splits = this.bandCount - 1;
    const k = this.splitCoefficients;
    const st = this.state;
    const work = this.work, band = this.band;
    const d = this.channelCount;
    for (let c = 0; c < this.channelCount; c++) {
      const x = input[c];
      for (let start = 0; start < frames; start += SECTION_SCRATCH_FRAMES) {
        const n = Math.min(SECTION_SCRATCH_FRAMES, frames - start);
        for (let i = 0; i < n; i++) work[i] = x[start + i];
        for (let s = 0; s < splits; s++) {
          lr4SplitInPlace(k[3 * s], k[3 * s + 1], k[3 * s + 2], st, SPLIT_STATE * s * d + c, d, work, band, n);
          for (let j = s + 1; j < splits; j++) allPassInPlace(k[3 * j + 1], k[3 * j + 2], st, this.compensationState[s * splits + j] * d + c, d, band, n);
          const out = bands[s][c];
          for (let i = 0; i < n; i++) out[start + i] = band[i];
        }
        const out = bands[splits][c];
        for (let i = 0; i < n; i++) out[start + i] = work[i];
      }
    }
  }

  reset(): void {
    this.state.fill(0, 0, this.channelCount * this.stateNumbersPerChannel);
  }

  /** Response of band `band` (0 = lowest) at `frequencyHz`: magnitude (linear), phase (radians). */
  bandResponse(band: number, frequencyHz: number): { magnitude: number; phase: number } {
    if (!(Number.isInteger(band) && band >= 0 && band < this.bandCount)) throw new RangeError(`crossover: no band ${band}`);
    const splits = this.bandCount - 1;
    const h = Float64Array.of(1, 0);
    for (let j = 0; j < splits; j++) {
      const section = j < band ? HP : j === band ? LP : AP;
      const count = section === AP ? 1 : 2;
      multiplySectionResponses(this.coefficients, (j * SECTIONS_PER_SPLIT + section) * SECTION_COEFFICIENT_STRIDE, count, frequencyHz, this.sampleRate, h);
    }
    return { magnitude: Math.hypot(h[0], h[1]), phase: wrapPhase(Math.atan2(h[1], h[0])) };
  }
}
