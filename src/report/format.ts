// Numbers as a musician reads them in a report: a unit on every value, the precision meters deserve
// (LUFS 1 decimal, dBTP 2), a true minus sign, and "—" for quantities that do not exist (null).

/** Shown for null, NaN and ±∞: the quantity does not exist (the loudness of silence). */
export const MISSING = '—';

const MINUS = '\u2212';

/** `value` with `decimals` digits, a typographic minus, never "−0.0"; `signed` adds "+" to positives. */
export function formatNumber(value: number | null | undefined, decimals: number, signed = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  let text = value.toFixed(decimals);
  // toFixed(-0.04, 1) is "-0.0": a sign on zero reads as a change that is not there.
  if (Number(text) === 0) text = text.replace('-', '');
  if (text.startsWith('-')) return MINUS + text.slice(1);
  return signed && Number(text) !== 0 ? `+${text}` : text;
}

function withUnit(value: number | null | undefined, decimals: number, unit: string, signed = false): string {
  const text = formatNumber(value, decimals, signed);
  return text === MISSING ? MISSING : `${text}\u00a0${unit}`;
}

export const formatLufs = (value: number | null | undefined): string => withUnit(value, 1, 'LUFS');
export const formatLu = (value: number | null | undefined, signed = false): string => withUnit(value, 1, 'LU', signed);
export const formatDbtp = (value: number | null | undefined): string => withUnit(value, 2, 'dBTP');
export const formatDb = (value: number | null | undefined, decimals = 1, signed = false): string => withUnit(value, decimals, 'dB', signed);

/** 44100 → "44.1 kHz", 48000 → "48 kHz". */
export function formatSampleRate(sampleRateHz: number | null | undefined): string {
  if (sampleRateHz === null || sampleRateHz === undefined || !Number.isFinite(sampleRateHz)) return MISSING;
  const khz = sampleRateHz / 1000;
  return `${Number.isInteger(khz) ? khz.toFixed(0) : String(Number(khz.toFixed(3)))}\u00a0kHz`;
}

/** Frequency tick/axis label: 20, 500, 1k, 2.5k, 20k (no unit; the axis title carries it). */
export function formatHzShort(hz: number): string {
  if (hz >= 1000) return `${Number((hz / 1000).toFixed(2))}k`;
  return String(Number(hz.toFixed(1)));
}

/** Seconds as m:ss (h:mm:ss past an hour) for time axes and durations. */
export function formatClock(totalSeconds: number | null | undefined): string {
  if (totalSeconds === null || totalSeconds === undefined || !Number.isFinite(totalSeconds)) return MISSING;
  const rounded = Math.max(0, Math.round(totalSeconds));
  const hours = Math.floor(rounded / 3600);
  const minutes = Math.floor((rounded % 3600) / 60);
  const seconds = String(rounded % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}
