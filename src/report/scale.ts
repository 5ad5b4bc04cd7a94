// Plot axes: the value range, how it maps to pixels (linear, or logarithmic for frequency as the ear
// hears it) and where the ticks go (1-2-5 steps, decades for frequency, clock steps for time).
import { formatClock, formatHzShort, formatNumber } from './format.js';

export interface Tick {
  value: number;
  /** Null for a minor gridline without a label. */
  label: string | null;
}

export interface Axis {
  kind: 'linear' | 'log';
  min: number;
  max: number;
  /** Axis title with its unit, e.g. "level (dB)". */
  title: string;
  ticks: Tick[];
}

/** Maps `value` on `axis` to a pixel between `startPx` (axis min) and `endPx` (axis max); either may be larger. */
export function mapToPixels(axis: Axis, value: number, startPx: number, endPx: number): number {
  const fraction = axis.kind === 'log'
    ? Math.log(value / axis.min) / Math.log(axis.max / axis.min)
    : (value - axis.min) / (axis.max - axis.min);
  return startPx + fraction * (endPx - startPx);
}

/** Decades with 1-2-5 labels and unlabelled 3, 4, 6–9 gridlines: the graph paper of an analyser. */
export function logFrequencyAxis(title = 'frequency (Hz)', minHz = 20, maxHz = 20000): Axis {
  const ticks: Tick[] = [];
  for (let decade = Math.pow(10, Math.floor(Math.log10(minHz))); decade <= maxHz; decade *= 10) {
    for (let m = 1; m <= 9; m++) {
      const value = m * decade;
      // 1e-9 relative slack: 10^k products are not exact in binary.
      if (value < minHz * (1 - 1e-9) || value > maxHz * (1 + 1e-9)) continue;
      ticks.push({ value, label: m === 1 || m === 2 || m === 5 ? formatHzShort(value) : null });
    }
  }
  return { kind: 'log', min: minHz, max: maxHz, title, ticks };
}

/** The 1-2-5 step (…0.1, 0.2, 0.5, 1, 2, 5, 10…) giving at most `maxTicks` intervals over `span`. */
export function niceStep(span: number, maxTicks: number): number {
  if (!(span > 0)) return 1;
  const rough = span / Math.max(1, maxTicks);
  const power = Math.pow(10, Math.floor(Math.log10(rough)));
  for (const m of [1, 2, 5, 10]) if (m * power >= rough * (1 - 1e-9)) return m * power;
  return 10 * power;
}

function stepTicks(min: number, max: number, step: number, label: (value: number) => string): Tick[] {
  const ticks: Tick[] = [];
  const first = Math.ceil(min / step - 1e-9);
  for (let k = first; k * step <= max + step * 1e-9; k++) {
    const value = Number((k * step).toPrecision(12));
    ticks.push({ value, label: label(value) });
  }
  return ticks;
}

/** A linear axis over [min, max] with 1-2-5 ticks labelled by `format` (default: as many decimals as the step needs). */
export function linearAxis(min: number, max: number, title: string, options: { maxTicks?: number; format?: (value: number) => string } = {}): Axis {
  const step = niceStep(max - min, options.maxTicks ?? 6);
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const format = options.format ?? ((value: number) => formatNumber(value, decimals));
  return { kind: 'linear', min, max, title, ticks: stepTicks(min, max, step, format) };
}

const CLOCK_STEPS_SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];

/** 0 … duration with ticks on whole clock steps (15 s, 1 min, 5 min …), labelled m:ss. */
export function timeAxis(durationSeconds: number, title = 'time (m:ss)', maxTicks = 8): Axis {
  const max = durationSeconds > 0 && Number.isFinite(durationSeconds) ? durationSeconds : 1;
  const step = CLOCK_STEPS_SECONDS.find((s) => max / s <= maxTicks) ?? niceStep(max, maxTicks);
  return { kind: 'linear', min: 0, max, title, ticks: stepTicks(0, max, step, formatClock) };
}

export interface RangeOptions {
  /** Values that must be inside the range even without data (a target line, 0 dB). */
  include?: readonly (number | null | undefined)[];
  /** Smallest span shown, so a flat series is not blown up into noise. */
  minSpan?: number;
  /** Range when there is no finite value at all. */
  fallback?: [number, number];
  /** Hard limits: the range never extends past these (a −120 dB dropout must not squash the music). */
  floor?: number;
  ceiling?: number;
  maxTicks?: number;
}

/** A linear axis fitted to the finite values of `series`, widened to whole tick steps. */
export function fittedAxis(series: readonly ArrayLike<number | null>[], title: string, options: RangeOptions = {}): Axis {
  let low = Infinity;
  let high = -Infinity;
  const consider = (v: number | null | undefined) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return;
    const clamped = Math.min(options.ceiling ?? Infinity, Math.max(options.floor ?? -Infinity, v));
    if (clamped < low) low = clamped;
    if (clamped > high) high = clamped;
  };
  for (const values of series) for (let i = 0; i < values.length; i++) consider(values[i]);
  for (const v of options.include ?? []) consider(v);
  if (low > high) [low, high] = options.fallback ?? [0, 1];
  const minSpan = options.minSpan ?? 1;
  if (high - low < minSpan) {
    const middle = (high + low) / 2;
    [low, high] = [middle - minSpan / 2, middle + minSpan / 2];
  }
  const maxTicks = options.maxTicks ?? 6;
  const step = niceStep(high - low, maxTicks);
  const min = Math.max(options.floor ?? -Infinity, Math.floor(low / step + 1e-9) * step);
  const max = Math.min(options.ceiling ?? Infinity, Math.ceil(high / step - 1e-9) * step);
  return linearAxis(min + 0, max + 0, title, { maxTicks }); // + 0 turns −0 into 0
}
