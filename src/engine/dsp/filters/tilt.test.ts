import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { Tilt } from './tilt.js';

processorSuite('tilt +4 dB at 1 kHz', (sr, ch) => new Tilt(sr, ch, { frequencyHz: 1000, gainDb: 4 }), { linear: true });
processorSuite('tilt -6 dB at 650 Hz @ 44.1k', (sr, ch) => new Tilt(sr, ch, { frequencyHz: 650, gainDb: -6 }), { linear: true, sampleRate: 44100 });
processorSuite('tilt 0 dB (exact bypass)', (sr, ch) => new Tilt(sr, ch, { gainDb: 0 }), { linear: true });

function magnitudeDb(tilt: Tilt, rate: number, hz: number): number {
  const n = 65536;
  const input = new Float32Array(n);
  input[0] = 1;
  const [h] = render(tilt, [input], 4096);
  let re = 0, im = 0;
  for (let i = 0; i < n; i++) { re += h[i] * Math.cos((2 * Math.PI * hz * i) / rate); im -= h[i] * Math.sin((2 * Math.PI * hz * i) / rate); }
  return 10 * Math.log10(re * re + im * im);
}

test('tilt: 0 dB at the pivot, +x dB far above and -x dB far below, antisymmetric on a log axis (bilinear-warped)', () => {
  for (const rate of [44100, 48000, 96000]) {
    for (const gainDb of [-6, 3]) {
      const pivot = 800;
      assert.ok(Math.abs(magnitudeDb(new Tilt(rate, 1, { frequencyHz: pivot, gainDb }), rate, pivot)) < 0.005, `pivot @ ${rate}`);
      const low = magnitudeDb(new Tilt(rate, 1, { frequencyHz: pivot, gainDb }), rate, 8);
      assert.ok(Math.abs(low + gainDb) < 0.01 * Math.abs(gainDb) + 0.01, `8 Hz @ ${rate}: ${low} dB`);
      // Analog prototype G(s + 1/G)/(s + G) at the warped frequency.
      for (const hz of [31.5, 100, 1000, 3150, 10000]) {
        const w = Math.tan((Math.PI * hz) / rate) / Math.tan((Math.PI * pivot) / rate);
        const g = Math.pow(10, gainDb / 20);
        const expected = 20 * Math.log10((g * Math.hypot(w, 1 / g)) / Math.hypot(w, g));
        const measured = magnitudeDb(new Tilt(rate, 1, { frequencyHz: pivot, gainDb }), rate, hz);
        assert.ok(Math.abs(measured - expected) < 0.01, `${hz} Hz @ ${rate}: ${measured} vs ${expected}`);
      }
    }
  }
});

test('tilt: 0 dB passes samples through bit-exactly; a gain ride is block-size invariant; bad values throw', () => {
  const input = Float32Array.from({ length: 9000 }, (_, i) => Math.sin(i * 0.07) * 0.7);
  assert.deepEqual(render(new Tilt(48000, 1), [input], 100)[0], input);
  const run = (block: number) => {
    const tilt = new Tilt(48000, 1);
    tilt.set({ gainDb: 6, frequencyHz: 300 });
    return render(tilt, [input], block)[0];
  };
  const reference = run(4096);
  for (const block of [1, 64, 1000]) assert.deepEqual(run(block), reference);
  assert.throws(() => new Tilt(48000, 1, { gainDb: 30 }), RangeError);
  assert.throws(() => new Tilt(48000, 1, { frequencyHz: 0 }), RangeError);
});
