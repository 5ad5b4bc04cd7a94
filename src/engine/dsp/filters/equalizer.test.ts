import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { Biquad, biquadCoefficients, biquadResponse, type BiquadParams } from './biquad.js';
import { Equalizer } from './equalizer.js';

const RATE = 48000;
/** A channel strip's high-pass and four EQ bands. */
const STRIP: Partial<BiquadParams>[] = [
  { type: 'highPass', frequencyHz: 80, q: Math.SQRT1_2 }, { type: 'lowShelf', frequencyHz: 120, q: 0.7, gainDb: 2 },
  { type: 'peaking', frequencyHz: 400, q: 1.2, gainDb: -3 }, { type: 'peaking', frequencyHz: 3000, q: 1, gainDb: 2 },
  { type: 'highShelf', frequencyHz: 10000, q: 0.7, gainDb: 1.5 },
];

processorSuite('equalizer (5 bands)', (rate, channels) => new Equalizer(rate, channels, { bands: STRIP }), { linear: true, impulseFrames: 16384, latencyCheck: 'none' });
processorSuite('equalizer (2 bands, mono)', (rate, channels) => new Equalizer(rate, channels, { bands: STRIP.slice(2, 4) }), { channelCount: 1, linear: true, impulseFrames: 16384 });

/** The bands as separate Biquads in a row: what the equalizer must equal bit for bit. */
function chain(channels: number, bands: Partial<BiquadParams>[]) {
  const biquads = bands.map((band) => new Biquad(RATE, channels, band));
  return {
    biquads,
    latency: 0,
    process: (x: Float32Array[], n: number) => { for (const b of biquads) b.process(x, n); },
    reset: () => { for (const b of biquads) b.reset(); },
  };
}

test('equalizer: bit-identical to its bands as Biquads in a row (1-5 bands, stereo kernel path and mono JS path, silences, set() glides, odd blocks)', () => {
  const frames = 4 * RATE;
  const input = [0, 1].map((c) => Float32Array.from({ length: frames }, (_, i) => {
    const part = Math.floor(i / 20000) % 4;
    const v = 0.5 * Math.sin((2 * Math.PI * (60 + 50 * c) * i) / RATE) + 0.2 * Math.sin((2 * Math.PI * 5000 * i) / RATE);
    return part === 2 ? 0 : part === 3 ? 1e-12 * v : v;
  }));
  for (const channels of [2, 1]) {
    for (let count = 1; count <= STRIP.length; count++) {
      const bands = STRIP.slice(0, count);
      const eq = new Equalizer(RATE, channels, { bands });
      const reference = chain(channels, bands);
      const a = input.slice(0, channels).map((c) => Float32Array.from(c));
      const b = input.slice(0, channels).map((c) => Float32Array.from(c));
      for (let start = 0, k = 0; start < frames; k++) {
        if (k === 7) {
          eq.set({ bands: count > 1 ? [{ frequencyHz: 100 }, { gainDb: -4 }] : [{ frequencyHz: 100 }] });
          reference.biquads[0].set({ frequencyHz: 100 });
          reference.biquads[1]?.set({ gainDb: -4 });
        }
        const n = Math.min(k % 5 === 4 ? 777 : 4096, frames - start);
        eq.process(a.map((x) => x.subarray(start, start + n)), n);
        reference.process(b.map((x) => x.subarray(start, start + n)), n);
        start += n;
      }
      assert.deepEqual(a, b, `${channels} channels, ${count} bands`);
    }
  }
});

test('equalizer: response() is the product of the bands\' cookbook responses; parameters validate', () => {
  const eq = new Equalizer(RATE, 2, { bands: STRIP });
  for (const hz of [50, 400, 3000, 12000]) {
    let magnitude = 1;
    for (const band of STRIP) magnitude *= biquadResponse(biquadCoefficients(RATE, { type: 'peaking', q: Math.SQRT1_2, gainDb: 0, frequencyHz: 1000, ...band } as BiquadParams), hz, RATE).magnitude;
    assert.ok(Math.abs(eq.response(hz).magnitude - magnitude) < 1e-12, `${hz} Hz`);
  }
  assert.throws(() => new Equalizer(RATE, 2, { bands: [] }), RangeError);
  assert.throws(() => new Equalizer(RATE, 2, { bands: [{ frequencyHz: -1 }] }), RangeError);
  assert.throws(() => eq.set({ bands: [{}, {}, {}, {}, {}, {}] }), RangeError);
  assert.equal(eq.params.bands.length, 5);
  const [out] = render(eq, [new Float32Array(64).fill(0.5), new Float32Array(64)], 16);
  assert.ok(out.every(Number.isFinite));
});

test('equalizer in the processor registry: built from plain data (as plans and inserts name it), checked by its schema', async () => {
  const { createProcessor, PROCESSOR_PARAM_SCHEMAS } = await import('../registry.js');
  const params = { bands: [{ type: 'highPass' as const, frequencyHz: 80 }, { type: 'peaking' as const, frequencyHz: 2000, q: 1, gainDb: 4 }] };
  const built = createProcessor('equalizer', 48000, 2, PROCESSOR_PARAM_SCHEMAS.equalizer.parse(params)) as Equalizer;
  const direct = new Equalizer(48000, 2, params);
  for (const hz of [40, 80, 1000, 2000, 8000]) assert.equal(built.response(hz).magnitude, direct.response(hz).magnitude, `${hz} Hz`);
  assert.ok(Math.abs(20 * Math.log10(built.response(2000).magnitude) - 4) < 0.1, '+4 dB at 2 kHz');
  assert.ok(!PROCESSOR_PARAM_SCHEMAS.equalizer.safeParse({ bands: [{ type: 'wobble' }] }).success, 'unknown band type refused');
  assert.ok(!PROCESSOR_PARAM_SCHEMAS.equalizer.safeParse({ bands: [] }).success, 'no bands refused');
});
