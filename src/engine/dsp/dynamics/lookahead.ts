// The output stage of the look-ahead dynamics processors: the audio is delayed by `latency` frames
// (detection runs on the undelayed signal, so gain changes lead the audio) and multiplied by a
// per-frame gain curve.

export class LookaheadGain {
  private readonly lines: Float32Array[];
  private position = 0;

  constructor(private readonly channelCount: number, readonly latency: number) {
    this.lines = Array.from({ length: latency > 0 ? channelCount : 0 }, () => new Float32Array(latency));
  }

  /**
   * out[c][start, start + n) = delayed input × gains[c][0, n) (gains[0] for every channel when one
   * curve is shared). `unity`: every gain is exactly 1, so without delay nothing needs doing.
   */
  apply(out: Float32Array[], start: number, n: number, gains: Float32Array[], shared: boolean, unity: boolean): void {
    const length = this.latency;
    if (length === 0) {
      if (unity) return;
      for (let c = 0; c < this.channelCount; c++) {
        const x = out[c], g = gains[shared ? 0 : c];
        for (let i = 0; i < n; i++) x[start + i] *= g[i];
      }
      return;
    }
    for (let c = 0; c < this.channelCount; c++) {
      const x = out[c], g = gains[shared ? 0 : c], line = this.lines[c];
      let position = this.position;
      for (let i = 0; i < n; i++) {
        const delayed = line[position];
        line[position] = x[start + i];
        x[start + i] = delayed * g[i];
        if (++position === length) position = 0;
      }
    }
    this.position = (this.position + n) % length;
  }

  reset(): void {
    for (const line of this.lines) line.fill(0);
    this.position = 0;
  }
}
