// Long-term third-octave spectrum (Welch average of Hann-windowed FFT frames, no overlap) and
// per-band stereo correlation from the cross-spectrum. Two channels share one complex FFT.
// A long-term average does not need every frame: with `frameStride` k only every k-th frame is
// analysed (evenly spread over the file), which keeps long files cheap; the CLI aims at ~64 frames (about 24 s of audio at any rate).
import { Fft } from '../dsp/fft.js';
import { thirdOctaveBands, type FractionalOctaveBand } from './bands.js';

export interface BandSpectrum {
  /** Nominal band centres (Hz): 20, 25, 31.5 ... 20000. */
  bandsHz: number[];
  /** Band RMS level in dB re a full-scale sine (AES17: a 0 dBFS sine in the band reads 0), averaged over channels; null if the band is empty or above Nyquist. */
  levelDb: (number | null)[];
  /** Correlation of the first two channels within each band (-1..1); null for mono or a silent band. */
  correlation: (number | null)[];
}

/** Frame stride that analyses about `targetFrames` frames of a file of `totalFrames` samples. */
export function spectrumStrideFor(totalFrames: number, sampleRate: number, targetFrames = 64): number {
  return Math.max(1, Math.floor(totalFrames / spectrumFrameSize(sampleRate) / targetFrames));
}

/** FFT length giving bins of at most ~3 Hz, so the 20 Hz band (4.6 Hz wide) still holds bins. */
export function spectrumFrameSize(sampleRate: number): number {
  return Math.pow(2, Math.ceil(Math.log2(sampleRate / 3)));
}

export class SpectrumAnalyzer {
  readonly sampleRate: number;
  readonly channelCount: number;
  readonly frameSize: number;
  private readonly fft: Fft;
  private readonly window: Float64Array;
  private readonly buffers: Float64Array[];
  private fill = 0;
  private readonly real: Float64Array;
  private readonly imag: Float64Array;
  /** Sum over frames of |X_c[k]|^2, per channel, and Re(X_0 conj X_1). */
  private readonly power: Float64Array[];
  private readonly cross: Float64Array;
  /** Sum over frames of the window energy actually covering samples. */
  private windowEnergy = 0;

  /** Analyse one frame in `frameStride` (1 = every frame). */
  readonly frameStride: number;
  private frameIndex = 0;

  constructor(sampleRate: number, channelCount: number, frameStride = 1) {
    this.frameStride = Math.max(1, Math.floor(frameStride));
    this.sampleRate = sampleRate;
    this.channelCount = channelCount;
    this.frameSize = spectrumFrameSize(sampleRate);
    const n = this.frameSize;
    this.fft = new Fft(n);
    this.window = new Float64Array(n);
    for (let i = 0; i < n; i++) this.window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n); // periodic Hann
    this.buffers = Array.from({ length: channelCount }, () => new Float64Array(n));
    this.real = new Float64Array(n);
    this.imag = new Float64Array(n);
    this.power = Array.from({ length: channelCount }, () => new Float64Array(n / 2 + 1));
    this.cross = new Float64Array(n / 2 + 1);
  }

  push(channels: Float32Array[], frames: number): void {
    let position = 0;
    while (position < frames) {
      const take = Math.min(this.frameSize - this.fill, frames - position);
      const skipped = this.frameIndex % this.frameStride !== 0;
      for (let c = 0; c < this.channelCount && !skipped; c++) {
        const buffer = this.buffers[c];
        const source = channels[c];
        for (let i = 0; i < take; i++) buffer[this.fill + i] = source[position + i];
      }
      this.fill += take;
      position += take;
      if (this.fill === this.frameSize) {
        if (skipped) this.fill = 0;
        else this.analyzeFrame(this.frameSize);
        this.frameIndex++;
      }
    }
  }

  /** Analyses the buffered frame; `valid` samples are real, the rest zero padding. */
  private analyzeFrame(valid: number): void {
    const n = this.frameSize;
    const { window, real, imag } = this;
    let energy = 0;
    for (let i = 0; i < valid; i++) energy += window[i] * window[i];
    this.windowEnergy += energy;
    for (let c = 0; c < this.channelCount; c += 2) {
      const a = this.buffers[c];
      const b = c + 1 < this.channelCount ? this.buffers[c + 1] : null;
      for (let i = 0; i < n; i++) {
        const inside = i < valid;
        real[i] = inside ? a[i] * window[i] : 0;
        imag[i] = inside && b ? b[i] * window[i] : 0;
      }
      this.fft.forward(real, imag);
      const powerA = this.power[c];
      const powerB = b ? this.power[c + 1] : null;
      for (let k = 0; k <= n / 2; k++) {
        // Separate the two real spectra: A = (Z[k] + conj Z[N-k]) / 2, B = (Z[k] - conj Z[N-k]) / 2i.
        const m = (n - k) & (n - 1);
        const zr = real[k], zi = imag[k], wr = real[m], wi = imag[m];
        const ar = 0.5 * (zr + wr), ai = 0.5 * (zi - wi);
        const br = 0.5 * (zi + wi), bi = -0.5 * (zr - wr);
        powerA[k] += ar * ar + ai * ai;
        if (powerB) {
          powerB[k] += br * br + bi * bi;
          if (c === 0) this.cross[k] += ar * br + ai * bi;
        }
      }
    }
    this.fill = 0;
  }

  finish(): BandSpectrum {
    // The final partial frame counts only if it is due, or if nothing was analysed yet.
    if (this.fill > 0 && (this.frameIndex % this.frameStride === 0 || this.windowEnergy === 0)) this.analyzeFrame(this.fill);
    this.fill = 0;
    const bands = thirdOctaveBands();
    const n = this.frameSize;
    const binHz = this.sampleRate / n;
    const nyquist = this.sampleRate / 2;
    const levelDb: (number | null)[] = [];
    const correlation: (number | null)[] = [];
    for (const band of bands) {
      const [first, last] = binRange(band, binHz, n);
      if (band.upperHz > nyquist || last < first || this.windowEnergy === 0) {
        levelDb.push(null);
        correlation.push(null);
        continue;
      }
      let meanPower = 0;
      for (let c = 0; c < this.channelCount; c++) {
        for (let k = first; k <= last; k++) meanPower += this.power[c][k];
      }
      // One-sided mean square: 2 / (N * sum w^2) * sum |X|^2; +3.01 dB so a full-scale sine reads 0.
      const meanSquare = (2 * meanPower) / (this.channelCount * n * this.windowEnergy);
      levelDb.push(meanSquare > 0 ? 10 * Math.log10(2 * meanSquare) : null);
      if (this.channelCount >= 2) {
        let sxy = 0, sxx = 0, syy = 0;
        for (let k = first; k <= last; k++) {
          sxy += this.cross[k]; sxx += this.power[0][k]; syy += this.power[1][k];
        }
        correlation.push(sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null);
      } else {
        correlation.push(null);
      }
    }
    return { bandsHz: bands.map((b) => b.nominalHz), levelDb, correlation };
  }
}

/** Bins whose centre frequency lies in [lower, upper). */
function binRange(band: FractionalOctaveBand, binHz: number, n: number): [number, number] {
  const first = Math.max(1, Math.ceil(band.lowerHz / binHz));
  const last = Math.min(n / 2, Math.ceil(band.upperHz / binHz) - 1);
  return [first, last];
}
