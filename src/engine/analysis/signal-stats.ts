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
      // One tight reduction per channel; the rare cases (clips, silence edges) get their own scans.
      let peak = 0;
      let squares = 0;
      let sum = 0;
      for (let i = 0; i < frames; i++) {
        const v = x[i];
        squares += v * v;
        sum += v;
        const a = Math.abs(v);
        peak = a > peak ? a : peak;
      }
      if (peak > this.peaks[c]) this.peaks[c] = peak;
      this.sumSquares[c] += squares;
      this.sums[c] += sum;
      if (peak >= CLIP_LEVEL || this.runLengths[c] > 0) this.countClips(c, x, frames);
      if (peak > SILENCE_LEVEL) this.trackSound(x, frames);
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

  private countClips(c: number, x: Float32Array, frames: number): void {
    let run = this.runLengths[c];
    for (let i = 0; i < frames; i++) {
      if (Math.abs(x[i]) >= CLIP_LEVEL) {
        run++;
        if (run === MIN_CLIP_RUN) { this.clippedSamples[c] += MIN_CLIP_RUN; this.clippedRuns[c]++; }
        else if (run > MIN_CLIP_RUN) this.clippedSamples[c]++;
      } else {
        run = 0;
      }
    }
    this.runLengths[c] = run;
  }

  /** Updates the first/last non-silent frame from a block known to hold sound. */
  private trackSound(x: Float32Array, frames: number): void {
    if (this.firstSoundFrame < 0 || this.firstSoundFrame >= this.frames) {
      let first = 0;
      while (Math.abs(x[first]) <= SILENCE_LEVEL) first++;
      if (this.firstSoundFrame < 0 || this.frames + first < this.firstSoundFrame) this.firstSoundFrame = this.frames + first;
    }
    let last = frames - 1;
    while (Math.abs(x[last]) <= SILENCE_LEVEL) last--;
    if (this.frames + last > this.lastSoundFrame) this.lastSoundFrame = this.frames + last;
  }
}
