// Tilt EQ: one first-order shelf pivoting at a centre frequency, 0 dB there, approaching +gainDb
// towards high frequencies and -gainDb towards low ones (positive gainDb brightens).
import { assertProcessorShape, type LinearProcessor, type ParametricProcessor } from '../api.js';
import { DEFAULT_SMOOTHING_SECONDS, Smoother } from '../smoothing.js';
import { CONTROL_INTERVAL_FRAMES, MAX_FREQUENCY_RATIO } from './biquad.js';
import { SECTION_COEFFICIENT_STRIDE, runSections, SECTION_SCRATCH_FRAMES, sectionsResponse, SECTION_STATE_STRIDE, writeFirstOrder } from './sections.js';

export interface TiltParams {
  /** Pivot frequency (0 dB), Hz. */
  frequencyHz: number;
  /** Asymptotic gain above the pivot in dB; the same amount is cut below it. */
  gainDb: number;
}

export const TILT_DEFAULTS: TiltParams = { frequencyHz: 1000, gainDb: 0 };
export const MAX_TILT_DB = 24;

export function validateTiltParams(params: TiltParams): void {
  if (!(params.frequencyHz > 0 && params.frequencyHz < Infinity)) throw new RangeError(`tilt: frequencyHz must be > 0, got ${params.frequencyHz}`);
  if (!(Math.abs(params.gainDb) <= MAX_TILT_DB)) throw new RangeError(`tilt: gainDb must be within +-${MAX_TILT_DB}, got ${params.gainDb}`);
}

/** Writes the first-order tilt section ([b0, b1, 0, a1, 0]) into `out` at `offset`. */
export function tiltCoefficientsInto(sampleRate: number, frequencyHz: number, gainDb: number, out: Float64Array, offset = 0): void {
  // H(s) = G (s + w0/G) / (s + w0 G), G = 10^(gainDb/20): |H| = 1/G at DC, G at infinity, 1 at w0;
  // bilinear transform prewarped at the pivot (Zolzer, DAFX, first-order shelving filters).
  const g = Math.pow(10, gainDb / 20);
  const k = Math.tan((Math.PI * Math.min(frequencyHz, MAX_FREQUENCY_RATIO * sampleRate)) / sampleRate);
  const a0 = 1 + k * g; // divisions (not a reciprocal) keep 0 dB exactly b0 = 1, b1 = a1
  writeFirstOrder(out, offset, (g + k) / a0, (k - g) / a0, (k * g - 1) / a0);
}

/** The tilt section as a 5-number coefficient array. */
export function tiltCoefficients(sampleRate: number, params: TiltParams): Float64Array {
  validateTiltParams(params);
  const out = new Float64Array(SECTION_COEFFICIENT_STRIDE);
  tiltCoefficientsInto(sampleRate, params.frequencyHz, params.gainDb, out);
  return out;
}

/** Tilt EQ on every channel; pivot (log scale) and gain (dB) glide, stepped every 16 samples at absolute positions. */
export class Tilt implements ParametricProcessor<TiltParams>, LinearProcessor {
  readonly latency = 0;
  private current: TiltParams;
  private readonly logFrequency: Smoother;
  private readonly gain: Smoother;
  private readonly coefficients = new Float64Array(SECTION_COEFFICIENT_STRIDE);
  private readonly state: Float64Array;
  private readonly scratch = new Float64Array(SECTION_SCRATCH_FRAMES);
  private phase = 0;

  constructor(private readonly sampleRate: number, private readonly channelCount: number, params: Partial<TiltParams> = {}) {
    assertProcessorShape('tilt', sampleRate, channelCount);
    this.current = { ...TILT_DEFAULTS, ...params };
    validateTiltParams(this.current);
    const controlRate = sampleRate / CONTROL_INTERVAL_FRAMES;
    this.logFrequency = new Smoother(controlRate, Math.log(this.current.frequencyHz), DEFAULT_SMOOTHING_SECONDS);
    this.gain = new Smoother(controlRate, this.current.gainDb, DEFAULT_SMOOTHING_SECONDS);
    this.state = new Float64Array(channelCount * SECTION_STATE_STRIDE);
    this.updateCoefficients();
  }

  get params(): Readonly<TiltParams> {
    return this.current;
  }

  set(params: Partial<TiltParams>): void {
    const next = { ...this.current, ...params };
    validateTiltParams(next);
    this.current = next;
    this.logFrequency.setTarget(Math.log(next.frequencyHz));
    this.gain.setTarget(next.gainDb);
  }

  process(channels: Float32Array[], frames: number): void {
    let start = 0;
    while (start < frames) {
      let moving = this.logFrequency.smoothing || this.gain.smoothing;
      if (moving && this.phase === 0) {
        this.logFrequency.next(); this.gain.next();
        this.updateCoefficients();
        moving = this.logFrequency.smoothing || this.gain.smoothing;
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
    this.gain.jump(this.current.gainDb);
    this.updateCoefficients();
  }

  response(frequencyHz: number): { magnitude: number; phase: number } {
    return sectionsResponse(tiltCoefficients(this.sampleRate, this.current), 1, frequencyHz, this.sampleRate);
  }

  private updateCoefficients(): void {
    tiltCoefficientsInto(this.sampleRate, Math.exp(this.logFrequency.current), this.gain.current, this.coefficients);
  }

  private run(channels: Float32Array[], start: number, end: number): void {
    if (this.coefficients[0] === 1 && this.coefficients[1] === this.coefficients[3]) {
      // 0 dB: H = 1 exactly; keep the state as the filter would (x1 = y1 = last input) and skip the loop.
      for (let c = 0; c < this.channelCount; c++) {
        if (end > start) { const last = channels[c][end - 1]; this.state[c * SECTION_STATE_STRIDE] = last; this.state[c * SECTION_STATE_STRIDE + 2] = last; }
      }
      return;
    }
    const scratch = this.scratch;
    for (let c = 0; c < this.channelCount; c++) {
      const x = channels[c];
      for (let from = start; from < end; from += SECTION_SCRATCH_FRAMES) {
        const n = Math.min(SECTION_SCRATCH_FRAMES, end - from);
        for (let i = 0; i < n; i++) scratch[i] = x[from + i];
        runSections(this.coefficients, 0, 1, this.state, c * SECTION_STATE_STRIDE, scratch, 0, n);
        for (let i = 0; i < n; i++) x[from + i] = scratch[i];
      }
    }
  }
}

export const createTilt = (sampleRate: number, channelCount: number, params?: Partial<TiltParams>) => new Tilt(sampleRate, channelCount, params);
