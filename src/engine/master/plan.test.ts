import { assert, test } from '../../../test/support/node-test.js';
import { parseMasterPlan, type MasterPlan } from './plan.js';

const minimal = (): MasterPlan => ({
  schema: 'mixmaster.master-plan', version: 1, createdBy: 'test',
  input: { file: 'mix.wav', sampleRate: 44100, channels: 2, frames: 441000 },
  intent: { target: 'spotify', intensity: 50, character: 'clean', widthPercent: 100, genre: null, reference: null },
  loudness: { targetLufs: -14, ceilingDbtp: -1, plrFloorDb: 8, why: 'test' },
  stages: [
    { id: 'eq', role: 'eq', processor: 'mid-side-eq', enabled: true, params: { midCurve: [{ frequencyHz: 100, gainDb: 1 }], sideCurve: null }, summary: '', why: '' },
    { id: 'limiter', role: 'limiter', processor: 'limiter', enabled: true, params: { ceilingDb: -1 }, summary: '', why: '' },
  ],
  delivery: { dither16: 'tpdf', channels: 'source', lossyAllowanceDb: 0.5, metadata: { title: 'Song' } },
});

test('a valid plan round-trips through JSON unchanged', () => {
  const plan = minimal();
  assert.deepEqual(parseMasterPlan(JSON.parse(JSON.stringify(plan))), plan);
});

test('invalid plans give one line naming the field', () => {
  const cases: [string, (p: any) => void, RegExp][] = [
    ['wrong schema', (p) => { p.schema = 'other'; }, /schema/],
    ['future version', (p) => { p.version = 2; }, /version 2 is not supported/],
    ['unknown processor', (p) => { p.stages[0].processor = 'fuzz'; }, /stages\.0/],
    ['ratio out of range', (p) => { p.stages.splice(1, 0, { id: 'glue', role: 'glue', processor: 'compressor', enabled: true, params: { ratio: 0.5 }, summary: '', why: '' }); }, /stages\.1\.params\.ratio/],
    ['unknown parameter', (p) => { p.stages[1].params.loudness = 3; }, /stages\.1\.params/],
    ['no limiter last', (p) => { p.stages.reverse(); }, /limiter must come last/],
    ['limiter disabled', (p) => { p.stages[1].enabled = false; }, /limiter must come last/],
    ['duplicate ids', (p) => { p.stages[0].id = 'limiter'; }, /duplicate stage id/],
    ['bad ISRC', (p) => { p.delivery.metadata.isrc = 'nope'; }, /isrc/],
    ['ceiling above 0', (p) => { p.loudness.ceilingDbtp = 1; }, /loudness\.ceilingDbtp/],
  ];
  for (const [label, mutate, pattern] of cases) {
    const plan = JSON.parse(JSON.stringify(minimal()));
    mutate(plan);
    assert.throws(() => parseMasterPlan(plan), (error: Error) => pattern.test(error.message) && !error.message.includes('\n'), label);
  }
});
