// An insert chain at run time: processors in order, each told its parameter automation at fixed
// positions of the source timeline (every AUTOMATION_STEP_FRAMES samples), so the set() calls land on
// the same samples however the render is cut into blocks.
import type { ParametricProcessor, Processor } from '../dsp/api.js';
import { AUTOMATION_STEP_FRAMES, isProcessorSpec, type InsertSpec, type ProcessorSpec } from './api.js';
import { CompiledLane } from './automation.js';
import { createMixProcessor, HEAP_PROCESSOR_TYPES, mixHeapProcessorMaker } from './processors.js';
import { HeapChain } from '../dsp/utility/heap-chain.js';

interface AutomatedParam {
  name: string;
  lane: CompiledLane;
  last: number;
}

interface Insert {
  processor: Processor;
  params: AutomatedParam[];
  /** Reused set() argument (set() implementations copy it; none keeps a reference). */
  arg: Record<string, number>;
  /** Latency of the signal entering this processor: source sample = render position − inputSamples. */
  inputSamples: number;
}

/** An insert whose processor is built: an instance, alone or with lanes. */
export type ResolvedInsert = Exclude<InsertSpec, ProcessorSpec>;

const isAutomated = (spec: ResolvedInsert): spec is Exclude<ResolvedInsert, Processor> => 'processor' in spec;

export const processorOf = (spec: ResolvedInsert): Processor => (isAutomated(spec) ? spec.processor : spec);

/** Sum of the declared latencies of an insert list. */
export const chainLatency = (specs: ResolvedInsert[]): number => specs.reduce((sum, spec) => sum + processorOf(spec).latency, 0);

/**
 * Builds the processors that inserts name (ProcessorSpec) for a strip's rate and channel count, through
 * the registry; instances pass through. Every renderer (one thread or several) builds them here. Runs of
 * stereo EQ / compressor / de-esser specs become one HeapChain (so there may be fewer resolved inserts
 * than specs; latency and output are the same).
 */
export function resolveInserts(specs: InsertSpec[], sampleRate: number, channelCount: number, label: string): ResolvedInsert[] {
  const resolved: ResolvedInsert[] = [];
  for (let index = 0; index < specs.length;) {
    const spec = specs[index];
    // Two or more stereo strip processors in a row without automation: one HeapChain, so the block goes
    // into WebAssembly memory once for all of them (bit-identical to running them one after the other).
    let run = 0;
    while (channelCount === 2 && index + run < specs.length && heapable(specs[index + run])) run++;
    if (run >= 2) {
      const makers = specs.slice(index, index + run).map((s, k) => {
        const named = s as ProcessorSpec;
        return mixHeapProcessorMaker(named.processor, sampleRate, named.params, `${label} insert ${index + k}`);
      });
      const heapBytes = makers.reduce((sum, m) => sum + m.heapBytes, HEAP_CHAIN_OWN_BYTES);
      resolved.push(new HeapChain(sampleRate, makers.map((m) => m.make), { heapBytes }));
      index += run;
      continue;
    }
    if (!isProcessorSpec(spec)) resolved.push(spec);
    else {
      const processor = createMixProcessor(spec.processor, sampleRate, channelCount, spec.params, `${label} insert ${index}`);
      // Checked here, where the insert's index is the spec's (a HeapChain before it shifts the resolved list).
      if (spec.automation) checkAutomation(processor, spec.automation, `${label} insert ${index}`);
      resolved.push(spec.automation ? { processor, automation: spec.automation } : processor);
    }
    index++;
  }
  return resolved;
}

/** The processor can take the lanes' parameters: it has set() and every parameter named. */
function checkAutomation(processor: Processor, automation: Record<string, unknown>, label: string): void {
  const parametric = processor as ParametricProcessor<Record<string, unknown>>;
  for (const name of Object.keys(automation)) {
    if (typeof parametric.set !== 'function') throw new TypeError(`${label}: automating '${name}' needs a ParametricProcessor (set())`);
    if (parametric.params && !(name in parametric.params)) throw new RangeError(`${label}: the processor has no parameter '${name}'`);
  }
}

/** Heap bytes of a HeapChain's own block (no sends here) with room for alignment. */
const HEAP_CHAIN_OWN_BYTES = 64 << 10;

/** A spec that can join a HeapChain: named, of a heap type, not automated (set() per processor). */
const heapable = (spec: InsertSpec): boolean => isProcessorSpec(spec) && !spec.automation && HEAP_PROCESSOR_TYPES.has(spec.processor);

export class InsertChain {
  readonly latency: number;
  /** True when there are no processors. */
  readonly empty: boolean;
  private readonly inserts: Insert[];
  private readonly scratch: Float32Array[];

  constructor(specs: ResolvedInsert[], private readonly channelCount: number, sampleRate: number, inputSamples: number, label: string) {
    let latency = inputSamples;
    this.inserts = specs.map((spec, index) => {
      const processor = processorOf(spec);
      const params: AutomatedParam[] = [];
      if (isAutomated(spec)) {
        checkAutomation(processor, spec.automation, `${label} insert ${index}`);
        for (const [name, lane] of Object.entries(spec.automation)) {
          params.push({ name, lane: new CompiledLane(lane, sampleRate, `${label} insert ${index} ${name}`), last: NaN });
        }
      }
      const insert: Insert = { processor, params, arg: Object.fromEntries(params.map((p) => [p.name, 0])), inputSamples: latency };
      latency += processor.latency;
      return insert;
    });
    this.latency = latency - inputSamples;
    this.empty = this.inserts.length === 0;
    this.scratch = Array.from({ length: channelCount }, () => new Float32Array(AUTOMATION_STEP_FRAMES));
    this.reset();
  }

  /** Applies the lanes' values at source sample `source`; calls set() only when one changed. */
  private apply(insert: Insert, source: number): void {
    let changed = false;
    for (let j = 0; j < insert.params.length; j++) {
      const param = insert.params[j];
      const value = param.lane.valueAt(source);
      if (value !== param.last) {
        param.last = value;
        changed = true;
      }
      insert.arg[param.name] = value;
    }
    if (changed) (insert.processor as ParametricProcessor<Record<string, number>>).set(insert.arg);
  }

  /** Processes `frames` samples in place; `renderPosition` is the graph's sample clock at buffers[·][0]. */
  process(buffers: Float32Array[], frames: number, renderPosition: number): void {
    for (let j = 0; j < this.inserts.length; j++) {
      const insert = this.inserts[j];
      if (insert.params.length === 0) {
        insert.processor.process(buffers, frames);
        continue;
      }
      const start = renderPosition - insert.inputSamples;
      let i = 0;
      while (i < frames) {
        const phase = (((start + i) % AUTOMATION_STEP_FRAMES) + AUTOMATION_STEP_FRAMES) % AUTOMATION_STEP_FRAMES;
        if (phase === 0) this.apply(insert, start + i);
        const n = Math.min(frames - i, AUTOMATION_STEP_FRAMES - phase);
        for (let c = 0; c < this.channelCount; c++) {
          const from = buffers[c];
          const to = this.scratch[c];
          for (let k = 0; k < n; k++) to[k] = from[i + k];
        }
        insert.processor.process(this.scratch, n);
        for (let c = 0; c < this.channelCount; c++) {
          const from = this.scratch[c];
          const to = buffers[c];
          for (let k = 0; k < n; k++) to[i + k] = from[k];
        }
        i += n;
      }
    }
  }

  /**
   * Back to the start of the render: each automated processor gets its lanes' values at the first
   * sample it will see (render position 0), then reset() so it starts there without a ramp.
   */
  reset(): void {
    for (const insert of this.inserts) {
      for (const param of insert.params) param.last = NaN;
      if (insert.params.length > 0) this.apply(insert, -insert.inputSamples);
      insert.processor.reset();
    }
  }
}
