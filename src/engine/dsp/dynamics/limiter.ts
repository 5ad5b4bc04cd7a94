// True-peak look-ahead brickwall limiter for mastering. Stereo-linked.
//   drive -> true-peak detector (4x oversampled + parabola, BS.1770 interpolator, near-Nyquist
//            envelope: limiter-detector.ts)
//         -> target gain = ceiling / peak -> running minimum over the look-ahead -> hold + adaptive release
//         -> 3-boxcar smoothing (limiter-gain.ts): the gain is down before the peak, with no corners
//         -> applied to the delayed signal -> BS.1770 guard on the output (limiter-guard.ts).
// The detector skips the estimates it can bound under the limit (in quiet passages, all but a chunk's last frames).
// Where WebAssembly SIMD runs, the targets, hold, boxcars, delay lines and gain application are in the gain kernel
// (limiter-gain-kernel.ts; the release stays in JS), bit-identical to the JS path ({ wasm: false }).
// Output true peak <= ceiling as measured by the BS.1770-4 Annex 2 meter, with no clipping stage; the
// main curve aims 0.01 dB low, the guard removes what gain modulation under the meter's window leaves.
// Latency = look-ahead, exactly (clamped up to the minimum the detector and guard need, ~1.3 ms at 44.1 kHz).
import { assertProcessorShape, type GainReductionMeter, type ParametricProcessor } from '../api.js';
import { Smoother } from '../smoothing.js';
import { TruePeakDetector } from './limiter-detector.js';
import { BoxcarCascade, gainCurveLayout, MinHold, type GainCurveLayout } from './limiter-gain.js';
import { TruePeakGuard } from './limiter-guard.js';
import { LimiterGainKernel } from './limiter-gain-kernel.js';
import { AdaptiveRelease } from './limiter-release.js';

export interface LimiterParams {
  /** Output ceiling in dBTP (true peak, BS.1770-4), -20 to 0. */
  ceilingDb: number;
  /** Release for sustained overs, seconds (0.001 to 5). */
  releaseSeconds: number;
  /** Short peaks release 10x faster than sustained overs (program-adaptive release). */
  adaptiveRelease: boolean;
  /** The gain stays down this long after a peak before releasing (0 to 0.1 s); 15 ms keeps bass undistorted. */
  holdSeconds: number;
  /** Look-ahead = latency, seconds (about 1.3 to 20 ms); fixed at construction. */
  lookaheadSeconds: number;
  /** Gain before the limiter (drive), dB (-24 to +36). */
  inputGainDb: number;
}

export const LIMITER_DEFAULTS: LimiterParams = {
  ceilingDb: -1,
  releaseSeconds: 0.15,
  adaptiveRelease: true,
  holdSeconds: 0.015,
  lookaheadSeconds: 0.003,
  inputGainDb: 0,
};

/** The main gain curve aims this far below the ceiling, so the guard stage rarely has to act. */
export const LIMITER_MARGIN_DB = 0.01;
/** Flat samples the main gain curve keeps around each peak (covers the meter's 12-tap window). */
const MIN_HOLD_SAMPLES = 12;
/** Shortest attack smoothing that is still smooth: delay of a 2-sample boxcar layout with the hold. */
const MIN_GAIN_DELAY = 3 * 2 - 3 + MIN_HOLD_SAMPLES / 2;
const MAX_LOOKAHEAD_SECONDS = 0.02;
/**
 * Frames per pass of the stages (detector, gain curve, guard). Output does not depend on it; 256 measured
 * fastest (3 min stereo: 128 -> 256 cut 4 % on dense material and 8 % on a song whose quiet chunks skip
 * their estimates; 512 was slower on both: fewer chunks are quiet).
 */
const CHUNK = 256;

const dbToLinear = (db: number) => Math.pow(10, db / 20);

function validate(p: LimiterParams): void {
  const check = (ok: boolean, what: string) => { if (!ok) throw new RangeError(`limiter: ${what}`); };
  check(p.ceilingDb >= -20 && p.ceilingDb <= 0, `ceilingDb must be -20..0, got ${p.ceilingDb}`);
  check(p.releaseSeconds >= 0.001 && p.releaseSeconds <= 5, `releaseSeconds must be 0.001..5, got ${p.releaseSeconds}`);
  check(p.holdSeconds >= 0 && p.holdSeconds <= 0.1, `holdSeconds must be 0..0.1, got ${p.holdSeconds}`);
  check(p.lookaheadSeconds >= 0 && p.lookaheadSeconds <= MAX_LOOKAHEAD_SECONDS, `lookaheadSeconds must be 0..0.02, got ${p.lookaheadSeconds}`);
  check(p.inputGainDb >= -24 && p.inputGainDb <= 36, `inputGainDb must be -24..36, got ${p.inputGainDb}`);
}

export class Limiter implements ParametricProcessor<LimiterParams>, GainReductionMeter {
  readonly latency: number;
  /** Gain-curve geometry (for reports and tests). */
  readonly layout: GainCurveLayout;
  private current: LimiterParams;
  private readonly detector: TruePeakDetector;
  private readonly guard: TruePeakGuard;
  private readonly hold: MinHold;
  private readonly release: AdaptiveRelease;
  private readonly smoother: BoxcarCascade;
  private readonly drive: Smoother;
  private readonly ceiling: Smoother;
  private readonly driven: Float32Array[];
  private readonly delayLines: Float32Array[];
  private readonly delayMask: number;
  /** The detector's output, then (in place) the targets and the gain curve (in the gain kernel's memory when it runs). */
  private readonly peaks: Float64Array;
  private readonly ceilings: Float64Array;
  /** Targets, hold, boxcars, delay lines and gain in WebAssembly (on the same state as the JS objects), or null. */
  private readonly gainKernel: LimiterGainKernel | null;
  private readonly drives = new Float64Array(CHUNK);
  private readonly limited: Float32Array[];
  private frame = 0;
  /** The detector skips the estimates of chunks it can bound under the limit (same output); false for tests. */
  skipQuietChunks = true;
  private lastReductionDb = 0;
  private maxReductionDb = 0;

  constructor(private readonly sampleRate: number, private readonly channelCount: number, params: Partial<LimiterParams> = {}, options: { wasm?: boolean } = {}) {
    assertProcessorShape('limiter', sampleRate, channelCount);
    this.current = { ...LIMITER_DEFAULTS, ...params };
    validate(this.current);
    this.detector = new TruePeakDetector(sampleRate, channelCount, CHUNK, options);
    this.guard = new TruePeakGuard(channelCount, CHUNK, options);
    const fixed = this.detector.latency + this.guard.latency;
    this.latency = Math.max(Math.round(this.current.lookaheadSeconds * sampleRate), fixed + MIN_GAIN_DELAY);
    this.layout = gainCurveLayout(this.latency - fixed, MIN_HOLD_SAMPLES);
    const holdWindow = 3 * this.layout.boxcar - 2 + this.layout.hold;
    let size = 1;
    while (size < this.detector.latency + this.layout.delay + CHUNK + 1) size *= 2;
    this.delayMask = size - 1;
    this.gainKernel = options.wasm === false ? null : LimiterGainKernel.create(sampleRate, channelCount, CHUNK, size, holdWindow, this.layout.boxcar, this.current);
    this.hold = this.gainKernel?.hold ?? new MinHold(holdWindow);
    this.smoother = this.gainKernel?.smoother ?? new BoxcarCascade(this.layout.boxcar);
    this.release = this.gainKernel?.release ?? new AdaptiveRelease(sampleRate, this.current.releaseSeconds, this.current.adaptiveRelease, this.current.holdSeconds);
    this.ceilings = this.gainKernel?.ceilings ?? new Float64Array(CHUNK);
    this.drive = new Smoother(sampleRate, dbToLinear(this.current.inputGainDb));
    this.ceiling = new Smoother(sampleRate, dbToLinear(this.current.ceilingDb));
    this.delayLines = this.gainKernel?.lines ?? Array.from({ length: channelCount }, () => new Float32Array(size));
    this.driven = this.detector.inputs; // the drive writes straight into the detector's input
    // The detector's output is worked on where it lands (or copied once into the gain kernel's memory).
    this.peaks = this.gainKernel?.values ?? this.detector.output;
    this.limited = this.guard.inputs; // the gain writes straight into the guard's lines
  }

  get params(): Readonly<LimiterParams> {
    return this.current;
  }

  /** Changes parameters; ceiling and drive glide per sample. The look-ahead cannot change (it is the latency). */
  set(params: Partial<LimiterParams>): void {
    const next = { ...this.current, ...params };
    validate(next);
    if (next.lookaheadSeconds !== this.current.lookaheadSeconds) {
      throw new RangeError('limiter: lookaheadSeconds is fixed at construction (it sets the latency)');
    }
    this.current = next;
    this.release.configure(next.releaseSeconds, next.adaptiveRelease, next.holdSeconds);
    this.drive.setTarget(dbToLinear(next.inputGainDb));
    this.ceiling.setTarget(dbToLinear(next.ceilingDb));
  }

  get gainReductionDb(): number {
    return this.lastReductionDb;
  }

  get maxGainReductionDb(): number {
    return this.maxReductionDb;
  }

  process(channels: Float32Array[], frames: number): void {
    let smallest = 1;
    for (let start = 0; start < frames; start += CHUNK) {
      const n = Math.min(CHUNK, frames - start);
      const gain = this.processChunk(channels, start, n);
      if (gain < smallest) smallest = gain;
    }
    this.lastReductionDb = smallest < 1 ? -20 * Math.log10(smallest) : 0;
    if (this.lastReductionDb > this.maxReductionDb) this.maxReductionDb = this.lastReductionDb;
  }

  /** One chunk (n <= CHUNK) at channels[c][start ..]; returns the smallest total gain applied. */
  private processChunk(channels: Float32Array[], start: number, n: number): number {
    const { channelCount, delayLines, delayMask, driven, frame, peaks, ceilings, drives } = this;
    // Drive (per-sample glide), into the detector's input and the delay lines.
    // Settled smoothers (the usual case) hold their value: fill instead of stepping them per sample.
    const gliding = this.drive.smoothing;
    if (gliding) for (let i = 0; i < n; i++) drives[i] = this.drive.next();
    let lowest = this.ceiling.current; // the smallest ceiling of the chunk
    if (this.ceiling.smoothing) {
      lowest = Infinity;
      for (let i = 0; i < n; i++) {
        ceilings[i] = this.ceiling.next();
        if (ceilings[i] < lowest) lowest = ceilings[i];
      }
    } else {
      ceilings.fill(lowest, 0, n);
    }
    const drive = this.drive.current; // when not gliding, every frame's
    for (let c = 0; c < channelCount; c++) {
      const x = channels[c];
      const d = driven[c];
      const line = delayLines[c];
      if (gliding) {
        for (let i = 0; i < n; i++) {
          const v = Math.fround(x[start + i] * drives[i]);
          d[i] = v;
          line[(frame + i) & delayMask] = v;
        }
      } else {
        for (let i = 0; i < n; i++) d[i] = x[start + i] * drive; // the store rounds to float32
        // A whole chunk that does not wrap the line (every chunk, when blocks are multiples of CHUNK) goes
        // in as one copy; others sample by sample (no views made per chunk).
        const at = frame & delayMask;
        if (n === d.length && at + n <= delayMask + 1) line.set(d, at);
        else for (let i = 0; i < n; i++) line[(frame + i) & delayMask] = d[i];
      }
    }
    // Gain curve: target for frame k = frame + i - detector.latency, applied to frame k - layout.delay.
    const margin = dbToLinear(-LIMITER_MARGIN_DB);
    // Quiet chunks: the detector may skip estimates it can bound under the lowest limit (same targets).
    this.detector.process(driven, n, peaks, this.skipQuietChunks ? lowest * margin : 0);
    const back = this.detector.latency + this.layout.delay;
    const kernel = this.gainKernel;
    let quiet = true;
    if (kernel !== null) {
      quiet = kernel.targets(n, margin);
    } else {
      for (let i = 0; i < n; i++) {
        const limit = ceilings[i] * margin;
        const target = peaks[i] > limit ? limit / peaks[i] : 1;
        peaks[i] = target;
        if (target !== 1) quiet = false;
      }
    }
    let smallest = 1;
    if (quiet && this.release.idle && this.hold.idle(n) && this.smoother.idle(n)) {
      // At rest and nothing to limit: the delayed signal passes unchanged (in the kernel, times its targets: all 1).
      for (let c = 0; c < channelCount; c++) {
        if (kernel !== null) {
          this.applyInKernel(kernel, c, (frame - back) & delayMask, n);
          continue;
        }
        const line = delayLines[c];
        const out = this.limited[c];
        for (let i = 0; i < n; i++) out[i] = line[(frame + i - back) & delayMask];
      }
    } else {
      // The gain curve first (one serial chain), then each channel in its own loop.
      // Each stage over the whole chunk (same per-sample steps as next(), state kept in locals).
      if (kernel !== null) {
        smallest = kernel.run(n);
        for (let c = 0; c < channelCount; c++) this.applyInKernel(kernel, c, (frame - back) & delayMask, n);
      } else {
        this.hold.run(peaks, n);
        this.release.run(peaks, n);
        this.smoother.run(peaks, n);
        for (let i = 0; i < n; i++) if (peaks[i] < smallest) smallest = peaks[i];
        for (let c = 0; c < channelCount; c++) {
          const line = delayLines[c];
          const out = this.limited[c];
          for (let i = 0; i < n; i++) {
            const gain = peaks[i];
            const v = line[(frame + i - back) & delayMask];
            out[i] = gain === 1 ? v : Math.fround(gain * v);
          }
        }
      }
    }
    const guardGain = this.guard.process(this.limited, n, ceilings, channels, start, lowest);
    this.frame = frame + n;
    return smallest * guardGain;
  }

  /** Channel c's delayed chunk from line position `from` times the kernel's values, into the guard's line (one copy). */
  private applyInKernel(kernel: LimiterGainKernel, c: number, from: number, n: number): void {
    kernel.apply(c, this.delayMask, from, n);
    const gained = kernel.outputs[c], out = this.limited[c];
    if (n === gained.length) out.set(gained);
    else for (let i = 0; i < n; i++) out[i] = gained[i];
  }

  reset(): void {
    this.detector.reset();
    this.guard.reset();
    this.hold.reset();
    this.release.reset();
    this.smoother.reset();
    this.drive.jump(dbToLinear(this.current.inputGainDb));
    this.ceiling.jump(dbToLinear(this.current.ceilingDb));
    for (const line of this.delayLines) line.fill(0);
    this.frame = 0;
    this.lastReductionDb = 0;
    this.maxReductionDb = 0;
  }
}

export const createLimiter = (sampleRate: number, channelCount: number, params?: Partial<LimiterParams>) => new Limiter(sampleRate, channelCount, params);
