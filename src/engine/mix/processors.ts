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
  const schema = MIX_PROCESSOR_PARAM_SCHEMAS[type] as z.ZodType | undefined;
  if (!schema) throw new RangeError(`${label}: unknown processor type '${String(type)}'`);
  const parsed = schema.safeParse(params ?? {});
  if (!parsed.success) throw new RangeError(`${label} (${type}): ${parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')}`);
  if (type in PROCESSOR_PARAM_SCHEMAS) return createProcessor(type as ProcessorType, sampleRate, channelCount, parsed.data as never);
  return MIX_FACTORIES[type as keyof typeof MIX_ONLY_SCHEMAS](sampleRate, channelCount, parsed.data as never);
}
