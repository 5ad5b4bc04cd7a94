// Design of the feedback delay network behind FdnReverb (Jot & Chaigne, "Digital delay networks for
// designing artificial reverberators", AES 1991): mutually prime line lengths, per-line absorption so
// every mode decays at the same rate for a given frequency, and the Hadamard feedback matrix.

export const FDN_LINES = 16;
/** Size scales the line lengths; its range fixes the preallocated buffers. */
export const MIN_SIZE = 0.25;
export const MAX_SIZE = 2;

// Line lengths at size 1: geometric spacing 23..79 ms (mean ≈ 46 ms: ~0.74 s of total delay gives the
// modal density of a 5 s tail, Schroeder's 0.15·T60 modes/Hz).
const SHORTEST_SECONDS = 0.023;
const LONGEST_SECONDS = 0.079;

function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

/** Smallest prime >= n. */
export function nextPrime(n: number): number {
  let p = Math.max(2, Math.ceil(n));
  while (!isPrime(p)) p++;
  return p;
}

/**
 * Line lengths in samples for `size`: distinct primes (hence mutually prime, so the modes do not pile
 * up on common frequencies), interleaved long/short so the Hadamard mixes unlike lengths.
 */
export function fdnLineLengths(sampleRate: number, size: number, out: Float64Array = new Float64Array(FDN_LINES)): Float64Array {
  const ratio = LONGEST_SECONDS / SHORTEST_SECONDS;
  let previous = 1;
  const sorted: number[] = [];
  for (let i = 0; i < FDN_LINES; i++) {
    const seconds = SHORTEST_SECONDS * Math.pow(ratio, i / (FDN_LINES - 1));
    const p = nextPrime(Math.max(previous + 1, seconds * size * sampleRate));
    sorted.push(p);
    previous = p;
  }
  for (let i = 0; i < FDN_LINES; i++) out[i] = sorted[i % 2 === 0 ? i / 2 : FDN_LINES - 1 - (i - 1) / 2];
  return out;
}

/** The longest line any size can ask for (samples), for preallocation. */
export function fdnMaxLineLength(sampleRate: number): number {
  return nextPrime(LONGEST_SECONDS * MAX_SIZE * sampleRate + FDN_LINES * 64);
}

/**
 * Absorption filter of one line: g·(b0 + b1 z⁻¹)/(1 + a1 z⁻¹), a first-order shelf with unity DC gain
 * and Nyquist gain G (bilinear transform of (1 + G·s/ωc)/(1 + s/ωc), pole prewarped to dampingHz).
 * Jot: g = 10^(-3·m/(T60·fs)) makes the loop lose 60 dB in T60 at low frequencies; G adds the extra
 * loss so that high frequencies decay in T60·hfDecayRatio.
 */
export function absorption(
  lineSamples: number,
  sampleRate: number,
  decaySeconds: number,
  hfDecayRatio: number,
  dampingHz: number,
): { b0: number; b1: number; a1: number } {
  const g = Math.pow(10, (-3 * lineSamples) / (decaySeconds * sampleRate));
  const hfSeconds = decaySeconds * hfDecayRatio;
  const shelf = Math.pow(10, ((-3 * lineSamples) / sampleRate) * (1 / hfSeconds - 1 / decaySeconds));
  const k = Math.tan((Math.PI * Math.min(dampingHz, 0.49 * sampleRate)) / sampleRate);
  return { b0: (g * (k + shelf)) / (k + 1), b1: (g * (k - shelf)) / (k + 1), a1: (k - 1) / (k + 1) };
}
