// Stereo chorus (after Dattorro, "Effect Design Part 2: Delay-Line Modulation and Chorus", JAES 1997):
// up to three copies of the input, each read from a delay line whose length is swept by a sine LFO,
// the voices 120° apart and each channel's LFO offset by stereoPhaseDegrees (90° = quadrature).
// The LFO is a renormalised rotation, so the output is deterministic and identical for any block size.
import { assertProcessorShape, type ParametricProcessor } from '../api.js';
import { Smoother } from '../smoothing.js';
import { DelayLine } from './delay-line.js';
import { QuadratureOscillator } from './quadrature-oscillator.js';
import { requireRange } from './range.js';

export interface ChorusParams {
  /** LFO rate (Hz). */
  rateHz: number;
  /** Peak sweep of each voice's delay around delaySeconds (s). */
  depthSeconds: number;
  /** Centre delay of the voices (s); must exceed depthSeconds by at least 1 ms. */
  delaySeconds: number;
  /** Number of voices, 1..3 (120° apart on the LFO). */
  voices: number;
  /** LFO phase offset between channels (degrees): 90 = quadrature, 180 = opposite. */
  stereoPhaseDegrees: number;
  /** Dry/wet, 0..1 (0.5 gives the classic chorus). */
  mix: number;
}

export const CHORUS_DEFAULTS: ChorusParams = {
  rateHz: 0.8,
  depthSeconds: 0.002,
  delaySeconds: 0.012,
  voices: 3,
  stereoPhaseDegrees: 90,
  mix: 0.5,
};

const MAX_VOICES = 3;
const MAX_DELAY_SECONDS = 0.05;

function validate(p: ChorusParams): void {
  requireRange('chorus', 'rateHz', p.rateHz, 0.01, 20);
  requireRange('chorus', 'delaySeconds', p.delaySeconds, 0.002, MAX_DELAY_SECONDS);
  requireRange('chorus', 'depthSeconds', p.depthSeconds, 0, p.delaySeconds - 0.001);
  if (!Number.isInteger(p.voices)) throw new RangeError(`chorus: voices must be an integer, got ${p.voices}`);
  requireRange('chorus', 'voices', p.voices, 1, MAX_VOICES);
  requireRange('chorus', 'stereoPhaseDegrees', p.stereoPhaseDegrees, 0, 360);
  requireRange('chorus', 'mix', p.mix, 0, 1);
}

export class Chorus implements ParametricProcessor<ChorusParams> {
  readonly latency = 0;
  private current: ChorusParams;
  private readonly lines: DelayLine[];
  private readonly rate: Smoother;
  private readonly depth: Smoother;
  private readonly centre: Smoother;
  private readonly stereoPhase: Smoother;
  private readonly mix: Smoother;
  private readonly voiceGain: Smoother[];
  // sin(θ + offset) = sin θ·cos(offset) + cos θ·sin(offset), per channel × voice.
  private readonly offsetCos: Float64Array;
  private readonly offsetSin: Float64Array;
  private offsetDegrees = NaN;
  private readonly lfo: QuadratureOscillator;

  constructor(private readonly sampleRate: number, private readonly channelCount: number, params: Partial<ChorusParams> = {}) {
    assertProcessorShape('chorus', sampleRate, channelCount);
    this.current = { ...CHORUS_DEFAULTS, ...params };
    validate(this.current);
    this.lines = Array.from({ length: channelCount }, () => new DelayLine(Math.ceil(MAX_DELAY_SECONDS * sampleRate) + 2));
    this.lfo = new QuadratureOscillator(sampleRate);
    this.rate = new Smoother(sampleRate, 0);
    this.depth = new Smoother(sampleRate, 0);
    this.centre = new Smoother(sampleRate, 0);
    this.stereoPhase = new Smoother(sampleRate, 0);
    this.mix = new Smoother(sampleRate, 0);
    this.voiceGain = Array.from({ length: MAX_VOICES }, () => new Smoother(sampleRate, 0));
    this.offsetCos = new Float64Array(channelCount * MAX_VOICES);
    this.offsetSin = new Float64Array(channelCount * MAX_VOICES);
    this.reset();
  }

  get params(): Readonly<ChorusParams> {
    return this.current;
  }

  set(params: Partial<ChorusParams>): void {
    const next = { ...this.current, ...params };
    validate(next);
    this.current = next;
    this.setTargets(false);
  }

  reset(): void {
    for (const line of this.lines) line.clear();
    this.lfo.reset();
    this.setTargets(true);
  }

  private setTargets(jump: boolean): void {
    const p = this.current;
    const targets: [Smoother, number][] = [
      [this.rate, p.rateHz],
      [this.depth, p.depthSeconds * this.sampleRate],
      [this.centre, p.delaySeconds * this.sampleRate],
      [this.stereoPhase, p.stereoPhaseDegrees],
      [this.mix, p.mix],
      ...this.voiceGain.map((g, v): [Smoother, number] => [g, v < p.voices ? 1 / p.voices : 0]),
    ];
    for (const [smoother, value] of targets) if (jump) smoother.jump(value); else smoother.setTarget(value);
  }

  /** Channel c, voice v: LFO offset v·120° + c·stereoPhase (recomputed only while the phase glides). */
  private updateOffsets(degrees: number): void {
    this.offsetDegrees = degrees;
    for (let c = 0; c < this.channelCount; c++) {
      for (let v = 0; v < MAX_VOICES; v++) {
        const radians = ((v * 120 + c * degrees) * Math.PI) / 180;
        this.offsetCos[c * MAX_VOICES + v] = Math.cos(radians);
        this.offsetSin[c * MAX_VOICES + v] = Math.sin(radians);
      }
    }
  }

  process(channels: Float32Array[], frames: number): void {
    const { lines, offsetCos, offsetSin, voiceGain, lfo } = this;
    for (let i = 0; i < frames; i++) {
      lfo.next(this.rate.next());
      const lfoCos = lfo.cos;
      const lfoSin = lfo.sin;
      const phase = this.stereoPhase.next();
      if (phase !== this.offsetDegrees) this.updateOffsets(phase);
      const depth = this.depth.next();
      const centre = this.centre.next();
      const mix = this.mix.next();
      const g0 = voiceGain[0].next();
      const g1 = voiceGain[1].next();
      const g2 = voiceGain[2].next();
      for (let c = 0; c < this.channelCount; c++) {
        const line = lines[c];
        const x = channels[c][i];
        line.write(x);
        // Feed-forward read after the write: delay d is at(d + 1).
        const o = c * MAX_VOICES;
        let wet = 0;
        if (g0 !== 0) wet += g0 * line.cubic(centre + 1 + depth * (lfoSin * offsetCos[o] + lfoCos * offsetSin[o]));
        if (g1 !== 0) wet += g1 * line.cubic(centre + 1 + depth * (lfoSin * offsetCos[o + 1] + lfoCos * offsetSin[o + 1]));
        if (g2 !== 0) wet += g2 * line.cubic(centre + 1 + depth * (lfoSin * offsetCos[o + 2] + lfoCos * offsetSin[o + 2]));
        channels[c][i] = x * (1 - mix) + wet * mix;
      }
    }
  }
}

export const createChorus = (sampleRate: number, channelCount: number, params?: Partial<ChorusParams>) => new Chorus(sampleRate, channelCount, params);
