// Butterworth high/low-pass slopes of order 1-8 (6-48 dB/oct): cascaded RBJ biquads with the
// Butterworth pole Qs, plus a bilinear first-order section for odd orders, all at one prewarped corner.
import { assertProcessorShape, type LinearProcessor, type ParametricProcessor } from '../api.js';
import { DEFAULT_SMOOTHING_SECONDS, Smoother } from '../smoothing.js';
import { biquadCoefficientsInto, CONTROL_INTERVAL_FRAMES, MAX_FREQUENCY_RATIO } from './biquad.js';
import { SECTION_COEFFICIENT_STRIDE, runSections, SECTION_SCRATCH_FRAMES, sectionsResponse, SECTION_STATE_STRIDE, writeFirstOrder } from './sections.js';

export type ButterworthType = 'lowPass' | 'highPass';

export interface ButterworthParams {
  type: ButterworthType;
  /** -3.01 dB corner frequency, Hz. */
  frequencyHz: number;
  /** 1-8: the slope is 6 dB/octave per order. */
  order: number;
}

export const BUTTERWORTH_DEFAULTS: ButterworthParams = { type: 'lowPass', frequencyHz: 1000, order: 4 };
export const MAX_BUTTERWORTH_ORDER = 8;
const MAX_SECTIONS = Math.ceil(MAX_BUTTERWORTH_ORDER / 2);

export function validateButterworthParams(params: ButterworthParams): void {
  if (params.type !== 'lowPass' && params.type !== 'highPass') throw new RangeError(`butterworth: unknown type ${String(params.type)}`);
  if (!(params.frequencyHz > 0 && params.frequencyHz < Infinity)) throw new RangeError(`butterworth: frequencyHz must be > 0, got ${params.frequencyHz}`);
  if (!(Number.isInteger(params.order) && params.order >= 1 && params.order <= MAX_BUTTERWORTH_ORDER)) {
    throw new RangeError(`butterworth: order must be an integer 1-${MAX_BUTTERWORTH_ORDER}, got ${params.order}`);
  }
}

/** Q of pole pair `k` (0 = lowest Q) of an order-n Butterworth filter. */
export function butterworthQ(order: number, k: number): number {
  // Butterworth poles at angles (2k+1)pi/2n (even n) or (k+1)pi/n (odd n) from the negative real axis: Q = 1/(2 cos angle).
  const angle = order % 2 === 0 ? ((2 * k + 1) * Math.PI) / (2 * order) : ((k + 1) * Math.PI) / order;
  return 1 / (2 * Math.cos(angle));
}

/** Q of each conjugate pole pair of an order-n Butterworth filter (the real pole of odd orders excluded). */
export const butterworthQs = (order: number): number[] => Array.from({ length: Math.floor(order / 2) }, (_, k) => butterworthQ(order, k));

/** Number of sections an order needs: one per pole pair, one more for the real pole of odd orders. */
export const butterworthSectionCount = (order: number) => Math.ceil(order / 2);

/** Writes the sections of the filter into `out` (5 numbers each) and returns how many there are. */
export function butterworthSectionsInto(sampleRate: number, type: ButterworthType, frequencyHz: number, order: number, out: Float64Array): number {
  let section = 0;
  if (order % 2 === 1) {
    // First-order Butterworth 1/(s+1) (or s/(s+1)) through the bilinear transform prewarped at the corner.
    const k = Math.tan((Math.PI * Math.min(frequencyHz, MAX_FREQUENCY_RATIO * sampleRate)) / sampleRate);
    const a1 = (k - 1) / (k + 1);
    if (type === 'lowPass') writeFirstOrder(out, 0, k / (k + 1), k / (k + 1), a1);
    else writeFirstOrder(out, 0, 1 / (k + 1), -1 / (k + 1), a1);
    section = 1;
  }
  // RBJ cookbook LPF/HPF sections share the corner's prewarping, so the cascade is the exact bilinear Butterworth.
  for (let k = 0; k < Math.floor(order / 2); k++) {
    biquadCoefficientsInto(sampleRate, type, frequencyHz, butterworthQ(order, k), 0, out, SECTION_COEFFICIENT_STRIDE * section++);
  }
  return section;
}

/** The sections of `params` at `sampleRate` as one Float64Array of [b0, b1, b2, a1, a2] per section. */
export function butterworthSections(sampleRate: number, params: ButterworthParams): Float64Array {
  validateButterworthParams(params);
  const out = new Float64Array(SECTION_COEFFICIENT_STRIDE * butterworthSectionCount(params.order));
  butterworthSectionsInto(sampleRate, params.type, params.frequencyHz, params.order, out);
  return out;
}

/**
 * A Butterworth slope on every channel. The corner glides on a log scale (one-pole smoother stepped
 * every CONTROL_INTERVAL_FRAMES samples at absolute positions); type and order switch at once.
 */
export class ButterworthFilter implements ParametricProcessor<ButterworthParams>, LinearProcessor {
  readonly latency = 0;
  private current: ButterworthParams;
  private readonly logFrequency: Smoother;
  private readonly coefficients = new Float64Array(SECTION_COEFFICIENT_STRIDE * MAX_SECTIONS);
  private sectionCount = 0;
  private readonly state: Float64Array;
  private readonly scratch = new Float64Array(SECTION_SCRATCH_FRAMES);
  private phase = 0;

  constructor(private readonly sampleRate: number, private readonly channelCount: number, params: Partial<ButterworthParams> = {}) {
    assertProcessorShape('butterworth', sampleRate, channelCount);
    this.current = { ...BUTTERWORTH_DEFAULTS, ...params };
    validateButterworthParams(this.current);
    this.logFrequency = new Smoother(sampleRate / CONTROL_INTERVAL_FRAMES, Math.log(this.current.frequencyHz), DEFAULT_SMOOTHING_SECONDS);
    this.state = new Float64Array(channelCount * MAX_SECTIONS * SECTION_STATE_STRIDE);
    this.updateCoefficients();
  }

  get params(): Readonly<ButterworthParams> {
    return this.current;
  }

  set(params: Partial<ButterworthParams>): void {
    const next = { ...this.current, ...params };
    validateButterworthParams(next);
    const structural = next.type !== this.current.type || next.order !== this.current.order;
    this.current = next;
    this.logFrequency.setTarget(Math.log(next.frequencyHz));
    if (structural) this.updateCoefficients();
  }

  process(channels: Float32Array[], frames: number): void {
    let start = 0;
    while (start < frames) {
      let moving = this.logFrequency.smoothing;
      if (moving && this.phase === 0) {
        this.logFrequency.next();
        this.updateCoefficients();
        moving = this.logFrequency.smoothing;
      }
      const count = moving ? Math.min(frames - start, CONTROL_INTERVAL_FRAMES - this.phase) : frames - start;
      this.run(channels, start, start + count);
      this.phase = (this.phase + count) % CONTROL_INTERVAL_FRAMES;
      start += count;
    }
  }

  reset(): void {
    this.state.fill(0);
    this.phase = 0;
    this.logFrequency.jump(Math.log(this.current.frequencyHz));
    this.updateCoefficients();
  }

  /** Response of the target parameters. */
  response(frequencyHz: number): { magnitude: number; phase: number } {
    return sectionsResponse(butterworthSections(this.sampleRate, this.current), butterworthSectionCount(this.current.order), frequencyHz, this.sampleRate);
  }

  private updateCoefficients(): void {
    this.sectionCount = butterworthSectionsInto(this.sampleRate, this.current.type, Math.exp(this.logFrequency.current), this.current.order, this.coefficients);
  }

  private run(channels: Float32Array[], start: number, end: number): void {
    const scratch = this.scratch;
    for (let c = 0; c < this.channelCount; c++) {
      const x = channels[c];
      for (let from = start; from < end; from += SECTION_SCRATCH_FRAMES) {
        const n = Math.min(SECTION_SCRATCH_FRAMES, end - from);
        for (let i = 0; i < n; i++) scratch[i] = x[from + i];
        runSections(this.coefficients, 0, this.sectionCount, this.state, c * MAX_SECTIONS * SECTION_STATE_STRIDE, scratch, 0, n);
        for (let i = 0; i < n; i++) x[from + i] = scratch[i];
      }
    }
  }
}

export const createButterworthFilter = (sampleRate: number, channelCount: number, params?: Partial<ButterworthParams>) =>
  new ButterworthFilter(sampleRate, channelCount, params);
