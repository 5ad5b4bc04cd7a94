// Linear-phase EQ in mid/side: one curve for M = (L+R)/2 and another for S = (L−R)/2, so tone and
// per-band width can be set apart (how mastering EQs and Matchering's side FIR match a reference).
// Both FIRs share one length, so mid and side stay aligned, and run in one two-channel partitioned
// convolver (mid kernel on M, side kernel on S: the FFT work is shared). A side without a curve gets a
// unit impulse at the centre, i.e. a pure delay. Mono input: the mid curve on the one channel.
import { assertProcessorShape, type LinearProcessor } from '../api.js';
import { PartitionedConvolver } from '../convolution/partitioned-convolver.js';
import { curveGainDb, LINEAR_PHASE_PARTITION_FRAMES, linearPhaseKernel, linearPhaseTaps, normalizeCurve, type CurvePoint } from '../filters/linear-phase-eq.js';
import { decodeMidSide, encodeMidSide } from './mid-side.js';

export interface MidSideEqOptions {
  midCurve: CurvePoint[];
  /** Null: the side passes unchanged (delayed to stay aligned). Ignored for mono input. */
  sideCurve: CurvePoint[] | null;
}

export class MidSideEq implements LinearProcessor {
  readonly latency: number;
  readonly taps: number;
  readonly midCurve: readonly CurvePoint[];
  readonly sideCurve: readonly CurvePoint[] | null;
  private readonly midKernel: Float64Array;
  private readonly convolver: PartitionedConvolver;

  constructor(private readonly sampleRate: number, private readonly channelCount: number, options: MidSideEqOptions) {
    assertProcessorShape('mid/side EQ', sampleRate, channelCount);
    if (channelCount > 2) throw new RangeError(`mid/side EQ: needs mono or stereo, got ${channelCount} channels`);
    const midCurve = normalizeCurve(options.midCurve);
    const sideCurve = channelCount === 2 && options.sideCurve ? normalizeCurve(options.sideCurve) : null;
    this.midCurve = midCurve;
    this.sideCurve = sideCurve;
    this.taps = Math.max(linearPhaseTaps(sampleRate, midCurve), sideCurve ? linearPhaseTaps(sampleRate, sideCurve) : 0);
    this.midKernel = linearPhaseKernel(sampleRate, midCurve, this.taps);
    const impulseResponses: Float64Array[] = [this.midKernel];
    if (channelCount === 2) {
      let side: Float64Array;
      if (sideCurve) side = linearPhaseKernel(sampleRate, sideCurve, this.taps);
      else { side = new Float64Array(this.taps); side[(this.taps - 1) / 2] = 1; }
      impulseResponses.push(side);
    }
    this.convolver = new PartitionedConvolver(sampleRate, channelCount, { impulseResponses, partitionFrames: LINEAR_PHASE_PARTITION_FRAMES });
    this.latency = (this.taps - 1) / 2 + this.convolver.latency;
  }

  process(channels: Float32Array[], frames: number): void {
    if (this.channelCount === 1) {
      this.convolver.process(channels, frames);
      return;
    }
    const [left, right] = channels;
    encodeMidSide(left, right, left, right, frames);
    this.convolver.process(channels, frames);
    decodeMidSide(left, right, left, right, frames);
  }

  reset(): void {
    this.convolver.reset();
  }

  /** The side curve's target gain at `frequencyHz` (0 dB without a side curve). */
  sideTargetGainDb(frequencyHz: number): number {
    return this.sideCurve ? curveGainDb(this.sideCurve as CurvePoint[], frequencyHz) : 0;
  }

  /** Response of the mid path (what a centred source hears), latency included. */
  response(frequencyHz: number): { magnitude: number; phase: number } {
    const w = (2 * Math.PI * frequencyHz) / this.sampleRate;
    const centre = (this.taps - 1) / 2;
    let amplitude = this.midKernel[centre];
    for (let n = 1; n <= centre; n++) amplitude += 2 * this.midKernel[centre + n] * Math.cos(w * n);
    const phase = -w * this.latency + (amplitude < 0 ? Math.PI : 0);
    return { magnitude: Math.abs(amplitude), phase: Math.atan2(Math.sin(phase), Math.cos(phase)) };
  }
}

export const createMidSideEq = (sampleRate: number, channelCount: number, options: MidSideEqOptions) =>
  new MidSideEq(sampleRate, channelCount, options);
