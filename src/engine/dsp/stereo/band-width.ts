// Width per frequency band: the stereo pair is split by a Linkwitz-Riley 4th-order crossover
// (filters/crossover.ts), each band's side is scaled by its own width (M/S 'half' convention), and the
// bands are summed. Both M and S go through the same crossover, so they keep the same phase and the
// image is preserved; with every width at 100 % the output is the crossover's all-pass of the input
// (flat magnitude, phase turning around each split), not a bit-exact copy. Zero latency.
import { assertProcessorShape, DENORMAL_FLOOR, type ParametricProcessor } from '../api.js';
import { Crossover } from '../filters/crossover.js';
import { Smoother } from '../smoothing.js';

export interface BandWidthParams {
  /** Split frequencies, Hz, strictly increasing (1-4 splits = 2-5 bands); fixed at construction. */
  frequenciesHz: number[];
  /** Side gain per band in percent, lowest band first (0 = mono, 100 = unchanged, 200 = doubled; clamped). */
  widthsPercent: number[];
}

export const BAND_WIDTH_DEFAULTS: BandWidthParams = { frequenciesHz: [150, 2500], widthsPercent: [0, 100, 120] };

/** Frames split per pass (the band buffers are this long). */
const CHUNK_FRAMES = 256;

const sideGain = (percent: number) => Math.min(200, Math.max(0, percent)) / 100;

export class BandWidth implements ParametricProcessor<BandWidthParams> {
  readonly latency = 0;
  private current: BandWidthParams;
  private readonly crossover: Crossover;
  private readonly smoothers: Smoother[];
  private readonly input: Float32Array[];
  /** Band sums in double precision before they are written back. */
  private readonly sum: Float64Array[];
  private readonly bands: Float32Array[][];

  constructor(sampleRate: number, channelCount: number, params: Partial<BandWidthParams> = {}) {
    assertProcessorShape('band width', sampleRate, channelCount);
    if (channelCount !== 2) throw new RangeError(`band width: needs a stereo pair, channel count must be 2, got ${channelCount}`);
    const frequenciesHz = [...(params.frequenciesHz ?? BAND_WIDTH_DEFAULTS.frequenciesHz)];
    this.crossover = new Crossover(sampleRate, 2, { frequenciesHz });
    const widthsPercent = params.widthsPercent ?? (params.frequenciesHz ? new Array(this.crossover.bandCount).fill(100) : BAND_WIDTH_DEFAULTS.widthsPercent);
    this.current = { frequenciesHz, widthsPercent: this.validated(widthsPercent) };
    this.smoothers = this.current.widthsPercent.map((w) => new Smoother(sampleRate, sideGain(w)));
    this.input = [new Float32Array(CHUNK_FRAMES), new Float32Array(CHUNK_FRAMES)];
    this.sum = [new Float64Array(CHUNK_FRAMES), new Float64Array(CHUNK_FRAMES)];
    this.bands = Array.from({ length: this.crossover.bandCount }, () => [new Float32Array(CHUNK_FRAMES), new Float32Array(CHUNK_FRAMES)]);
  }

  private validated(widths: number[]): number[] {
    if (widths.length !== this.crossover.bandCount || widths.some((w) => !Number.isFinite(w))) {
      throw new RangeError(`band width: widthsPercent needs ${this.crossover.bandCount} finite values (one per band), got [${widths.join(', ')}]`);
    }
    return [...widths];
  }

  get params(): Readonly<BandWidthParams> {
    return this.current;
  }

  /** Changes the widths (smoothed per sample); the split frequencies are fixed. */
  set(params: Partial<BandWidthParams>): void {
    if (params.frequenciesHz && params.frequenciesHz.some((hz, i) => hz !== this.current.frequenciesHz[i])) {
      throw new RangeError('band width: frequenciesHz is fixed at construction');
    }
    if (params.widthsPercent) this.current = { ...this.current, widthsPercent: this.validated(params.widthsPercent) };
    this.current.widthsPercent.forEach((w, b) => this.smoothers[b].setTarget(sideGain(w)));
  }

  process(channels: Float32Array[], frames: number): void {
    const left = channels[0];
    const right = channels[1];
    const [sumLeft, sumRight] = this.sum;
    for (let start = 0; start < frames; start += CHUNK_FRAMES) {
      const n = Math.min(CHUNK_FRAMES, frames - start);
      for (let i = 0; i < n; i++) {
        this.input[0][i] = left[start + i];
        this.input[1][i] = right[start + i];
      }
      sumLeft.fill(0, 0, n);
      sumRight.fill(0, 0, n);
      this.crossover.split(this.input, n, this.bands);
      for (let b = 0; b < this.bands.length; b++) {
        const [bl, br] = this.bands[b];
        const smoother = this.smoothers[b];
        const steady = !smoother.smoothing;
        const g0 = smoother.current;
        for (let i = 0; i < n; i++) {
          const g = steady ? g0 : smoother.next();
          const m = (bl[i] + br[i]) * 0.5;
          const s = (bl[i] - br[i]) * 0.5 * g;
          sumLeft[i] += m + s;
          sumRight[i] += m - s;
        }
      }
      // The crossover's decaying tails reach ~1e-31: flush them, as feedback state is flushed.
      for (let i = 0; i < n; i++) {
        left[start + i] = Math.abs(sumLeft[i]) < DENORMAL_FLOOR ? 0 : sumLeft[i];
        right[start + i] = Math.abs(sumRight[i]) < DENORMAL_FLOOR ? 0 : sumRight[i];
      }
    }
  }

  reset(): void {
    this.crossover.reset();
    this.current.widthsPercent.forEach((w, b) => this.smoothers[b].jump(sideGain(w)));
  }
}

export const createBandWidth = (sampleRate: number, channelCount: number, params?: Partial<BandWidthParams>) => new BandWidth(sampleRate, channelCount, params);
