// Signals and level measurements for the dynamics tests (isomorphic, allocation is fine here).

export const dbToAmplitude = (db: number) => Math.pow(10, db / 20);
export const amplitudeToDb = (a: number) => 20 * Math.log10(a);

/** Sine of `amplitude` at `hz`, `frames` long. */
export function sine(sampleRate: number, hz: number, amplitude: number, frames: number, phase = 0): Float32Array {
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate + phase);
  return out;
}

/** Deterministic uniform noise in [−amplitude, amplitude) (mulberry32). */
export function noise(frames: number, amplitude: number, seed = 1): Float32Array {
  let s = seed | 0;
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = amplitude * ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1);
  }
  return out;
}

/** RMS level (dB) of x[start, end). */
export function rmsDb(x: Float32Array, start = 0, end = x.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += x[i] * x[i];
  return 10 * Math.log10(sum / (end - start));
}

/** Amplitude (dB re a full-scale sine) of the `hz` component of x[start, end) (single-bin DFT, Hann window). */
export function toneDb(x: Float32Array, sampleRate: number, hz: number, start = 0, end = x.length): number {
  const n = end - start;
  let re = 0, im = 0, windowSum = 0;
  for (let i = 0; i < n; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
    const phase = (2 * Math.PI * hz * i) / sampleRate;
    re += w * x[start + i] * Math.cos(phase);
    im -= w * x[start + i] * Math.sin(phase);
    windowSum += w;
  }
  return 20 * Math.log10((2 * Math.hypot(re, im)) / windowSum);
}

/** Index of the first sample at or after `from` where predicate holds, or −1. */
export function findIndex(n: number, from: number, predicate: (i: number) => boolean): number {
  for (let i = from; i < n; i++) if (predicate(i)) return i;
  return -1;
}
