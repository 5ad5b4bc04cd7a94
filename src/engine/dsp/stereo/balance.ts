// Balance for stereo sources: the centre is unity and turning towards one side attenuates only the
// other. Laws for the attenuated side at |balance| = b: 'linear' 1 − b (−6 dB at b = 0.5);
// 'sine' cos(b·π/2) (−3 dB at b = 0.5, the constant-power curve applied to one side).
import { assertProcessorShape, type ParametricProcessor } from '../api.js';
import { Smoother } from '../smoothing.js';

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
export class Balance implements ParametricProcessor<BalanceParams> {
  readonly latency = 0;
  private current: BalanceParams;
  private readonly smoother: Smoother;
  private gainLeft = 1;
  private gainRight = 1;

  constructor(sampleRate: number, channelCount: number, params: Partial<BalanceParams> = {}) {
    assertProcessorShape('balance', sampleRate, channelCount);
    if (channelCount !== 2) throw new RangeError(`balance: needs a stereo pair, channel count must be 2, got ${channelCount}`);
    this.current = { ...BALANCE_DEFAULTS, ...params };
    assertBalanceLaw(this.current.law);
    this.smoother = new Smoother(sampleRate, clampBalance(this.current.balance));
    this.updateGains(this.smoother.current);
  }

  get params(): Readonly<BalanceParams> {
    return this.current;
  }

  set(params: Partial<BalanceParams>): void {
    const next = { ...this.current, ...params };
    assertBalanceLaw(next.law);
    this.current = next;
    this.smoother.setTarget(clampBalance(next.balance));
    this.updateGains(this.smoother.current);
  }

  private updateGains(balance: number): void {
    this.gainLeft = balanceGainLeft(this.current.law, balance);
    this.gainRight = balanceGainRight(this.current.law, balance);
  }

  process(channels: Float32Array[], frames: number): void {
    const left = channels[0];
    const right = channels[1];
    if (!this.smoother.smoothing) {
      const gl = this.gainLeft;
      const gr = this.gainRight;
      if (gl !== 1) for (let i = 0; i < frames; i++) left[i] *= gl;
      if (gr !== 1) for (let i = 0; i < frames; i++) right[i] *= gr;
      return;
    }
    for (let i = 0; i < frames; i++) {
      this.updateGains(this.smoother.next());
      left[i] *= this.gainLeft;
      right[i] *= this.gainRight;
    }
  }

  reset(): void {
    this.smoother.jump(clampBalance(this.current.balance));
    this.updateGains(this.smoother.current);
  }
}

export const createBalance = (sampleRate: number, channelCount: number, params?: Partial<BalanceParams>) => new Balance(sampleRate, channelCount, params);
