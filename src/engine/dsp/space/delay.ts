// Stereo / ping-pong feedback delay with tempo sync, one-pole high- and low-pass filters in the
// feedback path (each repeat darker and thinner than the last), and clickless time changes: the read
// position glides (exponential approach, slew-limited to ±25 % speed) and is read with cubic
// (Catmull-Rom) interpolation, exact for integer delays. A feedback filter switched off (its amount
// settled at exactly 0) rests at zero state and costs nothing. Settled stereo runs in a WebAssembly SIMD
// kernel (delay-kernel.wat: left and right in the two f64 lanes, or, with both filters off and whole-
// sample delays, each channel two frames per f64x2) whose rings are the delay lines themselves,
// bit-identical to the JS path.
import { assertProcessorShape, DENORMAL_FLOOR as SHARED_DENORMAL_FLOOR, type ParametricProcessor } from '../api.js';
import { Smoother } from '../smoothing.js';
import { DelayLine, flush, hermite } from './delay-line.js';
import { instantiateKernel } from '../../wasm.js';
import { DELAY_KERNEL_WASM_BASE64 } from './delay-kernel.wasm.js';
import { requireRange } from './range.js';
import { noteSeconds, type NoteValue } from './tempo.js';

/** A module-local copy: hot loops read a constant, not a module binding (a getter call under some loaders). */
const DENORMAL_FLOOR = SHARED_DENORMAL_FLOOR;

export interface DelayParams {
  /** Delay of the left channel (and of mono and extra channels), s; ignored while `bpm` is set. */
  leftDelaySeconds: number;
  /** Delay of the right channel, s; ignored while `bpm` is set. */
  rightDelaySeconds: number;
  /** Tempo sync: when set, the delays are `leftNote` and `rightNote` at this tempo. */
  bpm: number | null;
  leftNote: NoteValue;
  rightNote: NoteValue;
  /** Gain of each repeat, -0.99..0.99 (negative inverts every other echo). */
  feedback: number;
  /** Ping-pong: the mono sum enters the left line, and the two lines feed each other, so echoes alternate L, R, L... */
  pingPong: boolean;
  /** One-pole high-pass in the feedback path (Hz), null = off. */
  highPassHz: number | null;
  /** One-pole low-pass in the feedback path (Hz), null = off. */
  lowPassHz: number | null;
  /** Dry/wet, 0..1. */
  mix: number;
}

export const DELAY_DEFAULTS: DelayParams = {
  leftDelaySeconds: 0.375,
  rightDelaySeconds: 0.5,
  bpm: null,
  leftNote: '1/8.',
  rightNote: '1/4',
  feedback: 0.35,
  pingPong: false,
  highPassHz: 100,
  lowPassHz: 6000,
  mix: 0.25,
};

export const MAX_DELAY_SECONDS = 4;
const MIN_DELAY_SECONDS = 0.001;
const GLIDE_SECONDS = 0.05;
/** Largest change of the delay per sample while gliding: playback speed stays within ±25 %. */
const MAX_SLEW = 0.25;
/** Kernel memory: the parameter area (delay-kernel.wat's layout), then the two rings, then the block. */
const KERNEL_PARAMS_BYTES = 192;
const KERNEL_BLOCK_FRAMES = 4096;

/** The stereo kernel and views of its memory. */
interface DelayKernel {
  settled(frames: number, index: number): number;
  plain(frames: number, index: number): number;
  ints: Int32Array;
  floats: Float64Array;
  blockLeft: Float32Array;
  blockRight: Float32Array;
}

export interface DelayOptions {
  /** false: never use the WebAssembly kernel (tests compare both paths). */
  wasm?: boolean;
}

/** The two delays (s) the parameters ask for, tempo sync applied. */
export function delayTimes(p: DelayParams): [number, number] {
  return p.bpm === null ? [p.leftDelaySeconds, p.rightDelaySeconds] : [noteSeconds(p.bpm, p.leftNote), noteSeconds(p.bpm, p.rightNote)];
}

function validate(p: DelayParams): void {
  for (const seconds of delayTimes(p)) requireRange('delay', 'delay time (s)', seconds, MIN_DELAY_SECONDS, MAX_DELAY_SECONDS);
  requireRange('delay', 'feedback', p.feedback, -0.99, 0.99);
  requireRange('delay', 'mix', p.mix, 0, 1);
  if (p.highPassHz !== null) requireRange('delay', 'highPassHz', p.highPassHz, 1, 20000);
  if (p.lowPassHz !== null) requireRange('delay', 'lowPassHz', p.lowPassHz, 20, 100000);
}

export class Delay implements ParametricProcessor<DelayParams> {
  readonly latency = 0;
  private current: DelayParams;
  private readonly lines: DelayLine[];
  private readonly delay: Float64Array;
  private readonly targetDelay: Float64Array;
  private readonly glide: number;
  // Feedback filter state per channel: the low-pass output, and the low-pass whose output the high-pass subtracts.
  private readonly lowState: Float64Array;
  private readonly highState: Float64Array;
  private readonly echo: Float64Array;
  private readonly returned: Float64Array;
  private readonly feedback: Smoother;
  private readonly mix: Smoother;
  private readonly lowCoefficient: Smoother;
  private readonly highCoefficient: Smoother;
  // "Off" is a per-sample crossfade to the unfiltered signal, so switching a filter cannot click.
  private readonly lowAmount: Smoother;
  private readonly highAmount: Smoother;

  private readonly kernel: DelayKernel | null = null;

  constructor(private readonly sampleRate: number, private readonly channelCount: number, params: Partial<DelayParams> = {}, options: DelayOptions = {}) {
    assertProcessorShape('delay', sampleRate, channelCount);
    this.current = { ...DELAY_DEFAULTS, ...params };
    validate(this.current);
    const lineSamples = Math.ceil(MAX_DELAY_SECONDS * sampleRate) + 2;
    const ringLength = DelayLine.bufferLength(lineSamples);
    const instance = channelCount === 2 && options.wasm !== false
      ? instantiateKernel(DELAY_KERNEL_WASM_BASE64, KERNEL_PARAMS_BYTES + 2 * 4 * (ringLength + KERNEL_BLOCK_FRAMES))
      : null;
    if (instance) {
      const buffer = instance.memory.buffer;
      const rings = [KERNEL_PARAMS_BYTES, KERNEL_PARAMS_BYTES + 4 * ringLength];
      const blocks = [KERNEL_PARAMS_BYTES + 8 * ringLength, KERNEL_PARAMS_BYTES + 8 * ringLength + 4 * KERNEL_BLOCK_FRAMES];
      this.kernel = {
        settled: instance.exports.settled as DelayKernel['settled'],
        plain: instance.exports.plain as DelayKernel['plain'],
        ints: new Int32Array(buffer, 0, 8),
        floats: new Float64Array(buffer, 32, (KERNEL_PARAMS_BYTES - 32) / 8),
        blockLeft: new Float32Array(buffer, blocks[0], KERNEL_BLOCK_FRAMES),
        blockRight: new Float32Array(buffer, blocks[1], KERNEL_BLOCK_FRAMES),
      };
      this.kernel.ints.set([rings[0], rings[1], blocks[0], blocks[1], ringLength - 1]);
      this.lines = rings.map((at) => new DelayLine(lineSamples, (length) => new Float32Array(buffer, at, length)));
    } else {
      this.lines = Array.from({ length: channelCount }, () => new DelayLine(lineSamples));
    }
    this.delay = new Float64Array(channelCount);
    this.targetDelay = new Float64Array(channelCount);
    this.lowState = new Float64Array(channelCount);
    this.highState = new Float64Array(channelCount);
    this.echo = new Float64Array(channelCount);
    this.returned = new Float64Array(channelCount);
    this.glide = 1 - Math.exp(-1 / (GLIDE_SECONDS * sampleRate));
    this.feedback = new Smoother(sampleRate, 0);
    this.mix = new Smoother(sampleRate, 0);
    this.lowCoefficient = new Smoother(sampleRate, 1);
    this.highCoefficient = new Smoother(sampleRate, 0);
    this.lowAmount = new Smoother(sampleRate, 0);
    this.highAmount = new Smoother(sampleRate, 0);
    this.reset();
  }

  get params(): Readonly<DelayParams> {
    return this.current;
  }

  set(params: Partial<DelayParams>): void {
    const next = { ...this.current, ...params };
    validate(next);
    this.current = next;
    this.setTargets(false);
  }

  reset(): void {
    for (const line of this.lines) line.clear();
    this.lowState.fill(0);
    this.highState.fill(0);
    this.setTargets(true);
  }

  private setTargets(jump: boolean): void {
    const p = this.current;
    const [left, right] = delayTimes(p);
    for (let c = 0; c < this.channelCount; c++) {
      // Times that are whole samples up to rounding (0.01 s · 48 kHz = 480.00000000000006) become exact.
      const samples = (c === 1 ? right : left) * this.sampleRate;
      this.targetDelay[c] = Math.abs(samples - Math.round(samples)) < 1e-6 ? Math.round(samples) : samples;
      if (jump) this.delay[c] = this.targetDelay[c];
    }
    // One-pole coefficients by pole matching: a = 1 - e^(-2π fc / fs).
    const coefficient = (hz: number) => 1 - Math.exp((-2 * Math.PI * Math.min(hz, this.sampleRate)) / this.sampleRate);
    const targets: [Smoother, number][] = [[this.feedback, p.feedback], [this.mix, p.mix], [this.lowAmount, p.lowPassHz === null ? 0 : 1], [this.highAmount, p.highPassHz === null ? 0 : 1]];
    if (p.lowPassHz !== null) targets.push([this.lowCoefficient, coefficient(p.lowPassHz)]);
    if (p.highPassHz !== null) targets.push([this.highCoefficient, coefficient(p.highPassHz)]);
    for (const [smoother, value] of targets) if (jump) smoother.jump(value); else smoother.setTarget(value);
  }

  /** Moves channel c's delay one sample toward its target (slew-limited exponential glide). */
  private nextDelay(c: number): number {
    const target = this.targetDelay[c];
    let d = this.delay[c];
    if (d !== target) {
      const step = (target - d) * this.glide;
      d += step > MAX_SLEW ? MAX_SLEW : step < -MAX_SLEW ? -MAX_SLEW : step;
      if (Math.abs(target - d) < 1e-6) d = target;
      this.delay[c] = d;
    }
    return d;
  }

  /** The feedback-path filters on one channel's echo. */
  private filter(c: number, x: number, low: number, high: number, lowAmount: number, highAmount: number): number {
    // A filter that is off (amount exactly 0) rests at zero state: the same formula with a zero coefficient.
    if (lowAmount === 0) { this.lowState[c] = 0; low = 0; }
    if (highAmount === 0) { this.highState[c] = 0; high = 0; }
    const lp = flush(this.lowState[c] + low * (x - this.lowState[c]));
    this.lowState[c] = lp;
    const y = x + (lp - x) * lowAmount;
    const floor = flush(this.highState[c] + high * (y - this.highState[c]));
    this.highState[c] = floor;
    return y - floor * highAmount;
  }

  /** processSettled for stereo in the kernel (delay-kernel.wat), KERNEL_BLOCK_FRAMES at a time. */
  private processSettledKernel(kernel: DelayKernel, channels: Float32Array[], frames: number, low: number, high: number): void {
    const { ints, floats, blockLeft, blockRight } = kernel;
    const nLeft = Math.floor(this.delay[0]), nRight = Math.floor(this.delay[1]);
    const tLeft = this.delay[0] - nLeft, tRight = this.delay[1] - nRight;
    ints[5] = nLeft;
    ints[6] = nRight;
    ints[7] = tLeft !== 0 || tRight !== 0 ? 1 : 0;
    // f64 slots from byte 32, each a (left, right) pair: t, feedback, dry, mix, low, high, lowAmount, highAmount, lowState, highState.
    const feedback = this.feedback.current, mix = this.mix.current;
    const lowAmount = this.lowAmount.current, highAmount = this.highAmount.current;
    const plain = lowAmount === 0 && highAmount === 0 && tLeft === 0 && tRight === 0;
    floats[0] = tLeft; floats[1] = tRight;
    floats[2] = feedback; floats[3] = feedback;
    floats[4] = 1 - mix; floats[5] = 1 - mix;
    floats[6] = mix; floats[7] = mix;
    floats[8] = low; floats[9] = low;
    floats[10] = high; floats[11] = high;
    floats[12] = lowAmount; floats[13] = lowAmount;
    floats[14] = highAmount; floats[15] = highAmount;
    floats[16] = this.lowState[0]; floats[17] = this.lowState[1];
    floats[18] = this.highState[0]; floats[19] = this.highState[1];
    const left = channels[0], right = channels[1];
    let index = this.lines[0].index;
    for (let done = 0; done < frames; done += KERNEL_BLOCK_FRAMES) {
      const n = Math.min(KERNEL_BLOCK_FRAMES, frames - done);
      // Whole blocks (the usual case) copy as memcpy; other lengths sample by sample (no views made per call).
      const whole = done === 0 && n === KERNEL_BLOCK_FRAMES && left.length === n && right.length === n;
      if (whole) { blockLeft.set(left); blockRight.set(right); } else for (let i = 0; i < n; i++) { blockLeft[i] = left[done + i]; blockRight[i] = right[done + i]; }
      index = plain ? kernel.plain(n, index) : kernel.settled(n, index);
      if (whole) { left.set(blockLeft); right.set(blockRight); } else for (let i = 0; i < n; i++) { left[done + i] = blockLeft[i]; right[done + i] = blockRight[i]; }
    }
    this.lines[0].index = index;
    this.lines[1].index = index;
    this.lowState[0] = floats[16];
    this.lowState[1] = floats[17];
    this.highState[0] = floats[18];
    this.highState[1] = floats[19];
  }

  /** True when no parameter moves: every smoother at its target, every delay at its target. */
  private get settled(): boolean {
    if (this.feedback.smoothing || this.mix.smoothing || this.lowCoefficient.smoothing || this.highCoefficient.smoothing
      || this.lowAmount.smoothing || this.highAmount.smoothing) return false;
    for (let c = 0; c < this.channelCount; c++) if (this.delay[c] !== this.targetDelay[c]) return false;
    return true;
  }

  /**
   * Settled parameters and independent channels: each channel in one loop with its line, filter state
   * and the (constant) parameters in locals. The same arithmetic as the per-sample path, so the output
   * is identical whichever path a block takes.
   */
  private processSettled(channels: Float32Array[], frames: number): void {
    const lowAmount = this.lowAmount.current, highAmount = this.highAmount.current;
    // A filter that is off (amount exactly 0) rests at zero state: the same formula with a zero coefficient (as filter()).
    if (lowAmount === 0) this.lowState.fill(0);
    if (highAmount === 0) this.highState.fill(0);
    const low = lowAmount === 0 ? 0 : this.lowCoefficient.current, high = highAmount === 0 ? 0 : this.highCoefficient.current;
    if (this.kernel && this.lines[0].index === this.lines[1].index) {
      this.processSettledKernel(this.kernel, channels, frames, low, high);
      return;
    }
    const feedback = this.feedback.current, mix = this.mix.current, dry = 1 - mix;
    for (let c = 0; c < this.channelCount; c++) {
      const line = this.lines[c], buffer = line.buffer, mask = line.mask, x = channels[c];
      const d = this.delay[c], n = Math.floor(d), t = d - n;
      let index = line.index, lowState = this.lowState[c], highState = this.highState[c];
      if (t === 0 && lowAmount === 0 && highAmount === 0) {
        // Both filters off: y = e and w = x + feedback e exactly (the general loop's arithmetic with zero amounts).
        for (let i = 0; i < frames; i++) {
          let e = buffer[(index - n) & mask];
          if (!(Math.abs(e) > DENORMAL_FLOOR)) e = 0;
          const input = x[i];
          const w = input + feedback * e;
          buffer[index] = Math.abs(w) > DENORMAL_FLOOR ? w : 0;
          index = (index + 1) & mask;
          x[i] = input * dry + e * mix;
        }
      } else if (t === 0) {
        // Integer delay: the cubic read is exactly the stored sample (t = 0).
        for (let i = 0; i < frames; i++) {
          let e = buffer[(index - n) & mask];
          if (!(Math.abs(e) > DENORMAL_FLOOR)) e = 0;
          let lp = lowState + low * (e - lowState);
          if (!(Math.abs(lp) > DENORMAL_FLOOR)) lp = 0;
          lowState = lp;
          const y = e + (lp - e) * lowAmount;
          let floor = highState + high * (y - highState);
          if (!(Math.abs(floor) > DENORMAL_FLOOR)) floor = 0;
          highState = floor;
          const input = x[i];
          const w = input + feedback * (y - floor * highAmount);
          buffer[index] = Math.abs(w) > DENORMAL_FLOOR ? w : 0;
          index = (index + 1) & mask;
          x[i] = input * dry + e * mix;
        }
      } else {
        for (let i = 0; i < frames; i++) {
          const r = index - n;
          let e = hermite(buffer[(r + 1) & mask], buffer[r & mask], buffer[(r - 1) & mask], buffer[(r - 2) & mask], t);
          if (!(Math.abs(e) > DENORMAL_FLOOR)) e = 0;
          let lp = lowState + low * (e - lowState);
          if (!(Math.abs(lp) > DENORMAL_FLOOR)) lp = 0;
          lowState = lp;
          const y = e + (lp - e) * lowAmount;
          let floor = highState + high * (y - highState);
          if (!(Math.abs(floor) > DENORMAL_FLOOR)) floor = 0;
          highState = floor;
          const input = x[i];
          const w = input + feedback * (y - floor * highAmount);
          buffer[index] = Math.abs(w) > DENORMAL_FLOOR ? w : 0;
          index = (index + 1) & mask;
          x[i] = input * dry + e * mix;
        }
      }
      line.index = index;
      this.lowState[c] = lowState;
      this.highState[c] = highState;
    }
  }

  process(channels: Float32Array[], frames: number): void {
    const { lines, echo, returned, channelCount } = this;
    const pingPong = this.current.pingPong && channelCount >= 2;
    if (!pingPong && this.settled) {
      this.processSettled(channels, frames);
      return;
    }
    for (let i = 0; i < frames; i++) {
      const feedback = this.feedback.next();
      const mix = this.mix.next();
      const low = this.lowCoefficient.next();
      const high = this.highCoefficient.next();
      const lowAmount = this.lowAmount.next();
      const highAmount = this.highAmount.next();
      for (let c = 0; c < channelCount; c++) {
        echo[c] = flush(lines[c].cubic(this.nextDelay(c)));
        returned[c] = feedback * this.filter(c, echo[c], low, high, lowAmount, highAmount);
      }
      let first = 0;
      if (pingPong) {
        // The mono sum enters the left line; each line is fed by the other's echo.
        lines[0].write(flush(0.5 * (channels[0][i] + channels[1][i]) + returned[1]));
        lines[1].write(flush(returned[0]));
        first = 2;
      }
      for (let c = first; c < channelCount; c++) lines[c].write(flush(channels[c][i] + returned[c]));
      for (let c = 0; c < channelCount; c++) channels[c][i] = channels[c][i] * (1 - mix) + echo[c] * mix;
    }
  }
}

export const createDelay = (sampleRate: number, channelCount: number, params?: Partial<DelayParams>, options?: DelayOptions) => new Delay(sampleRate, channelCount, params, options);
