// The shell Pan and Balance share: a stereo pair of gains that follow one smoothed position
// (per sample, so output never depends on block boundaries), with a law chosen by the subclass.
import { assertProcessorShape, type ParametricProcessor } from '../api.js';
import { Smoother } from '../smoothing.js';

export abstract class GainPair<P extends object> implements ParametricProcessor<P> {
  readonly latency = 0;
  private current: P;
  private readonly smoother: Smoother;
  private gainLeft = 1;
  private gainRight = 1;

  /** @param monoSource true: channel 0 is the source and both outputs are written (a panner). */
  protected constructor(name: string, sampleRate: number, channelCount: number, params: P, private readonly monoSource: boolean) {
    assertProcessorShape(name, sampleRate, channelCount);
    if (channelCount !== 2) throw new RangeError(`${name}: works on a stereo pair, channel count must be 2, got ${channelCount}`);
    this.validate(params);
    this.current = params;
    this.smoother = new Smoother(sampleRate, this.position(params));
    this.updateGains(this.smoother.current);
  }

  /** The clamped position (−1..1) the gains follow. */
  protected abstract position(params: P): number;
  /** Throws a RangeError for parameters the subclass does not accept. */
  protected abstract validate(params: P): void;
  protected abstract leftGain(params: P, position: number): number;
  protected abstract rightGain(params: P, position: number): number;

  get params(): Readonly<P> {
    return this.current;
  }

  set(params: Partial<P>): void {
    const next = { ...this.current, ...params };
    this.validate(next);
    this.current = next;
    this.smoother.setTarget(this.position(next));
    // A law change is a switch, not a ramp: it applies from the next sample.
    this.updateGains(this.smoother.current);
  }

  private updateGains(position: number): void {
    this.gainLeft = this.leftGain(this.current, position);
    this.gainRight = this.rightGain(this.current, position);
  }

  process(channels: Float32Array[], frames: number): void {
    const left = channels[0];
    const right = channels[1];
    if (!this.smoother.smoothing) {
      const gl = this.gainLeft;
      const gr = this.gainRight;
      if (this.monoSource) {
        for (let i = 0; i < frames; i++) {
          const x = left[i];
          left[i] = x * gl;
          right[i] = x * gr;
        }
      } else {
        if (gl !== 1) for (let i = 0; i < frames; i++) left[i] *= gl;
        if (gr !== 1) for (let i = 0; i < frames; i++) right[i] *= gr;
      }
      return;
    }
    for (let i = 0; i < frames; i++) {
      this.updateGains(this.smoother.next());
      const x = left[i];
      left[i] = x * this.gainLeft;
      right[i] = (this.monoSource ? x : right[i]) * this.gainRight;
    }
  }

  reset(): void {
    this.smoother.jump(this.position(this.current));
    this.updateGains(this.smoother.current);
  }
}
