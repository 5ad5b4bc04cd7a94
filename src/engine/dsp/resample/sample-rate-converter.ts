// Streaming sample-rate converter for any pair of rates: rational polyphase resampling (Crochiere &
// Rabiner, "Multirate Digital Signal Processing", 1983, ch. 4) with a Kaiser-windowed sinc designed for
// the pair (resample/src-design.ts). Output frame j is the band-limited input evaluated at input time
// j * inRate / outRate: no delay to compensate, and finish() brings the total to exactly
// round(inputFrames * outRate / inRate). 'standard' quality (120 dB) computes in f32 (its rounding stays
// below -130 dB, and f32 SIMD does twice the work per instruction), 'high' (150 dB) in f64. Stereo with
// an exact table runs its dot products in a WebAssembly SIMD kernel (src-kernel.wat: emit32 with lanes
// left, right, left, right; emit with left and right in the two f64 lanes), bit-identical to the JS path
// (dot32, dot2).
//
//   const src = new SampleRateConverter(2, 44100, 48000);
//   const out = [new Float32Array(src.maxOutputFrames(4096)), ...];
//   n = src.process(block, 4096, out);   // any number of frames per call; n frames were written
//   n = src.finish(out);                 // after the last block: the tail
import { instantiateKernel } from '../../wasm.js';
import { SRC_KERNEL_WASM_BASE64 } from './src-kernel.wasm.js';
import { designResampler, TABLE_PHASES, type ResamplerDesign, type ResamplingQuality } from './src-design.js';

export interface SampleRateConverterOptions {
  /**
   * 'standard': 120 dB, may alias between 0.4535 and 0.5 of the lower rate (above 20 kHz at 44.1 kHz);
   * 'high': 150 dB, no aliasing (about 2.5x the taps). Passband to 0.4535 of the lower rate either way.
   */
  quality?: ResamplingQuality;
  /** false: never use the WebAssembly kernel (tests compare both paths). */
  wasm?: boolean;
}

/** Input frames handled per internal step (bounds the buffers; callers may pass any block size). */
const CHUNK = 4096;

/** sum_k coefficients[row + k] * x[at + k], k < taps (a multiple of 4), in four interleaved partial sums. */
function dot(coefficients: Float64Array, row: number, x: Float32Array, at: number, taps: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let k = 0; k < taps; k += 4) {
    s0 += coefficients[row + k] * x[at + k];
    s1 += coefficients[row + k + 1] * x[at + k + 1];
    s2 += coefficients[row + k + 2] * x[at + k + 2];
    s3 += coefficients[row + k + 3] * x[at + k + 3];
  }
  return (s0 + s1) + (s2 + s3);
}

/**
 * The same dot product for two channels at once (one coefficient load for both), in the same four
 * partial sums as dot(); results in out[0], out[1]. The wasm kernel (src-kernel.wat) does exactly this.
 */
function dot2(coefficients: Float64Array, row: number, x: Float32Array, y: Float32Array, at: number, taps: number, out: Float64Array): void {
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
  for (let k = 0; k < taps; k += 4) {
    const h0 = coefficients[row + k];
    const h1 = coefficients[row + k + 1];
    const h2 = coefficients[row + k + 2];
    const h3 = coefficients[row + k + 3];
    a0 += h0 * x[at + k];
    b0 += h0 * y[at + k];
    a1 += h1 * x[at + k + 1];
    b1 += h1 * y[at + k + 1];
    a2 += h2 * x[at + k + 2];
    b2 += h2 * y[at + k + 2];
    a3 += h3 * x[at + k + 3];
    b3 += h3 * y[at + k + 3];
  }
  out[0] = (a0 + a1) + (a2 + a3);
  out[1] = (b0 + b1) + (b2 + b3);
}
/**
 * dot() in f32 ('standard' quality): sum_k h[row + k] * x[at + k] with every product and sum rounded to
 * f32 (Math.fround of the exact f64 result is the f32 operation), in eight partial sums s_j (j = k mod 8;
 * a last group of four taps adds to s0..s3), reduced as ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7)):
 * the wasm kernel's emit32, lane for lane.
 */
function dot32(h: Float32Array, row: number, x: Float32Array, at: number, taps: number): number {
  const f = Math.fround;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
  let k = 0;
  for (; k + 8 <= taps; k += 8) {
    const r = row + k, i = at + k;
    s0 = f(s0 + f(h[r] * x[i]));
    s1 = f(s1 + f(h[r + 1] * x[i + 1]));
    s2 = f(s2 + f(h[r + 2] * x[i + 2]));
    s3 = f(s3 + f(h[r + 3] * x[i + 3]));
    s4 = f(s4 + f(h[r + 4] * x[i + 4]));
    s5 = f(s5 + f(h[r + 5] * x[i + 5]));
    s6 = f(s6 + f(h[r + 6] * x[i + 6]));
    s7 = f(s7 + f(h[r + 7] * x[i + 7]));
  }
  if (k < taps) {
    const r = row + k, i = at + k;
    s0 = f(s0 + f(h[r] * x[i]));
    s1 = f(s1 + f(h[r + 1] * x[i + 1]));
    s2 = f(s2 + f(h[r + 2] * x[i + 2]));
    s3 = f(s3 + f(h[r + 3] * x[i + 3]));
  }
  return f(f(f(s0 + s4) + f(s2 + s6)) + f(f(s1 + s5) + f(s3 + s7)));
}
const pair = new Float64Array(2);

/** Largest coefficient table the wasm kernel copies (bytes); larger exact tables use the JS path. */
const MAX_KERNEL_TABLE_BYTES = 16 << 20;
/** src-kernel.wat's emit / emit32: outputs while n < count and at < limit; returns n, leaves (at, phase) at `state`. */
type EmitKernel = (coef: number, buf: number, taps: number, at: number, phase: number, up: number, whole: number, rest: number,
  count: number, outL: number, outR: number, limit: number, state: number) => number;

export class SampleRateConverter {
  readonly channelCount: number;
  readonly inputRate: number;
  readonly outputRate: number;
  readonly design: ResamplerDesign;
  /** Per channel: input samples from `bufferStart` on (zeros before the first input). */
  private readonly buffers: Float32Array[];
  private bufferStart: number;
  private bufferLength = 0;
  /** Input frames received so far, and output frames produced. */
  private inputCount = 0;
  private outputCount = 0;
  /** Next output's input position: base index and phase numerator (position = base + phase / L). */
  private base = 0;
  private phase = 0;
  private finished = false;
  /** 'standard' quality: the table in f32 (dot32); null: f64 ('high', dot and dot2). */
  private readonly single: Float32Array | null;
  /**
   * Stereo with an exact table: the wasm SIMD kernel (src-kernel.wat: emit32, bit-identical to dot32,
   * reading `buffers`, which then live in its memory; emit, bit-identical to dot2, reading `interleaved`,
   * f64 left, right pairs in its memory), writing planar output there.
   */
  private readonly kernel: EmitKernel | null = null;
  private readonly interleaved: Float64Array | null = null;
  private readonly kernelLeft: Float32Array | null = null;
  private readonly kernelRight: Float32Array | null = null;
  private readonly kernelState: Int32Array | null = null;
  private readonly kernelAt = { buffer: 0, left: 0, right: 0, state: 0 };
  private kernelOutFrames = 0;

  constructor(channelCount: number, inputRate: number, outputRate: number, options: SampleRateConverterOptions = {}) {
    if (!(Number.isInteger(channelCount) && channelCount >= 1 && channelCount <= 32)) {
      throw new RangeError(`sample-rate converter: channel count must be 1-32, got ${channelCount}`);
    }
    for (const rate of [inputRate, outputRate]) {
      if (!(Number.isInteger(rate) && rate >= 1000 && rate <= 768000)) throw new RangeError(`sample-rate converter: rate ${rate} Hz is not an integer in 1-768 kHz`);
    }
    this.channelCount = channelCount;
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    this.design = designResampler(inputRate, outputRate, options.quality ?? 'standard');
    const { taps } = this.design;
    const { rows, exact, coefficients } = this.design;
    this.single = (options.quality ?? 'standard') === 'standard' ? Float32Array.from(coefficients) : null;
    const tableBytes = rows * taps * (this.single ? 4 : 8);
    // Input: planar f32 (emit32) or interleaved f64 pairs (emit); then the two outputs and the state.
    const bufferBytes = (taps + CHUNK) * (this.single ? 8 : 16);
    const outFrames = this.maxOutputFrames(CHUNK) + 16;
    const instance = channelCount === 2 && exact && options.wasm !== false && tableBytes <= MAX_KERNEL_TABLE_BYTES
      ? instantiateKernel(SRC_KERNEL_WASM_BASE64, tableBytes + bufferBytes + 8 * outFrames + 16)
      : null;
    if (instance) {
      const memory = instance.memory.buffer;
      const at = this.kernelAt;
      at.buffer = tableBytes;
      at.left = tableBytes + bufferBytes;
      at.right = at.left + 4 * outFrames;
      at.state = at.right + 4 * outFrames;
      this.kernelOutFrames = outFrames;
      this.kernelLeft = new Float32Array(memory, at.left, outFrames);
      this.kernelRight = new Float32Array(memory, at.right, outFrames);
      this.kernelState = new Int32Array(memory, at.state, 2);
      if (this.single) {
        this.kernel = instance.exports.emit32 as EmitKernel;
        (instance.exports.init32 as (gap: number) => void)((taps + CHUNK) * 4);
        new Float32Array(memory, 0, rows * taps).set(this.single);
        this.buffers = [0, 1].map((c) => new Float32Array(memory, tableBytes + c * (taps + CHUNK) * 4, taps + CHUNK));
      } else {
        this.kernel = instance.exports.emit as EmitKernel;
        new Float64Array(memory, 0, rows * taps).set(coefficients);
        this.interleaved = new Float64Array(memory, tableBytes, 2 * (taps + CHUNK));
        this.buffers = [];
      }
    } else {
      this.buffers = Array.from({ length: channelCount }, () => new Float32Array(taps + CHUNK));
    }
    this.bufferStart = 1 - taps / 2;
    this.reset();
  }

  /** Output capacity (frames per channel) that any process(…, frames) or finish() call fits in. */
  maxOutputFrames(inputFrames: number): number {
    const { up, down, taps } = this.design;
    return Math.ceil(((inputFrames + taps) * up) / down) + 2;
  }

  /** Total output frames for `inputFrames` input frames: round(inputFrames * outRate / inRate). */
  outputFramesFor(inputFrames: number): number {
    return Math.round((inputFrames * this.design.up) / this.design.down);
  }

  /** Converts `frames` input frames; writes the frames now computable to output[c][0 ..] and returns their count. */
  process(input: Float32Array[], frames: number, output: Float32Array[]): number {
    if (this.finished) throw new Error('sample-rate converter: process() after finish(); call reset() first');
    let written = 0;
    for (let start = 0; start < frames; start += CHUNK) {
      const n = Math.min(CHUNK, frames - start);
      this.compact();
      const interleaved = this.interleaved;
      if (interleaved !== null) {
        const left = input[0];
        const right = input[1];
        const at = 2 * this.bufferLength;
        for (let i = 0; i < n; i++) {
          interleaved[at + 2 * i] = left[start + i];
          interleaved[at + 2 * i + 1] = right[start + i];
        }
      } else {
        for (let c = 0; c < this.channelCount; c++) this.buffers[c].set(input[c].subarray(start, start + n), this.bufferLength);
      }
      this.bufferLength += n;
      this.inputCount += n;
      // Output j needs input up to base + taps/2.
      written += this.emit(output, written, this.inputCount - this.design.taps / 2, Infinity);
    }
    return written;
  }

  /** Ends the stream: writes the remaining frames (input beyond the end is silence) and returns their count. */
  finish(output: Float32Array[]): number {
    if (this.finished) return 0;
    this.finished = true;
    const total = this.outputFramesFor(this.inputCount);
    const half = this.design.taps / 2;
    let written = 0;
    // Pad with zeros in CHUNK steps until every remaining output's window is covered.
    while (this.outputCount < total) {
      this.compact();
      const n = Math.min(CHUNK, half + 1);
      for (const buffer of this.buffers) buffer.fill(0, this.bufferLength, this.bufferLength + n);
      this.interleaved?.fill(0, 2 * this.bufferLength, 2 * (this.bufferLength + n));
      this.bufferLength += n;
      const available = this.bufferStart + this.bufferLength - half;
      written += this.emit(output, written, available, total);
    }
    return written;
  }

  /** Computes outputs while base < `limitBase` and the count is below `total`. */
  private emit(output: Float32Array[], offset: number, limitBase: number, total: number): number {
    if (this.kernel !== null) return this.emitKernel(output, offset, limitBase, total);
    const { up, down, taps, coefficients, exact } = this.design;
    const whole = Math.floor(down / up);
    const rest = down % up;
    const channels = this.channelCount;
    const buffers = this.buffers;
    const single = this.single;
    const half = taps / 2;
    let base = this.base;
    let phase = this.phase;
    let count = 0;
    while (base < limitBase && this.outputCount + count < total) {
      // Window x[base - taps/2 + 1 .. base + taps/2] sits at buffer[base - taps/2 + 1 - bufferStart ..].
      const at = base - half + 1 - this.bufferStart;
      let row = phase * taps;
      let mu = 0;
      if (!exact) {
        // Between two table rows: linear interpolation of the two results.
        const position = (phase * TABLE_PHASES) / up;
        const r = Math.floor(position);
        mu = position - r;
        row = r * taps;
      }
      let c = 0;
      if (single !== null) {
        for (; c < channels; c++) {
          let value = dot32(single, row, buffers[c], at, taps);
          if (mu !== 0) value += mu * (dot32(single, row + taps, buffers[c], at, taps) - value);
          output[c][offset + count] = value;
        }
      }
      for (; c + 1 < channels; c += 2) {
        dot2(coefficients, row, buffers[c], buffers[c + 1], at, taps, pair);
        let left = pair[0];
        let right = pair[1];
        if (mu !== 0) {
          dot2(coefficients, row + taps, buffers[c], buffers[c + 1], at, taps, pair);
          left += mu * (pair[0] - left);
          right += mu * (pair[1] - right);
        }
        output[c][offset + count] = left;
        output[c + 1][offset + count] = right;
      }
      if (c < channels) {
        let value = dot(coefficients, row, buffers[c], at, taps);
        if (mu !== 0) value += mu * (dot(coefficients, row + taps, buffers[c], at, taps) - value);
        output[c][offset + count] = value;
      }
      count++;
      base += whole;
      phase += rest;
      if (phase >= up) {
        phase -= up;
        base++;
      }
    }
    this.base = base;
    this.phase = phase;
    this.outputCount += count;
    return count;
  }

  /** emit() through the wasm kernel: as many outputs per call as its output area holds. */
  private emitKernel(output: Float32Array[], offset: number, limitBase: number, total: number): number {
    const { up, down, taps } = this.design;
    const kernel = this.kernel!, state = this.kernelState!, at = this.kernelAt;
    const whole = Math.floor(down / up);
    const rest = down % up;
    // Output positions as indices into the buffer: base <-> base - taps/2 + 1 - bufferStart.
    const shift = 1 - taps / 2 - this.bufferStart;
    const limit = limitBase + shift;
    let base = this.base;
    let phase = this.phase;
    let count = 0;
    for (;;) {
      const room = Math.min(this.kernelOutFrames, total - this.outputCount - count);
      if (room <= 0 || base >= limitBase) break;
      const n = kernel(0, at.buffer, taps, base + shift, phase, up, whole, rest, room, at.left, at.right, limit, at.state);
      if (n === 0) break;
      base = state[0] - shift;
      phase = state[1];
      output[0].set(this.kernelLeft!.subarray(0, n), offset + count);
      output[1].set(this.kernelRight!.subarray(0, n), offset + count);
      count += n;
    }
    this.base = base;
    this.phase = phase;
    this.outputCount += count;
    return count;
  }

  /** Drops input no future output needs, so a CHUNK more fits. */
  private compact(): void {
    const keepFrom = this.base - this.design.taps / 2 + 1; // oldest sample the next output reads
    const drop = Math.max(0, Math.min(keepFrom - this.bufferStart, this.bufferLength));
    if (drop === 0) return;
    for (const buffer of this.buffers) buffer.copyWithin(0, drop, this.bufferLength);
    this.interleaved?.copyWithin(0, 2 * drop, 2 * this.bufferLength);
    this.bufferStart += drop;
    this.bufferLength -= drop;
  }

  /** Back to the start of a new stream (same rates). */
  reset(): void {
    const half = this.design.taps / 2;
    for (const buffer of this.buffers) buffer.fill(0);
    this.interleaved?.fill(0);
    // Zeros for x[-(half - 1) .. -1], the window of output 0.
    this.bufferStart = 1 - half;
    this.bufferLength = half - 1;
    this.inputCount = 0;
    this.outputCount = 0;
    this.base = 0;
    this.phase = 0;
    this.finished = false;
  }
}
