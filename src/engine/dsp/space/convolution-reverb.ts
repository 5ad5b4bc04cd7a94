// Convolution reverb with impulse responses generated in code (decaying, frequency-dependent
// stereo noise with early reflections; convolution/reverb-impulse.ts), run through the two-stage
// partitioned convolver. The mono sum of the input feeds one decorrelated IR per output channel;
// width is a mid/side gain on the wet signal; mix is dry/wet. Zero latency (see HEAD_PARTITION_FRAMES).
import { assertProcessorShape, type LinearProcessor, type ParametricProcessor } from '../api.js';
import { Smoother } from '../smoothing.js';
import { PartitionedConvolver } from '../convolution/partitioned-convolver.js';
import { generateReverbImpulse, validateReverbImpulseOptions } from '../convolution/reverb-impulse.js';
import { requireMonoOrStereo, requireRange } from './range.js';

export interface ConvolutionReverbParams {
  /** RT60 (s) below 4 kHz, 0.1..10. */
  decaySeconds: number;
  /** Delay before the first reflection (s), 0..0.5; at least HEAD_PARTITION_FRAMES frames in effect. */
  preDelaySeconds: number;
  /** 0..1: how much faster high frequencies die (0 none; 1 decay time ~ 1/f above 4 kHz). */
  damping: number;
  /** Wet stereo width: 0 mono, 1 as generated, up to 2 (side boosted). */
  width: number;
  /** Dry/wet, 0 (dry only) .. 1 (wet only, for a send bus). */
  mix: number;
}

export const CONVOLUTION_REVERB_DEFAULTS: ConvolutionReverbParams = { decaySeconds: 2, preDelaySeconds: 0.02, damping: 0.5, width: 1, mix: 0.25 };

/**
 * First-stage partition of the convolver. The convolver delays by this much, and the IR's first
 * this-many frames (pre-delay silence) are dropped to compensate, so the wet path is exact and the
 * reverb declares zero latency. Pre-delays shorter than this (5.8 ms at 44.1 kHz) are lengthened to it.
 */
export const HEAD_PARTITION_FRAMES = 256;
/**
 * Second-stage partition for the rest of the tail. With the SIMD multiply-accumulate, 4096 edges out
 * 2048 and 8192 by 5-10 % on a 1.2 s IR (bench/convolution.mjs; the first 3840 frames run in 256s).
 */
const TAIL_PARTITION_FRAMES = 4096;
const CHUNK_FRAMES = 1024;
const SMOOTHING_SECONDS = 0.02;

function validate(p: ConvolutionReverbParams): void {
  const name = 'convolution-reverb';
  requireRange(name, 'decaySeconds', p.decaySeconds, 0.1, 10);
  requireRange(name, 'preDelaySeconds', p.preDelaySeconds, 0, 0.5);
  requireRange(name, 'damping', p.damping, 0, 1);
  requireRange(name, 'width', p.width, 0, 2);
  requireRange(name, 'mix', p.mix, 0, 1);
}

/**
 * Changing decaySeconds, preDelaySeconds or damping regenerates the impulse response in set() (it
 * allocates there, never in process) and restarts the tail; width and mix glide per sample.
 */
export class ConvolutionReverb implements ParametricProcessor<ConvolutionReverbParams>, LinearProcessor {
  readonly latency = 0;
  private current: ConvolutionReverbParams;
  private irs: Float32Array[] = [];
  private convolver!: PartitionedConvolver;
  private readonly wet: Float32Array[];
  private readonly mix: Smoother;
  private readonly width: Smoother;

  constructor(private readonly sampleRate: number, private readonly channelCount: number, params: Partial<ConvolutionReverbParams> = {}) {
    assertProcessorShape('convolution-reverb', sampleRate, channelCount);
    requireMonoOrStereo('convolution-reverb', channelCount);
    this.current = { ...CONVOLUTION_REVERB_DEFAULTS, ...params };
    validate(this.current);
    this.wet = Array.from({ length: channelCount }, () => new Float32Array(CHUNK_FRAMES));
    this.mix = new Smoother(sampleRate, this.current.mix, SMOOTHING_SECONDS);
    this.width = new Smoother(sampleRate, this.current.width, SMOOTHING_SECONDS);
    this.build();
  }

  get params(): Readonly<ConvolutionReverbParams> {
    return this.current;
  }

  /** The impulse response of each channel in use, pre-delay included (unit energy each). */
  get impulseResponses(): readonly Float32Array[] {
    return this.irs;
  }

  set(params: Partial<ConvolutionReverbParams>): void {
    const next = { ...this.current, ...params };
    validate(next);
    const rebuild = next.decaySeconds !== this.current.decaySeconds || next.preDelaySeconds !== this.current.preDelaySeconds || next.damping !== this.current.damping;
    this.current = next;
    this.mix.setTarget(next.mix);
    this.width.setTarget(next.width);
    if (rebuild) this.build();
  }

  process(channels: Float32Array[], frames: number): void {
    const stereo = this.channelCount === 2;
    for (let start = 0; start < frames; start += CHUNK_FRAMES) {
      const n = Math.min(CHUNK_FRAMES, frames - start);
      const left = channels[0], right = stereo ? channels[1] : channels[0];
      const wetL = this.wet[0], wetR = stereo ? this.wet[1] : this.wet[0];
      for (let i = 0; i < n; i++) {
        const mono = stereo ? 0.5 * (left[start + i] + right[start + i]) : left[start + i];
        wetL[i] = mono;
        wetR[i] = mono;
      }
      this.convolver.process(this.wet, n);
      if (!this.mix.smoothing && !this.width.smoothing) {
        // Settled parameters: the same arithmetic with constants (Smoother.next() would return them).
        const mix = this.mix.current, dry = 1 - mix, halfWidth = 0.5 * this.width.current;
        if (stereo) {
          for (let i = 0; i < n; i++) {
            const mid = 0.5 * (wetL[i] + wetR[i]), side = halfWidth * (wetL[i] - wetR[i]);
            left[start + i] = dry * left[start + i] + mix * (mid + side);
            right[start + i] = dry * right[start + i] + mix * (mid - side);
          }
        } else {
          for (let i = 0; i < n; i++) left[start + i] = dry * left[start + i] + mix * wetL[i];
        }
        continue;
      }
      for (let i = 0; i < n; i++) {
        const mix = this.mix.next(), width = this.width.next();
        if (stereo) {
          const mid = 0.5 * (wetL[i] + wetR[i]), side = 0.5 * width * (wetL[i] - wetR[i]);
          left[start + i] = (1 - mix) * left[start + i] + mix * (mid + side);
          right[start + i] = (1 - mix) * right[start + i] + mix * (mid - side);
        } else {
          left[start + i] = (1 - mix) * left[start + i] + mix * wetL[i];
        }
      }
    }
  }

  reset(): void {
    this.convolver.reset();
    this.mix.jump(this.current.mix);
    this.width.jump(this.current.width);
  }

  /**
   * Transfer from channel 0's input to channel 0's output at `frequencyHz` with the target mix and
   * width (the other input channel silent): (1 - mix) + mix/2 · (mid + width · side) of the IRs.
   */
  response(frequencyHz: number): { magnitude: number; phase: number } {
    const w = (2 * Math.PI * frequencyHz) / this.sampleRate;
    const { mix, width } = this.current;
    const left = this.irs[0], right = this.irs[this.channelCount - 1];
    const stereo = this.channelCount === 2;
    let re = 1 - mix, im = 0;
    for (let i = 0; i < left.length; i++) {
      const h = stereo ? 0.5 * (0.5 * (left[i] + right[i]) + 0.5 * width * (left[i] - right[i])) : left[i];
      re += mix * h * Math.cos(w * i);
      im -= mix * h * Math.sin(w * i);
    }
    return { magnitude: Math.hypot(re, im), phase: Math.atan2(im, re) };
  }

  private build(): void {
    const { decaySeconds, damping } = this.current;
    const preDelaySeconds = Math.max(this.current.preDelaySeconds, HEAD_PARTITION_FRAMES / this.sampleRate);
    validateReverbImpulseOptions({ decaySeconds, preDelaySeconds, damping });
    this.irs = generateReverbImpulse(this.sampleRate, this.channelCount, { decaySeconds, preDelaySeconds, damping });
    this.convolver = new PartitionedConvolver(this.sampleRate, this.channelCount, {
      impulseResponses: this.irs.map((h) => h.subarray(HEAD_PARTITION_FRAMES)),
      partitionFrames: HEAD_PARTITION_FRAMES,
      tailPartitionFrames: TAIL_PARTITION_FRAMES,
    });
  }
}

export const createConvolutionReverb = (sampleRate: number, channelCount: number, params?: Partial<ConvolutionReverbParams>) =>
  new ConvolutionReverb(sampleRate, channelCount, params);
