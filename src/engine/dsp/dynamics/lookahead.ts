// The output stage of the look-ahead dynamics processors: the audio is delayed by `latency` frames
// (detection runs on the undelayed signal, so gain changes lead the audio) and multiplied by a
// per-frame gain curve.
import type { KernelHeap } from '../utility/kernel-heap.js';

export class LookaheadGain {
  private readonly lines: Float32Array[];
  /** Byte addresses of the lines when they live in a KernelHeap (for its kernels), else empty. */
  readonly linesAt: number[] = [];
  /** Index of the next write into every line (the same for all channels). */
  position = 0;

  constructor(private readonly channelCount: number, readonly latency: number, heap?: KernelHeap) {
    const count = latency > 0 ? channelCount : 0;
    if (heap) {
      const lines = Array.from({ length: count }, () => heap.f32(latency));
      this.lines = lines.map((line) => line.array);
      this.linesAt = lines.map((line) => line.at);
    } else {
      this.lines = Array.from({ length: count }, () => new Float32Array(latency));
    }
  }

  /** Heap bytes the lines take (for sizing a KernelHeap). */
  static heapBytes(channelCount: number, latency: number): number {
    return latency > 0 ? channelCount * 16 * Math.ceil((4 * latency) / 16) : 0;
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
