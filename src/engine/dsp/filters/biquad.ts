// RBJ Audio EQ Cookbook biquads: pure coefficient functions, their exact frequency response, and a
// smoothed processor (direct form I in double precision; both channels of a pair in one loop).
import { assertProcessorShape, DENORMAL_FLOOR as SHARED_DENORMAL_FLOOR, type LinearProcessor, type ParametricProcessor } from '../api.js';
import { DEFAULT_SMOOTHING_SECONDS, Smoother } from '../smoothing.js';
import type { BiquadCoefficients } from '../../analysis/k-weighting.js';

/** A module-local copy: hot loops read a constant, not a module binding (a getter call under some loaders). */
const DENORMAL_FLOOR = SHARED_DENORMAL_FLOOR;

export type { BiquadCoefficients };

export type BiquadType = 'peaking' | 'lowShelf' | 'highShelf' | 'lowPass' | 'highPass' | 'bandPass' | 'notch' | 'allPass';

export interface BiquadParams {
  type: BiquadType;
  /** Centre (peaking, bandPass, notch, allPass) or corner (shelves, lowPass, highPass) frequency, Hz. */
  frequencyHz: number;
  /** Quality factor; for shelves the cookbook's Q form (0.7071 = steepest shelf without overshoot). */
  q: number;
  /** Gain of peaking and shelf types in dB (ignored by the others). */
  gainDb: number;
}

export const BIQUAD_TYPES: readonly [BiquadType, ...BiquadType[]] = ['peaking', 'lowShelf', 'highShelf', 'lowPass', 'highPass', 'bandPass', 'notch', 'allPass'];

export const BIQUAD_DEFAULTS: BiquadParams = { type: 'peaking', frequencyHz: 1000, q: Math.SQRT1_2, gainDb: 0 };

/** Smoothed parameters reach the coefficients at absolute sample positions that are multiples of this. */
export const CONTROL_INTERVAL_FRAMES = 16;

/** Frequencies above this fraction of the sample rate are clamped to it (the cookbook needs w0 < pi). */
export const MAX_FREQUENCY_RATIO = 0.49;

/**
 * Where a Biquad keeps its numbers (for owners that run it in a SIMD kernel, e.g. in a KernelHeap):
 * `coefficients` holds 5 numbers [b0, b1, b2, a1, a2], `state` 4 per channel, laid out by kind then
 * channel: x1 of every channel, then x2, y1 and y2 (so a stereo pair's x1 is one f64x2 [left, right]).
 */
export interface BiquadStorage {
  coefficients: Float64Array;
  state: Float64Array;
}

/** Throws a RangeError for parameters no filter can have (unknown type, f <= 0, q <= 0, NaN). */
export function validateBiquadParams(params: BiquadParams): void {
  if (!BIQUAD_TYPES.includes(params.type)) throw new RangeError(`biquad: unknown type ${String(params.type)}`);
  if (!(params.frequencyHz > 0 && params.frequencyHz < Infinity)) throw new RangeError(`biquad: frequencyHz must be > 0, got ${params.frequencyHz}`);
  if (!(params.q > 0 && params.q < Infinity)) throw new RangeError(`biquad: q must be > 0, got ${params.q}`);
  if (!Number.isFinite(params.gainDb)) throw new RangeError(`biquad: gainDb must be finite, got ${params.gainDb}`);
}

/**
 * Writes [b0, b1, b2, a1, a2] (a0 normalised to 1) into `out` at `offset`. A pure function of its
 * arguments that allocates nothing, so processors may call it while they run.
 */
export function biquadCoefficientsInto(
  sampleRate: number, type: BiquadType, frequencyHz: number, q: number, gainDb: number, out: Float64Array, offset = 0,
): void {
  // RBJ Audio EQ Cookbook (Bristow-Johnson), a0-normalised; shelves use the cookbook's Q form.
  const w0 = (2 * Math.PI * Math.min(frequencyHz, MAX_FREQUENCY_RATIO * sampleRate)) / sampleRate;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  let b0: number, b1: number, b2: number, a0: number, a1: number, a2: number;
  switch (type) {
    case 'peaking': {
      const a = Math.pow(10, gainDb / 40);
      b0 = 1 + alpha * a; b1 = -2 * cos; b2 = 1 - alpha * a;
      a0 = 1 + alpha / a; a1 = -2 * cos; a2 = 1 - alpha / a;
      break;
    }
    case 'lowShelf': {
      const a = Math.pow(10, gainDb / 40);
      const s = 2 * Math.sqrt(a) * alpha;
      b0 = a * (a + 1 - (a - 1) * cos + s); b1 = 2 * a * (a - 1 - (a + 1) * cos); b2 = a * (a + 1 - (a - 1) * cos - s);
      a0 = a + 1 + (a - 1) * cos + s; a1 = -2 * (a - 1 + (a + 1) * cos); a2 = a + 1 + (a - 1) * cos - s;
      break;
    }
    case 'highShelf': {
      const a = Math.pow(10, gainDb / 40);
      const s = 2 * Math.sqrt(a) * alpha;
      b0 = a * (a + 1 + (a - 1) * cos + s); b1 = -2 * a * (a - 1 + (a + 1) * cos); b2 = a * (a + 1 + (a - 1) * cos - s);
      a0 = a + 1 - (a - 1) * cos + s; a1 = 2 * (a - 1 - (a + 1) * cos); a2 = a + 1 - (a - 1) * cos - s;
      break;
    }
    case 'lowPass':
      b0 = (1 - cos) / 2; b1 = 1 - cos; b2 = (1 - cos) / 2;
      a0 = 1 + alpha; a1 = -2 * cos; a2 = 1 - alpha;
      break;
    case 'highPass':
      b0 = (1 + cos) / 2; b1 = -(1 + cos); b2 = (1 + cos) / 2;
      a0 = 1 + alpha; a1 = -2 * cos; a2 = 1 - alpha;
      break;
    case 'bandPass': // constant 0 dB peak gain
      b0 = alpha; b1 = 0; b2 = -alpha;
      a0 = 1 + alpha; a1 = -2 * cos; a2 = 1 - alpha;
      break;
    case 'notch':
      b0 = 1; b1 = -2 * cos; b2 = 1;
      a0 = 1 + alpha; a1 = -2 * cos; a2 = 1 - alpha;
      break;
    case 'allPass':
      b0 = 1 - alpha; b1 = -2 * cos; b2 = 1 + alpha;
      a0 = 1 + alpha; a1 = -2 * cos; a2 = 1 - alpha;
      break;
    default:
      throw new RangeError(`biquad: unknown type ${String(type)}`);
  }
  out[offset] = b0 / a0; out[offset + 1] = b1 / a0; out[offset + 2] = b2 / a0;
  out[offset + 3] = a1 / a0; out[offset + 4] = a2 / a0;
}

/** The cookbook coefficients of `params` at `sampleRate`, a0 normalised to 1. */
export function biquadCoefficients(sampleRate: number, params: BiquadParams): BiquadCoefficients {
  validateBiquadParams(params);
  const c = new Float64Array(5);
  biquadCoefficientsInto(sampleRate, params.type, params.frequencyHz, params.q, params.gainDb, c);
  return { b0: c[0], b1: c[1], b2: c[2], a1: c[3], a2: c[4] };
}

/** H(e^{jw}) of a biquad at `frequencyHz`: magnitude (linear) and phase (radians, in (-pi, pi]). */
export function biquadResponse(coefficients: BiquadCoefficients, frequencyHz: number, sampleRate: number): { magnitude: number; phase: number } {
  const { b0, b1, b2, a1, a2 } = coefficients;
  const w = (2 * Math.PI * frequencyHz) / sampleRate;
  const c1 = Math.cos(w), s1 = Math.sin(w), c2 = Math.cos(2 * w), s2 = Math.sin(2 * w);
  const nr = b0 + b1 * c1 + b2 * c2, ni = -(b1 * s1 + b2 * s2);
  const dr = 1 + a1 * c1 + a2 * c2, di = -(a1 * s1 + a2 * s2);
  return { magnitude: Math.hypot(nr, ni) / Math.hypot(dr, di), phase: wrapPhase(Math.atan2(ni, nr) - Math.atan2(di, dr)) };
}

/** Maps any angle to (-pi, pi]. */
export function wrapPhase(radians: number): number {
  const wrapped = radians - 2 * Math.PI * Math.round(radians / (2 * Math.PI));
  return wrapped <= -Math.PI ? wrapped + 2 * Math.PI : wrapped;
}

/**
 * One RBJ biquad on every channel. Frequency and Q glide on a log scale, gain in dB, each with a
 * one-pole smoother stepped every CONTROL_INTERVAL_FRAMES samples at absolute positions, so the
 * output does not depend on block sizes. A change of `type` switches coefficients at once.
 */
export class Biquad implements ParametricProcessor<BiquadParams>, LinearProcessor {
  readonly latency = 0;
  private current: BiquadParams;
  private readonly logFrequency: Smoother;
  private readonly logQ: Smoother;
  private readonly gain: Smoother;
  /** [b0, b1, b2, a1, a2] in use now. */
  private readonly coefficients: Float64Array;
  /** x1 of every channel, then x2, y1, y2 (BiquadStorage's layout). */
  private readonly state: Float64Array;
  /** Frames since the last absolute multiple of CONTROL_INTERVAL_FRAMES. */
  private phase = 0;

  constructor(private readonly sampleRate: number, private readonly channelCount: number, params: Partial<BiquadParams> = {}, storage?: BiquadStorage) {
    assertProcessorShape('biquad', sampleRate, channelCount);
    if (storage && (storage.coefficients.length < 5 || storage.state.length < 4 * channelCount)) throw new RangeError('biquad: storage too small');
    this.coefficients = storage ? storage.coefficients : new Float64Array(5);
    this.current = { ...BIQUAD_DEFAULTS, ...params };
    validateBiquadParams(this.current);
    const controlRate = sampleRate / CONTROL_INTERVAL_FRAMES;
    this.logFrequency = new Smoother(controlRate, Math.log(this.current.frequencyHz), DEFAULT_SMOOTHING_SECONDS);
    this.logQ = new Smoother(controlRate, Math.log(this.current.q), DEFAULT_SMOOTHING_SECONDS);
    this.gain = new Smoother(controlRate, this.current.gainDb, DEFAULT_SMOOTHING_SECONDS);
    this.state = storage ? storage.state : new Float64Array(4 * channelCount);
    this.state.fill(0, 0, 4 * channelCount);
    this.updateCoefficients();
  }

  get params(): Readonly<BiquadParams> {
    return this.current;
  }

  set(params: Partial<BiquadParams>): void {
    const next = { ...this.current, ...params };
    validateBiquadParams(next);
    const typeChanged = next.type !== this.current.type;
    this.current = next;
    this.logFrequency.setTarget(Math.log(next.frequencyHz));
    this.logQ.setTarget(Math.log(next.q));
    this.gain.setTarget(next.gainDb);
    if (typeChanged) this.updateCoefficients();
  }

  process(channels: Float32Array[], frames: number): void {
    let start = 0;
    while (start < frames) {
      let moving = this.logFrequency.smoothing || this.logQ.smoothing || this.gain.smoothing;
      if (moving && this.phase === 0) {
        this.logFrequency.next(); this.logQ.next(); this.gain.next();
        this.updateCoefficients();
        moving = this.logFrequency.smoothing || this.logQ.smoothing || this.gain.smoothing;
      }
      const count = moving ? Math.min(frames - start, CONTROL_INTERVAL_FRAMES - this.phase) : frames - start;
      this.run(channels, start, start + count);
      this.phase = (this.phase + count) % CONTROL_INTERVAL_FRAMES;
      start += count;
    }
  }

  reset(): void {
    this.state.fill(0, 0, 4 * this.channelCount);
    this.phase = 0;
    this.logFrequency.jump(Math.log(this.current.frequencyHz));
    this.logQ.jump(Math.log(this.current.q));
    this.gain.jump(this.current.gainDb);
    this.updateCoefficients();
  }

  /** True while no parameter glides: the coefficients stay as they are for any number of frames. */
  get settled(): boolean {
    return !(this.logFrequency.smoothing || this.logQ.smoothing || this.gain.smoothing);
  }

  /**
   * For processors that run several settled biquads in one fused loop: the coefficient array
   * [b0, b1, b2, a1, a2] and the state array (BiquadStorage's layout) themselves. The loop must
   * use run()'s arithmetic, so the output is the same as process(); then call skipSettled().
   */
  get fusedCoefficients(): Float64Array {
    return this.coefficients;
  }

  get fusedState(): Float64Array {
    return this.state;
  }

  /** Accounts for `frames` that a fused loop filtered while settled (as process() would have). */
  skipSettled(frames: number): void {
    this.phase = (this.phase + frames) % CONTROL_INTERVAL_FRAMES;
  }

  /** Response of the target parameters (what the filter settles to). */
  response(frequencyHz: number): { magnitude: number; phase: number } {
    return biquadResponse(biquadCoefficients(this.sampleRate, this.current), frequencyHz, this.sampleRate);
  }

  private updateCoefficients(): void {
    biquadCoefficientsInto(this.sampleRate, this.current.type, Math.exp(this.logFrequency.current), Math.exp(this.logQ.current),
      this.gain.current, this.coefficients);
  }

  /**
   * Filters [start, end) of every channel with the current coefficients. Channel pairs share one
   * loop (two independent recursions interleave), and the y1 term comes last in each sum so the
   * recursive dependency chain is one multiply and one subtraction.
   */
  private run(channels: Float32Array[], start: number, end: number): void {
    const k = this.coefficients;
    const b0 = k[0], b1 = k[1], b2 = k[2], a1 = k[3], a2 = k[4];
    const s = this.state, count = this.channelCount;
    const ox2 = count, oy1 = 2 * count, oy2 = 3 * count;
    let c = 0;
    for (; c + 1 < count; c += 2) {
      const left = channels[c], right = channels[c + 1];
      let lx1 = s[c], lx2 = s[ox2 + c], ly1 = s[oy1 + c], ly2 = s[oy2 + c];
      let rx1 = s[c + 1], rx2 = s[ox2 + c + 1], ry1 = s[oy1 + c + 1], ry2 = s[oy2 + c + 1];
      for (let i = start; i < end; i++) {
        const l = left[i], r = right[i];
        let yl = (b0 * l + b1 * lx1 + b2 * lx2 - a2 * ly2) - a1 * ly1;
        let yr = (b0 * r + b1 * rx1 + b2 * rx2 - a2 * ry2) - a1 * ry1;
        if (Math.abs(yl) < DENORMAL_FLOOR) yl = 0;
        if (Math.abs(yr) < DENORMAL_FLOOR) yr = 0;
        lx2 = lx1; lx1 = l; ly2 = ly1; ly1 = yl;
        rx2 = rx1; rx1 = r; ry2 = ry1; ry1 = yr;
        left[i] = yl; right[i] = yr;
      }
      s[c] = lx1; s[ox2 + c] = lx2; s[oy1 + c] = ly1; s[oy2 + c] = ly2;
      s[c + 1] = rx1; s[ox2 + c + 1] = rx2; s[oy1 + c + 1] = ry1; s[oy2 + c + 1] = ry2;
    }
    if (c < count) {
      const x = channels[c];
      let x1 = s[c], x2 = s[ox2 + c], y1 = s[oy1 + c], y2 = s[oy2 + c];
      for (let i = start; i < end; i++) {
        const v = x[i];
        let y = (b0 * v + b1 * x1 + b2 * x2 - a2 * y2) - a1 * y1;
        if (Math.abs(y) < DENORMAL_FLOOR) y = 0;
        x2 = x1; x1 = v; y2 = y1; y1 = y;
        x[i] = y;
      }
      s[c] = x1; s[ox2 + c] = x2; s[oy1 + c] = y1; s[oy2 + c] = y2;
    }
  }
}

export const createBiquad = (sampleRate: number, channelCount: number, params?: Partial<BiquadParams>) => new Biquad(sampleRate, channelCount, params);
