// Noise gate / downward expander. The gate opens when the detector (sample peak, linked across
// channels, or an external key) reaches openThresholdDb, stays open while it keeps reaching
// closeThresholdDb (hysteresis) and closes holdSeconds after the last sample that did. Closed, it
// attenuates by rangeDb (ratio ∞) or expands below the open threshold by (T − x)·(ratio − 1), at
// most rangeDb. The attenuation (log domain) opens with the attack and closes with the release time
// constant (63 % points); look-ahead delays the audio so the gate is open when a transient arrives.
import { assertProcessorShape, type GainReductionMeter, type ParametricProcessor, type SidechainProcessor } from '../api.js';
import { branch, onePoleCoefficient } from './envelope.js';
import { DB_PER_LOG2, fastExp2, fastLog2, LOG2_PER_DB, max2 } from './fast-math.js';
import { LookaheadGain } from './lookahead.js';

export interface GateParams {
  /** Peak level (dBFS) at which a closed gate opens. */
  openThresholdDb: number;
  /** Peak level (dBFS, ≤ open) that keeps an open gate open; the gap is the hysteresis. */
  closeThresholdDb: number;
  /** Expansion ratio below the open threshold when closed (Infinity: a gate, always rangeDb). */
  ratio: number;
  /** Largest attenuation, dB (the floor of the closed gate). */
  rangeDb: number;
  /** Time constant of opening (63 % of the way in dB). */
  attackSeconds: number;
  /** How long the gate stays open after the last sample at or above the close threshold. */
  holdSeconds: number;
  /** Time constant of closing (63 % of the way in dB). */
  releaseSeconds: number;
  /** Audio delay so the gate opens ahead of transients; sets `latency`; fixed at construction. */
  lookaheadSeconds: number;
}

export const GATE_DEFAULTS: GateParams = {
  openThresholdDb: -40, closeThresholdDb: -46, ratio: Infinity, rangeDb: 80,
  attackSeconds: 0.0005, holdSeconds: 0.02, releaseSeconds: 0.1, lookaheadSeconds: 0,
};

const CHUNK = 256;

export function validateGateParams(p: GateParams): void {
  const fail = (what: string) => { throw new RangeError(`gate: ${what}`); };
  if (!Number.isFinite(p.openThresholdDb)) fail(`openThresholdDb must be finite, got ${p.openThresholdDb}`);
  if (!(p.closeThresholdDb <= p.openThresholdDb)) fail(`closeThresholdDb must be <= openThresholdDb, got ${p.closeThresholdDb}`);
  if (!(p.ratio > 1)) fail(`ratio must be > 1, got ${p.ratio}`);
  if (!(p.rangeDb >= 0 && p.rangeDb <= 200)) fail(`rangeDb must be 0-200, got ${p.rangeDb}`);
  if (!(p.attackSeconds >= 0 && p.attackSeconds <= 10)) fail(`attackSeconds must be 0-10, got ${p.attackSeconds}`);
  if (!(p.holdSeconds >= 0 && p.holdSeconds <= 10)) fail(`holdSeconds must be 0-10, got ${p.holdSeconds}`);
  if (!(p.releaseSeconds >= 0 && p.releaseSeconds <= 60)) fail(`releaseSeconds must be 0-60, got ${p.releaseSeconds}`);
  if (!(p.lookaheadSeconds >= 0 && p.lookaheadSeconds <= 0.1)) fail(`lookaheadSeconds must be 0-0.1, got ${p.lookaheadSeconds}`);
}

export class Gate implements ParametricProcessor<GateParams>, SidechainProcessor, GainReductionMeter {
  readonly latency: number;
  gainReductionDb = 0;
  maxGainReductionDb = 0;
  private current: GateParams;
  // Derived from the parameters (log2 units for levels and attenuation).
  private openLinear = 0;
  private closeLinear = 0;
  private openLog2 = 0;
  private expansion = Infinity;
  private range = 0;
  private attack = 0;
  private release = 0;
  private holdFrames = 0;
  // State.
  private open = false;
  private sinceAbove = 0;
  private attenuation: number;
  private readonly output: LookaheadGain;
  private readonly levels = new Float64Array(CHUNK);
  private readonly gains = [new Float32Array(CHUNK)];
  private blockAttenuation = 0;

  constructor(private readonly sampleRate: number, private readonly channelCount: number, params: Partial<GateParams> = {}) {
    assertProcessorShape('gate', sampleRate, channelCount);
    this.current = { ...GATE_DEFAULTS, ...params };
    validateGateParams(this.current);
    this.latency = Math.round(this.current.lookaheadSeconds * sampleRate);
    this.output = new LookaheadGain(channelCount, this.latency);
    this.derive();
    this.attenuation = this.range;
  }

  get params(): Readonly<GateParams> {
    return this.current;
  }

  set(params: Partial<GateParams>): void {
    const next = { ...this.current, ...params };
    validateGateParams(next);
    if (Math.round(next.lookaheadSeconds * this.sampleRate) !== this.latency) {
      throw new RangeError('gate: lookaheadSeconds is fixed at construction (it sets the latency)');
    }
    this.current = next;
    // New thresholds act from the next sample; the attenuation still glides with attack/release.
    this.derive();
  }

  process(channels: Float32Array[], frames: number): void {
    this.blockAttenuation = 0;
    for (let start = 0; start < frames; start += CHUNK) this.run(channels, start, Math.min(CHUNK, frames - start), channels);
    this.meter();
  }

  processWithSidechain(channels: Float32Array[], sidechain: Float32Array[], frames: number): void {
    if (sidechain.length === 0) throw new RangeError('gate: the sidechain has no channels');
    this.blockAttenuation = 0;
    for (let start = 0; start < frames; start += CHUNK) this.run(channels, start, Math.min(CHUNK, frames - start), sidechain);
    this.meter();
  }

  reset(): void {
    this.open = false;
    this.sinceAbove = 0;
    this.attenuation = this.range;
    this.output.reset();
    this.gainReductionDb = 0;
    this.maxGainReductionDb = 0;
  }

  private derive(): void {
    const p = this.current;
    this.openLinear = Math.pow(10, p.openThresholdDb / 20);
    this.closeLinear = Math.pow(10, p.closeThresholdDb / 20);
    this.openLog2 = p.openThresholdDb * LOG2_PER_DB;
    this.expansion = p.ratio - 1;
    this.range = p.rangeDb * LOG2_PER_DB;
    this.attack = onePoleCoefficient(this.sampleRate, p.attackSeconds);
    this.release = onePoleCoefficient(this.sampleRate, p.releaseSeconds);
    this.holdFrames = Math.round(p.holdSeconds * this.sampleRate);
  }

  private meter(): void {
    this.gainReductionDb = this.blockAttenuation * DB_PER_LOG2;
    if (this.gainReductionDb > this.maxGainReductionDb) this.maxGainReductionDb = this.gainReductionDb;
  }

  private run(out: Float32Array[], start: number, n: number, detect: Float32Array[]): void {
    const levels = this.levels, gains = this.gains[0];
    // Detector: the loudest channel's |x| (or the key's).
    for (let c = 0; c < detect.length; c++) {
      const x = detect[c];
      if (c === 0) for (let i = 0; i < n; i++) levels[i] = Math.abs(x[start + i]);
      else for (let i = 0; i < n; i++) levels[i] = max2(levels[i], Math.abs(x[start + i]));
    }
    const openLinear = this.openLinear, closeLinear = this.closeLinear, holdFrames = this.holdFrames;
    const range = this.range, expansion = this.expansion, openLog2 = this.openLog2;
    const attack = this.attack, release = this.release;
    let open = this.open, sinceAbove = this.sinceAbove, a = this.attenuation, largest = this.blockAttenuation;
    let unity = true, lastAttenuation = -1, lastGain = 1;
    for (let i = 0; i < n; i++) {
      const v = levels[i];
      if (open) {
        if (v >= closeLinear) sinceAbove = 0;
        else if (++sinceAbove > holdFrames) open = false;
      } else if (v >= openLinear) {
        open = true;
        sinceAbove = 0;
      }
      let target = 0;
      if (!open) {
        target = range;
        if (expansion !== Infinity) {
          const expand = (openLog2 - fastLog2(v)) * expansion;
          if (expand < range) target = expand > 0 ? expand : 0;
        }
      }
      // Opening (attenuation falling) with the attack pole, closing with the release pole.
      a = branch(a, target, release, attack);
      if (a < 1e-9) a = 0;
      if (a > largest) largest = a;
      if (a !== 0) unity = false;
      // A settled gate repeats the same attenuation: reuse its gain.
      if (a !== lastAttenuation) { lastAttenuation = a; lastGain = a === 0 ? 1 : fastExp2(-a); }
      gains[i] = lastGain;
    }
    this.open = open;
    this.sinceAbove = sinceAbove;
    this.attenuation = a;
    this.blockAttenuation = largest;
    this.output.apply(out, start, n, this.gains, true, unity);
  }
}

export const createGate = (sampleRate: number, channelCount: number, params?: Partial<GateParams>) => new Gate(sampleRate, channelCount, params);
