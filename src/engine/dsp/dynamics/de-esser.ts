// Split-band de-esser: a band-pass (or high-pass) around frequencyHz is the detector; a Linkwitz-
// Riley LR4 split at splitHz (two cascaded Butterworth low-passes / high-passes, as in
// filters/crossover.ts) divides the audio, and a compressor keyed by the detector turns down only
// the high band, by at most rangeDb. The LR4 bands are in phase and sum to an all-pass, so without
// reduction the magnitude response is flat (the phase is the split's all-pass), and with reduction
// g it is |L| + g·|H|, falling smoothly from 1 below the split to g above. The split is built from
// Biquad processors rather than the Crossover class so that splitHz glides like any other
// parameter (and a 2-band split runs ~3× faster that way).
import { assertProcessorShape, DENORMAL_FLOOR as SHARED_DENORMAL_FLOOR, type GainReductionMeter, type ParametricProcessor } from '../api.js';
import { Biquad, biquadCoefficients, biquadResponse } from '../filters/biquad.js';
import { Compressor, type CompressorParams } from './compressor.js';

/** A module-local copy: hot loops read a constant, not a module binding (a getter call under some loaders). */
const DENORMAL_FLOOR = SHARED_DENORMAL_FLOOR;

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
      const fused = this.detectorFilter.settled && this.split[0].settled && this.split[1].settled && this.split[2].settled && this.split[3].settled;
      if (!fused) {
        for (let c = 0; c < count; c++) {
          const x = channels[c], l = low[c], h = high[c], k = key[c];
          for (let i = 0; i < n; i++) { const v = x[start + i]; l[i] = v; h[i] = v; k[i] = v; }
        }
      }
      if (fused) {
        this.fusedFilters(channels, start, n);
      } else {
        this.detectorFilter.process(key, n);
        this.split[0].process(low, n);
        this.split[1].process(low, n);
        this.split[2].process(high, n);
        this.split[3].process(high, n);
      }
      this.compressor.processWithSidechain(high, key, n);
      if (this.compressor.gainReductionDb > largest) largest = this.compressor.gainReductionDb;
      for (let c = 0; c < count; c++) {
        const x = channels[c], l = low[c], h = high[c];
        for (let i = 0; i < n; i++) {
          const v = l[i] + h[i];
          // The bands are flushed, but their sum can cancel to a denormal.
          x[start + i] = Math.abs(v) < DENORMAL_FLOOR ? 0 : v;
        }
      }
    }
    this.gainReductionDb = largest;
    if (largest > this.maxGainReductionDb) this.maxGainReductionDb = largest;
  }

  /**
   * The detector filter and the LR4 pair (low-pass², high-pass²) of channels[·][start, start + n) into
   * key, low and high in one loop per channel, while none of the five biquads glides: the same
   * arithmetic on the same state arrays as Biquad.process(), so the output is identical.
   */
  private fusedFilters(channels: Float32Array[], start: number, n: number): void {
    const d = this.detectorFilter.fusedCoefficients, lp1 = this.split[0].fusedCoefficients, lp2 = this.split[1].fusedCoefficients;
    const hp1 = this.split[2].fusedCoefficients, hp2 = this.split[3].fusedCoefficients;
    const ds = this.detectorFilter.fusedState, l1s = this.split[0].fusedState, l2s = this.split[1].fusedState;
    const h1s = this.split[2].fusedState, h2s = this.split[3].fusedState;
    for (let c = 0; c < this.channelCount; c++) {
      const x = channels[c], l = this.low[c], h = this.high[c], k = this.key[c], o = 4 * c;
      detectorLoop(d, ds, o, x, start, k, n);
      lr4Loop(lp1, lp2, hp1, hp2, l1s, l2s, h1s, h2s, o, x, start, l, h, n);
    }
    this.detectorFilter.skipSettled(n);
    for (let f = 0; f < 4; f++) this.split[f].skipSettled(n);
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

/** One biquad (coefficients k, state at o) over x[start, start + n) into y[0, n): Biquad's arithmetic. */
function detectorLoop(k: Float64Array, s: Float64Array, o: number, x: Float32Array, start: number, y: Float32Array, n: number): void {
  const b0 = k[0], b1 = k[1], b2 = k[2], a1 = k[3], a2 = k[4];
  let x1 = s[o], x2 = s[o + 1], y1 = s[o + 2], y2 = s[o + 3];
  for (let i = 0; i < n; i++) {
    const v = x[start + i];
    let out = (b0 * v + b1 * x1 + b2 * x2 - a2 * y2) - a1 * y1;
    if (Math.abs(out) < DENORMAL_FLOOR) out = 0;
    x2 = x1; x1 = v; y2 = y1; y1 = out;
    y[i] = out;
  }
  s[o] = x1; s[o + 1] = x2; s[o + 2] = y1; s[o + 3] = y2;
}

/**
 * Two cascaded low-passes into low, two cascaded high-passes into high, all from x. Each biquad's
 * output passes through Float32 (the buffer between two Biquad.process() calls) before the next one.
 */
function lr4Loop(
  p: Float64Array, q: Float64Array, r: Float64Array, t: Float64Array,
  ps: Float64Array, qs: Float64Array, rs: Float64Array, ts: Float64Array, o: number,
  x: Float32Array, start: number, low: Float32Array, high: Float32Array, n: number,
): void {
  const pb0 = p[0], pb1 = p[1], pb2 = p[2], pa1 = p[3], pa2 = p[4];
  const qb0 = q[0], qb1 = q[1], qb2 = q[2], qa1 = q[3], qa2 = q[4];
  const rb0 = r[0], rb1 = r[1], rb2 = r[2], ra1 = r[3], ra2 = r[4];
  const tb0 = t[0], tb1 = t[1], tb2 = t[2], ta1 = t[3], ta2 = t[4];
  let px1 = ps[o], px2 = ps[o + 1], py1 = ps[o + 2], py2 = ps[o + 3];
  let qx1 = qs[o], qx2 = qs[o + 1], qy1 = qs[o + 2], qy2 = qs[o + 3];
  let rx1 = rs[o], rx2 = rs[o + 1], ry1 = rs[o + 2], ry2 = rs[o + 3];
  let tx1 = ts[o], tx2 = ts[o + 1], ty1 = ts[o + 2], ty2 = ts[o + 3];
  for (let i = 0; i < n; i++) {
    const v = x[start + i];
    let a = (pb0 * v + pb1 * px1 + pb2 * px2 - pa2 * py2) - pa1 * py1;
    if (Math.abs(a) < DENORMAL_FLOOR) a = 0;
    px2 = px1; px1 = v; py2 = py1; py1 = a;
    const a32 = Math.fround(a);
    let b = (qb0 * a32 + qb1 * qx1 + qb2 * qx2 - qa2 * qy2) - qa1 * qy1;
    if (Math.abs(b) < DENORMAL_FLOOR) b = 0;
    qx2 = qx1; qx1 = a32; qy2 = qy1; qy1 = b;
    low[i] = b;
    let e = (rb0 * v + rb1 * rx1 + rb2 * rx2 - ra2 * ry2) - ra1 * ry1;
    if (Math.abs(e) < DENORMAL_FLOOR) e = 0;
    rx2 = rx1; rx1 = v; ry2 = ry1; ry1 = e;
    const e32 = Math.fround(e);
    let f = (tb0 * e32 + tb1 * tx1 + tb2 * tx2 - ta2 * ty2) - ta1 * ty1;
    if (Math.abs(f) < DENORMAL_FLOOR) f = 0;
    tx2 = tx1; tx1 = e32; ty2 = ty1; ty1 = f;
    high[i] = f;
  }
  ps[o] = px1; ps[o + 1] = px2; ps[o + 2] = py1; ps[o + 3] = py2;
  qs[o] = qx1; qs[o + 1] = qx2; qs[o + 2] = qy1; qs[o + 3] = qy2;
  rs[o] = rx1; rs[o + 1] = rx2; rs[o + 2] = ry1; rs[o + 3] = ry2;
  ts[o] = tx1; ts[o + 1] = tx2; ts[o + 2] = ty1; ts[o + 3] = ty2;
}

export const createDeEsser = (sampleRate: number, channelCount: number, params?: Partial<DeEsserParams>) => new DeEsser(sampleRate, channelCount, params);
