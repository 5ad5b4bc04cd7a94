// Linear-phase FIR EQ from an arbitrary magnitude curve: frequency-sampling design (zero-phase
// target on a dense FFT grid, inverse FFT, window, delay by half the length), run through the
// partitioned FFT convolver. Symmetric impulse, so every frequency is delayed by the same amount.
import { assertProcessorShape, type LinearProcessor } from '../api.js';
import { Fft } from '../fft.js';
import { PartitionedConvolver } from '../convolution/partitioned-convolver.js';
import { wrapPhase } from './biquad.js';

export interface CurvePoint {
  frequencyHz: number;
  gainDb: number;
}

export interface LinearPhaseEqOptions {
  /** The magnitude curve: linear in dB between points on a log-frequency axis, flat beyond the ends. */
  points: CurvePoint[];
  /** FIR length (odd). Default: from the lowest point, see linearPhaseTaps(). */
  taps?: number;
  /** Convolver partition (power of two); the latency includes it. */
  partitionFrames?: number;
}

export const MIN_LINEAR_PHASE_TAPS = 4095;
export const MAX_LINEAR_PHASE_TAPS = 16383;
/** Default convolver partition for the EQ: about the fastest for 4k-16k taps (2048 and 4096 tie; 1024 is ~15 % slower). */
export const LINEAR_PHASE_PARTITION_FRAMES = 2048;
/** Periods of the lowest curve frequency the FIR spans, so the window's smoothing stays small there. */
const PERIODS_AT_LOWEST = 16;
/** Rounds of pre-compensation of the window's smoothing in the design. */
const CORRECTION_PASSES = 2;

/** Sorted, validated copy of a curve. */
export function normalizeCurve(points: CurvePoint[]): CurvePoint[] {
  if (!Array.isArray(points) || points.length === 0) throw new RangeError('linear-phase EQ: the curve needs at least one point');
  for (const p of points) {
    if (!(p.frequencyHz > 0 && p.frequencyHz < Infinity)) throw new RangeError(`linear-phase EQ: frequencyHz must be > 0, got ${p.frequencyHz}`);
    if (!(Math.abs(p.gainDb) <= 48)) throw new RangeError(`linear-phase EQ: gainDb must be within +-48, got ${p.gainDb}`);
  }
  return points.map((p) => ({ frequencyHz: p.frequencyHz, gainDb: p.gainDb })).sort((a, b) => a.frequencyHz - b.frequencyHz);
}

/** The curve's gain at `frequencyHz` (points sorted): dB interpolated linearly in log frequency, held beyond the ends. */
export function curveGainDb(points: CurvePoint[], frequencyHz: number): number {
  const first = points[0], last = points[points.length - 1];
  if (frequencyHz <= first.frequencyHz) return first.gainDb;
  if (frequencyHz >= last.frequencyHz) return last.gainDb;
  let hi = 1;
  while (points[hi].frequencyHz < frequencyHz) hi++;
  const a = points[hi - 1], b = points[hi];
  if (b.frequencyHz === a.frequencyHz) return b.gainDb;
  const t = Math.log(frequencyHz / a.frequencyHz) / Math.log(b.frequencyHz / a.frequencyHz);
  return a.gainDb + t * (b.gainDb - a.gainDb);
}

/** FIR length for a curve: spans PERIODS_AT_LOWEST periods of its lowest point (at least 20 Hz), 4095-16383 taps. */
export function linearPhaseTaps(sampleRate: number, points: CurvePoint[]): number {
  const lowest = Math.max(20, Math.min(...points.map((p) => p.frequencyHz)));
  const wanted = Math.pow(2, Math.ceil(Math.log2((PERIODS_AT_LOWEST * sampleRate) / lowest)));
  return Math.min(MAX_LINEAR_PHASE_TAPS + 1, Math.max(MIN_LINEAR_PHASE_TAPS + 1, wanted)) - 1;
}

/**
 * The symmetric FIR (odd `taps`, centre at (taps - 1) / 2) whose magnitude follows the curve:
 * frequency sampling on a grid 4x the FIR length, then a Blackman window.
 */
export function linearPhaseKernel(sampleRate: number, points: CurvePoint[], taps = linearPhaseTaps(sampleRate, normalizeCurve(points))): Float64Array {
  const curve = normalizeCurve(points);
  if (!(Number.isInteger(taps) && taps % 2 === 1 && taps >= 3 && taps <= 65535)) throw new RangeError(`linear-phase EQ: taps must be odd, 3-65535, got ${taps}`);
  // Frequency-sampling FIR design with a window (Oppenheim & Schafer, 3rd ed., 7.5): zero-phase
  // real even spectrum -> real even impulse, truncated by the window and delayed to be causal.
  // Then CORRECTION_PASSES rounds of iterative pre-compensation: the dB shortfall of the windowed
  // design on the grid is added to the target, undoing most of the window's smoothing.
  const m = Math.pow(2, Math.ceil(Math.log2(4 * (taps + 1))));
  const fft = new Fft(m);
  const re = new Float64Array(m), im = new Float64Array(m);
  const targetDb = new Float64Array(m / 2 + 1);
  for (let k = 0; k <= m / 2; k++) targetDb[k] = curveGainDb(curve, (k * sampleRate) / m);
  const designDb = Float64Array.from(targetDb);
  const centre = (taps - 1) / 2;
  const window = new Float64Array(centre + 1);
  for (let n = 0; n <= centre; n++) {
    window[n] = 0.42 + 0.5 * Math.cos((Math.PI * n) / (centre + 1)) + 0.08 * Math.cos((2 * Math.PI * n) / (centre + 1)); // Blackman
  }
  const half = new Float64Array(centre + 1); // windowed impulse by distance from the centre
  for (let pass = 0; ; pass++) {
    re.fill(0); im.fill(0);
    for (let k = 0; k <= m / 2; k++) {
      const gain = Math.pow(10, designDb[k] / 20);
      re[k] = gain;
      if (k > 0 && k < m / 2) re[m - k] = gain;
    }
    fft.forward(re, im); // the spectrum is real and even, so the forward transform is m x the inverse
    for (let n = 0; n <= centre; n++) half[n] = (re[n] / m) * window[n];
    if (pass === CORRECTION_PASSES) break;
    // Zero-phase response of the windowed design on the same grid.
    re.fill(0); im.fill(0);
    re[0] = half[0];
    for (let n = 1; n <= centre; n++) { re[n] = half[n]; re[m - n] = half[n]; }
    fft.forward(re, im);
    for (let k = 0; k <= m / 2; k++) {
      const achievedDb = 20 * Math.log10(Math.max(1e-12, Math.abs(re[k])));
      designDb[k] += targetDb[k] - achievedDb;
    }
  }
  const kernel = new Float64Array(taps);
  for (let n = 0; n <= centre; n++) {
    kernel[centre - n] = half[n];
    kernel[centre + n] = half[n];
  }
  return kernel;
}

/**
 * Linear-phase EQ on every channel. Latency = (taps - 1) / 2 + the convolver's partition, declared
 * exactly. The curve is fixed at construction (a new curve is a new processor).
 */
export class LinearPhaseEq implements LinearProcessor {
  readonly latency: number;
  readonly taps: number;
  readonly points: readonly CurvePoint[];
  readonly kernel: Float64Array;
  private readonly convolver: PartitionedConvolver;

  constructor(private readonly sampleRate: number, channelCount: number, options: LinearPhaseEqOptions) {
    assertProcessorShape('linear-phase EQ', sampleRate, channelCount);
    const curve = normalizeCurve(options?.points);
    this.points = curve;
    this.taps = options.taps ?? linearPhaseTaps(sampleRate, curve);
    this.kernel = linearPhaseKernel(sampleRate, curve, this.taps);
    this.convolver = new PartitionedConvolver(sampleRate, channelCount, {
      impulseResponses: [this.kernel], partitionFrames: options.partitionFrames ?? LINEAR_PHASE_PARTITION_FRAMES,
    });
    this.latency = (this.taps - 1) / 2 + this.convolver.latency;
  }

  process(channels: Float32Array[], frames: number): void {
    this.convolver.process(channels, frames);
  }

  reset(): void {
    this.convolver.reset();
  }

  /** The target curve's gain at `frequencyHz` (what the design aims at). */
  targetGainDb(frequencyHz: number): number {
    return curveGainDb(this.points as CurvePoint[], frequencyHz);
  }

  /** The designed FIR's response, latency included: magnitude from the kernel, phase = -w * latency. */
  response(frequencyHz: number): { magnitude: number; phase: number } {
    const w = (2 * Math.PI * frequencyHz) / this.sampleRate;
    const centre = (this.taps - 1) / 2;
    // Symmetric kernel: H = e^{-jw centre} (h[c] + 2 sum h[c+n] cos(w n)), a real amplitude times the delay.
    let amplitude = this.kernel[centre];
    for (let n = 1; n <= centre; n++) amplitude += 2 * this.kernel[centre + n] * Math.cos(w * n);
    return { magnitude: Math.abs(amplitude), phase: wrapPhase(-w * this.latency + (amplitude < 0 ? Math.PI : 0)) };
  }
}

export const createLinearPhaseEq = (sampleRate: number, channelCount: number, options: LinearPhaseEqOptions) =>
  new LinearPhaseEq(sampleRate, channelCount, options);
