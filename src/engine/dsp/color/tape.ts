// Tape stage: a gentle, oversampled tanh saturation with unit small-signal gain, the playback head bump
// (an RBJ peaking boost whose frequency scales with tape speed: 50 Hz at 15 ips, 100 Hz at 30 ips),
// a speed-dependent high-frequency roll-off (first-order low-pass matched to the analog prototype at
// DC and Nyquist, so it holds at every sample rate), and optional wow and flutter (a delay swept by
// two slow sines). Latency = the oversampler's + the wow line's centre, whether or not wow is on.
import { assertProcessorShape, DENORMAL_FLOOR as SHARED_DENORMAL_FLOOR, type ParametricProcessor } from '../api.js';
import { Biquad } from '../filters/biquad.js';
import { Smoother } from '../smoothing.js';
import { DelayLine } from '../space/delay-line.js';
import { QuadratureOscillator } from '../space/quadrature-oscillator.js';
import { requireRange } from '../space/range.js';
import { OVERSAMPLING_CHUNK, WaveshaperOversampler } from './oversampling.js';
import { fastTanh as sharedFastTanh } from './shapers.js';

// Module-local bindings of per-sample helpers: hot loops call them directly, never through a module
// binding (which some loaders compile to a getter call per use).
const fastTanh = sharedFastTanh;

/** A module-local copy: hot loops read a constant, not a module binding (a getter call under some loaders). */
const DENORMAL_FLOOR = SHARED_DENORMAL_FLOOR;

export type TapeSpeed = 15 | 30;

export interface TapeParams {
  /** Tape speed (inches per second): sets the head-bump frequency and the high-frequency corner. */
  speedIps: TapeSpeed;
  /** Level into the tape curve (dB), 0..24; the output is scaled back so quiet signals keep their level. */
  driveDb: number;
  /** Head-bump boost (dB), 0..4. */
  headBumpDb: number;
  /** Wow and flutter amount 0..1 (1: ±0.1 % speed at 0.6 Hz plus ±0.05 % at 7.5 Hz). 0 = off. */
  wowFlutter: number;
}

export const TAPE_DEFAULTS: TapeParams = { speedIps: 15, driveDb: 0, headBumpDb: 2, wowFlutter: 0 };

/** Head bump (Hz) and −3 dB corner of the high-frequency roll-off (Hz) per speed. */
export const TAPE_SPEEDS: Record<TapeSpeed, { headBumpHz: number; rollOffHz: number }> = {
  15: { headBumpHz: 50, rollOffHz: 16000 },
  30: { headBumpHz: 100, rollOffHz: 26000 },
};
const HEAD_BUMP_Q = 1;
const WOW = { hz: 0.6, speed: 0.001 };
const FLUTTER = { hz: 7.5, speed: 0.0005 };
const TAPE_OVERSAMPLING = 4;

/**
 * Matched first-order low-pass, [b0, b1, a1] into `out`: pole e^(−2π fc/fs) (impulse invariance), zero
 * placed so the gain is 1 at DC and the analog 1/√(1 + (fs/2fc)²) at Nyquist (no bilinear cramping).
 */
export function rollOffCoefficients(sampleRate: number, cornerHz: number, out: Float64Array = new Float64Array(3)): Float64Array {
  const p = Math.exp((-2 * Math.PI * cornerHz) / sampleRate);
  const nyquistGain = 1 / Math.sqrt(1 + (sampleRate / (2 * cornerHz)) ** 2);
  out[0] = (1 - p + nyquistGain * (1 + p)) / 2;
  out[1] = (1 - p - nyquistGain * (1 + p)) / 2;
  out[2] = -p;
  return out;
}

function validate(p: TapeParams): void {
  if (!(p.speedIps in TAPE_SPEEDS)) throw new RangeError(`tape: speedIps must be 15 or 30, got ${p.speedIps}`);
  requireRange('tape', 'driveDb', p.driveDb, 0, 24);
  requireRange('tape', 'headBumpDb', p.headBumpDb, 0, 4);
  requireRange('tape', 'wowFlutter', p.wowFlutter, 0, 1);
}

export class Tape implements ParametricProcessor<TapeParams> {
  readonly latency: number;
  private current: TapeParams;
  private readonly oversampler: WaveshaperOversampler;
  private readonly headBump: Biquad;
  private readonly input: Float32Array[];
  private readonly wide: Float32Array[];
  private readonly narrow: Float64Array[];
  private readonly wow: DelayLine[];
  private readonly wowCentre: number;
  private readonly drive: Smoother;
  private readonly logCorner: Smoother;
  private readonly wowAmount: Smoother;
  private readonly rollOff = new Float64Array(3);
  private readonly wowLfo: QuadratureOscillator;
  private readonly flutterLfo: QuadratureOscillator;
  private readonly x1: Float64Array;
  private readonly y1: Float64Array;
  private readonly driveChunk = new Float64Array(OVERSAMPLING_CHUNK);

  constructor(private readonly sampleRate: number, private readonly channelCount: number, params: Partial<TapeParams> = {}) {
    assertProcessorShape('tape', sampleRate, channelCount);
    this.current = { ...TAPE_DEFAULTS, ...params };
    validate(this.current);
    this.oversampler = new WaveshaperOversampler(channelCount, TAPE_OVERSAMPLING);
    const deviation = WOW.speed / (2 * Math.PI * WOW.hz) + FLUTTER.speed / (2 * Math.PI * FLUTTER.hz);
    this.wowCentre = Math.ceil(deviation * sampleRate) + 2;
    this.latency = this.oversampler.latency + this.wowCentre;
    this.headBump = new Biquad(sampleRate, channelCount, this.headBumpParams());
    this.input = Array.from({ length: channelCount }, () => new Float32Array(OVERSAMPLING_CHUNK));
    this.wide = Array.from({ length: channelCount }, () => new Float32Array(OVERSAMPLING_CHUNK * TAPE_OVERSAMPLING));
    this.narrow = Array.from({ length: channelCount }, () => new Float64Array(OVERSAMPLING_CHUNK));
    this.wow = Array.from({ length: channelCount }, () => new DelayLine(2 * this.wowCentre + 2));
    this.drive = new Smoother(sampleRate, 1);
    this.logCorner = new Smoother(sampleRate, 0);
    this.wowAmount = new Smoother(sampleRate, 0);
    this.x1 = new Float64Array(channelCount);
    this.y1 = new Float64Array(channelCount);
    this.wowLfo = new QuadratureOscillator(sampleRate);
    this.flutterLfo = new QuadratureOscillator(sampleRate);
    this.reset();
  }

  get params(): Readonly<TapeParams> {
    return this.current;
  }

  set(params: Partial<TapeParams>): void {
    const next = { ...this.current, ...params };
    validate(next);
    this.current = next;
    this.headBump.set(this.headBumpParams());
    this.setTargets(false);
  }

  reset(): void {
    this.oversampler.reset();
    this.headBump.reset();
    for (const line of this.wow) line.clear();
    this.x1.fill(0);
    this.y1.fill(0);
    this.wowLfo.reset();
    this.flutterLfo.reset();
    this.setTargets(true);
  }

  /** The designed response of the linear part (head bump × roll-off) at `frequencyHz`, latency excluded. */
  designResponse(frequencyHz: number): { magnitude: number; phase: number } {
    const bump = this.headBump.response(frequencyHz);
    const [b0, b1, a1] = rollOffCoefficients(this.sampleRate, TAPE_SPEEDS[this.current.speedIps].rollOffHz);
    const w = (2 * Math.PI * frequencyHz) / this.sampleRate;
    const nr = b0 + b1 * Math.cos(w), ni = -b1 * Math.sin(w);
    const dr = 1 + a1 * Math.cos(w), di = -a1 * Math.sin(w);
    return {
      magnitude: (bump.magnitude * Math.hypot(nr, ni)) / Math.hypot(dr, di),
      phase: bump.phase + Math.atan2(ni, nr) - Math.atan2(di, dr),
    };
  }

  private headBumpParams() {
    return { type: 'peaking' as const, frequencyHz: TAPE_SPEEDS[this.current.speedIps].headBumpHz, q: HEAD_BUMP_Q, gainDb: this.current.headBumpDb };
  }

  private setTargets(jump: boolean): void {
    const p = this.current;
    const targets: [Smoother, number][] = [
      [this.drive, Math.pow(10, p.driveDb / 20)],
      [this.logCorner, Math.log(TAPE_SPEEDS[p.speedIps].rollOffHz)],
      [this.wowAmount, p.wowFlutter],
    ];
    for (const [smoother, value] of targets) if (jump) smoother.jump(value); else smoother.setTarget(value);
    if (jump) rollOffCoefficients(this.sampleRate, TAPE_SPEEDS[p.speedIps].rollOffHz, this.rollOff);
  }

  process(channels: Float32Array[], frames: number): void {
    const factor = TAPE_OVERSAMPLING;
    const { input, wide, narrow } = this;
    // 1. Oversampled curve: tanh(d·x)/d, unit gain for quiet signals.
    for (let start = 0; start < frames; start += OVERSAMPLING_CHUNK) {
      const count = Math.min(OVERSAMPLING_CHUNK, frames - start);
      for (let i = 0; i < count; i++) this.driveChunk[i] = this.drive.next();
      const pairs = this.oversampler.pairs;
      if (pairs !== null) {
        // The pair kernel (bit-identical to the per-channel path below).
        const drive = pairs.drive, post = pairs.post;
        for (let i = 0; i < count; i++) { const d = this.driveChunk[i]; drive[i] = d; post[i] = 1 / d; }
        for (let p = 0; p < pairs.pairs; p++) {
          pairs.load(p, channels, start, count);
          pairs.upsample(p, count);
          pairs.tanh(p, count);
          pairs.downsample(p, count);
          const out = pairs.out[p];
          for (let lane = 0; lane < 2 && 2 * p + lane < this.channelCount; lane++) {
            const y = channels[2 * p + lane];
            for (let i = 0; i < count; i++) y[start + i] = out[2 * i + lane];
          }
        }
        continue;
      }
      for (let c = 0; c < this.channelCount; c++) for (let i = 0; i < count; i++) input[c][i] = channels[c][start + i];
      this.oversampler.upsample(input, count, wide);
      for (let c = 0; c < this.channelCount; c++) {
        const x = wide[c];
        for (let i = 0; i < count; i++) {
          const d = this.driveChunk[i];
          const inverse = 1 / d;
          for (let j = i * factor, end = j + factor; j < end; j++) x[j] = fastTanh(d * x[j]) * inverse;
        }
      }
      this.oversampler.downsample(wide, count, narrow);
      for (let c = 0; c < this.channelCount; c++) for (let i = 0; i < count; i++) channels[c][start + i] = narrow[c][i];
    }
    // 2. Head bump (the shared, block-size invariant RBJ biquad).
    this.headBump.process(channels, frames);
    // 3. Roll-off, then the wow line (read at its fixed centre when wow is off: a pure delay).
    const wowDepth = (WOW.speed / (2 * Math.PI * WOW.hz)) * this.sampleRate;
    const flutterDepth = (FLUTTER.speed / (2 * Math.PI * FLUTTER.hz)) * this.sampleRate;
    const r = this.rollOff;
    for (let i = 0; i < frames; i++) {
      if (this.logCorner.smoothing) rollOffCoefficients(this.sampleRate, Math.exp(this.logCorner.next()), r);
      const b0 = r[0], b1 = r[1], a1 = r[2];
      const amount = this.wowAmount.next();
      let delay = this.wowCentre + 1;
      if (amount !== 0) {
        this.wowLfo.next(WOW.hz);
        this.flutterLfo.next(FLUTTER.hz);
        delay += amount * (wowDepth * this.wowLfo.sin + flutterDepth * this.flutterLfo.sin);
      }
      for (let c = 0; c < this.channelCount; c++) {
        const x = channels[c][i];
        let y = b0 * x + b1 * this.x1[c] - a1 * this.y1[c];
        if (Math.abs(y) < DENORMAL_FLOOR) y = 0;
        this.x1[c] = x;
        this.y1[c] = y;
        const line = this.wow[c];
        line.write(y);
        const out = line.cubic(delay);
        channels[c][i] = Math.abs(out) > DENORMAL_FLOOR ? out : 0;
      }
    }
  }
}

export const createTape = (sampleRate: number, channelCount: number, params?: Partial<TapeParams>) => new Tape(sampleRate, channelCount, params);
