// Inserts named as plain data, `{ processor: type, params }`, built through the processor registry
// (dsp/registry.ts) for the strip they sit on. A graph whose track inserts are all named this way can be
// rendered on worker threads (instances cannot cross a thread boundary), and the single-thread renderer
// builds the very same processors from the same spec, so both renders agree to the bit.
//
// The registry has no parametric (biquad) equalizer yet, which every channel strip needs (high-pass
// and EQ bands), so the mix adds 'equalizer' here; a registry entry of that name, if one is added,
// takes precedence.
import { z } from 'zod';
import type { Processor } from '../dsp/api.js';
import type { BiquadType } from '../dsp/filters/biquad.js';
import { Equalizer, MAX_EQUALIZER_BANDS } from '../dsp/filters/equalizer.js';
import { createProcessor, PROCESSOR_PARAM_SCHEMAS, type ProcessorType } from '../dsp/registry.js';
import { Compressor, type CompressorParams } from '../dsp/dynamics/compressor.js';
import { DeEsser, type DeEsserParams } from '../dsp/dynamics/de-esser.js';
import type { KernelHeap } from '../dsp/utility/kernel-heap.js';

const BAND_TYPES: [BiquadType, ...BiquadType[]] = ['peaking', 'lowShelf', 'highShelf', 'lowPass', 'highPass', 'bandPass', 'notch', 'allPass'];

export const biquadBandSchema = z.object({
  type: z.enum(BAND_TYPES), frequencyHz: z.number().gt(0).max(192000), q: z.number().gt(0).max(100), gainDb: z.number().min(-48).max(48),
}).partial().strict();

/** Processor types the mix adds to the registry's. */
const MIX_ONLY_SCHEMAS = {
  /** RBJ biquad bands in series (dsp/filters/equalizer.ts): a strip's high-pass and EQ in one insert. */
  equalizer: z.object({ bands: z.array(biquadBandSchema).min(1).max(MAX_EQUALIZER_BANDS) }).strict(),
} as const;

/** Parameter schemas of every processor type an insert may name: the registry's, plus the mix's own. */
export const MIX_PROCESSOR_PARAM_SCHEMAS = { ...MIX_ONLY_SCHEMAS, ...PROCESSOR_PARAM_SCHEMAS };

export type MixProcessorType = keyof typeof MIX_PROCESSOR_PARAM_SCHEMAS;
export type MixProcessorParams<T extends MixProcessorType> = z.input<(typeof MIX_PROCESSOR_PARAM_SCHEMAS)[T]>;

const MIX_FACTORIES: Record<keyof typeof MIX_ONLY_SCHEMAS, (sampleRate: number, channelCount: number, params: never) => Processor> = {
  equalizer: (sr, ch, p: z.output<typeof MIX_ONLY_SCHEMAS.equalizer>) => new Equalizer(sr, ch, p),
};

/**
 * Builds the processor a spec names, for a strip's rate and channel count. The parameters are
 * checked against the type's schema first (units and ranges), so a plan from disk fails here, named.
 */
export function createMixProcessor(type: MixProcessorType, sampleRate: number, channelCount: number, params: unknown, label = 'insert'): Processor {
  const data = parseMixParams(type, params, label);
  if (type in PROCESSOR_PARAM_SCHEMAS) return createProcessor(type as ProcessorType, sampleRate, channelCount, data as never);
  return MIX_FACTORIES[type as keyof typeof MIX_ONLY_SCHEMAS](sampleRate, channelCount, data as never);
}

/** The spec's parameters checked against its type's schema (units, ranges), or a RangeError naming the insert. */
function parseMixParams(type: MixProcessorType, params: unknown, label: string): unknown {
  const schema = MIX_PROCESSOR_PARAM_SCHEMAS[type] as z.ZodType | undefined;
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
      const p = data as z.output<typeof MIX_ONLY_SCHEMAS.equalizer>;
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
