// Inserts named as plain data, `{ processor: type, params }`, built through the processor registry
// (dsp/registry.ts) for the strip they sit on. A graph whose track inserts are all named this way can be
// rendered on worker threads (instances cannot cross a thread boundary), and the single-thread renderer
// builds the very same processors from the same spec, so both renders agree to the bit.
import { z } from 'zod';
import type { Processor } from '../dsp/api.js';
import { Equalizer } from '../dsp/filters/equalizer.js';
import { createProcessor, PROCESSOR_PARAM_SCHEMAS, type ProcessorParams, type ProcessorType } from '../dsp/registry.js';
import { Compressor, type CompressorParams } from '../dsp/dynamics/compressor.js';
import { DeEsser, type DeEsserParams } from '../dsp/dynamics/de-esser.js';
import type { KernelHeap } from '../dsp/utility/kernel-heap.js';

/** The processor types an insert may name: the registry's. */
export type MixProcessorType = ProcessorType;
export type MixProcessorParams<T extends MixProcessorType> = z.input<(typeof PROCESSOR_PARAM_SCHEMAS)[T]>;

/**
 * Builds the processor a spec names, for a strip's rate and channel count. The parameters are
 * checked against the type's schema first (units and ranges), so a plan from disk fails here, named.
 */
export function createMixProcessor(type: MixProcessorType, sampleRate: number, channelCount: number, params: unknown, label = 'insert'): Processor {
  return createProcessor(type, sampleRate, channelCount, parseMixParams(type, params, label) as never);
}

/** The spec's parameters checked against its type's schema (units, ranges), or a RangeError naming the insert. */
function parseMixParams(type: MixProcessorType, params: unknown, label: string): unknown {
  const schema = PROCESSOR_PARAM_SCHEMAS[type] as z.ZodType | undefined;
  if (!schema) throw new RangeError(`${label}: unknown processor type '${String(type)}'`);
  const parsed = schema.safeParse(params ?? {});
  if (!parsed.success) throw new RangeError(`${label} (${type}): ${parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Types that can work in a shared KernelHeap (utility/heap-chain.ts): a strip's EQ, compressor and de-esser. */
export const HEAP_PROCESSOR_TYPES: ReadonlySet<MixProcessorType> = new Set(['equalizer', 'compressor', 'de-esser']);

/**
 * A maker for a HeapChain: the processor a spec of a HEAP_PROCESSOR_TYPES type names, stereo, on the
 * chain's heap. The parameters are checked now, so a bad spec fails when the chain is planned.
 */
export function mixHeapProcessorMaker(type: MixProcessorType, sampleRate: number, params: unknown, label = 'insert'): HeapMaker {
  const data = parseMixParams(type, params, label);
  switch (type) {
    case 'equalizer': {
      const p = data as ProcessorParams<'equalizer'>;
      return { make: (heap) => new Equalizer(sampleRate, 2, p, heap), heapBytes: Equalizer.heapBytes(2, p.bands.length) };
    }
    case 'compressor': {
      const p = data as Partial<CompressorParams>;
      return { make: (heap) => new Compressor(sampleRate, 2, p, heap), heapBytes: Compressor.heapBytes(sampleRate, 2, p.lookaheadSeconds ?? 0) };
    }
    case 'de-esser': return { make: (heap) => new DeEsser(sampleRate, 2, data as Partial<DeEsserParams>, heap), heapBytes: DeEsser.heapBytes(sampleRate, 2) };
    default: throw new RangeError(`${label}: '${String(type)}' does not run in a kernel heap`);
  }
}

/** A processor to build on a HeapChain's heap, and the heap bytes it takes there. */
export interface HeapMaker {
  make: (heap: KernelHeap | null) => Processor;
  heapBytes: number;
}
