// Split-band de-esser: a band-pass (or high-pass) around frequencyHz is the detector; a Linkwitz-
// Riley LR4 split at splitHz (two cascaded Butterworth low-passes / high-passes, as in
// filters/crossover.ts) divides the audio, and a compressor keyed by the detector turns down only
// the high band, by at most rangeDb. The LR4 bands are in phase and sum to an all-pass, so without
// reduction the magnitude response is flat (the phase is the split's all-pass), and with reduction
// g it is |L| + g·|H|, falling smoothly from 1 below the split to g above. The split is built from
// Biquad processors rather than the Crossover class so that splitHz glides like any other
// parameter (and a 2-band split runs ~3× faster that way).
import { assertProcessorShape, DENORMAL_FLOOR, type GainReductionMeter, type ParametricProcessor } from '../api.js';
import { Biquad, biquadCoefficients, biquadResponse } from '../filters/biquad.js';
import { Compressor, type CompressorParams } from './compressor.js';

export type SibilanceDetector = 'bandPass' | 'highPass';

export interface DeEsserParams {
  /** Centre (bandPass) or corner (highPass) of the detector filter, Hz. */
  frequencyHz: number;
  detector: SibilanceDetector;
  /** Q of the detector filter (bandPass: bandwidth ≈ frequencyHz / q). */
  detectorQ: number;
  /** Crossover frequency: only the band above it is turned down. */
  splitHz: number;
  /** RMS level (dBFS) of the detector band where reduction starts. */
  thresholdDb: number;
  ratio: number;
  /** Largest reduction of the high band, dB. */
  rangeDb: number;
  attackSeconds: number;
  releaseSeconds: number;
  /** 1: all channels share the reduction; 0: independent. */
  stereoLink: number;
}

export const DE_ESSER_DEFAULTS: DeEsserParams = {
  frequencyHz: 6500, detector: 'bandPass', detectorQ: 1, splitHz: 4500, thresholdDb: -30, ratio: 4, rangeDb: 6,
  attackSeconds: 0.001, releaseSeconds: 0.06, stereoLink: 1,
};

/** Time constant of the detector's RMS (short: sibilants last 50-200 ms). */
export const DE_ESSER_RMS_SECONDS = 0.005;
const CHUNK = 256;

export function validateDeEsserParams(p: DeEsserParams, sampleRate: number): void {
  const nyquistLimit = 0.45 * sampleRate;
  const fail = (what: string) => { throw new RangeError(`de-esser: ${what}`); };
  if (!(p.frequencyHz > 0 && p.frequencyHz < nyquistLimit)) fail(`frequencyHz must be in (0, ${nyquistLimit}), got ${p.frequencyHz}`);
  if (!(p.splitHz > 0 && p.splitHz < nyquistLimit)) fail(`splitHz must be in (0, ${nyquistLimit}), got ${p.splitHz}`);
  if (p.detector !== 'bandPass' && p.detector !== 'highPass') fail(`unknown detector ${String(p.detector)}`);
  if (!(p.detectorQ > 0 && p.detectorQ <= 20)) fail(`detectorQ must be in (0, 20], got ${p.detectorQ}`);
  if (!(p.rangeDb >= 0 && p.rangeDb <= 40)) fail(`rangeDb must be 0-40, got ${p.rangeDb}`);
}

function compressorParams(p: DeEsserParams): Partial<CompressorParams> {
  return {
    thresholdDb: p.thresholdDb, ratio: p.ratio, kneeDb: 0, rangeDb: p.rangeDb, attackSeconds: p.attackSeconds, releaseSeconds: p.releaseSeconds,
    stereoLink: p.stereoLink, detector: 'rms', rmsWindowSeconds: DE_ESSER_RMS_SECONDS,
  };
}

export class DeEsser implements ParametricProcessor<DeEsserParams>, GainReductionMeter {
  readonly latency = 0;
  gainReductionDb = 0;
  maxGainReductionDb = 0;
  private current: DeEsserParams;
  /** Low-pass, low-pass, high-pass, high-pass: the LR4 pair. */
  private readonly split: Biquad[];
  private readonly detectorFilter: Biquad;
  private readonly compressor: Compressor;
  private readonly low: Float32Array[];
  private readonly high: Float32Array[];
  private readonly key: Float32Array[];

  constructor(private readonly sampleRate: number, private readonly channelCount: number, params: Partial<DeEsserParams> = {}) {
    assertProcessorShape('de-esser', sampleRate, channelCount);
    const p = (this.current = { ...DE_ESSER_DEFAULTS, ...params });
    validateDeEsserParams(p, sampleRate);
    this.split = (['lowPass', 'lowPass', 'highPass', 'highPass'] as const).map((type) => new Biquad(sampleRate, channelCount, { type, frequencyHz: p.splitHz, q: Math.SQRT1_2 }));
    this.detectorFilter = new Biquad(sampleRate, channelCount, { type: p.detector, frequencyHz: p.frequencyHz, q: p.detectorQ });
    this.compressor = new Compressor(sampleRate, channelCount, compressorParams(p));
    const buffers = () => Array.from({ length: channelCount }, () => new Float32Array(CHUNK));
    this.low = buffers();
    this.high = buffers();
    this.key = buffers();
  }

  get params(): Readonly<DeEsserParams> {
    return this.current;
  }

  set(params: Partial<DeEsserParams>): void {
    const next = { ...this.current, ...params };
    validateDeEsserParams(next, this.sampleRate);
    this.compressor.set(compressorParams(next));
    this.detectorFilter.set({ type: next.detector, frequencyHz: next.frequencyHz, q: next.detectorQ });
    for (const filter of this.split) filter.set({ frequencyHz: next.splitHz });
    this.current = next;
  }

  process(channels: Float32Array[], frames: number): void {
    const low = this.low, high = this.high, key = this.key, count = this.channelCount;
    let largest = 0;
    for (let start = 0; start < frames; start += CHUNK) {
      const n = Math.min(CHUNK, frames - start);
      for (let c = 0; c < count; c++) {
        const x = channels[c], l = low[c], h = high[c], k = key[c];
        for (let i = 0; i < n; i++) { const v = x[start + i]; l[i] = v; h[i] = v; k[i] = v; }
      }
      this.detectorFilter.process(key, n);
      this.split[0].process(low, n);
      this.split[1].process(low, n);
      this.split[2].process(high, n);
      this.split[3].process(high, n);
      this.compressor.processWithSidechain(high, key, n);
      if (this.compressor.gainReductionDb > largest) largest = this.compressor.gainReductionDb;
      for (let c = 0; c < count; c++) {
        const x = channels[c], l = low[c], h = high[c];
        for (let i = 0; i < n; i++) {
          const v = l[i] + h[i];
          // The bands are flushed, but their sum can cancel to a denormal.
          x[start + i] = v < DENORMAL_FLOOR && v > -DENORMAL_FLOOR ? 0 : v;
        }
      }
    }
    this.gainReductionDb = largest;
    if (largest > this.maxGainReductionDb) this.maxGainReductionDb = largest;
  }

  reset(): void {
    for (const filter of this.split) filter.reset();
    this.detectorFilter.reset();
    this.compressor.reset();
    this.gainReductionDb = 0;
    this.maxGainReductionDb = 0;
  }

  /** Magnitude of the response at `frequencyHz` for a high-band reduction of `reductionDb`: |L| + g·|H| (the bands are in phase). */
  magnitudeAt(frequencyHz: number, reductionDb: number): number {
    const section = (type: 'lowPass' | 'highPass') =>
      biquadResponse(biquadCoefficients(this.sampleRate, { type, frequencyHz: this.current.splitHz, q: Math.SQRT1_2, gainDb: 0 }), frequencyHz, this.sampleRate).magnitude ** 2;
    return section('lowPass') + Math.pow(10, -reductionDb / 20) * section('highPass');
  }
}

export const createDeEsser = (sampleRate: number, channelCount: number, params?: Partial<DeEsserParams>) => new DeEsser(sampleRate, channelCount, params);
