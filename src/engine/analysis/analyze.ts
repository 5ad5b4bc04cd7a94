// The analysis stage of the spine: every meter fed from one stream of blocks, summarised as a plain
// object with documented units. Quantities that are undefined (loudness of silence) are null.
import { type ChannelLabel, finiteOrNull, gainToDb, powerToDb } from '../audio.js';
import { LoudnessMeter, type LoudnessSeries } from './loudness-meter.js';
import { SignalStats } from './signal-stats.js';
import { SpectrumAnalyzer, spectrumStrideFor, type BandSpectrum } from './spectrum.js';
import { TruePeakMeter } from './true-peak.js';

export interface AnalyzeOptions {
  sampleRate: number;
  channelLayout: ChannelLabel[];
  /** Keep momentary/short-term loudness every 10 ms, in the result as JSON-ready arrays. */
  series?: boolean;
  /**
   * Keep them only for loudnessSeries() (the meter's Float64Arrays, -Infinity for silence), not in the
   * result: a long file's series as JS arrays of boxed numbers would cost ~24 bytes a value.
   */
  keepLoudnessSeries?: boolean;
  /** Compute the third-octave spectrum and per-band correlation (default true). */
  spectrum?: boolean;
  /** Expected length, when known: the spectrum then averages ~64 frames spread over the file. */
  expectedFrames?: number | null;
}

export interface ChannelMeasurements {
  label: ChannelLabel;
  samplePeakDbfs: number | null;
  truePeakDbtp: number | null;
  /** RMS in dB re full-scale square (sox convention: a full-scale sine reads -3.01). */
  rmsDbfs: number | null;
  crestDb: number | null;
  dcOffset: number;
  clippedSamples: number;
}

export interface Measurements {
  sampleRate: number;
  channels: number;
  channelLayout: ChannelLabel[];
  frames: number;
  durationSeconds: number;
  /** BS.1770-4 gated integrated loudness (LUFS). */
  integratedLufs: number | null;
  /** EBU Tech 3342 loudness range (LU). */
  loudnessRangeLu: number | null;
  /** BS.1770-4 Annex 2 true peak, 4x oversampled (dBTP). */
  truePeakDbtp: number | null;
  samplePeakDbfs: number | null;
  maxMomentaryLufs: number | null;
  maxShortTermLufs: number | null;
  /** Peak-to-loudness ratio: true peak minus integrated loudness (dB). */
  plrDb: number | null;
  /** RMS over all channels (dBFS, sox convention). */
  rmsDbfs: number | null;
  /** Sample peak minus RMS (dB). */
  crestDb: number | null;
  /** Mean sample value of the channel with the largest offset (full scale = 1). */
  dcOffset: number;
  /** Samples in runs of >= 3 consecutive full-scale samples, all channels. */
  clippedSamples: number;
  clippedRuns: number;
  headSilenceSeconds: number;
  tailSilenceSeconds: number;
  /** Pearson correlation of the first two channels (1 = mono, 0 = unrelated, -1 = out of phase); null for mono. */
  correlation: number | null;
  /** Level lost when the first two channels are summed to mono ((L+R)/2), in dB (0 = mono-safe, 3 = unrelated). */
  monoLossDb: number | null;
  spectrum: BandSpectrum | null;
  perChannel: ChannelMeasurements[];
  series?: { hopSeconds: number; momentaryLufs: (number | null)[]; shortTermLufs: (number | null)[] };
}

/**
 * The oversampling and FFT half of the analysis (true peak, spectrum): the costliest meters,
 * kept separable so a host with threads can run them beside the rest (see analyze-file.ts).
 */
export class PeakSpectrumStage {
  private readonly truePeak: TruePeakMeter;
  private readonly spectrum: SpectrumAnalyzer | null;

  constructor(options: AnalyzeOptions) {
    const channelCount = options.channelLayout.length;
    this.truePeak = new TruePeakMeter(channelCount);
    this.spectrum = options.spectrum === false ? null : new SpectrumAnalyzer(
      options.sampleRate, channelCount, options.expectedFrames ? spectrumStrideFor(options.expectedFrames, options.sampleRate) : 1);
  }

  push(channels: Float32Array[], frames: number): void {
    this.truePeak.push(channels, frames);
    this.spectrum?.push(channels, frames);
  }

  finish(): PeakSpectrumResult {
    return { truePeaks: Float64Array.from(this.truePeak.peaks), spectrum: this.spectrum ? this.spectrum.finish() : null };
  }
}

export interface PeakSpectrumResult {
  /** Linear true peak per channel. */
  truePeaks: Float64Array;
  spectrum: BandSpectrum | null;
}

export class Analyzer {
  private readonly options: AnalyzeOptions;
  private readonly loudness: LoudnessMeter;
  private readonly stats: SignalStats;
  /** Null when the caller runs the peak/spectrum stage elsewhere and hands its result to finish(). */
  private readonly peakSpectrum: PeakSpectrumStage | null;

  constructor(options: AnalyzeOptions & { externalPeakSpectrum?: boolean }) {
    this.options = options;
    const channelCount = options.channelLayout.length;
    this.loudness = new LoudnessMeter({ sampleRate: options.sampleRate, channelLayout: options.channelLayout, keepSeries: options.series || options.keepLoudnessSeries });
    this.stats = new SignalStats(channelCount);
    this.peakSpectrum = options.externalPeakSpectrum ? null : new PeakSpectrumStage(options);
  }

  push(channels: Float32Array[], frames: number): void {
    this.loudness.push(channels, frames);
    this.stats.push(channels, frames);
    this.peakSpectrum?.push(channels, frames);
  }

  /** The loudness series every 10 ms so far (views valid until the next push), when kept. */
  loudnessSeries(): LoudnessSeries | null {
    return this.loudness.series();
  }

  finish(external?: PeakSpectrumResult): Measurements {
    const peakSpectrum = external ?? this.peakSpectrum?.finish();
    if (!peakSpectrum) throw new Error('Analyzer.finish needs the peak/spectrum result when that stage runs elsewhere');
    const { truePeaks, spectrum } = peakSpectrum;
    const { sampleRate, channelLayout } = this.options;
    const { stats, loudness } = this;
    const frames = stats.frames;
    const channelCount = channelLayout.length;
    const integrated = loudness.integratedLufs();
    const truePeakDb = gainToDb(Math.max(0, ...truePeaks));
    const samplePeak = Math.max(...stats.peaks);
    let totalSquares = 0;
    for (const s of stats.sumSquares) totalSquares += s;
    const rmsDb = powerToDb(totalSquares / Math.max(1, frames * channelCount));
    const perChannel = channelLayout.map((label, c): ChannelMeasurements => {
      const rms = powerToDb(stats.sumSquares[c] / Math.max(1, frames));
      return {
        label,
        samplePeakDbfs: finiteOrNull(gainToDb(stats.peaks[c])),
        truePeakDbtp: finiteOrNull(gainToDb(truePeaks[c])),
        rmsDbfs: finiteOrNull(rms),
        crestDb: finiteOrNull(gainToDb(stats.peaks[c]) - rms),
        dcOffset: frames ? stats.sums[c] / frames : 0,
        clippedSamples: stats.clippedSamples[c],
      };
    });
    let dcOffset = 0;
    for (const ch of perChannel) if (Math.abs(ch.dcOffset) > Math.abs(dcOffset)) dcOffset = ch.dcOffset;
    let correlation: number | null = null;
    let monoLossDb: number | null = null;
    if (channelCount >= 2) {
      const [l, r] = stats.sumSquares;
      correlation = l > 0 && r > 0 ? stats.crossSum / Math.sqrt(l * r) : null;
      const monoPower = (l + r + 2 * stats.crossSum) / 4;
      monoLossDb = l + r > 0 ? finiteOrNull(powerToDb((l + r) / 2) - powerToDb(monoPower)) : null;
    }
    const result: Measurements = {
      sampleRate,
      channels: channelCount,
      channelLayout,
      frames,
      durationSeconds: frames / sampleRate,
      integratedLufs: finiteOrNull(integrated),
      loudnessRangeLu: Number.isFinite(integrated) ? loudness.loudnessRangeLu() : null,
      truePeakDbtp: finiteOrNull(truePeakDb),
      samplePeakDbfs: finiteOrNull(gainToDb(samplePeak)),
      maxMomentaryLufs: finiteOrNull(loudness.maxMomentaryLufs()),
      maxShortTermLufs: finiteOrNull(loudness.maxShortTermLufs()),
      plrDb: finiteOrNull(truePeakDb - integrated),
      rmsDbfs: finiteOrNull(rmsDb),
      crestDb: finiteOrNull(gainToDb(samplePeak) - rmsDb),
      dcOffset,
      clippedSamples: perChannel.reduce((sum, ch) => sum + ch.clippedSamples, 0),
      clippedRuns: stats.clippedRuns.reduce((sum, n) => sum + n, 0),
      headSilenceSeconds: (stats.firstSoundFrame < 0 ? frames : stats.firstSoundFrame) / sampleRate,
      tailSilenceSeconds: (stats.lastSoundFrame < 0 ? frames : frames - 1 - stats.lastSoundFrame) / sampleRate,
      correlation,
      monoLossDb,
      spectrum,
      perChannel,
    };
    const series = this.options.series ? loudness.series() : null;
    if (series) {
      result.series = {
        hopSeconds: series.hopSeconds,
        momentaryLufs: Array.from(series.momentaryLufs, finiteOrNull),
        shortTermLufs: Array.from(series.shortTermLufs, finiteOrNull),
      };
    }
    return result;
  }
}

/** Analyses a whole in-memory Audio. */
export function analyzeAudio(audio: { sampleRate: number; channels: Float32Array[] }, channelLayout: ChannelLabel[], options: Partial<AnalyzeOptions> = {}): Measurements {
  const analyzer = new Analyzer({ ...options, sampleRate: audio.sampleRate, channelLayout });
  analyzer.push(audio.channels, audio.channels[0]?.length ?? 0);
  return analyzer.finish();
}
