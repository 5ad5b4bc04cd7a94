// Per-channel delay (alignment of mics, Haas widening): each channel is delayed by its own time, in
// samples or seconds, fractional allowed (4-point Lagrange, exact at integer delays; DelayBuffer).
//
// Latency: a channel delay is the effect itself, not processing delay, so it reports latency = 0 and
// the graph does not compensate it (even when every channel is delayed by the same amount; use
// utility/pure-delay.ts for a delay the graph should compensate). Changes glide per sample (a short
// Doppler-like pitch bend while moving), so automation is block-size invariant.
import { assertProcessorShape, type ParametricProcessor } from '../api.js';
import { DelayBuffer } from '../utility/delay-buffer.js';
import { Smoother } from '../smoothing.js';

export interface ChannelDelayParams {
  /** Delay per channel in samples (fractional allowed; missing entries = 0). */
  delaysSamples: number[];
}

/** What the constructor and set() accept: delays in samples or in seconds (seconds win if both). */
export interface ChannelDelayOptions extends ChannelDelayParams {
  delaysSeconds: number[];
  /** Longest delay set() may ask for, seconds (the buffer is sized at construction); default 1 s or the initial delays. */
  maxDelaySeconds: number;
}

export const CHANNEL_DELAY_DEFAULTS: ChannelDelayParams = { delaysSamples: [] };

const DEFAULT_MAX_DELAY_SECONDS = 1;
/** Glide time constant when a delay changes, seconds. */
const GLIDE_SECONDS = 0.02;

export class ChannelDelay implements ParametricProcessor<ChannelDelayParams> {
  readonly latency = 0;
  readonly maxDelaySamples: number;
  private current: ChannelDelayParams;
  private readonly lines: DelayBuffer[];
  private readonly smoothers: Smoother[];

  constructor(private readonly sampleRate: number, private readonly channelCount: number, options: Partial<ChannelDelayOptions> = {}) {
    assertProcessorShape('channel delay', sampleRate, channelCount);
    const initial = this.toSamples(options);
    const longest = Math.max(0, ...initial);
    this.maxDelaySamples = Math.ceil(Math.max(longest, (options.maxDelaySeconds ?? DEFAULT_MAX_DELAY_SECONDS) * sampleRate));
    this.current = { delaysSamples: this.validated(initial) };
    this.lines = Array.from({ length: channelCount }, () => new DelayBuffer(this.maxDelaySamples));
    this.smoothers = Array.from({ length: channelCount }, (_, c) => new Smoother(sampleRate, this.current.delaysSamples[c], GLIDE_SECONDS));
  }

  private toSamples(options: Partial<ChannelDelayOptions>): number[] {
    // Snap to whole samples within 1e-9 so e.g. 1 ms at 48 kHz is an exact 48-sample copy.
    const snap = (d: number) => (Math.abs(d - Math.round(d)) < 1e-9 ? Math.round(d) : d);
    if (options.delaysSeconds) return options.delaysSeconds.map((s) => snap(s * this.sampleRate));
    return options.delaysSamples ?? this.current?.delaysSamples ?? CHANNEL_DELAY_DEFAULTS.delaysSamples;
  }

  private validated(delays: number[]): number[] {
    return Array.from({ length: this.channelCount }, (_, c) => {
      const d = delays[c] ?? 0;
      if (!(d >= 0 && d <= (this.maxDelaySamples ?? Infinity))) {
        throw new RangeError(`channel delay: channel ${c} delay ${d} samples is outside 0–${this.maxDelaySamples}`);
      }
      return d;
    });
  }

  get params(): Readonly<ChannelDelayParams> {
    return this.current;
  }

  set(options: Partial<ChannelDelayOptions>): void {
    this.current = { delaysSamples: this.validated(this.toSamples(options)) };
    for (let c = 0; c < this.channelCount; c++) this.smoothers[c].setTarget(this.current.delaysSamples[c]);
  }

  process(channels: Float32Array[], frames: number): void {
    for (let c = 0; c < this.channelCount; c++) {
      const x = channels[c];
      const line = this.lines[c];
      const smoother = this.smoothers[c];
      const steady = !smoother.smoothing;
      const delay = smoother.current;
      if (steady && Number.isInteger(delay)) {
        line.process(x, x, frames, delay);
        continue;
      }
      for (let i = 0; i < frames; i++) {
        line.push(x[i]);
        x[i] = line.tapFractional(steady ? delay : smoother.next());
      }
    }
  }

  reset(): void {
    for (let c = 0; c < this.channelCount; c++) {
      this.lines[c].reset();
      this.smoothers[c].jump(this.current.delaysSamples[c]);
    }
  }
}

export const createChannelDelay = (sampleRate: number, channelCount: number, options?: Partial<ChannelDelayOptions>) => new ChannelDelay(sampleRate, channelCount, options);
