// The mix graph as plain data: tracks, buses, sends and a master, each with an insert chain of
// processors, a fader and a pan, any of which may be automated. A session plan compiles into this;
// an insert is either a Processor instance or a processor named by type and parameters (built through
// the registry, processors.ts). The renderer (renderer.ts) executes it; a graph whose track inserts are
// all named can also render its tracks on worker threads (src/mix/parallel-render.ts), to the same bits.
import type { Processor } from '../dsp/api.js';
import type { BalanceLaw } from '../dsp/stereo/balance.js';
import type { PanLaw } from '../dsp/stereo/pan.js';
import type { Automatable, AutomationLane } from './automation.js';
import type { MixProcessorParams, MixProcessorType } from './processors.js';

/**
 * A processor as plain data (JSON-friendly, can cross a thread boundary): its registry type and
 * parameters, built for the strip's sample rate and channel count when the graph compiles.
 */
export type ProcessorSpec = {
  [T in MixProcessorType]: { processor: T; params?: MixProcessorParams<T>; automation?: Record<string, AutomationLane> };
}[MixProcessorType];

/**
 * An insert: a processor (an instance, or a ProcessorSpec), optionally with lanes for its parameters.
 * Automated parameters go through ParametricProcessor.set() every AUTOMATION_STEP_FRAMES samples of the
 * source timeline, with the lane's value at that sample (the processor smooths between).
 */
export type InsertSpec = Processor | { processor: Processor; automation: Record<string, AutomationLane> } | ProcessorSpec;

/** True when the insert is named by type (plain data) rather than given as an instance. */
export const isProcessorSpec = (spec: InsertSpec): spec is ProcessorSpec => 'processor' in spec && typeof spec.processor === 'string';

export interface SendSpec {
  /** Destination bus id. */
  bus: string;
  /** Send level, dB (−Infinity = off); automatable per sample. */
  levelDb: Automatable;
  /** Tap before the fader (default false: after it). Sends are always after the pan. */
  preFader?: boolean;
}

interface StripSpec {
  id: string;
  /** Insert chain, in order; instances built for the strip's channel count (specs are built for it). */
  processors?: InsertSpec[];
  /** Fader, dB (−Infinity = off); automatable per sample. Default 0. */
  gainDb?: Automatable;
  /** Mono tracks: position −1…+1 with panLaw. Stereo tracks and buses: balance −1…+1 with balanceLaw. Default 0. */
  pan?: Automatable;
  panLaw?: PanLaw;
  balanceLaw?: BalanceLaw;
  /** Silences the strip and everything it feeds (sends included, pre-fader ones too). */
  mute?: boolean;
  sends?: SendSpec[];
  /** Where the fader output goes: a bus id or 'master' (default). */
  output?: string;
}

export interface TrackSpec extends StripSpec {
  /** Planar source audio at the graph's sample rate: 1 (mono) or 2 (stereo) channels of equal length. */
  source: Float32Array[];
  /** When any track is soloed, the tracks that are not are muted (buses stay audible: solo in place). */
  solo?: boolean;
}

/** A stereo bus: sums its inputs, then inserts, balance and fader. */
export type BusSpec = StripSpec;

export interface MasterSpec {
  processors?: InsertSpec[];
  gainDb?: Automatable;
}

export interface MixGraphSpec {
  sampleRate: number;
  /** Frames per internal block (the output does not depend on it). */
  blockFrames: number;
  tracks: TrackSpec[];
  buses: BusSpec[];
  master: MasterSpec;
}

/** Processor parameter automation granularity, samples: set() at every multiple of this on the source timeline. */
export const AUTOMATION_STEP_FRAMES = 32;

/** The graph renders stereo. */
export const MIX_CHANNELS = 2;
