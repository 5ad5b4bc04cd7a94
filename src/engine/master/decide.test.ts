import { assert, test } from '../../../test/support/node-test.js';
import { decideMasterPlan, type DecideInput } from './decide.js';
import { tonalTargetFor } from './decide-target.js';
import { measureMaster } from './measure.js';
import { parseMasterPlan } from './plan.js';

const SR = 44100;
let seed = 9;
const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;

/** 12 s of a simple mix; `voice` adds to each sample (t seconds, i index) → [left, right]. */
function mix(voice: (t: number) => [number, number]): Float32Array[] {
  const n = SR * 12;
  const l = new Float32Array(n), r = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / SR, beat = t % 0.5;
    const kick = 0.4 * Math.sin(2 * Math.PI * 55 * beat) * Math.exp(-beat * 10);
    const chord = 0.05 * (Math.sin(2 * Math.PI * 220 * t) + Math.sin(2 * Math.PI * 277 * t) + Math.sin(2 * Math.PI * 330 * t));
    const [a, b] = voice(t);
    l[i] = kick + chord + 0.01 * rnd() + a;
    r[i] = kick + chord + 0.01 * rnd() + b;
  }
  return [l, r];
}

function input(channels: Float32Array[], overrides: Partial<DecideInput['intent']> = {}): DecideInput {
  const measurements = measureMaster({ sampleRate: SR, channels }, ['L', 'R']);
  return {
    measurements,
    intent: {
      target: 'spotify', intensity: 50, character: 'clean', widthPercent: 100, genre: 'pop', reference: null,
      loudnessLufs: null, ceilingDbtp: null, stereoOut: false, metadata: {}, ...overrides,
    },
    input: { file: 'mix.wav', sampleRate: SR, channels: 2, frames: channels[0].length },
    tonalTarget: tonalTargetFor(measurements, 'pop'),
    referenceCurves: null,
    createdBy: 'test',
  };
}

const stage = (plan: ReturnType<typeof decideMasterPlan>, id: string) => plan.stages.find((s) => s.id === id)!;

test('a decided plan is valid by its own schema, explains every stage, and is the same for the same measurements', () => {
  const decideInput = input(mix(() => [0, 0]));
  const plan = decideMasterPlan(decideInput);
  assert.deepEqual(parseMasterPlan(JSON.parse(JSON.stringify(plan))), plan);
  for (const s of plan.stages) assert.ok(s.why.length > 20 && s.summary.length > 0, s.id);
  assert.deepEqual(decideMasterPlan(decideInput), plan);
  assert.equal(plan.loudness.targetLufs, -14);
  assert.equal(plan.loudness.ceilingDbtp, -1);
});

test('sibilant bursts in a bright top are de-essed; the same mix without them is not', () => {
  const plain = decideMasterPlan(input(mix(() => [0, 0])));
  // "s" sounds: loud 6-9 kHz noise bursts, 80 ms, twice a second, over a bright vocal-like top.
  let hp = 0, last = 0;
  const esses = decideMasterPlan(input(mix((t) => {
    const x = rnd();
    hp = 0.6 * (hp + x - last); // crude high-pass: keeps the top of the noise
    last = x;
    const burst = (t % 0.5) < 0.08 ? 0.25 * hp : 0.004 * hp;
    return [burst, burst];
  })));
  assert.equal(stage(plain, 'de-ess').enabled, false, stage(plain, 'de-ess').why);
  assert.equal(stage(esses, 'de-ess').enabled, true, stage(esses, 'de-ess').why);
});

test('a wide, out-of-phase bass is folded to mono below 120 Hz; a centred one is left alone', () => {
  const centred = decideMasterPlan(input(mix(() => [0, 0])));
  const wide = decideMasterPlan(input(mix((t) => [0.2 * Math.sin(2 * Math.PI * 50 * t), 0.2 * Math.sin(2 * Math.PI * 50 * t + 2.5)])));
  assert.equal(stage(centred, 'width').enabled, false);
  const width = stage(wide, 'width');
  assert.equal(width.enabled, true, width.why);
  assert.match(width.summary, /^bass 0 %/);
  const side = (width.params as { sideCurve: { frequencyHz: number; gainDb: number }[] }).sideCurve;
  const at = (hz: number) => side.reduce((best, p) => (Math.abs(p.frequencyHz - hz) < Math.abs(best.frequencyHz - hz) ? p : best)).gainDb;
  assert.ok(at(60) <= -40 && Math.abs(at(1000)) < 0.01, `side gain ${at(60)} dB at 60 Hz, ${at(1000)} dB at 1 kHz`);
});

test('loudness: a target past the PLR floor is lowered to the floor unless asked for explicitly; intensity 0 keeps only loudness and corrections', () => {
  const channels = mix(() => [0, 0]);
  const jazzy = { ...input(channels, { target: 'spotify-loud', genre: 'jazz' }) };
  jazzy.tonalTarget = tonalTargetFor(jazzy.measurements, 'jazz');
  const floored = decideMasterPlan(jazzy);
  assert.equal(floored.loudness.plrFloorDb, 12);
  assert.equal(floored.loudness.targetLufs, -14); // -2 dBTP ceiling - 12 dB floor
  assert.match(floored.loudness.why, /floor/);
  const asked = decideMasterPlan({ ...jazzy, intent: { ...jazzy.intent, loudnessLufs: -11 } });
  assert.equal(asked.loudness.targetLufs, -11);
  assert.match(asked.loudness.why, /explicitly/);
  const gentle = decideMasterPlan(input(channels, { intensity: 0 }));
  for (const id of ['glue', 'punch', 'character', 'multiband', 'de-ess']) assert.equal(stage(gentle, id).enabled, false, id);
});
