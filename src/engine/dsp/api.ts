// The processor lifecycle every DSP block follows (architecture.md): created for a sample rate and
// channel count, processes planar Float32 blocks in place, declares its latency, resets.

export interface Processor {
  /** Samples of delay the processor adds; the graph compensates parallel paths. */
  readonly latency: number;
  /**
   * Processes `frames` samples of every channel in place. Any `frames` >= 0 is accepted (processors
   * with internal block sizes chunk internally); no allocation happens here.
   */
  process(channels: Float32Array[], frames: number): void;
  /** Back to the state right after construction (same parameters, cleared memory). */
  reset(): void;
}

export type ProcessorFactory<P> = (sampleRate: number, channelCount: number, params?: Partial<P>) => Processor;

/**
 * A processor whose parameters can change while it runs (automation, user edits). New values are
 * reached through per-sample smoothing, so the output does not depend on how blocks are cut.
 */
export interface ParametricProcessor<P> extends Processor {
  readonly params: Readonly<P>;
  set(params: Partial<P>): void;
}

/** Linear time-invariant processors report their complex frequency response. */
export interface LinearProcessor extends Processor {
  /** Response at `frequencyHz`: magnitude (linear) and phase (radians), latency included. */
  response(frequencyHz: number): { magnitude: number; phase: number };
}

/** Processors driven by a separate key signal (compressor sidechain, ducking, dynamic EQ). */
export interface SidechainProcessor extends Processor {
  /** Like process(), but detection follows `sidechain` (same frame count, any channel count). */
  processWithSidechain(channels: Float32Array[], sidechain: Float32Array[], frames: number): void;
}

/** Dynamics processors expose the gain reduction they applied in the last block (dB, >= 0). */
export interface GainReductionMeter {
  readonly gainReductionDb: number;
  /** Largest gain reduction since construction or reset (dB). */
  readonly maxGainReductionDb: number;
}

/** Throws a RangeError unless the rate and channel count are ones the engine supports. */
export function assertProcessorShape(name: string, sampleRate: number, channelCount: number): void {
  if (!(sampleRate >= 8000 && sampleRate <= 384000)) throw new RangeError(`${name}: sample rate ${sampleRate} Hz is outside 8-384 kHz`);
  if (!(Number.isInteger(channelCount) && channelCount >= 1 && channelCount <= 32)) {
    throw new RangeError(`${name}: channel count must be 1-32, got ${channelCount}`);
  }
}

/** Numbers below this in a feedback path are flushed to zero: denormals make x86 FPUs ~100x slower. */
export const DENORMAL_FLOOR = 1e-30;
