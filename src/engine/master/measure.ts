// The analysis stage of automatic mastering: one streaming pass that feeds the foundation Analyzer
// (loudness, peaks, stats, spectrum) and, on mid = (L+R)/2 and side = (L-R)/2 of the first two
// channels, the mastering meters: mid/side spectra (long-term and loud sections), low end,
// sibilance, transients, onsets, resonances and clipping. Memory stays flat for any length except
// the foundation's 10 ms loudness series (16 bytes per 10 ms), which the loud sections need.
import { type ChannelLabel, finiteOrNull, powerToDb } from '../audio.js';
import { Analyzer, type PeakSpectrumResult } from '../analysis/analyze.js';
import type { MasterMeasurements } from './api.js';
import { clippingVerdict } from './measure-clipping.js';
import { SIBILANCE_HIGH_HZ, SIBILANCE_LOW_HZ } from './measure-envelope.js';
import { DecisionMeters, type DecisionMetersResult } from './measure-decision.js';
import { findResonances } from './measure-resonances.js';
import { MidSideSpectrum } from './measure-spectrum.js';

export interface MasterAnalyzerOptions {
  sampleRate: number;
  channelLayout: ChannelLabel[];
  /** Expected length in frames, when known: the FFT stride is set once instead of adapting as the file grows. */
  expectedFrames?: number | null;
  /** The foundation's true-peak and spectrum stage runs elsewhere (a worker); finish() then takes its result. */
  externalPeakSpectrum?: boolean;
  /**
   * Only what a report shows of a finished master (loudness, peaks, spectra, stereo, loudness over
   * time): the meters that feed decisions (sibilance, transients, onsets, clipping) are not run and
   * read empty. About a third cheaper.
   */
  reportOnly?: boolean;
  /** The decision meters (measure-decision.ts) run elsewhere (the analysis worker); finish() then takes their result. */
  externalDecisionMeters?: boolean;
}

/** Frames of mid/side worked on at a time; chunks end at absolute multiples, so block sizes never matter. */
const CHUNK_FRAMES = 2048;
/** Short-term loudness is reported every 0.5 s, coarser for files over 1000 s (at most ~2000 points). */
const SHORT_TERM_HOP_SECONDS = 0.5;
const MAX_SHORT_TERM_POINTS = 2000;
/** Loud sections: short-term loudness within this many LU of the loudest 3 s. */
export const LOUD_SECTION_LU = 4;
/** The short-term window (s); a frame is judged by the window centred on it. */
const SHORT_TERM_SECONDS = 3;

/** What the decision meters read when they did not run (a report-only reading). */
const EMPTY_DECISION: DecisionMetersResult = {
  envelope: { shortCrestDb: null, lowShortCrestDb: null, sibilancePeakToMedianDb: null, onsets: 0 },
  plateau: { peak: 0, runs: 0, samples: 0 },
};

export class MasterAnalyzer {
  readonly sampleRate: number;
  readonly channelLayout: ChannelLabel[];
  private readonly base: Analyzer;
  private readonly stereo: boolean;
  private readonly spectrum: MidSideSpectrum;
  /** Null when they run elsewhere or not at all (reportOnly). */
  private readonly decision: DecisionMeters | null;
  private readonly reportOnly: boolean;
  private readonly mid = new Float64Array(CHUNK_FRAMES);
  private readonly side = new Float64Array(CHUNK_FRAMES);
  private midSquares = 0;
  private sideSquares = 0;
  private frames = 0;

  constructor(options: MasterAnalyzerOptions) {
    const { sampleRate, channelLayout } = options;
    if (!(sampleRate > 0)) throw new RangeError(`sample rate must be positive, got ${sampleRate}`);
    if (!(channelLayout.length >= 1)) throw new RangeError('at least one channel is needed');
    this.sampleRate = sampleRate;
    this.channelLayout = channelLayout;
    this.stereo = channelLayout.length >= 2;
    const expectedFrames = options.expectedFrames ?? null;
    this.base = new Analyzer({ sampleRate, channelLayout, keepLoudnessSeries: true, expectedFrames, externalPeakSpectrum: options.externalPeakSpectrum });
    this.spectrum = new MidSideSpectrum(sampleRate, this.stereo, expectedFrames);
    this.reportOnly = options.reportOnly ?? false;
    this.decision = this.reportOnly || options.externalDecisionMeters ? null : new DecisionMeters(sampleRate, channelLayout.length);
  }

  push(channels: Float32Array[], frames: number): void {
    if (channels.length !== this.channelLayout.length) {
      throw new RangeError(`expected ${this.channelLayout.length} channels, got ${channels.length}`);
    }
    this.base.push(channels, frames);
    this.decision?.push(channels, frames);
    const left = channels[0];
    const right = this.stereo ? channels[1] : null;
    const { mid, side } = this;
    let position = 0;
    while (position < frames) {
      const count = Math.min(frames - position, CHUNK_FRAMES - (this.frames % CHUNK_FRAMES));
      // Running totals summed in sample order, so the result does not depend on how blocks are cut.
      let midSquares = this.midSquares, sideSquares = this.sideSquares;
      if (right) {
        for (let i = 0; i < count; i++) {
          const l = left[position + i], r = right[position + i];
          const m = 0.5 * (l + r), s = 0.5 * (l - r);
          mid[i] = m; side[i] = s;
          midSquares += m * m; sideSquares += s * s;
        }
      } else {
        for (let i = 0; i < count; i++) {
          const m = left[position + i];
          mid[i] = m;
          midSquares += m * m;
        }
      }
      this.midSquares = midSquares;
      this.sideSquares = sideSquares;
      this.spectrum.push(mid, right ? side : null, count);
      this.frames += count;
      position += count;
    }
  }

  finish(external?: PeakSpectrumResult, externalDecision?: DecisionMetersResult): MasterMeasurements {
    const base = this.base.finish(external);
    // The 10 ms series stays internal (and a Float64Array): reports get the decimated `shortTerm` below.
    const series = this.base.loudnessSeries();
    const shortTermSeries = series?.shortTermLufs ?? new Float64Array(0);
    const maxShortTerm = base.maxShortTermLufs;
    const isLoud = maxShortTerm === null ? null : (centreSeconds: number): boolean => {
      // Series element k is the 3 s window ending at (k + 1) * 10 ms; take the one centred on the frame.
      const hop = series?.hopSeconds ?? 0.01;
      const last = shortTermSeries.length - 1;
      const first = Math.round(SHORT_TERM_SECONDS / hop) - 1;
      const index = Math.min(last, Math.max(first, Math.round((centreSeconds + SHORT_TERM_SECONDS / 2) / hop) - 1));
      return index >= 0 && shortTermSeries[index] >= maxShortTerm - LOUD_SECTION_LU; // -Infinity (silence) is not loud
    };
    const spectrum = this.spectrum.finish(isLoud, this.stereo && this.sideSquares === 0);
    const decision = this.decision?.finish() ?? externalDecision ?? (this.reportOnly ? EMPTY_DECISION : null);
    if (!decision) throw new Error('MasterAnalyzer: the decision meters ran elsewhere, finish() needs their result');
    const { envelope } = decision;
    const fine = spectrum.midBinPower;
    const rangePower = (lowHz: number, highHz: number): number => {
      let sum = 0;
      const first = Math.max(1, Math.ceil(lowHz / spectrum.binHz));
      const last = Math.min(fine.length - 1, Math.ceil(highHz / spectrum.binHz) - 1);
      for (let k = first; k <= last; k++) sum += fine[k];
      return sum;
    };
    // The audible range only: DC, subsonic rumble and ultrasonic noise are not part of the balance.
    const totalPower = rangePower(20, 20000);
    const ratioDb = (numerator: number, denominator: number): number | null =>
      denominator > 0 ? finiteOrNull(powerToDb(numerator / denominator)) : null;
    const nyquist = this.sampleRate / 2;
    const activeSeconds = Math.max(0, base.durationSeconds - base.headSilenceSeconds - base.tailSilenceSeconds);

    return {
      base,
      mid: spectrum.mid,
      side: spectrum.side,
      midLoud: spectrum.midLoud,
      sideLoud: spectrum.sideLoud,
      sideToMidDb: this.stereo ? ratioDb(this.sideSquares, this.midSquares) : null,
      lowEnd: {
        subRelativeDb: ratioDb(rangePower(20, 60), totalPower),
        bassRelativeDb: ratioDb(rangePower(60, 250), totalPower),
        correlationBelow120Hz: this.stereo ? lowCorrelation(spectrum.lowMidPower, spectrum.lowSidePower, spectrum.lowCross) : null,
        sideToMidBelow120HzDb: this.stereo ? ratioDb(spectrum.lowSidePower, spectrum.lowMidPower) : null,
      },
      sibilance: {
        peakToMedianDb: envelope.sibilancePeakToMedianDb,
        relativeDb: nyquist > SIBILANCE_HIGH_HZ ? ratioDb(rangePower(SIBILANCE_LOW_HZ, SIBILANCE_HIGH_HZ), rangePower(1000, 4000)) : null,
      },
      transients: {
        shortCrestDb: envelope.shortCrestDb,
        lowShortCrestDb: envelope.lowShortCrestDb,
        onsetsPerSecond: activeSeconds > 0 ? envelope.onsets / activeSeconds : 0,
      },
      resonances: totalPower > 0 ? findResonances(fine, spectrum.binHz) : [],
      shortTerm: decimateShortTerm(shortTermSeries, series?.hopSeconds ?? 0.01, base.durationSeconds),
      clipping: clippingVerdict(decision.plateau, base.clippedSamples, base.clippedRuns),
    };
  }
}

/** Measures a whole in-memory Audio. */
export function measureMaster(audio: { sampleRate: number; channels: Float32Array[] }, channelLayout: ChannelLabel[]): MasterMeasurements {
  const frames = audio.channels[0]?.length ?? 0;
  const analyzer = new MasterAnalyzer({ sampleRate: audio.sampleRate, channelLayout, expectedFrames: frames });
  analyzer.push(audio.channels, frames);
  return analyzer.finish();
}

/**
 * Pearson correlation of L = M + S and R = M - S from the mid/side sums: sum L R* = |M|^2 - |S|^2,
 * sum |L|^2 = |M|^2 + |S|^2 + 2 Re(M S*), sum |R|^2 = |M|^2 + |S|^2 - 2 Re(M S*).
 * With bass in only one channel it reads 0 (nothing in common); with none, null.
 */
function lowCorrelation(mid: number, side: number, cross: number): number | null {
  const left = mid + side + 2 * cross;
  const right = mid + side - 2 * cross;
  const scale = mid + side;
  if (!(scale > 0)) return null;
  // A channel under -100 dB of the other counts as silent (rounding leaves ~1e-16 of the sum).
  if (left <= scale * 1e-10 || right <= scale * 1e-10) return 0;
  return Math.max(-1, Math.min(1, (mid - side) / Math.sqrt(left * right)));
}

/** Samples the 10 ms short-term series every `hop` (0.5 s, or coarser so at most ~2000 points remain). */
function decimateShortTerm(series: Float64Array, seriesHopSeconds: number, durationSeconds: number): { hopSeconds: number; lufs: (number | null)[] } {
  const hopSeconds = SHORT_TERM_HOP_SECONDS * Math.max(1, Math.ceil(durationSeconds / (MAX_SHORT_TERM_POINTS * SHORT_TERM_HOP_SECONDS)));
  const step = Math.round(hopSeconds / seriesHopSeconds);
  const lufs: (number | null)[] = [];
  // Element j is the window ending at (j + 1) * hopSeconds, like the foundation's series.
  for (let index = step - 1; index < series.length; index += step) lufs.push(finiteOrNull(series[index]));
  return { hopSeconds, lufs };
}
