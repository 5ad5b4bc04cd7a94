// Algorithmic stereo reverb: pre-delay, a Schroeder all-pass input diffuser (Dattorro 1997 lengths),
// then a 16-line feedback delay network (Jot & Chaigne 1991) with a Hadamard feedback matrix and
// per-line absorption shelves, so the tail decays in decaySeconds below dampingHz and in
// decaySeconds·hfDecayRatio above it. Width is a mid/side gain on the wet signal; mix is dry/wet.
import { assertProcessorShape, type ParametricProcessor } from '../api.js';
import { Smoother } from '../smoothing.js';
import { SchroederAllpass } from './allpass.js';
import { DelayLine, flush as sharedFlush } from './delay-line.js';
import { Fdn, FDN_CHUNK, MAX_MODULATION_SECONDS } from './fdn.js';
import { MAX_SIZE, MIN_SIZE } from './fdn-design.js';
import { requireMonoOrStereo, requireRange } from './range.js';

// Module-local bindings of per-sample helpers: hot loops call them directly, never through a module
// binding (which some loaders compile to a getter call per use).
const flush = sharedFlush;

export interface FdnReverbParams {
  /** RT60 (s) below dampingHz. */
  decaySeconds: number;
  /** Delay before the reverb starts (s), 0..0.5. */
  preDelaySeconds: number;
  /** Room size: scales the FDN line lengths, 0.25..2. */
  size: number;
  /** Corner above which the decay shortens toward decaySeconds·hfDecayRatio (Hz). */
  dampingHz: number;
  /** High-frequency RT60 / decaySeconds, 0.05..1 (1 = no damping). */
  hfDecayRatio: number;
  /** Input diffusion 0..1 (all-pass coefficients 0..0.75). */
  diffusion: number;
  /** Wet stereo width: 0 mono, 1 as generated, up to 2 (side boosted). */
  width: number;
  /** Dry/wet, 0 (dry only) .. 1 (wet only, for a send bus). */
  mix: number;
  /** Rate of the slow line modulation (Hz). */
  modulationRateHz: number;
  /** Peak line-length modulation (s), 0..0.002; 0 (the default) turns it off. */
  modulationDepthSeconds: number;
}

export const FDN_REVERB_DEFAULTS: FdnReverbParams = {
  decaySeconds: 2,
  preDelaySeconds: 0.02,
  size: 1,
  dampingHz: 6000,
  hfDecayRatio: 0.5,
  diffusion: 0.7,
  width: 1,
  mix: 0.25,
  modulationRateHz: 0.5,
  modulationDepthSeconds: 0,
};

const MAX_PRE_DELAY_SECONDS = 0.5;
// Dattorro's input diffusers, 142/107/379/277 samples at 29761 Hz; the right channel's are ~7 % longer.
const DIFFUSER_SECONDS = [142 / 29761, 107 / 29761, 379 / 29761, 277 / 29761];
const DIFFUSER_GAINS = [0.75, 0.75, 0.625, 0.625];
/** Wet level: a mono source's 2 s tail has about the energy of its input (÷4 undoes the unscaled Hadamard taps). */
const OUTPUT_GAIN = 0.2 / 4;
const PRE_DELAY_GLIDE_SECONDS = 0.05;

function validate(p: FdnReverbParams): void {
  const name = 'fdn-reverb';
  requireRange(name, 'decaySeconds', p.decaySeconds, 0.1, 30);
  requireRange(name, 'preDelaySeconds', p.preDelaySeconds, 0, MAX_PRE_DELAY_SECONDS);
  requireRange(name, 'size', p.size, MIN_SIZE, MAX_SIZE);
  requireRange(name, 'dampingHz', p.dampingHz, 100, 40000);
  requireRange(name, 'hfDecayRatio', p.hfDecayRatio, 0.05, 1);
  requireRange(name, 'diffusion', p.diffusion, 0, 1);
  requireRange(name, 'width', p.width, 0, 2);
  requireRange(name, 'mix', p.mix, 0, 1);
  requireRange(name, 'modulationRateHz', p.modulationRateHz, 0.01, 5);
  requireRange(name, 'modulationDepthSeconds', p.modulationDepthSeconds, 0, MAX_MODULATION_SECONDS);
}

export class FdnReverb implements ParametricProcessor<FdnReverbParams> {
  /** The dry path is not delayed; the wet path is a tail, not a delayed copy. */
  readonly latency = 0;
  private current: FdnReverbParams;
  private readonly fdn: Fdn;
  private readonly preDelay: DelayLine[];
  private readonly diffusers: SchroederAllpass[][];
  private readonly mix: Smoother;
  private readonly width: Smoother;
  private readonly diffusion: Smoother;
  private readonly preDelaySamples: Smoother;
  // Chunk scratch (preallocated): diffused input and the two wet taps.
  private readonly inL = new Float64Array(FDN_CHUNK);
  private readonly inR = new Float64Array(FDN_CHUNK);
  private readonly wetL = new Float64Array(FDN_CHUNK);
  private readonly wetR = new Float64Array(FDN_CHUNK);

  constructor(private readonly sampleRate: number, private readonly channelCount: number, params: Partial<FdnReverbParams> = {}) {
    assertProcessorShape('fdn-reverb', sampleRate, channelCount);
    requireMonoOrStereo('fdn-reverb', channelCount);
    this.current = { ...FDN_REVERB_DEFAULTS, ...params };
    validate(this.current);
    this.fdn = new Fdn(sampleRate, this.current);
    this.preDelay = [0, 1].map(() => new DelayLine(Math.ceil(MAX_PRE_DELAY_SECONDS * sampleRate) + 2));
    this.diffusers = [1, 1.07].map((stretch) => DIFFUSER_SECONDS.map((s) => new SchroederAllpass(Math.round(s * stretch * sampleRate))));
    this.mix = new Smoother(sampleRate, 0);
    this.width = new Smoother(sampleRate, 0);
    this.diffusion = new Smoother(sampleRate, 0);
    this.preDelaySamples = new Smoother(sampleRate, 0, PRE_DELAY_GLIDE_SECONDS);
    this.reset();
  }

  get params(): Readonly<FdnReverbParams> {
    return this.current;
  }

  set(params: Partial<FdnReverbParams>): void {
    const next = { ...this.current, ...params };
    validate(next);
    this.current = next;
    this.fdn.configure(next, false);
    this.setTargets(false);
  }

  reset(): void {
    this.fdn.clear();
    this.fdn.configure(this.current, true);
    for (const line of this.preDelay) line.clear();
    for (const chain of this.diffusers) for (const a of chain) a.clear();
    this.setTargets(true);
  }

  private setTargets(jump: boolean): void {
    const p = this.current;
    const targets: [Smoother, number][] = [
      [this.mix, p.mix],
      [this.width, p.width],
      [this.diffusion, p.diffusion],
      [this.preDelaySamples, p.preDelaySeconds * this.sampleRate],
    ];
    for (const [smoother, value] of targets) if (jump) smoother.jump(value); else smoother.setTarget(value);
  }

  process(channels: Float32Array[], frames: number): void {
    const stereo = this.channelCount === 2;
    const left = channels[0];
    const right = stereo ? channels[1] : channels[0];
    const { inL, inR, wetL, wetR } = this;
    const [diffuseL, diffuseR] = this.diffusers;
    const [preL, preR] = this.preDelay;
    for (let start = 0; start < frames; start += this.fdn.maxChunk) {
      const count = Math.min(this.fdn.maxChunk, frames - start);
      // Pre-delay (linear interpolation: glides when changed), then four all-passes per channel.
      for (let k = 0; k < count; k++) {
        const diffusion = this.diffusion.next();
        const delay = this.preDelaySamples.next() + 1;
        preL.write(left[start + k]);
        preR.write(right[start + k]);
        let xL = preL.linear(delay);
        let xR = preR.linear(delay);
        for (let a = 0; a < 4; a++) {
          const g = diffusion * DIFFUSER_GAINS[a];
          xL = diffuseL[a].process(xL, g);
          xR = diffuseR[a].process(xR, g);
        }
        inL[k] = xL;
        inR[k] = xR;
      }
      this.fdn.process(inL, inR, wetL, wetR, count);
      // Width on the wet mid/side, then dry/wet; the wet part is flushed so a dying tail ends in exact zeros.
      for (let k = 0; k < count; k++) {
        const i = start + k;
        const mix = this.mix.next();
        const width = this.width.next();
        const mid = 0.5 * (wetL[k] + wetR[k]);
        const side = 0.5 * (wetL[k] - wetR[k]) * width;
        const gain = mix * OUTPUT_GAIN;
        const dry = 1 - mix;
        if (stereo) {
          left[i] = left[i] * dry + flush((mid + side) * gain);
          right[i] = right[i] * dry + flush((mid - side) * gain);
        } else {
          left[i] = left[i] * dry + flush(mid * gain);
        }
      }
    }
  }
}

export const createFdnReverb = (sampleRate: number, channelCount: number, params?: Partial<FdnReverbParams>) =>
  new FdnReverb(sampleRate, channelCount, params);
