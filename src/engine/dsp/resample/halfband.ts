// Linear-phase halfband FIR stages for 2x interpolation and decimation, the building block of the
// oversampler. A halfband filter (cutoff fs/4 of the high rate) has every other tap zero and the centre
// tap 1/2, so the interpolator copies one output phase from the input and filters the other, and the
// decimator needs m + 1 products (symmetric pairs) per output. Kaiser-windowed sinc design (Kaiser 1974).
// The interpolator runs in a WebAssembly SIMD kernel (halfband-kernel.wat) where available, with the same
// operations in the same order as its JS loop (bit-identical; the JS loop is the fallback).

import { HALFBAND_KERNEL_WASM_BASE64 } from './halfband-kernel.wasm.js';
import { besselI0, kaiserBeta, kaiserLength, kaiserWindow, sinc } from './kaiser.js';
import { instantiateKernel } from '../../wasm.js';

/** Design of one halfband stage: `pairTaps[k]` = h[2k] (k = 0..m), the length is 4m + 3, delay 2m + 1. */
export interface HalfbandDesign {
  readonly m: number;
  /** The non-zero off-centre taps h[2k], k = 0..m (the other half mirrors them); the centre tap is 1/2. */
  readonly pairTaps: Float64Array;
  /** Full impulse response (4m + 3 taps, DC gain 1), for inspection and tests. */
  readonly taps: Float64Array;
}

/**
 * Halfband lowpass with `attenuationDb` stopband, for a transition band of `transitionCycles`
 * (cycles per high-rate sample, centred on 1/4). Length is rounded up to the 4m + 3 form.
 */
export function designHalfband(attenuationDb: number, transitionCycles: number): HalfbandDesign {
  const estimate = kaiserLength(attenuationDb, transitionCycles);
  const m = Math.max(0, Math.ceil((estimate - 3) / 4));
  const length = 4 * m + 3;
  const centre = 2 * m + 1;
  const beta = kaiserBeta(attenuationDb);
  const i0Beta = besselI0(beta);
  const taps = new Float64Array(length);
  let sideSum = 0;
  for (let n = 0; n < length; n++) {
    const offset = n - centre;
    if (offset === 0 || offset % 2 === 0) continue;
    // Ideal halfband: h[n] = 0.5 sinc(n / 2), windowed over the whole span.
    taps[n] = 0.5 * sinc(offset / 2) * kaiserWindow(offset / (centre + 1), beta, i0Beta);
    sideSum += taps[n];
  }
  // Exact unit DC gain: the side taps sum to 1/2, the centre tap is 1/2.
  for (let n = 0; n < length; n++) taps[n] *= 0.5 / sideSum;
  taps[centre] = 0.5;
  const pairTaps = new Float64Array(m + 1);
  for (let k = 0; k <= m; k++) pairTaps[k] = taps[2 * k];
  return { m, pairTaps, taps };
}

/** Streaming 2x interpolator (gain 2 applied, so the passband gain is 1). Delay 2m + 1 output samples. */
export class HalfbandUpsampler {
  private readonly history: number;
  private readonly buffers: Float64Array[];
  private readonly coefficients: Float64Array;

  /** WebAssembly SIMD kernel (halfband-kernel.wat, bit-identical to the JS loop below), or null. */
  private readonly kernel: ((buf: number, coef: number, m: number, frames: number, out: number) => void) | null = null;
  /** Byte address of each channel's buffer in the kernel's memory, and of its output area. */
  private readonly kernelBuffers: number[] = [];
  private kernelOutput = 0;
  private kernelHeap: Float64Array | null = null;
  private readonly maxInputFrames: number;

  constructor(private readonly design: HalfbandDesign, channelCount: number, maxInputFrames: number, options: { wasm?: boolean } = {}) {
    this.history = 2 * design.m + 1;
    this.maxInputFrames = maxInputFrames;
    this.coefficients = design.pairTaps.map((tap) => 2 * tap);
    const span = this.history + maxInputFrames;
    const coefficientBytes = 16 * Math.ceil(((design.m + 1) * 8) / 16);
    const bufferBytes = 16 * Math.ceil((span * 8) / 16);
    const kernel = options.wasm === false ? null
      : instantiateKernel(HALFBAND_KERNEL_WASM_BASE64, coefficientBytes + channelCount * bufferBytes + maxInputFrames * 16);
    if (kernel) {
      this.kernel = kernel.exports.up as (buf: number, coef: number, m: number, frames: number, out: number) => void;
      const heap = new Float64Array(kernel.memory.buffer);
      heap.set(this.coefficients, 0);
      for (let c = 0; c < channelCount; c++) this.kernelBuffers.push(coefficientBytes + c * bufferBytes);
      this.kernelOutput = coefficientBytes + channelCount * bufferBytes;
      this.kernelHeap = heap;
      // The buffers live in wasm memory (views onto it).
      this.buffers = this.kernelBuffers.map((at) => new Float64Array(kernel.memory.buffer, at, span));
    } else {
      this.buffers = Array.from({ length: channelCount }, () => new Float64Array(span));
    }
  }

  /** Reads `frames` samples of `input` from `inputOffset`, writes 2 * frames samples to `output` from `outputOffset`. */
  process(channel: number, input: Float64Array, inputOffset: number, frames: number, output: Float64Array, outputOffset: number): void {
    const buffer = this.buffers[channel];
    const history = this.history;
    const m = this.design.m;
    const coefficients = this.coefficients;
    for (let i = 0; i < frames; i++) buffer[history + i] = input[inputOffset + i];
    if (this.kernel !== null && frames <= this.maxInputFrames) {
      this.kernel(this.kernelBuffers[channel], 0, m, frames, this.kernelOutput);
      const heap = this.kernelHeap!;
      const from = this.kernelOutput >> 3;
      for (let i = 0; i < 2 * frames; i++) output[outputOffset + i] = heap[from + i];
      buffer.copyWithin(0, frames, frames + history);
      return;
    }
    // x[i - j] = buffer[history + i - j]; y[2i] = sum_k c_k (x[i - k] + x[i - 2m - 1 + k]); y[2i + 1] = x[i - m].
    // Four outputs per pass share the coefficient loads (same summation order as one at a time).
    let i = 0;
    for (; i + 3 < frames; i += 4) {
      const newest = history + i;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k <= m; k++) {
        const c = coefficients[k];
        const a = newest - k;
        const b = i + k;
        s0 += c * (buffer[a] + buffer[b]);
        s1 += c * (buffer[a + 1] + buffer[b + 1]);
        s2 += c * (buffer[a + 2] + buffer[b + 2]);
        s3 += c * (buffer[a + 3] + buffer[b + 3]);
      }
      const o = outputOffset + 2 * i;
      output[o] = s0;
      output[o + 1] = buffer[newest - m];
      output[o + 2] = s1;
      output[o + 3] = buffer[newest + 1 - m];
      output[o + 4] = s2;
      output[o + 5] = buffer[newest + 2 - m];
      output[o + 6] = s3;
      output[o + 7] = buffer[newest + 3 - m];
    }
    for (; i < frames; i++) {
      const newest = history + i;
      let sum = 0;
      for (let k = 0; k <= m; k++) sum += coefficients[k] * (buffer[newest - k] + buffer[i + k]);
      output[outputOffset + 2 * i] = sum;
      output[outputOffset + 2 * i + 1] = buffer[newest - m];
    }
    buffer.copyWithin(0, frames, frames + history);
  }

  reset(): void {
    for (const buffer of this.buffers) buffer.fill(0);
  }
}

/** Streaming 2x decimator. Delay 2m + 1 input (high-rate) samples. */
export class HalfbandDownsampler {
  private readonly history: number;
  private readonly buffers: Float64Array[];

  constructor(private readonly design: HalfbandDesign, channelCount: number, maxInputFrames: number) {
    this.history = 4 * design.m + 2;
    this.buffers = Array.from({ length: channelCount }, () => new Float64Array(this.history + maxInputFrames));
  }

  /** Reads `frames` (even) high-rate samples, writes frames / 2 samples. */
  process(channel: number, input: Float64Array, inputOffset: number, frames: number, output: Float64Array, outputOffset: number): void {
    const buffer = this.buffers[channel];
    const history = this.history;
    const m = this.design.m;
    const taps = this.design.pairTaps;
    for (let i = 0; i < frames; i++) buffer[history + i] = input[inputOffset + i];
    // v[j] = buffer[history + j]; y[i] = v[2i - 2m - 1] / 2 + sum_k h[2k] (v[2i - 2k] + v[2i - 4m - 2 + 2k]).
    const outputs = frames >> 1;
    let i = 0;
    for (; i + 3 < outputs; i += 4) {
      const newest = history + 2 * i;
      const oldest = 2 * i;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k <= m; k++) {
        const c = taps[k];
        const a = newest - 2 * k;
        const b = oldest + 2 * k;
        s0 += c * (buffer[a] + buffer[b]);
        s1 += c * (buffer[a + 2] + buffer[b + 2]);
        s2 += c * (buffer[a + 4] + buffer[b + 4]);
        s3 += c * (buffer[a + 6] + buffer[b + 6]);
      }
      const centre = newest - 2 * m - 1;
      output[outputOffset + i] = 0.5 * buffer[centre] + s0;
      output[outputOffset + i + 1] = 0.5 * buffer[centre + 2] + s1;
      output[outputOffset + i + 2] = 0.5 * buffer[centre + 4] + s2;
      output[outputOffset + i + 3] = 0.5 * buffer[centre + 6] + s3;
    }
    for (; i < outputs; i++) {
      const newest = history + 2 * i;
      const oldest = 2 * i;
      let sum = 0;
      for (let k = 0; k <= m; k++) sum += taps[k] * (buffer[newest - 2 * k] + buffer[oldest + 2 * k]);
      output[outputOffset + i] = 0.5 * buffer[newest - 2 * m - 1] + sum;
    }
    buffer.copyWithin(0, frames, frames + history);
  }

  reset(): void {
    for (const buffer of this.buffers) buffer.fill(0);
  }
}
