import { assert, test } from '../../../test/support/node-test.js';
import { Compressor } from '../dsp/dynamics/compressor.js';
import { Equalizer } from '../dsp/filters/equalizer.js';
import { Saturation } from '../dsp/color/saturation.js';
import type { MixGraphSpec } from './api.js';
import { isProcessorSpec } from './api.js';
import { createMixProcessor } from './processors.js';
import { MixRenderer } from './renderer.js';
import { noise } from '../../../test/support/dynamics-signals.js';

const RATE = 48000;


const EQ = { bands: [{ type: 'highPass' as const, frequencyHz: 80 }, { type: 'peaking' as const, frequencyHz: 2500, q: 1, gainDb: 3 }] };
const COMP = { thresholdDb: -24, ratio: 4, lookaheadSeconds: 0.002 };
const THRESHOLD_LANE = { points: [{ timeSeconds: 0.1, value: -30 }, { timeSeconds: 0.4, value: -10 }] };

test('inserts named by type ({ processor, params }) render exactly like the same processors given as instances', () => {
  const frames = RATE / 2;
  const stereo = [noise(frames, 0.3, 1), noise(frames, 0.3, 2)];
  const mono = [noise(frames, 0.3, 3)];
  const spec = (named: boolean): MixGraphSpec => ({
    sampleRate: RATE, blockFrames: 300,
    tracks: [
      {
        id: 'a', source: stereo, sends: [{ bus: 'fx', levelDb: -6 }],
        processors: named
          ? [{ processor: 'equalizer', params: EQ }, { processor: 'compressor', params: COMP, automation: { thresholdDb: THRESHOLD_LANE } }]
          : [new Equalizer(RATE, 2, EQ), { processor: new Compressor(RATE, 2, COMP), automation: { thresholdDb: THRESHOLD_LANE } }],
      },
      // A mono track: its processors are built mono.
      { id: 'b', source: mono, pan: -0.4, processors: named ? [{ processor: 'equalizer', params: EQ }] : [new Equalizer(RATE, 1, EQ)] },
    ],
    buses: [{ id: 'fx', processors: named ? [{ processor: 'saturation', params: { driveDb: 6 } }] : [new Saturation(RATE, 2, { driveDb: 6 })] }],
    master: { processors: named ? [{ processor: 'compressor', params: { thresholdDb: -12 } }] : [new Compressor(RATE, 2, { thresholdDb: -12 })] },
  });
  const named = new MixRenderer(spec(true));
  const instances = new MixRenderer(spec(false));
  assert.equal(named.latencySamples, 96 + 64, 'compressor look-ahead on the track, then the saturation bus');
  assert.equal(named.latencySamples, instances.latencySamples);
  const a = named.renderAll();
  assert.deepEqual(a, instances.renderAll());
  assert.ok(a.channels[0].some((v) => Math.abs(v) > 0.01), 'not silent');
  assert.equal(JSON.stringify(JSON.parse(JSON.stringify(spec(true).tracks[0].processors))), JSON.stringify(spec(true).tracks[0].processors), 'plain data');
});

test('processor specs: unknown types and out-of-range parameters are named errors', () => {
  assert.ok(isProcessorSpec({ processor: 'compressor', params: {} }));
  assert.ok(!isProcessorSpec(new Equalizer(RATE, 2, EQ)));
  assert.ok(!isProcessorSpec({ processor: new Equalizer(RATE, 2, EQ), automation: {} }));
  assert.throws(() => createMixProcessor('nope' as never, RATE, 2, {}), /unknown processor type 'nope'/);
  assert.throws(() => createMixProcessor('compressor', RATE, 2, { ratio: 0.5 }), /compressor.*ratio/);
  assert.throws(() => createMixProcessor('equalizer', RATE, 2, { bands: [] }), /equalizer.*bands/);
  const bad: MixGraphSpec = {
    sampleRate: RATE, blockFrames: 64, buses: [], master: {},
    tracks: [{ id: 'v', source: [noise(100, 0.3, 4)], processors: [{ processor: 'equalizer', params: EQ }, { processor: 'compressor', params: { thresholdDb: 3 } }] }],
  };
  assert.throws(() => new MixRenderer(bad), /v insert 1 \(compressor\): thresholdDb/);
});

test('a run of stereo EQ / compressor / de-esser specs becomes one HeapChain that renders exactly like the separate processors', async () => {
  const { DeEsser } = await import('../dsp/dynamics/de-esser.js');
  const { HeapChain } = await import('../dsp/utility/heap-chain.js');
  const { resolveInserts } = await import('./inserts.js');
  const frames = RATE;
  const stereo = [noise(frames, 0.3, 5), noise(frames, 0.3, 6)];
  const DEESS = { frequencyHz: 7000, thresholdDb: -40 };
  const specs = [
    { processor: 'equalizer' as const, params: EQ }, { processor: 'compressor' as const, params: COMP }, { processor: 'de-esser' as const, params: DEESS },
    { processor: 'saturation' as const, params: { driveDb: 3 } },
  ];
  const resolved = resolveInserts(specs, RATE, 2, 'v');
  assert.equal(resolved.length, 2, 'EQ, compressor and de-esser in one chain, then the saturation');
  assert.ok(resolved[0] instanceof HeapChain && (resolved[0] as InstanceType<typeof HeapChain>).inHeap, 'the chain runs in its heap');
  assert.equal(resolveInserts(specs, RATE, 1, 'm').length, 4, 'mono strips are not chained');
  const automated = [specs[0], { ...specs[1], automation: { thresholdDb: THRESHOLD_LANE } }, specs[2]];
  assert.equal(resolveInserts(automated, RATE, 2, 'a').length, 3, 'an automated processor stays on its own (set() per processor)');
  const lateLane = [specs[0], specs[1], { ...specs[3], automation: { nope: THRESHOLD_LANE } }];
  assert.throws(() => resolveInserts(lateLane, RATE, 2, 'a'), /a insert 2: the processor has no parameter 'nope'/, 'errors name the spec index after a chain');
  const spec = (named: boolean): MixGraphSpec => ({
    sampleRate: RATE, blockFrames: 333, buses: [], master: {},
    tracks: [{
      id: 'v', source: stereo,
      processors: named ? specs : [new Equalizer(RATE, 2, EQ), new Compressor(RATE, 2, COMP), new DeEsser(RATE, 2, DEESS), new Saturation(RATE, 2, { driveDb: 3 })],
    }],
  });
  const chained = new MixRenderer(spec(true));
  const separate = new MixRenderer(spec(false));
  assert.equal(chained.latencySamples, separate.latencySamples);
  const a = chained.renderAll();
  assert.deepEqual(a, separate.renderAll());
  assert.ok(a.channels[0].some((v) => Math.abs(v) > 0.01), 'not silent');
});
