// The BS.1770-4 Annex 2 true-peak interpolator, per sample: for each input sample n, the largest
// |value| of its 4 phases over the window x[n - 11 .. n]. Those 4 points lie in (n - 6, n - 5).
// Two forms: bs1770WindowPeaks, the meter's JS path (analysis/true-peak.ts interpolatedPeak: same taps
// and order, f64), for the guard's exact checks; and bs1770WindowPeaksF32, the meter's WebAssembly
// kernel's own arithmetic (f32, tap 11 first), which the detector uses: half the work of f64 in SIMD.
import { TRUE_PEAK_PHASES } from '../../analysis/true-peak.js';

/** Taps per phase. */
export const BS1770_TAPS = 12;
/** The window ending at sample n interpolates between samples n - 6 and n - 5. */
export const BS1770_DELAY = 6;

/**
 * out[outOffset + i] = max over the 4 phases of |interpolated value| for the window ending at
 * samples[offset + i], i < frames. The window reaches back 11 samples: offset must be >= 11.
 */
export function bs1770WindowPeaks(samples: Float32Array, offset: number, frames: number, out: Float64Array, outOffset = 0): void {
  let x1 = samples[offset - 1], x2 = samples[offset - 2], x3 = samples[offset - 3], x4 = samples[offset - 4];
  let x5 = samples[offset - 5], x6 = samples[offset - 6], x7 = samples[offset - 7], x8 = samples[offset - 8];
  let x9 = samples[offset - 9], x10 = samples[offset - 10], x11 = samples[offset - 11];
  for (let i = 0; i < frames; i++) {
    const x0 = samples[offset + i];
    const p0 = 0.0017089843750 * x0 + 0.0109863281250 * x1 - 0.0196533203125 * x2 + 0.0332031250000 * x3
      - 0.0594482421875 * x4 + 0.1373291015625 * x5 + 0.9721679687500 * x6 - 0.1022949218750 * x7
      + 0.0476074218750 * x8 - 0.0266113281250 * x9 + 0.0148925781250 * x10 - 0.0083007812500 * x11;
    const p1 = -0.0291748046875 * x0 + 0.0292968750000 * x1 - 0.0517578125000 * x2 + 0.0891113281250 * x3
      - 0.1665039062500 * x4 + 0.4650878906250 * x5 + 0.7797851562500 * x6 - 0.2003173828125 * x7
      + 0.1015625000000 * x8 - 0.0582275390625 * x9 + 0.0330810546875 * x10 - 0.0189208984375 * x11;
    const p2 = -0.0189208984375 * x0 + 0.0330810546875 * x1 - 0.0582275390625 * x2 + 0.1015625000000 * x3
      - 0.2003173828125 * x4 + 0.7797851562500 * x5 + 0.4650878906250 * x6 - 0.1665039062500 * x7
      + 0.0891113281250 * x8 - 0.0517578125000 * x9 + 0.0292968750000 * x10 - 0.0291748046875 * x11;
    const p3 = -0.0083007812500 * x0 + 0.0148925781250 * x1 - 0.0266113281250 * x2 + 0.0476074218750 * x3
      - 0.1022949218750 * x4 + 0.9721679687500 * x5 + 0.1373291015625 * x6 - 0.0594482421875 * x7
      + 0.0332031250000 * x8 - 0.0196533203125 * x9 + 0.0109863281250 * x10 + 0.0017089843750 * x11;
    const a0 = p0 < 0 ? -p0 : p0;
    const a1 = p1 < 0 ? -p1 : p1;
    const a2 = p2 < 0 ? -p2 : p2;
    const a3 = p3 < 0 ? -p3 : p3;
    const a01 = a0 > a1 ? a0 : a1;
    const a23 = a2 > a3 ? a2 : a3;
    out[outOffset + i] = a01 > a23 ? a01 : a23;
    x11 = x10; x10 = x9; x9 = x8; x8 = x7; x7 = x6; x6 = x5; x5 = x4; x4 = x3; x3 = x2; x2 = x1; x1 = x0;
  }
}

/** The phases' taps as f32 (they are exact in f32): PHASE_TAPS_F32[p * 12 + k] multiplies x[n - k]. */
const PHASE_TAPS_F32 = Float32Array.from(TRUE_PEAK_PHASES.flat());

/**
 * bs1770WindowPeaks as the meter's kernel computes it (analysis/true-peak-kernel.wat): each phase summed
 * in f32 from tap 11 (x[n - 11]) to tap 0, product then sum, each rounded to f32 (Math.fround of an f64
 * product or sum of two f32 values is the f32 operation's result: 53 >= 2 x 24 + 2 bits).
 */
export function bs1770WindowPeaksF32(samples: Float32Array, offset: number, frames: number, out: Float64Array, outOffset = 0): void {
  const f = Math.fround, h = PHASE_TAPS_F32;
  for (let i = 0; i < frames; i++) {
    const n = offset + i;
    let best = 0;
    for (let phase = 0; phase < 4; phase++) {
      const base = phase * BS1770_TAPS;
      let sum = f(samples[n - 11] * h[base + 11]);
      for (let k = 10; k >= 0; k--) sum = f(sum + f(samples[n - k] * h[base + k]));
      const magnitude = Math.abs(sum);
      if (magnitude > best) best = magnitude;
    }
    out[outOffset + i] = best;
  }
}

/**
 * Per-channel BS.1770 windows with their per-window peaks, in f32 as the meter's kernel: the detector's JS
 * path (its WebAssembly kernel computes the same windows itself). Each channel's samples (11 of history,
 * then the frames) live in `windows[c]`.
 */
export class Bs1770WindowPeaks {
  readonly windows: Float32Array[];
  /** Results of the last run(): out[i] for the window ending at windows[c][11 + i]. */
  readonly out: Float64Array;

  constructor(channelCount: number, maxFrames: number) {
    this.windows = Array.from({ length: channelCount }, () => new Float32Array(BS1770_TAPS - 1 + maxFrames));
    this.out = new Float64Array(maxFrames);
  }

  /** Fills out[0 .. frames) for channel c's windows (frames <= maxFrames). */
  run(channel: number, frames: number): Float64Array {
    bs1770WindowPeaksF32(this.windows[channel], BS1770_TAPS - 1, frames, this.out);
    return this.out;
  }

  reset(): void {
    for (const window of this.windows) window.fill(0);
  }
}
