// Sample-domain statistics in one streaming pass: peak, RMS, DC, clipped runs, head/tail silence,
// and the stereo sums behind correlation and mono-sum loss.

/** |x| at or above this is "at full scale" (within ~1 LSB of 16-bit full scale). */
export const CLIP_LEVEL = 0.9999;
/** A clip is this many consecutive full-scale samples: single full-scale samples are legal. */
export const MIN_CLIP_RUN = 3;
/** Below -60 dBFS counts as silence for head/tail trimming. */
export const SILENCE_LEVEL = 0.001;

export class SignalStats {
  readonly channelCount: number;
  readonly peaks: Float64Array;
  readonly sumSquares: Float64Array;
  readonly sums: Float64Array;
  readonly clippedSamples: Float64Array;
  readonly clippedRuns: Float64Array;
  private readonly runLengths: Float64Array;
  /** Sum of x0 * x1 over the first two channels. */
  crossSum = 0;
  frames = 0;
  /** First and last frame with any channel above SILENCE_LEVEL; -1 while none. */
  firstSoundFrame = -1;
  lastSoundFrame = -1;

  constructor(channelCount: number) {
    this.channelCount = channelCount;
    this.peaks = new Float64Array(channelCount);
    this.sumSquares = new Float64Array(channelCount);
    this.sums = new Float64Array(channelCount);
    this.clippedSamples = new Float64Array(channelCount);
    this.clippedRuns = new Float64Array(channelCount);
    this.runLengths = new Float64Array(channelCount);
  }

  push(channels: Float32Array[], frames: number): void {
    for (let c = 0; c < this.channelCount; c++) {
      const x = channels[c];
      let peak = this.peaks[c];
      let squares = 0;
      let sum = 0;
      let run = this.runLengths[c];
      let first = -1;
      let last = -1;
      for (let i = 0; i < frames; i++) {
        const v = x[i];
        const a = v < 0 ? -v : v;
        squares += v * v;
        sum += v;
        if (a > peak) peak = a;
        if (a > SILENCE_LEVEL) {
          if (first < 0) first = i;
          last = i;
        }
        if (a >= CLIP_LEVEL) {
          run++;
          if (run === MIN_CLIP_RUN) { this.clippedSamples[c] += MIN_CLIP_RUN; this.clippedRuns[c]++; }
          else if (run > MIN_CLIP_RUN) this.clippedSamples[c]++;
        } else {
          run = 0;
        }
      }
      this.peaks[c] = peak;
      this.sumSquares[c] += squares;
      this.sums[c] += sum;
      this.runLengths[c] = run;
      if (first >= 0) {
        if (this.firstSoundFrame < 0 || this.frames + first < this.firstSoundFrame) this.firstSoundFrame = this.frames + first;
        if (this.frames + last > this.lastSoundFrame) this.lastSoundFrame = this.frames + last;
      }
    }
    if (this.channelCount >= 2) {
      const x0 = channels[0];
      const x1 = channels[1];
      let cross = 0;
      for (let i = 0; i < frames; i++) cross += x0[i] * x1[i];
      this.crossSum += cross;
    }
    this.frames += frames;
  }
}
