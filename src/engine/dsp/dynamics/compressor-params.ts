// The compressor's parameters: units, defaults, validation and the derived make-up gain.
import { LOG2_PER_DB } from './fast-math.js';
import { compressorSlope, softKneeReduction } from './gain-computer.js';

export type DetectorMode = 'peak' | 'rms';

export interface CompressorParams {
  /** Level (dBFS; peak or RMS per `detector`) where compression starts (centre of the knee). */
  thresholdDb: number;
  /** Input dB per output dB above the threshold, ≥ 1 (Infinity: limiting). */
  ratio: number;
  /** Width of the quadratic soft knee in dB (0: hard knee). */
  kneeDb: number;
  /** Time constant of a rise of the gain reduction (63 % point). */
  attackSeconds: number;
  /** Time constant of a fall of the gain reduction (63 % point). */
  releaseSeconds: number;
  /** Program-dependent (dual) release: sustained reduction releases up to 8× slower. */
  autoRelease: boolean;
  detector: DetectorMode;
  /** Time constant of the RMS detector's mean square. */
  rmsWindowSeconds: number;
  /** Audio delay so gain changes anticipate the signal; sets `latency`; fixed at construction. */
  lookaheadSeconds: number;
  /** 0: every channel is compressed on its own; 1: all channels share the reduction of the loudest. */
  stereoLink: number;
  /** Corner of a 12 dB/octave high-pass on the detector signal (0: off). */
  sidechainHpfHz: number;
  makeupDb: number;
  /** Largest gain reduction applied, dB (Infinity: unlimited). */
  rangeDb: number;
  /** Adds the static reduction at 0 dBFS to the make-up (the make-up choice discussed by Giannoulis et al. 2012). */
  autoMakeup: boolean;
}

export const COMPRESSOR_DEFAULTS: CompressorParams = {
  thresholdDb: -20, ratio: 4, kneeDb: 6, attackSeconds: 0.01, releaseSeconds: 0.1, autoRelease: false,
  detector: 'peak', rmsWindowSeconds: 0.01, lookaheadSeconds: 0, stereoLink: 1, sidechainHpfHz: 0, makeupDb: 0, rangeDb: Infinity, autoMakeup: false,
};

/** Longest look-ahead accepted. */
export const MAX_LOOKAHEAD_SECONDS = 0.1;

export function validateCompressorParams(p: CompressorParams, sampleRate: number): void {
  const fail = (what: string) => { throw new RangeError(`compressor: ${what}`); };
  if (!Number.isFinite(p.thresholdDb)) fail(`thresholdDb must be finite, got ${p.thresholdDb}`);
  if (!(p.ratio >= 1)) fail(`ratio must be >= 1, got ${p.ratio}`);
  if (!(p.kneeDb >= 0 && p.kneeDb <= 60)) fail(`kneeDb must be 0-60, got ${p.kneeDb}`);
  if (!(p.attackSeconds >= 0 && p.attackSeconds <= 10)) fail(`attackSeconds must be 0-10, got ${p.attackSeconds}`);
  if (!(p.releaseSeconds >= 0 && p.releaseSeconds <= 60)) fail(`releaseSeconds must be 0-60, got ${p.releaseSeconds}`);
  if (!(p.rmsWindowSeconds > 0 && p.rmsWindowSeconds <= 10)) fail(`rmsWindowSeconds must be in (0, 10], got ${p.rmsWindowSeconds}`);
  if (p.detector !== 'peak' && p.detector !== 'rms') fail(`unknown detector ${String(p.detector)}`);
  if (!(p.lookaheadSeconds >= 0 && p.lookaheadSeconds <= MAX_LOOKAHEAD_SECONDS)) fail(`lookaheadSeconds must be 0-${MAX_LOOKAHEAD_SECONDS}, got ${p.lookaheadSeconds}`);
  if (!(p.stereoLink >= 0 && p.stereoLink <= 1)) fail(`stereoLink must be 0-1, got ${p.stereoLink}`);
  if (!(p.sidechainHpfHz === 0 || (p.sidechainHpfHz > 0 && p.sidechainHpfHz < 0.45 * sampleRate))) fail(`sidechainHpfHz must be 0 (off) or in (0, ${0.45 * sampleRate}), got ${p.sidechainHpfHz}`);
  if (!(p.rangeDb >= 0)) fail(`rangeDb must be >= 0, got ${p.rangeDb}`);
  if (!Number.isFinite(p.makeupDb)) fail(`makeupDb must be finite, got ${p.makeupDb}`);
}

/** Total make-up in log2 units: manual plus, with autoMakeup, the static reduction at 0 dBFS. */
export function makeupLog2(p: CompressorParams): number {
  const auto = p.autoMakeup ? Math.min(p.rangeDb, softKneeReduction(0, p.thresholdDb, p.kneeDb, compressorSlope(p.ratio))) : 0;
  return (p.makeupDb + auto) * LOG2_PER_DB;
}
