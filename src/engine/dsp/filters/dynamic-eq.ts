// Dynamic EQ band: an RBJ peaking or shelf band whose gain moves from 0 dB towards rangeDb as the
// level in the band (or in an external sidechain, filtered the same way) rises above a threshold.
import { assertProcessorShape, DENORMAL_FLOOR, type ParametricProcessor, type SidechainProcessor } from '../api.js';
import { DEFAULT_SMOOTHING_SECONDS, Smoother } from '../smoothing.js';
import { biquadCoefficientsInto, CONTROL_INTERVAL_FRAMES, validateBiquadParams, type BiquadType } from './biquad.js';
import { SECTION_COEFFICIENT_STRIDE, SECTION_STATE_STRIDE } from './sections.js';

export type DynamicEqType = 'peaking' | 'lowShelf' | 'highShelf';

export interface DynamicEqParams {
  type: DynamicEqType;
  frequencyHz: number;
  q: number;
  /** Band level (peak envelope, dBFS) above which the gain starts to move. */
  thresholdDb: number;
  /** dB of level over the threshold per dB of result: the gain moves (1 - 1/ratio) dB per dB over. */
  ratio: number;
  /** Furthest the gain goes: negative cuts a band that gets loud (de-essing, resonances), positive boosts it. */
  rangeDb: number;
  attackSeconds: number;
  releaseSeconds: number;
}

export const DYNAMIC_EQ_DEFAULTS: DynamicEqParams = {
  type: 'peaking', frequencyHz: 1000, q: 1, thresholdDb: -24, ratio: 4, rangeDb: -6, attackSeconds: 0.005, releaseSeconds: 0.1,
};

/** Sidechain channels the detector keeps filter state for. */
const MAX_SIDECHAIN_CHANNELS = 32;
const EQ = 0, DETECTOR = 1;

export function validateDynamicEqParams(p: DynamicEqParams): void {
  if (p.type !== 'peaking' && p.type !== 'lowShelf' && p.type !== 'highShelf') throw new RangeError(`dynamic EQ: unknown type ${String(p.type)}`);
  validateBiquadParams({ type: p.type, frequencyHz: p.frequencyHz, q: p.q, gainDb: p.rangeDb });
  if (!Number.isFinite(p.thresholdDb)) throw new RangeError(`dynamic EQ: thresholdDb must be finite, got ${p.thresholdDb}`);
  if (!(p.ratio >= 1)) throw new RangeError(`dynamic EQ: ratio must be >= 1 (Infinity allowed), got ${p.ratio}`);
  if (!(Math.abs(p.rangeDb) <= 48)) throw new RangeError(`dynamic EQ: rangeDb must be within +-48, got ${p.rangeDb}`);
  if (!(p.attackSeconds >= 0 && p.attackSeconds <= 10)) throw new RangeError(`dynamic EQ: attackSeconds must be 0-10, got ${p.attackSeconds}`);
  if (!(p.releaseSeconds >= 0 && p.releaseSeconds <= 10)) throw new RangeError(`dynamic EQ: releaseSeconds must be 0-10, got ${p.releaseSeconds}`);
}

/** The band's gain in dB for a detected level: 0 below threshold, then (1 - 1/ratio) dB per dB over, capped at rangeDb. */
export function dynamicEqGainDb(levelDb: number, thresholdDb: number, ratio: number, rangeDb: number): number {
  return gainForSlope(levelDb, thresholdDb, 1 - 1 / ratio, rangeDb);
}

function gainForSlope(levelDb: number, thresholdDb: number, slope: number, rangeDb: number): number {
  // Hard-knee gain computer (Giannoulis, Massberg & Reiss, JAES 2012), its output capped at rangeDb.
  const over = levelDb - thresholdDb;
  if (!(over > 0)) return 0;
  return rangeDb >= 0 ? Math.min(rangeDb, over * slope) : Math.max(rangeDb, -over * slope);
}

/** One DF-I section in place on a Float32 channel, double-precision state (runSections stays Float64-only, so monomorphic). */
function filterInPlace(k: Float64Array, ko: number, state: Float64Array, so: number, x: Float32Array, start: number, end: number): void {
  const b0 = k[ko], b1 = k[ko + 1], b2 = k[ko + 2], a1 = k[ko + 3], a2 = k[ko + 4];
  let x1 = state[so], x2 = state[so + 1], y1 = state[so + 2], y2 = state[so + 3];
  for (let i = start; i < end; i++) {
    const v = x[i];
    let y = (b0 * v + b1 * x1 + b2 * x2 - a2 * y2) - a1 * y1; // RBJ cookbook section, direct form I
    if (Math.abs(y) < DENORMAL_FLOOR) y = 0;
    x2 = x1; x1 = v; y2 = y1; y1 = y;
    x[i] = y;
  }
  state[so] = x1; state[so + 1] = x2; state[so + 2] = y1; state[so + 3] = y2;
}

/** The detector's filter for a band type: band-pass for a bell, low/high-pass at the corner for shelves. */
const detectorType = (type: DynamicEqType): BiquadType => (type === 'peaking' ? 'bandPass' : type === 'lowShelf' ? 'lowPass' : 'highPass');
const onePole = (seconds: number, sampleRate: number) => (seconds > 0 ? 1 - Math.exp(-1 / (seconds * sampleRate)) : 1);

/**
 * One dynamic EQ band on every channel (detection linked across channels: the loudest channel
 * drives all). The detector and envelope run per sample; the gain and the band's coefficients follow
 * every CONTROL_INTERVAL_FRAMES samples at absolute positions, so the output is block-size invariant.
 */
export class DynamicEq implements ParametricProcessor<DynamicEqParams>, SidechainProcessor {
  readonly latency = 0;
  private current: DynamicEqParams;
  private readonly logFrequency: Smoother;
  private readonly logQ: Smoother;
  private readonly threshold: Smoother;
  private readonly range: Smoother;
  private readonly slope: Smoother;
  private attack = 0;
  private release = 0;
  /** EQ section, then detector section. */
  private readonly coefficients = new Float64Array(2 * SECTION_COEFFICIENT_STRIDE);
  private readonly eqState: Float64Array;
  private readonly detectorState: Float64Array;
  private readonly sidechainState = new Float64Array(MAX_SIDECHAIN_CHANNELS * SECTION_STATE_STRIDE);
  private readonly rectified = new Float64Array(CONTROL_INTERVAL_FRAMES);
  private envelope = 0;
  private gainDb = 0;
  private phase = 0;

  constructor(private readonly sampleRate: number, private readonly channelCount: number, params: Partial<DynamicEqParams> = {}) {
    assertProcessorShape('dynamic EQ', sampleRate, channelCount);
    this.current = { ...DYNAMIC_EQ_DEFAULTS, ...params };
    validateDynamicEqParams(this.current);
    const controlRate = sampleRate / CONTROL_INTERVAL_FRAMES;
    this.logFrequency = new Smoother(controlRate, 0, DEFAULT_SMOOTHING_SECONDS);
    this.logQ = new Smoother(controlRate, 0, DEFAULT_SMOOTHING_SECONDS);
    this.threshold = new Smoother(controlRate, 0, DEFAULT_SMOOTHING_SECONDS);
    this.range = new Smoother(controlRate, 0, DEFAULT_SMOOTHING_SECONDS);
    this.slope = new Smoother(controlRate, 0, DEFAULT_SMOOTHING_SECONDS);
    this.eqState = new Float64Array(channelCount * SECTION_STATE_STRIDE);
    this.detectorState = new Float64Array(channelCount * SECTION_STATE_STRIDE);
    this.reset();
  }

  get params(): Readonly<DynamicEqParams> {
    return this.current;
  }

  /** The band's gain (dB) in use at the end of the last block. */
  get currentGainDb(): number {
    return this.gainDb;
  }

  set(params: Partial<DynamicEqParams>): void {
    const next = { ...this.current, ...params };
    validateDynamicEqParams(next);
    const typeChanged = next.type !== this.current.type;
    this.current = next;
    this.setTargets();
    if (typeChanged) this.updateCoefficients();
  }

  process(channels: Float32Array[], frames: number): void {
    this.run(channels, channels, this.channelCount, this.detectorState, frames);
  }

  processWithSidechain(channels: Float32Array[], sidechain: Float32Array[], frames: number): void {
    const count = Math.min(sidechain.length, MAX_SIDECHAIN_CHANNELS);
    this.run(channels, sidechain, count, this.sidechainState, frames);
  }

  reset(): void {
    this.eqState.fill(0);
    this.detectorState.fill(0);
    this.sidechainState.fill(0);
    this.envelope = 0;
    this.gainDb = 0;
    this.phase = 0;
    this.setTargets();
    const p = this.current;
    this.logFrequency.jump(Math.log(p.frequencyHz));
    this.logQ.jump(Math.log(p.q));
    this.threshold.jump(p.thresholdDb);
    this.range.jump(p.rangeDb);
    this.slope.jump(1 - 1 / p.ratio);
    this.updateCoefficients();
  }

  private setTargets(): void {
    const p = this.current;
    this.logFrequency.setTarget(Math.log(p.frequencyHz));
    this.logQ.setTarget(Math.log(p.q));
    this.threshold.setTarget(p.thresholdDb);
    this.range.setTarget(p.rangeDb);
    this.slope.setTarget(1 - 1 / p.ratio);
    this.attack = onePole(p.attackSeconds, this.sampleRate);
    this.release = onePole(p.releaseSeconds, this.sampleRate);
  }

  private run(channels: Float32Array[], detect: Float32Array[], detectCount: number, detectState: Float64Array, frames: number): void {
    const k = this.coefficients;
    const rectified = this.rectified;
    let start = 0;
    while (start < frames) {
      if (this.phase === 0) this.control();
      const count = Math.min(frames - start, CONTROL_INTERVAL_FRAMES - this.phase);
      const end = start + count;
      // Detection on the unprocessed input (or the sidechain): the band's level, loudest channel.
      rectified.fill(0, 0, count);
      const d = DETECTOR * SECTION_COEFFICIENT_STRIDE;
      const b0 = k[d], b1 = k[d + 1], b2 = k[d + 2], a1 = k[d + 3], a2 = k[d + 4];
      for (let c = 0; c < detectCount; c++) {
        const x = detect[c];
        const o = c * SECTION_STATE_STRIDE;
        let x1 = detectState[o], x2 = detectState[o + 1], y1 = detectState[o + 2], y2 = detectState[o + 3];
        for (let i = start; i < end; i++) {
          const v = x[i];
          let y = (b0 * v + b1 * x1 + b2 * x2 - a2 * y2) - a1 * y1;
          if (Math.abs(y) < DENORMAL_FLOOR) y = 0;
          x2 = x1; x1 = v; y2 = y1; y1 = y;
          const r = Math.abs(y);
          if (r > rectified[i - start]) rectified[i - start] = r;
        }
        detectState[o] = x1; detectState[o + 1] = x2; detectState[o + 2] = y1; detectState[o + 3] = y2;
      }
      // Peak envelope, one-pole attack/release (Giannoulis, Massberg & Reiss 2012, "branching" detector).
      let envelope = this.envelope;
      for (let i = 0; i < count; i++) {
        const r = rectified[i];
        envelope += (r - envelope) * (r > envelope ? this.attack : this.release);
      }
      this.envelope = envelope;
      for (let c = 0; c < this.channelCount; c++) {
        filterInPlace(k, EQ * SECTION_COEFFICIENT_STRIDE, this.eqState, c * SECTION_STATE_STRIDE, channels[c], start, end);
      }
      this.phase = (this.phase + count) % CONTROL_INTERVAL_FRAMES;
      start = end;
    }
  }

  /** At each control point: step the parameter smoothers, turn the envelope into a gain, refresh coefficients. */
  private control(): void {
    const moving = this.logFrequency.smoothing || this.logQ.smoothing || this.threshold.smoothing || this.range.smoothing || this.slope.smoothing;
    if (moving) {
      this.logFrequency.next(); this.logQ.next(); this.threshold.next(); this.range.next(); this.slope.next();
    }
    if (this.envelope < DENORMAL_FLOOR) this.envelope = 0;
    const levelDb = this.envelope > 0 ? 20 * Math.log10(this.envelope) : -Infinity;
    const gainDb = gainForSlope(levelDb, this.threshold.current, this.slope.current, this.range.current);
    if (moving || gainDb !== this.gainDb) {
      this.gainDb = gainDb;
      this.updateCoefficients();
    }
  }

  private updateCoefficients(): void {
    const frequencyHz = Math.exp(this.logFrequency.current);
    const q = Math.exp(this.logQ.current);
    const type = this.current.type;
    biquadCoefficientsInto(this.sampleRate, type, frequencyHz, q, this.gainDb, this.coefficients, EQ * SECTION_COEFFICIENT_STRIDE);
    biquadCoefficientsInto(this.sampleRate, detectorType(type), frequencyHz, type === 'peaking' ? q : Math.SQRT1_2, 0,
      this.coefficients, DETECTOR * SECTION_COEFFICIENT_STRIDE);
  }
}

export const createDynamicEq = (sampleRate: number, channelCount: number, params?: Partial<DynamicEqParams>) => new DynamicEq(sampleRate, channelCount, params);
