// Mid/side spectra for mastering: Hann-windowed FFT frames (Welch, no overlap) of mid and side packed
// into one complex FFT, analysed one frame in `stride` so ~96-192 frames cover any length. Kept per
// frame: third-octave band powers (mid and side), so the loud sections can be picked at the end when
// the loudness is known. Summed over frames: the fine mid power spectrum (resonances, band ratios)
// and the low-band cross terms. Memory is flat: when the kept frames fill up, every other one is
// dropped and the stride doubles.
import { Fft } from '../dsp/fft.js';
import { thirdOctaveBands } from '../analysis/bands.js';
import { spectrumFrameSize } from '../analysis/spectrum.js';
import type { BandLevels } from './api.js';

/** Frames aimed at when the length is known; kept frames are halved when they reach twice this. */
export const TARGET_SPECTRUM_FRAMES = 96;
const MAX_KEPT_FRAMES = 2 * TARGET_SPECTRUM_FRAMES;
/** Low-end correlation and side/mid are taken over this range (Hz). */
export const LOW_END_LOW_HZ = 20;
export const LOW_END_HIGH_HZ = 120;

export interface MidSideSpectrumResult {
  mid: BandLevels;
  side: BandLevels | null;
  midLoud: BandLevels;
  sideLoud: BandLevels | null;
  /** Long-term mean |X_mid|^2 per FFT bin (any consistent scale), for ratios and resonances. */
  midBinPower: Float64Array;
  binHz: number;
  /** Sums over 20-120 Hz bins of |M|^2, |S|^2 and Re(M S*). */
  lowMidPower: number;
  lowSidePower: number;
  lowCross: number;
  framesAnalysed: number;
}

export class MidSideSpectrum {
  readonly frameSize: number;
  private readonly stereo: boolean;
  private readonly fft: Fft;
  private readonly window: Float64Array;
  private readonly midFrame: Float64Array;
  private readonly sideFrame: Float64Array;
  private readonly real: Float64Array;
  private readonly imag: Float64Array;
  private readonly binMid: Float64Array;
  private readonly binSide: Float64Array;
  private readonly bandFirst: Int32Array;
  private readonly bandLast: Int32Array;
  private readonly bandCount: number;
  private readonly lowFirst: number;
  private readonly lowLast: number;
  // Long-term sums, each frame weighted by the stride it was analysed at (it stands for that many frames).
  private readonly midBinSum: Float64Array;
  private readonly midBandSum: Float64Array;
  private readonly sideBandSum: Float64Array;
  private windowEnergySum = 0;
  private lowMid = 0;
  private lowSide = 0;
  private lowCross = 0;
  // Kept frames: band powers (mid then side), window energy, centre sample.
  private readonly keptBands: Float64Array;
  private readonly keptEnergy = new Float64Array(MAX_KEPT_FRAMES);
  private readonly keptCentre = new Float64Array(MAX_KEPT_FRAMES);
  private readonly keptIndex = new Float64Array(MAX_KEPT_FRAMES);
  private kept = 0;
  private stride: number;
  private frameIndex = 0;
  private fill = 0;
  private analysed = 0;

  constructor(private readonly sampleRate: number, stereo: boolean, expectedFrames: number | null) {
    this.stereo = stereo;
    const n = spectrumFrameSize(sampleRate);
    this.frameSize = n;
    this.stride = expectedFrames ? Math.max(1, Math.floor(expectedFrames / n / TARGET_SPECTRUM_FRAMES)) : 1;
    this.fft = new Fft(n);
    this.window = new Float64Array(n);
    for (let i = 0; i < n; i++) this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n); // periodic Hann
    this.midFrame = new Float64Array(n);
    this.sideFrame = new Float64Array(n);
    this.real = new Float64Array(n);
    this.imag = new Float64Array(n);
    this.binMid = new Float64Array(n / 2 + 1);
    this.binSide = new Float64Array(n / 2 + 1);
    this.midBinSum = new Float64Array(n / 2 + 1);
    const bands = thirdOctaveBands();
    this.bandCount = bands.length;
    this.bandFirst = new Int32Array(bands.length);
    this.bandLast = new Int32Array(bands.length);
    const binHz = sampleRate / n;
    bands.forEach((band, b) => {
      // Bins whose centre lies in [lower, upper), as analysis/spectrum.ts; empty above Nyquist.
      const above = band.upperHz > sampleRate / 2;
      this.bandFirst[b] = above ? 1 : Math.max(1, Math.ceil(band.lowerHz / binHz));
      this.bandLast[b] = above ? 0 : Math.min(n / 2, Math.ceil(band.upperHz / binHz) - 1);
    });
    this.lowFirst = Math.max(1, Math.ceil(LOW_END_LOW_HZ / binHz));
    this.lowLast = Math.ceil(LOW_END_HIGH_HZ / binHz) - 1;
    this.midBandSum = new Float64Array(bands.length);
    this.sideBandSum = new Float64Array(bands.length);
    this.keptBands = new Float64Array(MAX_KEPT_FRAMES * 2 * bands.length);
  }

  /** Frames `count` samples of mid (and side) into the FFT frames; skipped frames cost a counter. */
  push(mid: Float64Array, side: Float64Array | null, count: number): void {
    let position = 0;
    while (position < count) {
      const take = Math.min(this.frameSize - this.fill, count - position);
      if (this.frameIndex % this.stride === 0) {
        const { midFrame, sideFrame, fill } = this;
        for (let i = 0; i < take; i++) midFrame[fill + i] = mid[position + i];
        if (side) for (let i = 0; i < take; i++) sideFrame[fill + i] = side[position + i];
      }
      this.fill += take;
      position += take;
      if (this.fill === this.frameSize) {
        if (this.frameIndex % this.stride === 0) this.analyzeFrame(this.frameSize);
        this.fill = 0;
        this.frameIndex++;
      }
    }
  }

  private analyzeFrame(valid: number): void {
    const n = this.frameSize;
    const { window, real, imag, midFrame, sideFrame, binMid, binSide } = this;
    let energy = 0;
    for (let i = 0; i < n; i++) {
      const w = i < valid ? window[i] : 0;
      energy += w * w;
      real[i] = midFrame[i] * w;
      imag[i] = this.stereo ? sideFrame[i] * w : 0;
    }
    this.fft.forward(real, imag);
    const weight = this.stride;
    let lowMid = 0, lowSide = 0, lowCross = 0;
    for (let k = 0; k <= n / 2; k++) {
      // Two real spectra from one complex FFT: M = (Z[k] + conj Z[N-k]) / 2, S = (Z[k] - conj Z[N-k]) / 2i.
      const m = (n - k) & (n - 1);
      const zr = real[k], zi = imag[k], wr = real[m], wi = imag[m];
      const mr = 0.5 * (zr + wr), mi = 0.5 * (zi - wi);
      const sr = 0.5 * (zi + wi), si = -0.5 * (zr - wr);
      const pm = mr * mr + mi * mi;
      const ps = sr * sr + si * si;
      binMid[k] = pm;
      binSide[k] = ps;
      this.midBinSum[k] += weight * pm;
      if (k >= this.lowFirst && k <= this.lowLast) { lowMid += pm; lowSide += ps; lowCross += mr * sr + mi * si; }
    }
    this.lowMid += weight * lowMid;
    this.lowSide += weight * lowSide;
    this.lowCross += weight * lowCross;
    this.windowEnergySum += weight * energy;
    const slot = this.kept++;
    const bands = this.bandCount;
    for (let b = 0; b < bands; b++) {
      let pm = 0, ps = 0;
      for (let k = this.bandFirst[b]; k <= this.bandLast[b]; k++) { pm += binMid[k]; ps += binSide[k]; }
      this.keptBands[slot * 2 * bands + b] = pm;
      this.keptBands[slot * 2 * bands + bands + b] = ps;
      this.midBandSum[b] += weight * pm;
      this.sideBandSum[b] += weight * ps;
    }
    this.keptEnergy[slot] = energy;
    this.keptCentre[slot] = this.frameIndex * n + valid / 2;
    this.keptIndex[slot] = this.frameIndex;
    this.analysed++;
    if (this.kept === MAX_KEPT_FRAMES) this.halveKeptFrames();
  }

  /** Keeps the frames on the doubled stride's grid (every other one) and doubles the stride. */
  private halveKeptFrames(): void {
    const next = 2 * this.stride;
    const width = 2 * this.bandCount;
    let write = 0;
    for (let read = 0; read < this.kept; read++) {
      if (this.keptIndex[read] % next !== 0) continue;
      this.keptBands.copyWithin(write * width, read * width, (read + 1) * width);
      this.keptEnergy[write] = this.keptEnergy[read];
      this.keptCentre[write] = this.keptCentre[read];
      this.keptIndex[write] = this.keptIndex[read];
      write++;
    }
    this.kept = write;
    this.stride = next;
  }

  /**
   * Long-term and loud-section levels. `isLoud(centreSeconds)` says whether a frame lies in a loud
   * section; when no frame does (or it is null), the loud spectra are the long-term ones. `sideSilent`:
   * the side signal was exactly zero (L = R), so its bands are empty, not FFT rounding noise.
   */
  finish(isLoud: ((centreSeconds: number) => boolean) | null, sideSilent = false): MidSideSpectrumResult {
    // The final partial frame counts only if it is due, or if nothing was analysed yet (as analysis/spectrum.ts).
    if (this.fill > 0 && (this.frameIndex % this.stride === 0 || this.analysed === 0)) {
      this.midFrame.fill(0, this.fill);
      this.sideFrame.fill(0, this.fill);
      this.analyzeFrame(this.fill);
    }
    this.fill = 0;
    const bands = this.bandCount;
    const loudMid = new Float64Array(bands);
    const loudSide = new Float64Array(bands);
    let loudEnergy = 0;
    for (let pass = 0; pass < 2 && loudEnergy === 0; pass++) {
      for (let f = 0; f < this.kept; f++) {
        if (pass === 0 && !(isLoud && isLoud(this.keptCentre[f] / this.sampleRate))) continue;
        loudEnergy += this.keptEnergy[f];
        for (let b = 0; b < bands; b++) {
          loudMid[b] += this.keptBands[f * 2 * bands + b];
          loudSide[b] += this.keptBands[f * 2 * bands + bands + b];
        }
      }
    }
    const mid = this.levels(this.midBandSum, this.windowEnergySum);
    const midLoud = this.levels(loudMid, loudEnergy);
    return {
      mid,
      side: this.stereo ? this.levels(this.sideBandSum, sideSilent ? 0 : this.windowEnergySum) : null,
      midLoud,
      sideLoud: this.stereo ? this.levels(loudSide, sideSilent ? 0 : loudEnergy) : null,
      midBinPower: this.midBinSum,
      binHz: this.sampleRate / this.frameSize,
      lowMidPower: this.lowMid,
      lowSidePower: sideSilent ? 0 : this.lowSide,
      lowCross: sideSilent ? 0 : this.lowCross,
      framesAnalysed: this.analysed,
    };
  }

  /** Band power sums to dB re a full-scale sine (one-sided mean square x 2, as analysis/spectrum.ts). */
  private levels(bandPower: Float64Array, windowEnergy: number): BandLevels {
    const n = this.frameSize;
    const levelDb: (number | null)[] = [];
    for (let b = 0; b < this.bandCount; b++) {
      const empty = this.bandLast[b] < this.bandFirst[b] || windowEnergy === 0;
      const meanSquare = empty ? 0 : (2 * bandPower[b]) / (n * windowEnergy);
      levelDb.push(meanSquare > 0 ? 10 * Math.log10(2 * meanSquare) : null);
    }
    return { bandsHz: thirdOctaveBands().map((band) => band.nominalHz), levelDb };
  }
}
