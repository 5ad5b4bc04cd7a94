// A pure integer delay that declares its delay as latency: the stand-in for look-ahead processors
// in graph tests, and a way to align a path by hand. (stereo/channel-delay.ts is the effect: it
// delays channels against each other and reports no latency.)
import { assertProcessorShape, type LinearProcessor, type Processor } from '../api.js';
import { DelayBuffer } from './delay-buffer.js';

export interface PureDelayParams {
  /** Delay of every channel, in whole samples (>= 0). */
  delaySamples: number;
}

export const PURE_DELAY_DEFAULTS: PureDelayParams = { delaySamples: 0 };

export class PureDelay implements Processor, LinearProcessor {
  readonly latency: number;
  private readonly lines: DelayBuffer[];

  constructor(private readonly sampleRate: number, private readonly channelCount: number, params: Partial<PureDelayParams> = {}) {
    assertProcessorShape('pure delay', sampleRate, channelCount);
    const { delaySamples } = { ...PURE_DELAY_DEFAULTS, ...params };
    if (!(Number.isInteger(delaySamples) && delaySamples >= 0)) {
      throw new RangeError(`pure delay: delaySamples must be an integer >= 0, got ${delaySamples}`);
    }
    this.latency = delaySamples;
    this.lines = Array.from({ length: channelCount }, () => new DelayBuffer(delaySamples));
  }

  process(channels: Float32Array[], frames: number): void {
    if (this.latency === 0) return;
    for (let c = 0; c < this.channelCount; c++) this.lines[c].process(channels[c], channels[c], frames, this.latency);
  }

  reset(): void {
    for (const line of this.lines) line.reset();
  }

  /** A pure delay: unit magnitude, phase −2πf·d/fs. */
  response(frequencyHz: number): { magnitude: number; phase: number } {
    return { magnitude: 1, phase: (-2 * Math.PI * frequencyHz * this.latency) / this.sampleRate };
  }
}

export const createPureDelay = (sampleRate: number, channelCount: number, params?: Partial<PureDelayParams>) => new PureDelay(sampleRate, channelCount, params);
