// The limiter detector's 4x interpolation in float32: the draft oversampler's two halfband stages
// (resample/oversampler.ts designs, same delays), every product and sum rounded to f32 as the detector's
// WebAssembly kernel computes them four lanes at a time (limiter-detector-kernel.wat `up`), so this JS
// path gives its values bit for bit. (f32 halves the kernel's work against f64; the estimates move by
// about 1e-6 of their value, far inside the limiter's 0.01 dB margin.) Math.fround emulates each f32
// operation exactly: a product or sum of two f32 values is exact in f64 before the rounding.
import { oversamplerStageDesign, upsampleLatencyFrames } from '../resample/oversampler.js';

const f = Math.fround;

/** Stage `stage`'s (1 or 2) coefficients as both paths use them: 2 x the off-centre taps, rounded to f32. */
export const detectorStageCoefficients = (stage: number): Float32Array =>
  Float32Array.from(oversamplerStageDesign(stage, 'draft').pairTaps, (tap) => 2 * tap);

/** One streaming 2x halfband interpolator stage in f32 (halfband.ts HalfbandUpsampler's arithmetic, rounded per operation). */
class HalfbandStageF32 {
  private readonly m: number;
  private readonly history: number;
  private readonly coefficients: Float32Array;
  private readonly buffers: Float32Array[];

  constructor(stage: number, channelCount: number, maxInputFrames: number) {
    const design = oversamplerStageDesign(stage, 'draft');
    this.m = design.m;
    this.history = 2 * design.m + 1;
    this.coefficients = detectorStageCoefficients(stage);
    this.buffers = Array.from({ length: channelCount }, () => new Float32Array(this.history + maxInputFrames));
  }

  /** y[2i] = sum over k of c_k (x[i - k] + x[i - 2m - 1 + k]) (k = 0 .. m, in order), y[2i + 1] = x[i - m]. */
  process(channel: number, input: Float32Array, frames: number, output: Float32Array): void {
    const buffer = this.buffers[channel];
    const { history, m, coefficients } = this;
    for (let i = 0; i < frames; i++) buffer[history + i] = input[i];
    for (let i = 0; i < frames; i++) {
      const newest = history + i;
      let sum = 0;
      for (let k = 0; k <= m; k++) sum = f(sum + f(coefficients[k] * f(buffer[newest - k] + buffer[i + k])));
      output[2 * i] = sum;
      output[2 * i + 1] = buffer[newest - m];
    }
    buffer.copyWithin(0, frames, frames + history);
  }

  reset(): void {
    for (const buffer of this.buffers) buffer.fill(0);
  }
}

/** The detector's 4x upsampler (JS path): two f32 halfband stages. */
export class DetectorUpsamplerF32 {
  private readonly first: HalfbandStageF32;
  private readonly second: HalfbandStageF32;
  private readonly middle: Float32Array;

  constructor(channelCount: number, maxFrames: number) {
    this.first = new HalfbandStageF32(1, channelCount, maxFrames);
    this.second = new HalfbandStageF32(2, channelCount, 2 * maxFrames);
    this.middle = new Float32Array(2 * maxFrames);
  }

  /** Delay of the 4x points, in 4x frames (the draft oversampler's: same designs). */
  get latencyFrames(): number {
    return upsampleLatencyFrames([oversamplerStageDesign(1, 'draft'), oversamplerStageDesign(2, 'draft')]);
  }

  /** wide[c][0 .. 4 frames) from input[c][0 .. frames) (frames <= maxFrames). */
  upsample(input: Float32Array[], frames: number, wide: Float32Array[]): void {
    for (let c = 0; c < input.length; c++) {
      this.first.process(c, input[c], frames, this.middle);
      this.second.process(c, this.middle, 2 * frames, wide[c]);
    }
  }

  reset(): void {
    this.first.reset();
    this.second.reset();
  }
}
