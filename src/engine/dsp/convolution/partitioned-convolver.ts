// Partitioned FFT convolution as a Processor: one uniformly partitioned overlap-save stage (latency
// = its partition), optionally followed by a second stage with larger partitions for the IR's tail
// (a two-segment non-uniform partition after Gardner, "Efficient convolution without input-output
// delay", JAES 1995): same output, latency of the small partition, multiply-adds of the large one.
import { assertProcessorShape, type LinearProcessor } from '../api.js';
import { UniformPartitionStage } from './uniform-partition.js';

export interface ConvolverOptions {
  /** One impulse response shared by every channel, or one per channel (channel c convolved with IR c). */
  impulseResponses: ArrayLike<number>[];
  /** Partition of the first stage in frames (power of two, 64-16384): the latency. */
  partitionFrames?: number;
  /**
   * Partition of an optional tail stage (power of two, larger than partitionFrames, up to 65536):
   * the first (tail - head) frames of the IR run in small partitions, the rest in large ones.
   */
  tailPartitionFrames?: number;
}

/**
 * Default partition: a latency/speed compromise (21 ms at 48 kHz). Long IRs run as fast with a small
 * partition plus a tail stage (bench/filters.mjs: 2 s IR, 1024 alone vs 256 + 8192 tail: about equal).
 */
export const DEFAULT_PARTITION_FRAMES = 1024;
/** Frames copied per pass when the tail stage needs the unprocessed input. */
const SCRATCH_FRAMES = 1024;

const isPartition = (b: number, max: number) => Number.isInteger(b) && b >= 64 && b <= max && (b & (b - 1)) === 0;

/**
 * Convolves each channel with its impulse response; output is delayed by `latency` frames (the
 * first partition). Any `frames` works and the result does not depend on block sizes (partitions
 * complete at absolute positions). Allocation-free after construction.
 */
export class PartitionedConvolver implements LinearProcessor {
  readonly latency: number;
  readonly partitionFrames: number;
  /** 0 when there is no tail stage. */
  readonly tailPartitionFrames: number;
  private readonly head: UniformPartitionStage;
  private readonly tail: UniformPartitionStage | null;
  private readonly scratch: Float32Array[];
  private readonly firstResponse: Float64Array;

  constructor(private readonly sampleRate: number, private readonly channelCount: number, options: ConvolverOptions) {
    assertProcessorShape('convolver', sampleRate, channelCount);
    const irs = options?.impulseResponses;
    if (!Array.isArray(irs) || !(irs.length === 1 || irs.length === channelCount)) {
      throw new RangeError(`convolver: impulseResponses must hold 1 or ${channelCount} responses`);
    }
    for (const ir of irs) for (let i = 0; i < ir.length; i++) if (!Number.isFinite(ir[i])) throw new RangeError('convolver: impulse response holds a non-finite value');
    const b = options.partitionFrames ?? DEFAULT_PARTITION_FRAMES;
    if (!isPartition(b, 16384)) throw new RangeError(`convolver: partitionFrames must be a power of two 64-16384, got ${b}`);
    const tail = options.tailPartitionFrames ?? 0;
    if (tail !== 0 && !(isPartition(tail, 65536) && tail > b)) {
      throw new RangeError(`convolver: tailPartitionFrames must be a power of two above partitionFrames, up to 65536, got ${tail}`);
    }
    this.partitionFrames = b;
    this.latency = b;
    const split = tail - b; // IR frames the first stage covers when there is a tail stage
    const longest = Math.max(...irs.map((ir) => ir.length));
    const twoStages = tail !== 0 && longest > split;
    this.tailPartitionFrames = twoStages ? tail : 0;
    const slice = (ir: ArrayLike<number>, from: number, to: number) => Float64Array.from({ length: Math.max(0, Math.min(to, ir.length) - from) }, (_, i) => ir[from + i]);
    // Tail stage (latency `tail`) on h[split..]: its output lands at t - tail - (n) = t - b - (n + split).
    this.head = new UniformPartitionStage(channelCount, twoStages ? irs.map((ir) => slice(ir, 0, split)) : irs, b);
    this.tail = twoStages ? new UniformPartitionStage(channelCount, irs.map((ir) => slice(ir, split, ir.length)), tail) : null;
    this.scratch = twoStages ? Array.from({ length: channelCount }, () => new Float32Array(SCRATCH_FRAMES)) : [];
    this.firstResponse = Float64Array.from(irs[0]);
  }

  process(channels: Float32Array[], frames: number): void {
    const tail = this.tail;
    if (!tail) {
      this.head.process(channels, 0, channels, 0, frames, false);
      return;
    }
    for (let start = 0; start < frames; start += SCRATCH_FRAMES) {
      const n = Math.min(SCRATCH_FRAMES, frames - start);
      for (let c = 0; c < this.channelCount; c++) {
        const x = channels[c], copy = this.scratch[c];
        for (let i = 0; i < n; i++) copy[i] = x[start + i];
      }
      this.head.process(channels, start, channels, start, n, false);
      tail.process(this.scratch, 0, channels, start, n, true);
    }
  }

  reset(): void {
    this.head.reset();
    this.tail?.reset();
  }

  /** Response of channel 0's impulse response at `frequencyHz`, the latency included. */
  response(frequencyHz: number): { magnitude: number; phase: number } {
    const w = (2 * Math.PI * frequencyHz) / this.sampleRate;
    let re = 0, im = 0;
    const h = this.firstResponse;
    for (let i = 0; i < h.length; i++) { re += h[i] * Math.cos(w * i); im -= h[i] * Math.sin(w * i); }
    const phase = Math.atan2(im, re) - w * this.latency;
    return { magnitude: Math.hypot(re, im), phase: Math.atan2(Math.sin(phase), Math.cos(phase)) };
  }
}

export const createPartitionedConvolver = (sampleRate: number, channelCount: number, options: ConvolverOptions) =>
  new PartitionedConvolver(sampleRate, channelCount, options);
