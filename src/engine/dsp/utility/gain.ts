// Gain in dB with per-sample smoothing: the simplest processor, and the model for the others.
import { assertProcessorShape, type LinearProcessor, type ParametricProcessor } from '../api.js';
import { Smoother } from '../smoothing.js';

export interface GainParams {
  /** Gain in dB; -Infinity mutes. */
  gainDb: number;
}

export const GAIN_DEFAULTS: GainParams = { gainDb: 0 };

const toLinear = (db: number) => (db === -Infinity ? 0 : Math.pow(10, db / 20));

export class Gain implements ParametricProcessor<GainParams>, LinearProcessor {
  readonly latency = 0;
  private current: GainParams;
  private readonly smoother: Smoother;

  constructor(sampleRate: number, private readonly channelCount: number, params: Partial<GainParams> = {}) {
    assertProcessorShape('gain', sampleRate, channelCount);
    this.current = { ...GAIN_DEFAULTS, ...params };
    this.smoother = new Smoother(sampleRate, toLinear(this.current.gainDb));
  }

  get params(): Readonly<GainParams> {
    return this.current;
  }

  set(params: Partial<GainParams>): void {
    this.current = { ...this.current, ...params };
    this.smoother.setTarget(toLinear(this.current.gainDb));
  }

  process(channels: Float32Array[], frames: number): void {
    if (!this.smoother.smoothing) {
      const gain = this.smoother.current;
      if (gain === 1) return;
      for (let c = 0; c < this.channelCount; c++) {
        const x = channels[c];
        for (let i = 0; i < frames; i++) x[i] *= gain;
      }
      return;
    }
    // While ramping, every channel follows the same per-sample curve.
    for (let i = 0; i < frames; i++) {
      const gain = this.smoother.next();
      for (let c = 0; c < this.channelCount; c++) channels[c][i] *= gain;
    }
  }

  reset(): void {
    this.smoother.jump(toLinear(this.current.gainDb));
  }

  response(): { magnitude: number; phase: number } {
    return { magnitude: toLinear(this.current.gainDb), phase: 0 };
  }
}

export const createGain = (sampleRate: number, channelCount: number, params?: Partial<GainParams>) => new Gain(sampleRate, channelCount, params);
