// Balance for stereo sources: the centre is unity and turning towards one side attenuates only the
// other. Laws for the attenuated side at |balance| = b: 'linear' 1 − b (−6 dB at b = 0.5);
// 'sine' cos(b·π/2) (−3 dB at b = 0.5, the constant-power curve applied to one side).
import { GainPair } from './gain-pair.js';

export type BalanceLaw = 'linear' | 'sine';

export const BALANCE_LAWS: readonly BalanceLaw[] = ['linear', 'sine'];

export interface BalanceParams {
  /** −1 keeps only the left channel, 0 leaves both at unity, +1 keeps only the right (clamped). */
  balance: number;
  law: BalanceLaw;
}

export const BALANCE_DEFAULTS: BalanceParams = { balance: 0, law: 'linear' };

const clampBalance = (b: number) => (b < -1 ? -1 : b > 1 ? 1 : b);

/** Gain of the left channel at `balance`; the right gain is balanceGainLeft(law, −balance). */
export function balanceGainLeft(law: BalanceLaw, balance: number): number {
  const b = clampBalance(balance);
  if (b <= 0) return 1;
  if (b === 1) return 0;
  return law === 'linear' ? 1 - b : Math.cos((b * Math.PI) / 2);
}

export function balanceGainRight(law: BalanceLaw, balance: number): number {
  return balanceGainLeft(law, -balance);
}

export function assertBalanceLaw(law: string): asserts law is BalanceLaw {
  if (!BALANCE_LAWS.includes(law as BalanceLaw)) throw new RangeError(`balance law must be one of ${BALANCE_LAWS.join(', ')}, got ${law}`);
}

/** Stereo balance (channelCount 2); changes are smoothed per sample. */
export class Balance extends GainPair<BalanceParams> {
  constructor(sampleRate: number, channelCount: number, params: Partial<BalanceParams> = {}) {
    super('balance', sampleRate, channelCount, { ...BALANCE_DEFAULTS, ...params }, false);
  }

  protected position(params: BalanceParams): number {
    return clampBalance(params.balance);
  }

  protected validate(params: BalanceParams): void {
    assertBalanceLaw(params.law);
  }

  protected leftGain(params: BalanceParams, position: number): number {
    return balanceGainLeft(params.law, position);
  }

  protected rightGain(params: BalanceParams, position: number): number {
    return balanceGainRight(params.law, position);
  }
}

export const createBalance = (sampleRate: number, channelCount: number, params?: Partial<BalanceParams>) => new Balance(sampleRate, channelCount, params);
