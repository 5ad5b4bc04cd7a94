// BS.1770-4 K-weighting (pre-filter shelf + RLB high-pass) re-derived for any sample rate,
// with the analog prototype constants of libebur128 so that 48 kHz gives the standard's coefficients.

export interface BiquadCoefficients {
  b0: number; b1: number; b2: number; a1: number; a2: number;
}

/** Stage 1: high shelf, +4 dB above ~1.7 kHz (head as a rigid sphere). */
export function kWeightingShelf(sampleRate: number): BiquadCoefficients {
  const f0 = 1681.974450955533;
  const gainDb = 3.999843853973347;
  const q = 0.7071752369554196;
  const k = Math.tan((Math.PI * f0) / sampleRate);
  const vh = Math.pow(10, gainDb / 20);
  const vb = Math.pow(vh, 0.4996667741545416);
  const a0 = 1 + k / q + k * k;
  return {
    b0: (vh + (vb * k) / q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / q + k * k) / a0,
  };
}

/** Stage 2: RLB high-pass at ~38 Hz (BS.1770 keeps numerator [1, -2, 1] unnormalised). */
export function kWeightingHighPass(sampleRate: number): BiquadCoefficients {
  const f0 = 38.13547087602444;
  const q = 0.5003270373238773;
  const k = Math.tan((Math.PI * f0) / sampleRate);
  const a0 = 1 + k / q + k * k;
  return { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / q + k * k) / a0 };
}

/**
 * K-weights samples [start, end) of `input` and returns `sum` plus the squares of the output, added
 * one by one so that the total does not depend on how the stream was cut into blocks.
 * `state` (6 doubles: shelf x1 x2 y1 y2, high-pass w1 w2) is updated in place.
 * Direct form I in double precision; the high-pass reuses the shelf's output history as its input history.
 */
export function kWeightSumOfSquares(
  input: Float32Array, start: number, end: number,
  shelf: BiquadCoefficients, highPass: BiquadCoefficients, state: Float64Array, sumIn: number,
): number {
  const { b0, b1, b2, a1, a2 } = shelf;
  const c1 = highPass.a1;
  const c2 = highPass.a2;
  let x1 = state[0], x2 = state[1], y1 = state[2], y2 = state[3], w1 = state[4], w2 = state[5];
  let sum = sumIn;
  for (let i = start; i < end; i++) {
    const x = input[i];
    const y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    const w = y - 2 * y1 + y2 - c1 * w1 - c2 * w2;
    x2 = x1; x1 = x; y2 = y1; y1 = y; w2 = w1; w1 = w;
    sum += w * w;
  }
  state[0] = x1; state[1] = x2; state[2] = y1; state[3] = y2; state[4] = w1; state[5] = w2;
  return sum;
}

/**
 * Flushes denormal filter memories to zero so long silences after loud passages stay fast. Called at
 * hop boundaries, which sit at fixed sample positions, so results do not depend on block sizes.
 */
export function flushKWeightingDenormals(state: Float64Array): void {
  for (let i = 2; i < 6; i++) if (Math.abs(state[i]) < 1e-30) state[i] = 0;
}
