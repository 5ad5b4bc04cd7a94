// Shared types of the mastering family: what mastering analysis measures (MasterMeasurements), and what
// a master report holds (MasterReport). Plain, JSON-serialisable data; silence and undefined
// quantities are null, never NaN.
import type { Measurements } from '../analysis/analyze.js';

/** Third-octave levels in dB re a full-scale sine, on the bands of analysis/bands.ts (20 Hz … 20 kHz). */
export interface BandLevels {
  bandsHz: number[];
  levelDb: (number | null)[];
}

/** A narrow spectral peak that stands out of its neighbourhood (a room mode, a ringing snare, a harsh synth). */
export interface Resonance {
  frequencyHz: number;
  /** How far the peak stands above the smoothed spectrum around it (dB). */
  excessDb: number;
  /** Suggested cut bandwidth as a Q. */
  q: number;
}

export interface MasterMeasurements {
  /** The foundation measurements (loudness, LRA, peaks, stats, third-octave spectrum, correlation). */
  base: Measurements;
  /** Long-term third-octave levels of mid = (L+R)/2 (for mono: the channel). */
  mid: BandLevels;
  /** Long-term third-octave levels of side = (L−R)/2; null for mono. */
  side: BandLevels | null;
  /** Third-octave levels of mid during the loudest sections only (short-term loudness within 4 LU of the
   *  loudest 3 s), which is what a listener judges tone by and what reference matching uses. */
  midLoud: BandLevels;
  /** Same for side; null for mono. */
  sideLoud: BandLevels | null;
  /** Side energy relative to mid energy over the whole spectrum (dB; −∞ → null, mono → null). */
  sideToMidDb: number | null;
  lowEnd: {
    /** Energy 20–60 Hz relative to the whole-spectrum energy of mid (dB). */
    subRelativeDb: number | null;
    /** Energy 60–250 Hz relative to the whole (dB). */
    bassRelativeDb: number | null;
    /** Correlation of L and R below 120 Hz (1 = mono bass); null for mono or silence. */
    correlationBelow120Hz: number | null;
    /** Side/mid energy below 120 Hz (dB); null for mono. */
    sideToMidBelow120HzDb: number | null;
  };
  sibilance: {
    /** 95th percentile minus median of the short-window (10 ms) level of the 5–10 kHz band (dB):
     *  large when sibilants jump out of the top end. */
    peakToMedianDb: number | null;
    /** Long-term 5–10 kHz level relative to 1–4 kHz (dB). */
    relativeDb: number | null;
  };
  transients: {
    /** Median crest (peak minus RMS, dB) of 50 ms windows: low = squashed, high = spiky. */
    shortCrestDb: number | null;
    /** Same measured on the band below 150 Hz (kick/bass punch). */
    lowShortCrestDb: number | null;
    /** Onsets per second (spectral-flux peaks), a tempo-free measure of how busy the rhythm is. */
    onsetsPerSecond: number;
  };
  /** Up to 5 narrow peaks between 80 Hz and 12 kHz, strongest first (finer-than-third-octave analysis). */
  resonances: Resonance[];
  /** Short-term loudness (3 s window) every `hopSeconds`, for reports and section finding. */
  shortTerm: { hopSeconds: number; lufs: (number | null)[] };
  /** Clipping seen in the input: runs of ≥ 3 full-scale samples, or a sample-peak ceiling hit repeatedly. */
  clipping: { clippedSamples: number; clippedRuns: number; likelyClipped: boolean; why: string | null };
}

/** Loudness and peak summary of one signal (before or after mastering, or a delivered file). */
export interface LoudnessSummary {
  integratedLufs: number | null;
  loudnessRangeLu: number | null;
  truePeakDbtp: number | null;
  samplePeakDbfs: number | null;
  plrDb: number | null;
  maxShortTermLufs: number | null;
  correlation: number | null;
  sideToMidDb: number | null;
}

export interface ReportStage {
  kind: string;
  enabled: boolean;
  /** What the stage does in a few words, e.g. "−1.5 dB at 250 Hz, +1 dB shelf at 10 kHz". */
  summary: string;
  why: string;
}

export interface ReportDeliverable {
  /** File name inside the output folder (master.wav, master-16bit.wav, master.flac, master.mp3). */
  file: string;
  format: 'wav' | 'flac' | 'mp3';
  sampleRate: number;
  /** 16 / 24 for PCM; null for MP3. */
  bitDepth: number | null;
  integratedLufs: number | null;
  truePeakDbtp: number | null;
  ceilingDbtp: number;
  /** True peak at or under the ceiling (plus the lossy allowance for MP3). */
  withinCeiling: boolean;
  note: string | null;
}

export interface ReportPlatform {
  id: string;
  name: string;
  playbackGainDb: number;
  truePeakAfterDbtp: number;
  playbackLufs: number;
}

export interface MasterReport {
  schema: 'mixmaster.master-report';
  version: 1;
  title: string;
  inputFile: string;
  durationSeconds: number;
  sampleRate: number;
  target: { id: string; name: string; integratedLufs: number | null; ceilingDbtp: number; plrFloorDb: number; reachedLufs: number | null; why: string };
  before: LoudnessSummary;
  after: LoudnessSummary;
  stages: ReportStage[];
  /** Spectrum before/after (mid, third-octave) and the EQ curves applied (dB on the same bands). */
  spectrum: {
    bandsHz: number[];
    beforeDb: (number | null)[];
    afterDb: (number | null)[];
    /** The target curve the tonal balance aimed at, level-aligned to the input; null when none. */
    targetDb: (number | null)[] | null;
    eqMidDb: number[];
    eqSideDb: number[] | null;
  };
  loudnessOverTime: { hopSeconds: number; beforeShortTermLufs: (number | null)[]; afterShortTermLufs: (number | null)[] };
  /** Limiter gain reduction per hop (dB ≥ 0), with its mean and max. */
  gainReduction: { hopSeconds: number; limiterDb: number[]; maxDb: number; meanDb: number };
  stereo: {
    bandsHz: number[];
    beforeCorrelation: (number | null)[];
    afterCorrelation: (number | null)[];
    beforeSideToMidDb: (number | null)[];
    afterSideToMidDb: (number | null)[];
  } | null;
  platforms: ReportPlatform[];
  deliverables: ReportDeliverable[];
  /** Things the artist should know: targets not reached and why, clipping in the input, codec-safety re-runs. */
  notes: string[];
}

export interface AlbumReportTrack {
  /** Sub-folder of the album output holding this track's master and report. */
  folder: string;
  title: string;
  before: LoudnessSummary;
  after: LoudnessSummary;
  targetLufs: number | null;
}

export interface AlbumReport {
  schema: 'mixmaster.album-report';
  version: 1;
  title: string;
  target: { id: string; name: string; integratedLufs: number | null; ceilingDbtp: number };
  /** Integrated loudness of the whole album (all tracks gated together) before and after. */
  albumBeforeLufs: number | null;
  albumAfterLufs: number | null;
  /** The one gain strategy: how the album's loudness was set while keeping the intended track differences. */
  why: string;
  tracks: AlbumReportTrack[];
  notes: string[];
}
