// Mono-to-stereo panner with a selectable pan law (the level each side gets at the centre).
// Laws: '-3' constant power, L = cos θ, R = sin θ with θ = (pan + 1)·π/4 (Blumlein sine/cosine law);
// '-6' linear, L = (1 − pan)/2; '-4.5' the geometric mean of the two (the "compromise" law of console and DAW panners).
import { GainPair } from './gain-pair.js';

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
export class Pan extends GainPair<PanParams> {
  constructor(sampleRate: number, channelCount: number, params: Partial<PanParams> = {}) {
    super('pan', sampleRate, channelCount, { ...PAN_DEFAULTS, ...params }, true);
  }

  protected position(params: PanParams): number {
    return clampPan(params.pan);
  }

  protected validate(params: PanParams): void {
    assertPanLaw(params.law);
  }

  protected leftGain(params: PanParams, position: number): number {
    return panGainLeft(params.law, position);
  }

  protected rightGain(params: PanParams, position: number): number {
    return panGainRight(params.law, position);
  }
}

export const createPan = (sampleRate: number, channelCount: number, params?: Partial<PanParams>) => new Pan(sampleRate, channelCount, params);
