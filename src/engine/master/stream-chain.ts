// Serial processors over a stream of blocks, offline: the chain's total latency is trimmed from the
// start and flushed with silence at the end, so output frame n lines up with input frame n and the
// output has exactly as many frames as the input. Blocks are processed in place; a sink may keep the
// blocks it is handed until the next push (the flush at the end is one block of its own).
import type { Processor } from '../dsp/api.js';

export type BlockSink = (channels: Float32Array[], frames: number) => void;

export class StreamingChain {
  readonly latency: number;
  private toSkip: number;
  private readonly views: Float32Array[];

  constructor(private readonly processors: Processor[], private readonly channelCount: number) {
    this.latency = processors.reduce((sum, p) => sum + p.latency, 0);
    this.toSkip = this.latency;
    this.views = new Array<Float32Array>(channelCount);
  }

  /** Processes `frames` of `channels` in place and hands the aligned output (if any yet) to `sink`. */
  push(channels: Float32Array[], frames: number, sink: BlockSink): void {
    for (const processor of this.processors) processor.process(channels, frames);
    this.emit(channels, frames, sink);
  }

  /**
   * Runs silence through the chain until the latency is flushed, plus `extraFrames` more of the
   * chain's response to silence (what a following chain with that much look-ahead needs to see).
   */
  finish(sink: BlockSink, extraFrames = 0): void {
    const frames = this.latency + extraFrames;
    if (frames === 0) return;
    // Once per render, so a fresh buffer: the sink may keep the block (no reuse under it).
    const silence = Array.from({ length: this.channelCount }, () => new Float32Array(frames));
    for (const processor of this.processors) processor.process(silence, frames);
    this.emit(silence, frames, sink);
  }

  reset(): void {
    for (const processor of this.processors) processor.reset();
    this.toSkip = this.latency;
  }

  private emit(channels: Float32Array[], frames: number, sink: BlockSink): void {
    if (this.toSkip >= frames) {
      this.toSkip -= frames;
      return;
    }
    if (this.toSkip === 0) {
      sink(channels, frames);
      return;
    }
    const skip = this.toSkip;
    this.toSkip = 0;
    for (let c = 0; c < this.channelCount; c++) this.views[c] = channels[c].subarray(skip, frames);
    sink(this.views, frames - skip);
  }
}
