// Transient shaper in the manner of the SPL Transient Designer (differential envelope technology):
// a fast and a slow envelope of the signal power (mean of the channels' squares, so the stereo
// image stays put) are compared. Where the fast one leads (an onset) the attack gain applies, where
// it trails (a decay) the sustain gain applies, in proportion to the lead in dB beyond a small dead
// band, in full from TRANSIENT_FULL_SCALE_DB. Only the ratio of the envelopes matters, so the effect
// does not depend on the level; a steady signal makes both envelopes equal and passes untouched.
// The fast envelope is two cascaded one-poles (12 dB/octave on the power's ripple at twice the
// signal frequency) and the dead band absorbs what is left of it above ~150 Hz; steady tones lower
// than that are modulated a little, as in analogue designs.
import { assertProcessorShape, DENORMAL_FLOOR, type ParametricProcessor } from '../api.js';
import { Smoother } from '../smoothing.js';
import { onePoleCoefficient } from './envelope.js';
import { fastExp2, fastLog2, LOG2_PER_DB } from './fast-math.js';
import { GainKernel } from './gain-kernel.js';

export interface TransientShaperParams {
  /** Gain on onsets, dB (+ more punch, − softer attacks). */
  attackDb: number;
  /** Gain on decays, dB (+ more ring/room, − tighter). */
  sustainDb: number;
}

export const TRANSIENT_SHAPER_DEFAULTS: TransientShaperParams = { attackDb: 0, sustainDb: 0 };

/** Time constant of each of the fast power envelope's two poles (follows onsets). */
export const TRANSIENT_FAST_SECONDS = 0.001;
/** Time constant of the slow power envelope (the running average the fast one is compared with). */
export const TRANSIENT_SLOW_SECONDS = 0.05;
/** Envelope difference (dB) at which the full attack or sustain gain applies. */
export const TRANSIENT_FULL_SCALE_DB = 7;
/** Envelope differences smaller than this (dB) are ignored (detector ripple, noise). */
export const TRANSIENT_DEAD_BAND_DB = 1;
/** Largest |attackDb|, |sustainDb|. */
export const TRANSIENT_MAX_DB = 24;

const CHUNK = 256;
/** dB of power per log2 unit of power ratio. */
const POWER_DB_PER_LOG2 = 0.5 / LOG2_PER_DB;

export function validateTransientShaperParams(p: TransientShaperParams): void {
  for (const key of ['attackDb', 'sustainDb'] as const) {
    if (!(Math.abs(p[key]) <= TRANSIENT_MAX_DB)) throw new RangeError(`transient shaper: ${key} must be within ±${TRANSIENT_MAX_DB} dB, got ${p[key]}`);
  }
}

export class TransientShaper implements ParametricProcessor<TransientShaperParams> {
  readonly latency = 0;
  private current: TransientShaperParams;
  private readonly fastPole: number;
  private readonly slowPole: number;
  /** Amounts in log2 units of amplitude. */
  private readonly attack: Smoother;
  private readonly sustain: Smoother;
  private fast1 = 0;
  private fast = 0;
  private slow = 0;
  private readonly levels: Float64Array;
  private readonly gains: Float32Array;
  /** The gain curve's SIMD kernel (bit-identical to the JS loop), with levels and gains in its memory; or null. */
  private readonly kernel: GainKernel | null;
  private readonly levelsAt: number = 0;
  private readonly gainsAt: number = 0;

  constructor(sampleRate: number, private readonly channelCount: number, params: Partial<TransientShaperParams> = {}) {
    assertProcessorShape('transient shaper', sampleRate, channelCount);
    this.current = { ...TRANSIENT_SHAPER_DEFAULTS, ...params };
    validateTransientShaperParams(this.current);
    this.fastPole = onePoleCoefficient(sampleRate, TRANSIENT_FAST_SECONDS);
    this.slowPole = onePoleCoefficient(sampleRate, TRANSIENT_SLOW_SECONDS);
    this.attack = new Smoother(sampleRate, this.current.attackDb * LOG2_PER_DB);
    this.sustain = new Smoother(sampleRate, this.current.sustainDb * LOG2_PER_DB);
    this.kernel = GainKernel.create(1, 1, CHUNK);
    if (this.kernel) {
      const levels = this.kernel.f64(CHUNK), gains = this.kernel.f32(CHUNK);
      this.levels = levels.array; this.levelsAt = levels.at;
      this.gains = gains.array; this.gainsAt = gains.at;
    } else {
      this.levels = new Float64Array(CHUNK);
      this.gains = new Float32Array(CHUNK);
    }
  }

  get params(): Readonly<TransientShaperParams> {
    return this.current;
  }

  set(params: Partial<TransientShaperParams>): void {
    const next = { ...this.current, ...params };
    validateTransientShaperParams(next);
    this.current = next;
    this.attack.setTarget(next.attackDb * LOG2_PER_DB);
    this.sustain.setTarget(next.sustainDb * LOG2_PER_DB);
  }

  process(channels: Float32Array[], frames: number): void {
    for (let start = 0; start < frames; start += CHUNK) this.run(channels, start, Math.min(CHUNK, frames - start));
  }

  reset(): void {
    this.fast1 = 0;
    this.fast = 0;
    this.slow = 0;
    this.attack.jump(this.current.attackDb * LOG2_PER_DB);
    this.sustain.jump(this.current.sustainDb * LOG2_PER_DB);
  }

  private run(channels: Float32Array[], start: number, n: number): void {
    const levels = this.levels, gains = this.gains, count = this.channelCount, scale = 1 / count;
    // Mean power of the channels (stereo in one loop: 0 + a² + b² is a² + b², the same sum).
    if (count === 2) {
      const x = channels[0], y = channels[1];
      for (let i = 0; i < n; i++) { const a = x[start + i], b = y[start + i]; levels[i] = a * a + b * b; }
    } else {
      for (let i = 0; i < n; i++) levels[i] = 0;
      for (let c = 0; c < count; c++) { const x = channels[c]; for (let i = 0; i < n; i++) { const v = x[start + i]; levels[i] += v * v; } }
    }
    // The envelopes (recursive, kept apart from the per-frame gain math so that can overlap), then
    // their ratio in place (1 when there is nothing to compare).
    const fastPole = this.fastPole, slowPole = this.slowPole;
    let fast1 = this.fast1, fast = this.fast, slow = this.slow;
    for (let i = 0; i < n; i++) {
      const power = levels[i] * scale;
      fast1 = fastPole * fast1 + (1 - fastPole) * power;
      fast = fastPole * fast + (1 - fastPole) * fast1;
      slow = slowPole * slow + (1 - slowPole) * power;
      if (fast1 < DENORMAL_FLOOR) fast1 = 0;
      if (fast < DENORMAL_FLOOR) fast = 0;
      if (slow < DENORMAL_FLOOR) slow = 0;
      levels[i] = slow > 0 ? fast / slow : 1;
    }
    this.fast1 = fast1;
    this.fast = fast;
    this.slow = slow;
    const gliding = this.attack.smoothing || this.sustain.smoothing;
    let attack = this.attack.current, sustain = this.sustain.current;
    if (!gliding && attack === 0 && sustain === 0) return;
    const deadBand = TRANSIENT_DEAD_BAND_DB, span = 1 / (TRANSIENT_FULL_SCALE_DB - TRANSIENT_DEAD_BAND_DB);
    if (!gliding && this.kernel !== null) this.kernel.transient(this.levelsAt, this.gainsAt, n, POWER_DB_PER_LOG2, deadBand, span, attack, sustain);
    else for (let i = 0; i < n; i++) {
      if (gliding) { attack = this.attack.next(); sustain = this.sustain.next(); }
      // Lead of the fast envelope (dB) beyond the dead band as a fraction of the span to full
      // scale, at most 1; its sign picks attack or sustain. Branch-free: noise flips signs often.
      const lead = fastLog2(levels[i]) * POWER_DB_PER_LOG2, size = Math.abs(lead);
      const beyond = 0.5 * (size - deadBand + Math.abs(size - deadBand)) * span;
      const amount = 0.5 * (beyond + 1 - Math.abs(beyond - 1));
      const sign = lead / (size + 1e-30);
      gains[i] = fastExp2(0.5 * amount * ((1 + sign) * attack + (1 - sign) * sustain));
    }
    if (count === 2) {
      const x = channels[0], y = channels[1];
      for (let i = 0; i < n; i++) { const g = gains[i]; x[start + i] *= g; y[start + i] *= g; }
    } else for (let c = 0; c < count; c++) { const x = channels[c]; for (let i = 0; i < n; i++) x[start + i] *= gains[i]; }
  }
}

export const createTransientShaper = (sampleRate: number, channelCount: number, params?: Partial<TransientShaperParams>) => new TransientShaper(sampleRate, channelCount, params);
