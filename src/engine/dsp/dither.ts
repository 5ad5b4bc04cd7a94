// Word-length reduction for PCM delivery: TPDF dither (triangular noise of ±1 LSB peak, the sum of two
// uniform randoms) decorrelates the rounding error from the signal, so quiet fades turn into a steady
// noise floor instead of distortion. Isomorphic (no node: imports); allocation-free per sample.
//
// Error budget per sample (in LSB²): TPDF noise 1/6 + rounding 1/12 = 1/4, i.e. 0.5 LSB RMS total
// (Lipshitz, Wannamaker & Vanderkooy, "Quantization and Dither: A Theoretical Survey", JAES 1992).
//
// Noise-shaped TPDF (createShapedDither): error feedback, v = x - sum_j c_j e[n-1-j], q = round(v + d),
// e[n] = q - v, so the total error q - x = e[n] - sum_j c_j e[n-1-j] is the white TPDF + rounding error
// through the FIR 1 - sum_j c_j z^-(j+1): 13-22 dB less noise at 1-5 kHz, where the ear is most
// sensitive, and more above 12 kHz. e[n] is taken before clamping to the integer range, so it stays
// within +-1.5 LSB and the loop cannot run away on full-scale or clipped input.

import { instantiateKernel } from '../wasm.js';
import { DITHER_KERNEL_WASM_BASE64 } from './dither-kernel.wasm.js';

/** Maps full-scale floats (±1.0) to the signed integer grid of `bits`. */
export interface Quantizer {
  readonly bits: number;
  /** Integer code for `sample`, clamped to [-2^(bits-1), 2^(bits-1) - 1]. NaN gives NaN. */
  quantize(sample: number): number;
  /** The same code as a float on the grid: quantize(sample) / 2^(bits-1). */
  process(sample: number): number;
  /** codes[at + i] = quantize(samples[from + i]) for i < count, the same sequence as one call per sample. */
  quantizeBlock(samples: Float32Array, from: number, count: number, codes: Int32Array, at: number): void;
}

/** The per-sample fallback of quantizeBlock. */
function blockOf(quantize: (sample: number) => number): Quantizer['quantizeBlock'] {
  return (samples, from, count, codes, at) => {
    for (let i = 0; i < count; i++) codes[at + i] = quantize(samples[from + i]);
  };
}

export interface TpdfDither extends Quantizer {
  /** The next dither value in LSB, in (-1, 1) with a triangular density; quantize() draws one per call. */
  nextNoise(): number;
}

/**
 * Noise-shaping filters (error-feedback taps c_1..c_N), designed at 44.1 kHz (the curve scales with fs):
 *  - 'lipshitz': 5-tap E-weighted, Lipshitz, Vanderkooy & Wannamaker, "Minimally Audible Noise Shaping", JAES 1991;
 *  - 'f-weighted', 'modified-e-weighted', 'improved-e-weighted': 9-tap, Wannamaker, "Psychoacoustically
 *    Optimal Noise Shaping", JAES 1992.
 */
export const NOISE_SHAPES = {
  lipshitz: [2.033, -2.165, 1.959, -1.59, 0.6149],
  'f-weighted': [2.412, -3.37, 3.937, -4.174, 3.353, -2.205, 1.281, -0.569, 0.0847],
  'modified-e-weighted': [1.662, -1.263, 0.4827, -0.2913, 0.1268, -0.1124, 0.03252, -0.01265, -0.03524],
  'improved-e-weighted': [2.847, -4.685, 6.214, -7.184, 6.639, -5.032, 3.263, -1.632, 0.4191],
} as const satisfies Record<string, readonly number[]>;

export type NoiseShape = keyof typeof NOISE_SHAPES;

export type DitherKind = 'tpdf' | 'none' | NoiseShape;

const MIN_BITS = 2;
const MAX_BITS = 32;

function gridOf(bits: number): { scale: number; min: number; max: number } {
  if (!Number.isInteger(bits) || bits < MIN_BITS || bits > MAX_BITS) {
    throw new RangeError(`dither bits must be an integer from ${MIN_BITS} to ${MAX_BITS}, got ${bits}`);
  }
  const scale = 2 ** (bits - 1);
  return { scale, min: -scale, max: scale - 1 };
}

/**
 * TPDF noise in LSB from one mulberry32 draw: its two 16-bit halves are two independent uniforms, and
 * their difference (in units of 2^-16 LSB) has the triangular density on (-1, 1). 16 bits of each
 * uniform are far finer than the LSB the noise decorrelates, and one draw per sample halves the cost
 * of the hot loop of every PCM delivery.
 */
const tpdfOf = (t: number): number => ((t & 0xffff) - (t >>> 16)) * (1 / 65536);

/** mulberry32 (Tommy Ettinger) output for an advanced state: passes PractRand to 2^32 outputs. */
function mulberryBits(state: number): number {
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return t ^ (t >>> 14);
}

/** TPDF noise in LSB, seeded (one mulberry32 draw per value). */
function tpdfSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    return tpdfOf(mulberryBits(state));
  };
}

/** Samples per call of the wasm TPDF kernel (its input f32 and output i32 fill the one 64 KiB page). */
const KERNEL_FRAMES = 8192;
const KERNEL_OUT = KERNEL_FRAMES * 4;

type TpdfKernel = { tpdf(src: number, dst: number, count: number, state: number, scale: number, min: number, max: number): number; input: Float32Array; output: Int32Array };
/** One kernel instance per thread serves every quantizer (calls are synchronous; state lives in the caller). */
let tpdfKernel: TpdfKernel | null | undefined;

function sharedTpdfKernel(): TpdfKernel | null {
  if (tpdfKernel !== undefined) return tpdfKernel;
  const instance = instantiateKernel(DITHER_KERNEL_WASM_BASE64, 2 * KERNEL_OUT);
  tpdfKernel = instance && {
    tpdf: instance.exports.tpdf as TpdfKernel['tpdf'],
    input: new Float32Array(instance.memory.buffer, 0, KERNEL_FRAMES),
    output: new Int32Array(instance.memory.buffer, KERNEL_OUT, KERNEL_FRAMES),
  };
  return tpdfKernel;
}

/**
 * TPDF dither quantizer. Deterministic: the same seed gives the same noise sequence
 * (mulberry32 PRNG, one draw per sample), so renders are bit-identical run to run. quantizeBlock runs
 * in the wasm SIMD kernel (dither-kernel.wat, 4 draws a trip, bit-identical) where available.
 */
export function createTpdfDither(bits: number, seed = 1, options: { wasm?: boolean } = {}): TpdfDither {
  const { scale, min, max } = gridOf(bits);
  let state = seed >>> 0;
  const nextNoise = () => {
    state = (state + 0x6d2b79f5) | 0;
    return tpdfOf(mulberryBits(state));
  };
  const quantize = (sample: number): number => {
    // floor(x + 0.5): round half up, the same rule as the plain rounder, so dither is the only difference.
    const code = Math.floor(sample * scale + nextNoise() + 0.5);
    return code > max ? max : code < min ? min : code;
  };
  const quantizeBlockJs: Quantizer['quantizeBlock'] = (samples, from, count, codes, at) => {
    // The same draw per sample as quantize(), inlined.
    let s = state;
    for (let i = 0; i < count; i++) {
      s = (s + 0x6d2b79f5) | 0;
      let t = Math.imul(s ^ (s >>> 15), 1 | s);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      t ^= t >>> 14;
      const code = Math.floor(samples[from + i] * scale + ((t & 0xffff) - (t >>> 16)) * (1 / 65536) + 0.5);
      codes[at + i] = code > max ? max : code < min ? min : code;
    }
    state = s;
  };
  const kernel = options.wasm === false ? null : sharedTpdfKernel();
  const quantizeBlock: Quantizer['quantizeBlock'] = kernel === null ? quantizeBlockJs : (samples, from, count, codes, at) => {
    const { input, output, tpdf } = kernel;
    for (let done = 0; done < count; done += KERNEL_FRAMES) {
      const n = Math.min(KERNEL_FRAMES, count - done);
      // Copies by set() (memcpy; the whole array when it is the chunk): JS loops would cost more than the kernel.
      input.set(n === samples.length ? samples : samples.subarray(from + done, from + done + n));
      state = tpdf(0, KERNEL_OUT, n, state, scale, min, max);
      codes.set(n === KERNEL_FRAMES ? output : output.subarray(0, n), at + done);
    }
  };
  return {
    bits,
    nextNoise,
    quantize,
    quantizeBlock,
    process: (sample) => quantize(sample) / scale,
  };
}

/** Plain rounding to the grid, no dither: grid values (e.g. a 16-bit source written at 16 bits) pass bit-exactly. */
export function createRoundingQuantizer(bits: number): Quantizer {
  const { scale, min, max } = gridOf(bits);
  const quantize = (sample: number): number => {
    const code = Math.floor(sample * scale + 0.5);
    return code > max ? max : code < min ? min : code;
  };
  const quantizeBlock: Quantizer['quantizeBlock'] = (samples, from, count, codes, at) => {
    for (let i = 0; i < count; i++) {
      const code = Math.floor(samples[from + i] * scale + 0.5);
      codes[at + i] = code > max ? max : code < min ? min : code;
    }
  };
  return { bits, quantize, quantizeBlock, process: (sample) => quantize(sample) / scale };
}

export interface ShapedDither extends TpdfDither {
  readonly shape: NoiseShape;
  /** Clears the error history (the noise sequence continues). */
  reset(): void;
}

/**
 * Noise-shaped TPDF dither quantizer for one channel (it keeps the last errors: one per channel).
 * Deterministic per seed, allocation-free per sample; NaN in gives NaN out and leaves the state alone.
 */
export function createShapedDither(bits: number, shape: NoiseShape, seed = 1): ShapedDither {
  const { scale, min, max } = gridOf(bits);
  const taps = NOISE_SHAPES[shape];
  if (!taps) throw new RangeError(`dither: unknown noise shape ${String(shape)}`);
  const order = taps.length;
  const c = Float64Array.from(taps);
  // errors[j] = e[n - 1 - j], newest first.
  const errors = new Float64Array(order);
  const nextNoise = tpdfSource(seed);
  const quantize = (sample: number): number => {
    let feedback = 0;
    for (let j = 0; j < order; j++) feedback += c[j] * errors[j];
    const target = sample * scale - feedback;
    const code = Math.floor(target + nextNoise() + 0.5);
    const error = code - target;
    // Infinite input gives no finite error: keep the history as it was.
    if (Number.isFinite(error)) {
      for (let j = order - 1; j > 0; j--) errors[j] = errors[j - 1];
      errors[0] = error;
    }
    return code > max ? max : code < min ? min : code;
  };
  return {
    bits,
    shape,
    nextNoise,
    quantize,
    quantizeBlock: blockOf(quantize),
    process: (sample) => quantize(sample) / scale,
    reset: () => errors.fill(0),
  };
}

const isNoiseShape = (kind: string): kind is NoiseShape => Object.prototype.hasOwnProperty.call(NOISE_SHAPES, kind);

/**
 * The dither seed of channel `channel` of a file dithered with `seed`: every writer seeds alike, so PCM
 * files of one master written at the same word length (WAV, FLAC) hold the same samples.
 */
export const channelDitherSeed = (seed: number, channel: number): number => (seed + Math.imul(channel, 0x9e3779b9)) >>> 0;

/** The quantizer a delivery setting asks for (noise-shaped kinds keep state: use one per channel). */
export function createQuantizer(bits: number, dither: DitherKind, seed = 1): Quantizer {
  if (dither === 'tpdf') return createTpdfDither(bits, seed);
  if (dither === 'none') return createRoundingQuantizer(bits);
  if (isNoiseShape(dither)) return createShapedDither(bits, dither, seed);
  throw new RangeError(`dither: unknown kind ${String(dither)}`);
}
