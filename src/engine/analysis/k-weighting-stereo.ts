// K-weighting of a stereo pair in one WebAssembly SIMD loop (k-weighting-kernel.wat: left and right in
// the two f64 lanes), bit-identical to kWeightSumOfSquares on each channel: the loudness meter's hot
// loop, run by every analysis and every delivered-file check, at about half the cost of two JS passes.
import { instantiateKernel } from '../wasm.js';
import { K_WEIGHTING_KERNEL_WASM_BASE64 } from './k-weighting-kernel.wasm.js';
import type { BiquadCoefficients } from './k-weighting.js';

/** Frames loaded at once (left and right f32, 128 KiB). */
export const STEREO_K_CHUNK_FRAMES = 16384;
const SAMPLES_AT = 256;

export class StereoKWeighting {
  /** [left, right] sums of squares accumulated by run() since the caller last cleared them. */
  readonly sums: Float64Array;
  /** Filter state, lanes interleaved: x1 (L, R), x2, y1, y2, w1, w2. */
  private readonly state: Float64Array;
  private readonly left: Float32Array;
  private readonly right: Float32Array;
  private readonly kernelRun: (from: number, to: number, capacity: number) => void;

  /** Null where WebAssembly SIMD is unavailable (the caller keeps its per-channel JS path). */
  static create(shelf: BiquadCoefficients, highPass: BiquadCoefficients): StereoKWeighting | null {
    const instance = instantiateKernel(K_WEIGHTING_KERNEL_WASM_BASE64, SAMPLES_AT + 8 * STEREO_K_CHUNK_FRAMES);
    return instance && new StereoKWeighting(instance.exports, instance.memory, shelf, highPass);
  }

  private constructor(exports: WebAssembly.Exports, memory: WebAssembly.Memory, shelf: BiquadCoefficients, highPass: BiquadCoefficients) {
    this.kernelRun = exports.run as (from: number, to: number, capacity: number) => void;
    this.sums = new Float64Array(memory.buffer, 0, 2);
    this.state = new Float64Array(memory.buffer, 16, 12);
    const pair = (v: number) => [v, v];
    new Float64Array(memory.buffer, 112, 14).set([
      ...pair(shelf.b0), ...pair(shelf.b1), ...pair(shelf.b2), ...pair(shelf.a1), ...pair(shelf.a2), ...pair(highPass.a1), ...pair(highPass.a2),
    ]);
    this.left = new Float32Array(memory.buffer, SAMPLES_AT, STEREO_K_CHUNK_FRAMES);
    this.right = new Float32Array(memory.buffer, SAMPLES_AT + 4 * STEREO_K_CHUNK_FRAMES, STEREO_K_CHUNK_FRAMES);
  }

  /** Loads frames [start, start + count) of the pair (count <= STEREO_K_CHUNK_FRAMES) for run(). */
  load(left: Float32Array, right: Float32Array, start: number, count: number): void {
    this.left.set(left.subarray(start, start + count));
    this.right.set(right.subarray(start, start + count));
  }

  /** Filters loaded frames [from, to), adding the squares of the output to `sums`. */
  run(from: number, to: number): void {
    this.kernelRun(from, to, STEREO_K_CHUNK_FRAMES);
  }

  /** flushKWeightingDenormals for both channels (y and w memories below 1e-30 become 0). */
  flushDenormals(): void {
    const { state } = this;
    for (let i = 4; i < 12; i++) if (Math.abs(state[i]) < 1e-30) state[i] = 0;
  }
}
