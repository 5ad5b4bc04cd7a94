// Static curves (gain computers) of the dynamics processors: pure functions of level and parameters,
// in any logarithmic unit (dB, or log2 units inside the processors' hot loops).
import { fastLog2, min2 } from './fast-math.js';

/** 1 − 1/ratio: the fraction of the overshoot a compressor removes (ratio ∞ → 1, a limiter). */
export function compressorSlope(ratio: number): number {
  return ratio === Infinity ? 1 : 1 - 1 / ratio;
}

/**
 * Gain reduction (≥ 0) of a compressor with a quadratic soft knee of width `knee` centred on
 * `threshold`: 0 below the knee, slope·(x − T + W/2)²/(2W) inside it, slope·(x − T) above
 * (Giannoulis, Massberg & Reiss, JAES 2012, soft-knee gain computer, written as x − y_G).
 */
export function softKneeReduction(level: number, threshold: number, knee: number, slope: number): number {
  const over = level - threshold;
  if (2 * over >= knee) return over > 0 ? slope * over : 0;
  const u = over + 0.5 * knee;
  return u > 0 ? (slope * u * u) / (2 * knee) : 0;
}

/** Output level (dB) of the compressor's static curve for an input level (dB). */
export function compressorCurveDb(inputDb: number, thresholdDb: number, ratio: number, kneeDb: number): number {
  return inputDb - softKneeReduction(inputDb, thresholdDb, kneeDb, compressorSlope(ratio));
}

/**
 * Attenuation (≥ 0, ≤ range) of a downward expander below `threshold`: (T − x)·(ratio − 1), so the
 * output falls `ratio` dB per dB of input (ratio ∞: a gate, always `range`).
 */
export function expanderAttenuation(level: number, threshold: number, ratio: number, range: number): number {
  if (level >= threshold) return 0;
  if (ratio === Infinity) return range;
  const a = (threshold - level) * (ratio - 1);
  return a < range ? a : range;
}

/** Knee width used for a hard knee by softKneeCurve (log units): keeps the expression finite, error < 1e-9. */
export const MIN_KNEE = 1e-9;

/**
 * softKneeReduction over a buffer, branch-free (noise around the knee would mispredict every
 * comparison): out[i] = min(range, slope·(clamp(z, 0, W)²/(2W) + max(0, z − W))) with
 * z = scale·log2(levels[i]) − T + W/2, which is Giannoulis et al.'s soft knee in one expression.
 * `levels` are linear detector values (scale 1 for |x|, ½ for a mean square); results in log2 units.
 * max(0, m) is taken as (m + |m|)/2, which is exactly 0 for any m < 0: below the knee the result
 * is exactly 0, not a rounding residue.
 */
export function softKneeCurve(
  levels: Float64Array, out: Float64Array, from: number, to: number,
  scale: number, threshold: number, knee: number, slope: number, range: number,
): void {
  const w = knee > MIN_KNEE ? knee : MIN_KNEE, inverseTwoW = 0.5 / w, offset = 0.5 * w - threshold;
  for (let i = from; i < to; i++) {
    const z = scale * fastLog2(levels[i]) + offset;
    const zw = z - w, absZw = Math.abs(zw);
    const belowTop = 0.5 * (z + w - absZw); // min(z, W)
    const inKnee = 0.5 * (belowTop + Math.abs(belowTop)); // max(0, min(z, W))
    out[i] = min2(slope * (inKnee * inKnee * inverseTwoW + 0.5 * (zw + absZw)), range);
  }
}
