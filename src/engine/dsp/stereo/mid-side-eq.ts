// Linear-phase EQ in mid/side: one curve for M = (L+R)/2 and another for S = (L−R)/2, so tone and
// per-band width can be set apart (how mastering EQs and Matchering's side FIR match a reference).
// Both FIRs share one length, so mid and side stay aligned; a side without a curve is only delayed.
// Mono input: the mid curve on the one channel. Latency declared exactly, like LinearPhaseEq's.
import { assertProcessorShape, type LinearProcessor } from '../api.js';
import { LinearPhaseEq, linearPhaseTaps, normalizeCurve, type CurvePoint } from '../filters/linear-phase-eq.js';
import { PureDelay } from '../utility/pure-delay.js';
import { decodeMidSide, encodeMidSide } from './mid-side.js';

export interface MidSideEqOptions {
  midCurve: CurvePoint[];
  /** Null: the side passes unchanged (delayed to stay aligned). Ignored for mono input. */
  sideCurve: CurvePoint[] | null;
}

export class MidSideEq implements LinearProcessor {
  readonly latency: number;
  readonly mid: LinearPhaseEq;
  readonly side: LinearPhaseEq | null;
  private readonly sideDelay: PureDelay | null;
  private readonly midView: Float32Array[] = [new Float32Array(0)];
  private readonly sideView: Float32Array[] = [new Float32Array(0)];

  constructor(sampleRate: number, private readonly channelCount: number, options: MidSideEqOptions) {
    assertProcessorShape('mid/side EQ', sampleRate, channelCount);
    if (channelCount > 2) throw new RangeError(`mid/side EQ: needs mono or stereo, got ${channelCount} channels`);
    const midCurve = normalizeCurve(options.midCurve);
    const sideCurve = channelCount === 2 && options.sideCurve ? normalizeCurve(options.sideCurve) : null;
    const taps = Math.max(linearPhaseTaps(sampleRate, midCurve), sideCurve ? linearPhaseTaps(sampleRate, sideCurve) : 0);
    this.mid = new LinearPhaseEq(sampleRate, 1, { points: midCurve, taps });
    this.side = sideCurve ? new LinearPhaseEq(sampleRate, 1, { points: sideCurve, taps }) : null;
    this.sideDelay = channelCount === 2 && !this.side ? new PureDelay(sampleRate, 1, { delaySamples: this.mid.latency }) : null;
    this.latency = this.mid.latency;
  }

  process(channels: Float32Array[], frames: number): void {
    if (this.channelCount === 1) {
      this.mid.process(channels, frames);
      return;
    }
    const [left, right] = channels;
    encodeMidSide(left, right, left, right, frames);
    this.midView[0] = left;
    this.sideView[0] = right;
    this.mid.process(this.midView, frames);
    if (this.side) this.side.process(this.sideView, frames);
    else this.sideDelay!.process(this.sideView, frames);
    decodeMidSide(left, right, left, right, frames);
  }

  reset(): void {
    this.mid.reset();
    this.side?.reset();
    this.sideDelay?.reset();
  }

  /** Response of the mid path (what a centred source hears). */
  response(frequencyHz: number): { magnitude: number; phase: number } {
    return this.mid.response(frequencyHz);
  }
}

export const createMidSideEq = (sampleRate: number, channelCount: number, options: MidSideEqOptions) =>
  new MidSideEq(sampleRate, channelCount, options);
