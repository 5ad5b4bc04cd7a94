// Clipping evidence in the input. Two signs: runs of >= 3 full-scale samples (from the foundation's
// SignalStats), and a peak plateau: consecutive samples sitting at exactly the file's largest |value|,
// which a clipper or a hard limiter leaves and a clean waveform almost never does (Matchering's
// checker warns from 8 samples at the peak: sergree/matchering, matchering/checker.py).
import { gainToDb } from '../audio.js';

/** A plateau counts as clipping at or above this sample peak (dBFS), as the analysis brief sets it. */
export const PLATEAU_MIN_PEAK_DBFS = -0.1;
/** This many plateau runs (pairs or longer of equal peak samples), i.e. at least 8 samples at the peak. */
export const PLATEAU_MIN_RUNS = 4;
/** This many full-scale runs of >= 3 samples. */
export const CLIPPED_MIN_RUNS = 3;

export class PeakPlateau {
  /** Largest |sample| so far, all channels. */
  peak = 0;
  /** Runs of >= 2 consecutive samples (in one channel) at exactly `peak`, and the samples in them. */
  runs = 0;
  samples = 0;
  /** Current run length at the peak, per channel. */
  private readonly runLengths: Float64Array;

  constructor(channelCount: number) {
    this.runLengths = new Float64Array(channelCount);
  }

  push(channels: Float32Array[], frames: number): void {
    for (let c = 0; c < this.runLengths.length; c++) {
      const x = channels[c];
      // Most blocks stay under the running peak: one quick max pass, then nothing to count.
      let blockPeak = 0;
      for (let i = 0; i < frames; i++) {
        const a = Math.abs(x[i]); // Math.abs + if: a sign-dependent ternary mispredicts on audio
        if (a > blockPeak) blockPeak = a;
      }
      if (blockPeak < this.peak) { this.runLengths[c] = 0; continue; }
      let run = this.runLengths[c];
      let peak = this.peak;
      for (let i = 0; i < frames; i++) {
        const a = Math.abs(x[i]);
        if (a < peak) { run = 0; continue; }
        if (a > peak) {
          // A new, larger peak: runs at the old one no longer matter (no earlier sample can equal it).
          peak = a;
          this.runs = 0;
          this.samples = 0;
          this.runLengths.fill(0);
          run = 1;
          continue;
        }
        run++;
        if (run === 2) { this.runs++; this.samples += 2; } else if (run > 2) this.samples++;
      }
      this.peak = peak;
      this.runLengths[c] = run;
    }
  }
}

export interface ClippingVerdict {
  clippedSamples: number;
  clippedRuns: number;
  likelyClipped: boolean;
  why: string | null;
}

/** Combines the foundation's full-scale runs with the plateau into a verdict a musician can read. */
export function clippingVerdict(plateau: Pick<PeakPlateau, 'peak' | 'runs' | 'samples'>, clippedSamples: number, clippedRuns: number): ClippingVerdict {
  const peakDbfs = gainToDb(plateau.peak);
  const fullScale = clippedRuns >= CLIPPED_MIN_RUNS;
  const flatTop = plateau.peak > 0 && peakDbfs >= PLATEAU_MIN_PEAK_DBFS && plateau.runs >= PLATEAU_MIN_RUNS;
  let why: string | null = null;
  if (plateau.peak > 1 && !flatTop) {
    // A float mix over full scale has lost nothing (no flat tops): it only needs turning down.
    why = `the mix goes over full scale (peak +${peakDbfs.toFixed(2)} dBFS, ${clippedSamples} samples in runs of 3 or more): `
      + 'nothing is lost in a float file and the master brings it under the ceiling, but a fixed-point bounce of this mix would have clipped';
    return { clippedSamples, clippedRuns, likelyClipped: false, why };
  }
  if (fullScale) {
    why = `the mix hits full scale ${clippedRuns} times (${clippedSamples} samples in runs of 3 or more): `
      + 'those peaks are already clipped flat; mastering cannot bring them back, and it will not add more';
  } else if (flatTop) {
    why = `${plateau.samples} samples in ${plateau.runs} runs sit at exactly the peak level (${peakDbfs.toFixed(2)} dBFS): `
      + 'the mix was clipped or hard-limited there; mastering cannot bring those peaks back, and it will not add more';
  }
  return { clippedSamples, clippedRuns, likelyClipped: fullScale || flatTop, why };
}
