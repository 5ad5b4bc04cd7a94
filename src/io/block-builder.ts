// Re-chunks decoder output of any size into the fixed-size planar blocks an AudioReader yields.

/**
 * Collects decoder output (arbitrary sizes) into blocks of exactly `blockFrames` frames, reusing one
 * set of arrays: the AudioReader contract lets a yielded block die at the next iteration.
 */
export class BlockBuilder {
  private readonly buffer: Float32Array[];
  private fill = 0;

  constructor(channelCount: number, readonly blockFrames: number) {
    if (!(Number.isInteger(blockFrames) && blockFrames > 0)) throw new RangeError(`blockFrames must be a positive integer, got ${blockFrames}`);
    this.buffer = Array.from({ length: channelCount }, () => new Float32Array(blockFrames));
  }

  /** Copies frames [start, end) of planar `source` in, yielding each block that fills up. */
  *push(source: Float32Array[], start = 0, end = source[0]?.length ?? 0): Generator<Float32Array[], void, void> {
    while (start < end) {
      const count = Math.min(end - start, this.blockFrames - this.fill);
      for (let c = 0; c < this.buffer.length; c++) this.buffer[c].set(source[c].subarray(start, start + count), this.fill);
      this.fill += count;
      start += count;
      if (this.fill === this.blockFrames) {
        this.fill = 0;
        yield this.buffer;
      }
    }
  }

  /** De-interleaves `frames` frames of `source` in (ffmpeg's f32le output), yielding full blocks. */
  *pushInterleaved(source: Float32Array, frames: number): Generator<Float32Array[], void, void> {
    const channels = this.buffer.length;
    let frame = 0;
    while (frame < frames) {
      const count = Math.min(frames - frame, this.blockFrames - this.fill);
      for (let c = 0; c < channels; c++) {
        const out = this.buffer[c];
        for (let i = 0, j = frame * channels + c; i < count; i++, j += channels) out[this.fill + i] = source[j];
      }
      this.fill += count;
      frame += count;
      if (this.fill === this.blockFrames) {
        this.fill = 0;
        yield this.buffer;
      }
    }
  }

  /** The last, partial block (if any). */
  *flush(): Generator<Float32Array[], void, void> {
    if (this.fill === 0) return;
    const frames = this.fill;
    this.fill = 0;
    yield this.buffer.map((channel) => channel.subarray(0, frames));
  }
}
