// Processors by name: the bridge between plans (plain JSON: a processor type and its parameters) and
// running Processor instances. Every type has a zod schema for its parameters, so a plan read from disk
// or from the web is checked, with units and ranges, before anything is built from it. A plan that
// names processors this way can also cross a worker-thread boundary (instances cannot).
import { z } from 'zod';
import type { Processor } from './api.js';
import { Saturation } from './color/saturation.js';
import { Tape } from './color/tape.js';
import { Compressor } from './dynamics/compressor.js';
import { DeEsser } from './dynamics/de-esser.js';
import { Limiter } from './dynamics/limiter.js';
import { MultibandCompressor } from './dynamics/multiband-compressor.js';
import { TransientShaper } from './dynamics/transient-shaper.js';
import { BandWidth } from './stereo/band-width.js';
import { MidSideEq } from './stereo/mid-side-eq.js';
import { Width } from './stereo/width.js';
import { Gain } from './utility/gain.js';
import { Equalizer, MAX_EQUALIZER_BANDS } from './filters/equalizer.js';
import { BIQUAD_TYPES } from './filters/biquad.js';

const db = (min: number, max: number) => z.number().min(min).max(max);
const seconds = (max: number) => z.number().min(0).max(max);
const hz = z.number().gt(0).max(192000);

export const curvePointSchema = z.object({ frequencyHz: hz, gainDb: db(-48, 48) }).strict();
const curveSchema = z.array(curvePointSchema).min(1).max(512);

export const compressorParamsSchema = z.object({
  thresholdDb: db(-80, 0), ratio: z.number().min(1).max(1000), kneeDb: db(0, 48),
  attackSeconds: seconds(1), releaseSeconds: seconds(10), autoRelease: z.boolean(), detector: z.enum(['peak', 'rms']),
  rmsWindowSeconds: seconds(1), lookaheadSeconds: seconds(0.1), stereoLink: z.number().min(0).max(1),
  sidechainHpfHz: z.number().min(0).max(20000), makeupDb: db(-24, 48), rangeDb: z.number().min(0).max(200), autoMakeup: z.boolean(),
}).partial().strict();

/** One RBJ biquad band (filters/biquad.ts); missing fields take BIQUAD_DEFAULTS. */
export const biquadBandSchema = z.object({
  type: z.enum(BIQUAD_TYPES), frequencyHz: hz, q: z.number().gt(0).max(100), gainDb: db(-48, 48),
}).partial().strict();

/** Parameter schemas by processor type. */
export const PROCESSOR_PARAM_SCHEMAS = {
  gain: z.object({ gainDb: db(-120, 48) }).strict(),
  /** RBJ biquad bands in series (filters/equalizer.ts): a strip's high-pass and EQ in one processor. */
  equalizer: z.object({ bands: z.array(biquadBandSchema).min(1).max(MAX_EQUALIZER_BANDS) }).strict(),
  'mid-side-eq': z.object({ midCurve: curveSchema, sideCurve: curveSchema.nullable() }).strict(),
  compressor: compressorParamsSchema,
  'multiband-compressor': z.object({
    frequenciesHz: z.array(hz).min(1).max(4), bands: z.array(compressorParamsSchema).max(5), lookaheadSeconds: seconds(0.1),
  }).partial().strict(),
  'de-esser': z.object({
    frequencyHz: hz, detector: z.enum(['bandPass', 'highPass']), detectorQ: z.number().gt(0).max(20), splitHz: hz,
    thresholdDb: db(-80, 0), ratio: z.number().min(1).max(100), rangeDb: db(0, 48), attackSeconds: seconds(1),
    releaseSeconds: seconds(5), stereoLink: z.number().min(0).max(1),
  }).partial().strict(),
  'transient-shaper': z.object({ attackDb: db(-24, 24), sustainDb: db(-24, 24) }).partial().strict(),
  width: z.object({ widthPercent: z.number().min(0).max(200), bassMonoHz: z.number().min(0).max(1000) }).partial().strict(),
  'band-width': z.object({ frequenciesHz: z.array(hz).min(1).max(4), widthsPercent: z.array(z.number().min(0).max(200)).min(2).max(5) }).strict(),
  saturation: z.object({
    mode: z.enum(['tanh', 'tube', 'hard']), driveDb: db(0, 48), outputDb: db(-48, 24), autoGain: z.boolean(), mix: z.number().min(0).max(1),
  }).partial().strict(),
  tape: z.object({ speedIps: z.union([z.literal(15), z.literal(30)]), driveDb: db(0, 24), headBumpDb: db(0, 4), wowFlutter: z.number().min(0).max(1) }).partial().strict(),
  limiter: z.object({
    ceilingDb: db(-20, 0), releaseSeconds: z.number().min(0.001).max(5), adaptiveRelease: z.boolean(), holdSeconds: seconds(0.1),
    lookaheadSeconds: seconds(0.02), inputGainDb: db(-24, 36),
  }).partial().strict(),
} as const;

export type ProcessorType = keyof typeof PROCESSOR_PARAM_SCHEMAS;
export type ProcessorParams<T extends ProcessorType> = z.infer<(typeof PROCESSOR_PARAM_SCHEMAS)[T]>;
export const PROCESSOR_TYPES = Object.keys(PROCESSOR_PARAM_SCHEMAS) as ProcessorType[];

type Factory<T extends ProcessorType> = (sampleRate: number, channelCount: number, params: ProcessorParams<T>) => Processor;

const FACTORIES: { [T in ProcessorType]: Factory<T> } = {
  gain: (sr, ch, p) => new Gain(sr, ch, p),
  equalizer: (sr, ch, p) => new Equalizer(sr, ch, p),
  'mid-side-eq': (sr, ch, p) => new MidSideEq(sr, ch, p),
  compressor: (sr, ch, p) => new Compressor(sr, ch, p),
  'multiband-compressor': (sr, ch, p) => new MultibandCompressor(sr, ch, p),
  'de-esser': (sr, ch, p) => new DeEsser(sr, ch, p),
  'transient-shaper': (sr, ch, p) => new TransientShaper(sr, ch, p),
  width: (sr, ch, p) => new Width(sr, ch, p),
  'band-width': (sr, ch, p) => new BandWidth(sr, ch, p),
  saturation: (sr, ch, p) => new Saturation(sr, ch, p),
  tape: (sr, ch, p) => new Tape(sr, ch, p),
  limiter: (sr, ch, p) => new Limiter(sr, ch, p),
};

/** Builds a processor from its type and (already validated) parameters. */
export function createProcessor<T extends ProcessorType>(type: T, sampleRate: number, channelCount: number, params: ProcessorParams<T>): Processor {
  const factory = FACTORIES[type] as Factory<T> | undefined;
  if (!factory) throw new RangeError(`unknown processor type '${String(type)}'`);
  return factory(sampleRate, channelCount, params);
}
