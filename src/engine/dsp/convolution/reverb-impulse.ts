// Synthetic room impulse responses, generated (nothing shipped): exponentially decaying Gaussian
// noise (Moorer, "About this reverberation business", 1979) whose high frequencies decay faster,
// shaped per FFT bin in overlapping random-phase frames, plus sparse early reflections.
import { Fft } from '../fft.js';

export interface ReverbImpulseOptions {
  /** RT60 in seconds up to DAMPING_START_HZ (where the 500 Hz and 1 kHz octave bands are), 0.1-10. */
  decaySeconds: number;
  /** Silence before the first reflection, seconds, 0-0.5. */
  preDelaySeconds: number;
  /** 0: every frequency decays in decaySeconds; 1: above DAMPING_START_HZ the decay time falls as 1/f (decaySecondsAt). */
  damping: number;
  /** Seed of the noise and reflection pattern; each channel derives its own, so channels decorrelate. */
  seed?: number;
}

/** Frequency above which damping shortens the decay. */
export const DAMPING_START_HZ = 4000;
/** Synthesis frame (FFT size) and hop of the overlap-added noise frames (Hann at hop N/4: constant sum of squares). */
const FRAME = 1024;
const HOP = FRAME / 4;
const EARLY_REFLECTIONS = 12;
/** ln(1000): amplitude falls by 60 dB when t = RT60. */
const LN_1000 = Math.log(1000);

/** Mulberry32: a small, fast, seeded PRNG with a 2^32 period (uniform in [0, 1)). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function validateReverbImpulseOptions(o: ReverbImpulseOptions): void {
  if (!(o.decaySeconds >= 0.1 && o.decaySeconds <= 10)) throw new RangeError(`reverb impulse: decaySeconds must be 0.1..10, got ${o.decaySeconds}`);
  if (!(o.preDelaySeconds >= 0 && o.preDelaySeconds <= 0.5)) throw new RangeError(`reverb impulse: preDelaySeconds must be 0..0.5, got ${o.preDelaySeconds}`);
  if (!(o.damping >= 0 && o.damping <= 1)) throw new RangeError(`reverb impulse: damping must be 0..1, got ${o.damping}`);
}

/** RT60 the generator gives `frequencyHz`: decaySeconds up to DAMPING_START_HZ, then x (DAMPING_START_HZ / f)^damping. */
export function decaySecondsAt(decaySeconds: number, damping: number, frequencyHz: number): number {
  return frequencyHz <= DAMPING_START_HZ ? decaySeconds : decaySeconds * Math.pow(DAMPING_START_HZ / frequencyHz, damping);
}

/**
 * Stationary Gaussian noise of `frames` samples whose FFT bin k is further scaled by
 * exp(-extra[k] t) (t = frame centre): overlap-added Hann-windowed frames of random-phase spectra.
 */
function dampedNoise(frames: number, extraDecayPerSecond: Float64Array, sampleRate: number, random: () => number): Float64Array {
  const out = new Float64Array(frames);
  const fft = new Fft(FRAME);
  const re = new Float64Array(FRAME), im = new Float64Array(FRAME);
  const window = Float64Array.from({ length: FRAME }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / FRAME));
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()); // Box-Muller
  for (let at = HOP - FRAME; at < frames; at += HOP) {
    const t = Math.max(0, (at + FRAME / 2) / sampleRate);
    re.fill(0); im.fill(0);
    for (let k = 1; k < FRAME / 2; k++) {
      const g = Math.exp(-extraDecayPerSecond[k] * t);
      re[k] = g * gauss(); im[k] = g * gauss();
      re[FRAME - k] = re[k]; im[FRAME - k] = -im[k]; // Hermitian, so the transform is real
    }
    fft.forward(re, im);
    for (let i = Math.max(0, -at); i < FRAME && at + i < frames; i++) out[at + i] += re[i] * window[i];
  }
  return out;
}

/**
 * One impulse response per channel: pre-delay zeros, a first reflection at the pre-delay and more
 * over the next min(80 ms, RT60 / 4), and a diffuse tail that fades in over 5 ms and reaches -60 dB
 * at RT60 (below DAMPING_START_HZ), where it ends with a short fade. Each channel has unit energy.
 * Deterministic for a given seed.
 */
export function generateReverbImpulse(sampleRate: number, channelCount: number, options: ReverbImpulseOptions): Float32Array[] {
  validateReverbImpulseOptions(options);
  const { decaySeconds, preDelaySeconds, damping } = options;
  const start = Math.round(preDelaySeconds * sampleRate);
  const tailFrames = Math.round(decaySeconds * sampleRate);
  const fadeIn = Math.round(0.005 * sampleRate);
  const fadeOut = Math.round(0.05 * tailFrames);
  const earlyFrames = Math.round(Math.min(0.08, decaySeconds / 4) * sampleRate);
  // The broadband decay is applied per sample (exact); bins above DAMPING_START_HZ get their extra decay per frame.
  const baseDecay = LN_1000 / decaySeconds;
  const extra = Float64Array.from({ length: FRAME / 2 }, (_, k) => LN_1000 / decaySecondsAt(decaySeconds, damping, (k * sampleRate) / FRAME) - baseDecay);
  const perFrame = Math.exp(-baseDecay / sampleRate);
  return Array.from({ length: channelCount }, (_, c) => {
    const random = mulberry32((options.seed ?? 0x5eed) + Math.imul(c + 1, 0x9e3779b9));
    const noise = dampedNoise(tailFrames, extra, sampleRate, random);
    const h = new Float64Array(start + tailFrames);
    let envelope = 1;
    for (let i = 0; i < tailFrames; i++, envelope *= perFrame) {
      let shape = envelope;
      if (i < fadeIn) shape *= 0.5 - 0.5 * Math.cos((Math.PI * i) / fadeIn);
      if (i >= tailFrames - fadeOut) shape *= 0.5 + 0.5 * Math.cos((Math.PI * (i - (tailFrames - fadeOut))) / fadeOut);
      h[start + i] = noise[i] * shape;
    }
    // Early reflections: sparse taps 2-3x the tail's starting RMS, decaying with the room; the first at the pre-delay.
    let rms = 0;
    for (let i = fadeIn; i < 2 * fadeIn; i++) rms += noise[i] * noise[i];
    rms = Math.sqrt(rms / fadeIn);
    for (let r = 0; r < EARLY_REFLECTIONS; r++) {
      const at = r === 0 ? 0 : Math.floor(random() * earlyFrames);
      const sign = random() < 0.5 ? -1 : 1;
      h[start + at] += sign * (2 + random()) * rms * Math.exp((-LN_1000 * at) / (decaySeconds * sampleRate));
    }
    let energy = 0;
    for (let i = 0; i < h.length; i++) energy += h[i] * h[i];
    const scale = 1 / Math.sqrt(energy);
    return Float32Array.from(h, (v) => v * scale);
  });
}
