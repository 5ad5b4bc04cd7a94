// Per-channel polarity inversion (multiplies a channel by −1). A flip while running ramps the channel's
// gain from ±1 through 0 to ∓1 per sample, so automating it does not click.
import { assertProcessorShape, type LinearProcessor, type ParametricProcessor } from '../api.js';
import { Smoother } from '../smoothing.js';

export interface PolarityParams {
  /** One flag per channel (missing entries = not inverted). */
  invert: boolean[];
}

export const POLARITY_DEFAULTS: PolarityParams = { invert: [] };

/** Time constant of the flip ramp, seconds. */
const FLIP_SECONDS = 0.002;

export class Polarity implements ParametricProcessor<PolarityParams>, LinearProcessor {
  readonly latency = 0;
  private current: PolarityParams;
  private readonly smoothers: Smoother[];

  constructor(sampleRate: number, private readonly channelCount: number, params: Partial<PolarityParams> = {}) {
    assertProcessorShape('polarity', sampleRate, channelCount);
    this.current = { invert: [...(params.invert ?? POLARITY_DEFAULTS.invert)] };
    this.smoothers = Array.from({ length: channelCount }, (_, c) => new Smoother(sampleRate, this.sign(c), FLIP_SECONDS));
  }

  private sign(channel: number): number {
    return this.current.invert[channel] ? -1 : 1;
  }

  get params(): Readonly<PolarityParams> {
    return this.current;
  }

  set(params: Partial<PolarityParams>): void {
    if (params.invert) this.current = { invert: [...params.invert] };
    for (let c = 0; c < this.channelCount; c++) this.smoothers[c].setTarget(this.sign(c));
  }

  process(channels: Float32Array[], frames: number): void {
    for (let c = 0; c < this.channelCount; c++) {
      const x = channels[c];
      const smoother = this.smoothers[c];
      if (!smoother.smoothing) {
        if (smoother.current === -1) for (let i = 0; i < frames; i++) x[i] = -x[i];
        continue;
      }
      for (let i = 0; i < frames; i++) x[i] *= smoother.next();
    }
  }

  reset(): void {
    for (let c = 0; c < this.channelCount; c++) this.smoothers[c].jump(this.sign(c));
  }

  /** Response of `channel` (default 0): unit magnitude, phase 0 or π. */
  response(_frequencyHz: number, channel = 0): { magnitude: number; phase: number } {
    return { magnitude: 1, phase: this.sign(channel) < 0 ? Math.PI : 0 };
  }
}

export const createPolarity = (sampleRate: number, channelCount: number, params?: Partial<PolarityParams>) => new Polarity(sampleRate, channelCount, params);
