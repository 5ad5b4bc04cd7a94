// Linkwitz-Riley 4th-order (LR4) crossover for 2-5 bands: each split is a squared 2nd-order
// Butterworth low/high pair, and every band below a split gets that split's 2nd-order all-pass, so
// the bands sum to an all-pass (flat magnitude).
import { assertProcessorShape } from '../api.js';
import { biquadCoefficientsInto, MAX_FREQUENCY_RATIO, wrapPhase } from './biquad.js';
import { SECTION_COEFFICIENT_STRIDE, multiplySectionResponses, runSections, SECTION_SCRATCH_FRAMES, SECTION_STATE_STRIDE } from './sections.js';

export interface CrossoverOptions {
  /** Split frequencies in Hz, strictly increasing; 1-4 of them make 2-5 bands. */
  frequenciesHz: number[];
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
  private readonly state: Float64Array;
  private readonly stateNumbersPerChannel: number;
  /** State offset (in sections, within a channel) of the all-pass that band b gets for split j. */
  private readonly compensationSection: Int32Array;
  private readonly work = new Float64Array(SECTION_SCRATCH_FRAMES);
  private readonly band = new Float64Array(SECTION_SCRATCH_FRAMES);

  constructor(private readonly sampleRate: number, private readonly channelCount: number, options: CrossoverOptions) {
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
    // Per channel: 4 sections (LP, LP, HP, HP) per split, then the compensation all-passes.
    this.compensationSection = new Int32Array(this.bandCount * splits).fill(-1);
    let next = 4 * splits;
    for (let b = 0; b < splits; b++) for (let j = b + 1; j < splits; j++) this.compensationSection[b * splits + j] = next++;
    this.stateNumbersPerChannel = next * SECTION_STATE_STRIDE;
    this.state = new Float64Array(channelCount * this.stateNumbersPerChannel);
  }

  /**
   * Writes band b of channel c into bands[b][c][0, frames). Each chunk of input is read before any
   * band is written, so a band array may be the input array itself.
   */
  split(input: Float32Array[], frames: number, bands: Float32Array[][]): void {
    const splits = this.bandCount - 1;
    const k = this.coefficients;
    const work = this.work, band = this.band;
    for (let c = 0; c < this.channelCount; c++) {
      const x = input[c];
      const base = c * this.stateNumbersPerChannel;
      for (let start = 0; start < frames; start += SECTION_SCRATCH_FRAMES) {
        const n = Math.min(SECTION_SCRATCH_FRAMES, frames - start);
        for (let i = 0; i < n; i++) work[i] = x[start + i];
        for (let s = 0; s < splits; s++) {
          for (let i = 0; i < n; i++) band[i] = work[i];
          const kOffset = s * SECTIONS_PER_SPLIT * SECTION_COEFFICIENT_STRIDE;
          runSections(k, kOffset + LP * SECTION_COEFFICIENT_STRIDE, 2, this.state, base + 4 * s * SECTION_STATE_STRIDE, band, 0, n);
          for (let j = s + 1; j < splits; j++) {
            const section = this.compensationSection[s * splits + j];
            runSections(k, (j * SECTIONS_PER_SPLIT + AP) * SECTION_COEFFICIENT_STRIDE, 1, this.state, base + section * SECTION_STATE_STRIDE, band, 0, n);
          }
          const out = bands[s][c];
          for (let i = 0; i < n; i++) out[start + i] = band[i];
          runSections(k, kOffset + HP * SECTION_COEFFICIENT_STRIDE, 2, this.state, base + (4 * s + 2) * SECTION_STATE_STRIDE, work, 0, n);
        }
        const out = bands[splits][c];
        for (let i = 0; i < n; i++) out[start + i] = work[i];
      }
    }
  }

  reset(): void {
    this.state.fill(0);
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
