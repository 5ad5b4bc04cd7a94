// The static waveshaping curves of the saturation modes, all with unit slope at 0 (a quiet signal
// passes at its own level) and their level compensation.

export type SaturationMode = 'tanh' | 'tube' | 'hard';
export const SATURATION_MODES: readonly SaturationMode[] = ['tanh', 'tube', 'hard'];

/** |x| beyond which fastTanh's rational is held at its value there (where it reaches 1 within 1e-15). */
const FAST_TANH_CLAMP = 6.297019181713;

/**
 * tanh through its [9/8] Padé approximant (continued-fraction truncation), clamped where the rational
 * reaches 1: odd, monotonic, within 7e-6 of Math.tanh everywhere (Math.tanh costs 30-50 ns a call).
 */
export function fastTanh(x: number): number {
  const c = x > FAST_TANH_CLAMP ? FAST_TANH_CLAMP : x < -FAST_TANH_CLAMP ? -FAST_TANH_CLAMP : x;
  const c2 = c * c;
  return (c * (34459425 + c2 * (4729725 + c2 * (135135 + c2 * (990 + c2)))))
    / (34459425 + c2 * (16216200 + c2 * (945945 + c2 * (13860 + 45 * c2))));
}

/** Tube bias: tanh(x + b) − tanh(b) bends the two half-waves differently, which gives even harmonics. */
export const TUBE_BIAS = 0.3;
export const TUBE_OFFSET = fastTanh(TUBE_BIAS);
/** 1 / sech²(b): unit small-signal slope. */
export const TUBE_SCALE = 1 / (1 - TUBE_OFFSET * TUBE_OFFSET);

export const tubeCurve = (x: number): number => (fastTanh(x + TUBE_BIAS) - TUBE_OFFSET) * TUBE_SCALE;
export const hardCurve = (x: number): number => (x > 1 ? 1 : x < -1 ? -1 : x);

/** Antiderivative of the hard clip: x²/2 inside ±1, |x| − 1/2 outside. */
const hardIntegral = (x: number): number => (x > 1 ? x - 0.5 : x < -1 ? -x - 0.5 : 0.5 * x * x);

/**
 * First-order antiderivative anti-aliasing of the hard clip (Parker, Zavalishin & Le Bivic, DAFx 2016):
 * y = (F(x) − F(x₋₁)) / (x − x₋₁), the curve averaged over the segment between two samples; it costs
 * half a (top-rate) sample of delay and takes the clip's 1/k² harmonic tail down by another 1/k.
 */
export function hardClipAdaa(x: number, previous: number): number {
  const dx = x - previous;
  return Math.abs(dx) > 1e-5 ? (hardIntegral(x) - hardIntegral(previous)) / dx : hardCurve(0.5 * (x + previous));
}

export function curve(mode: SaturationMode, x: number): number {
  return mode === 'tanh' ? Math.tanh(x) : mode === 'tube' ? tubeCurve(x) : hardCurve(x);
}

/** Reference peak for automatic gain: a −12 dBFS sine keeps its peak level through the drive. */
export const AUTO_GAIN_REFERENCE = 0.25;

/** The gain that undoes the level change of `drive` (linear) at the reference level (mean of both polarities). */
export function autoGain(mode: SaturationMode, drive: number): number {
  const r = AUTO_GAIN_REFERENCE;
  return (2 * r) / (Math.abs(curve(mode, drive * r)) + Math.abs(curve(mode, -drive * r)));
}
