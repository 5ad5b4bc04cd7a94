// Cheap log2 / exp2 for per-sample gain computers: Math.log and Math.exp cost ~12 ns each in V8,
// Math.pow ~75 ns; these cost ~3 ns. The float is split into exponent and mantissa through a
// Float32 bit view (IEEE 754) and the mantissa goes through a minimax polynomial (fitted here by
// iteratively reweighted least squares, endpoints pinned so the curves stay continuous).

const scratchFloat = new Float32Array(1);
const scratchBits = new Int32Array(scratchFloat.buffer);

/** Max |fastLog2(x) − log2(x)| (log2 units; ×6.02 for dB: < 0.0001 dB). */
export const FAST_LOG2_MAX_ERROR = 1.6e-5;
/** Max relative error of fastExp2 (< 1e-6 dB as a gain). */
export const FAST_EXP2_MAX_RELATIVE_ERROR = 1e-7;

/** dB per log2 unit (20·log10 2): levels and gain reductions are kept in log2 units internally. */
export const DB_PER_LOG2 = 6.020599913279624;
export const LOG2_PER_DB = 1 / DB_PER_LOG2;

/** log2(x) for finite x > 0 (x is rounded to float32 first; 0 gives −127). */
export function fastLog2(x: number): number {
  scratchFloat[0] = x;
  const bits = scratchBits[0];
  const exponent = ((bits >> 23) & 255) - 127;
  scratchBits[0] = (bits & 0x7fffff) | 0x3f800000;
  const y = scratchFloat[0] - 1; // mantissa - 1, in [0, 1)
  // log2(1 + y) ≈ y·P(y), P(1) = 1 so log2 is continuous across octaves.
  return exponent + y * (1.4419169721349412 + y * (-0.709095835088496 + y * (0.4156043085773912 + y * (-0.19357371184498923 + y * 0.045148266221152866))));
}

/** 2^x, x clamped to [−126, 127] (normal float32 range). */
export function fastExp2(x: number): number {
  if (x < -126) x = -126;
  else if (x > 127) x = 127;
  const whole = Math.floor(x);
  const f = x - whole;
  scratchBits[0] = (whole + 127) << 23;
  // 2^f on [0, 1): 1 + f·Q(f), Q chosen so the value at f = 1 is exactly 2.
  return scratchFloat[0] * (1 + f * (0.6931517388487415 + f * (0.24015927168241857 + f * (0.05581867448080831 + f * (0.008990997570300654 + f * 0.0018793174177309524)))));
}

// Branch-free max/min: V8 compiles comparisons on doubles to branches, and on noisy signals those
// mispredict (~7 ns each on the reference machine); Math.abs compiles to a bit mask. Exact up to
// one rounding of the sum (relative 1e-16), which no level or gain here can notice. Use them where
// each sample is independent (channel maxima, curves); inside a recursion (envelopes) their five
// operations lengthen the dependency chain more than a mispredicted branch costs.
export const max2 = (a: number, b: number) => 0.5 * (a + b + Math.abs(a - b));
export const min2 = (a: number, b: number) => 0.5 * (a + b - Math.abs(a - b));
