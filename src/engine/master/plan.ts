// The master plan: plain, versioned JSON that says what the mastering chain does and why. Decisions
// write it, the renderer executes it, revisions edit it. Validated with zod at every boundary (a plan
// from disk or from the web goes through parseMasterPlan).
import { z } from 'zod';
import { PROCESSOR_PARAM_SCHEMAS, type ProcessorParams, type ProcessorType } from '../dsp/registry.js';

export const MASTER_PLAN_SCHEMA = 'mixmaster.master-plan';
export const MASTER_PLAN_VERSION = 1;

export const CHARACTERS = ['clean', 'warm', 'punchy', 'open'] as const;
export type Character = (typeof CHARACTERS)[number];

/** What each stage is for, in the order the chain runs them. */
export const STAGE_ROLES = ['eq', 'de-ess', 'multiband', 'glue', 'punch', 'width', 'character', 'loudness', 'limiter'] as const;
export type StageRole = (typeof STAGE_ROLES)[number];

const text = z.string().max(2000);

/** One move of the EQ explained: the curves are what runs, the moves are why. */
const eqMoveSchema = z.object({
  label: z.string().max(200),
  channel: z.enum(['mid', 'side', 'both']),
  frequencyHz: z.number().gt(0),
  gainDb: z.number().min(-48).max(48),
  why: text,
}).strict();
export type EqMove = z.infer<typeof eqMoveSchema>;

const stageBase = { id: z.string().min(1).max(64), role: z.enum(STAGE_ROLES), enabled: z.boolean(), summary: text, why: text };
const stageSchema = z.discriminatedUnion('processor', (Object.keys(PROCESSOR_PARAM_SCHEMAS) as ProcessorType[]).map((type) =>
  z.object({ ...stageBase, processor: z.literal(type), params: PROCESSOR_PARAM_SCHEMAS[type], moves: z.array(eqMoveSchema).max(64).optional() }).strict(),
) as unknown as [z.ZodObject, ...z.ZodObject[]]);

export interface MasterStage<T extends ProcessorType = ProcessorType> {
  id: string;
  role: StageRole;
  enabled: boolean;
  summary: string;
  why: string;
  processor: T;
  params: ProcessorParams<T>;
  moves?: EqMove[];
}

const metadataSchema = z.object({
  title: z.string().max(500), artist: z.string().max(500), album: z.string().max(500), albumArtist: z.string().max(500),
  year: z.string().max(20), genre: z.string().max(100), track: z.number().int().min(1).max(999), isrc: z.string().regex(/^[A-Z]{2}-?[A-Z0-9]{3}-?\d{2}-?\d{5}$/, 'ISRC must look like CC-XXX-YY-NNNNN'),
  comment: z.string().max(2000), encodedBy: z.string().max(200),
}).partial().strict();

/** Stem mastering: each group's file, its gain and its own small chain, before the sum is mastered. */
export const STEM_GROUPS = ['DRUMS', 'BASS', 'INSTRUMENTS', 'VOCALS', 'VOCAL FX', 'BV', 'OTHER'] as const;
export type StemGroup = (typeof STEM_GROUPS)[number];
const stemSchema = z.object({
  group: z.enum(STEM_GROUPS),
  file: z.string().max(1000),
  gainDb: z.number().min(-12).max(12),
  stages: z.array(stageSchema).max(8),
  why: text,
}).strict();

export const masterPlanSchema = z.object({
  schema: z.literal(MASTER_PLAN_SCHEMA),
  version: z.literal(MASTER_PLAN_VERSION),
  createdBy: z.string().max(200),
  /** The input the plan was decided for (a re-render on other audio is allowed, and noted). */
  input: z.object({ file: z.string().max(1000), sampleRate: z.number().int().positive(), channels: z.number().int().min(1).max(2), frames: z.number().int().min(0) }).strict(),
  intent: z.object({
    target: z.string().max(64),
    intensity: z.number().min(0).max(100),
    character: z.enum(CHARACTERS),
    widthPercent: z.number().min(0).max(200),
    genre: z.string().max(100).nullable(),
    reference: z.string().max(1000).nullable(),
  }).strict(),
  loudness: z.object({
    /** Integrated loudness the limiter drive is calibrated to reach; null: the drive is used as written. */
    targetLufs: z.number().min(-40).max(-3).nullable(),
    ceilingDbtp: z.number().min(-20).max(0),
    /** Don't-crush floor: the master's PLR (true peak minus integrated loudness) is kept at or above it. */
    plrFloorDb: z.number().min(0).max(30),
    why: text,
  }).strict(),
  stages: z.array(stageSchema).max(32),
  /** Present in stem mastering: the groups summed (after their own processing) into the mix that is mastered. */
  stems: z.array(stemSchema).max(32).optional(),
  delivery: z.object({
    /** Dither for the 16-bit file: TPDF or a noise-shaped TPDF. */
    dither16: z.enum(['tpdf', 'lipshitz', 'f-weighted', 'modified-e-weighted', 'improved-e-weighted']),
    /** Channels delivered: the source's, or mono made stereo (only when asked). */
    channels: z.enum(['source', 'stereo']),
    /** How far a decoded MP3 may exceed the ceiling before the MP3 is re-limited (dB). */
    lossyAllowanceDb: z.number().min(0).max(3),
    metadata: metadataSchema,
  }).strict(),
}).strict();

export interface StemPlan {
  group: StemGroup;
  file: string;
  gainDb: number;
  stages: MasterStage[];
  why: string;
}

export type MasterPlan = Omit<z.infer<typeof masterPlanSchema>, 'stages' | 'stems'> & { stages: MasterStage[]; stems?: StemPlan[] };

/** Validates a plan (parsed JSON); throws one readable line naming the first problem and where it is. */
export function parseMasterPlan(value: unknown): MasterPlan {
  if (value && typeof value === 'object' && 'version' in value && (value as { version: unknown }).version !== MASTER_PLAN_VERSION
    && (value as { schema?: unknown }).schema === MASTER_PLAN_SCHEMA) {
    throw new Error(`master plan version ${String((value as { version: unknown }).version)} is not supported (this build reads version ${MASTER_PLAN_VERSION})`);
  }
  const result = masterPlanSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue.path.length ? issue.path.map(String).join('.') : 'plan';
    throw new Error(`invalid master plan: ${where}: ${issue.message}`);
  }
  const plan = result.data as unknown as MasterPlan;
  const ids = new Set<string>();
  for (const stage of plan.stages) {
    if (ids.has(stage.id)) throw new Error(`invalid master plan: stages: duplicate stage id '${stage.id}'`);
    ids.add(stage.id);
  }
  const limiters = plan.stages.filter((s) => s.processor === 'limiter' && s.enabled);
  if (limiters.length !== 1 || plan.stages[plan.stages.length - 1] !== limiters[0]) {
    throw new Error('invalid master plan: stages: exactly one enabled limiter must come last (it guarantees the ceiling)');
  }
  return plan;
}

/** The enabled limiter stage (parseMasterPlan guarantees there is exactly one, last). */
export function limiterStage(plan: MasterPlan): MasterStage<'limiter'> {
  return plan.stages[plan.stages.length - 1] as MasterStage<'limiter'>;
}
