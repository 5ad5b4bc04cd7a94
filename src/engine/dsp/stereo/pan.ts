// Mono-to-stereo panner with a selectable pan law (the level each side gets at the centre).
// Laws: '-3' constant power, L = cos θ, R = sin θ with θ = (pan + 1)·π/4 (Blumlein sine/cosine law);
// '-6' linear, L = (1 − pan)/2; '-4.5' the geometric mean of the two (the "compromise" law of console and DAW panners).
import { assertProcessorShape, type ParametricProcessor } from '../api.js';
import { Smoother } from '../smoothing.js';

export type PanLaw = '-3' | '-4.5' | '-6';

export const PAN_LAWS: readonly PanLaw[] = ['-3', '-4.5', '-6'];

export interface PanParams {
  /** Position: −1 hard left, 0 centre, +1 hard right (clamped). */
  pan: number;
  /** Level of each side at the centre, in dB. */
  law: PanLaw;
}

export const PAN_DEFAULTS: PanParams = { pan: 0, law: '-3' };

const clampPan = (pan: number) => (pan < -1 ? -1 : pan > 1 ? 1 : pan);

/** Gain of the left output for a mono source at `pan`; the right gain is panGainLeft(law, −pan). */
export function panGainLeft(law: PanLaw, pan: number): number {
  const p = clampPan(pan);
  if (p === 1) return 0; // cos(π/2) is 6e-17, not 0: hard right must silence the left exactly.
  const linear = (1 - p) / 2;
  if (law === '-6') return linear;
  const power = Math.cos(((p + 1) * Math.PI) / 4);
  return law === '-3' ? power : Math.sqrt(power * linear);
}

export function panGainRight(law: PanLaw, pan: number): number {
  return panGainLeft(law, -pan);
}

export function assertPanLaw(law: string): asserts law is PanLaw {
  if (!PAN_LAWS.includes(law as PanLaw)) throw new RangeError(`pan law must be one of ${PAN_LAWS.join(', ')}, got ${law}`);
}

/**
 * Pans the mono signal in channel 0 to channels 0 (L) and 1 (R). Construct with channelCount 2;
 * channel 1's input is ignored (overwritten). Position changes are smoothed per sample.
 */
export class Pan implements ParametricProcessor<PanParams> {
  readonly latency = 0;
  private current: PanParams;
  private readonly smoother: Smoother;
  private gainLeft = 0;
  private gainRight = 0;

  constructor(sampleRate: number, channelCount: number, params: Partial<PanParams> = {}) {
    assertProcessorShape('pan', sampleRate, channelCount);
    if (channelCount !== 2) throw new RangeError(`pan: writes a stereo pair, channel count must be 2, got ${channelCount}`);
    this.current = { ...PAN_DEFAULTS, ...params };
    assertPanLaw(this.current.law);
    this.smoother = new Smoother(sampleRate, clampPan(this.current.pan));
    this.updateGains(this.smoother.current);
  }

  get params(): Readonly<PanParams> {
    return this.current;
  }

  set(params: Partial<PanParams>): void {
    const next = { ...this.current, ...params };
    assertPanLaw(next.law);
    this.current = next;
    this.smoother.setTarget(clampPan(next.pan));
    // A law change is a switch, not a ramp: it applies from the next sample.
    this.updateGains(this.smoother.current);
  }

  private updateGains(pan: number): void {
    this.gainLeft = panGainLeft(this.current.law, pan);
    this.gainRight = panGainRight(this.current.law, pan);
  }

  process(channels: Float32Array[], frames: number): void {
    const left = channels[0];
    const right = channels[1];
    if (!this.smoother.smoothing) {
      const gl = this.gainLeft;
      const gr = this.gainRight;
      for (let i = 0; i < frames; i++) {
        const x = left[i];
        left[i] = x * gl;
        right[i] = x * gr;
      }
      return;
    }
    for (let i = 0; i < frames; i++) {
      this.updateGains(this.smoother.next());
      const x = left[i];
      left[i] = x * this.gainLeft;
      right[i] = x * this.gainRight;
    }
  }

  reset(): void {
    this.smoother.jump(clampPan(this.current.pan));
    this.updateGains(this.smoother.current);
  }
}

export const createPan = (sampleRate: number, channelCount: number, params?: Partial<PanParams>) => new Pan(sampleRate, channelCount, params);
