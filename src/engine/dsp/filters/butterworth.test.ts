import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { ButterworthFilter, butterworthQs, type ButterworthParams } from './butterworth.js';

// Low-pass impulse responses rise after sample 0 (no delay involved): latency measured on high-passes only.
processorSuite('butterworth LP order 4 at 1 kHz', (sr, ch) => new ButterworthFilter(sr, ch, { type: 'lowPass', frequencyHz: 1000, order: 4 }), { linear: true, latencyCheck: 'none' });
processorSuite('butterworth LP order 8 at 6 kHz @ 96k', (sr, ch) => new ButterworthFilter(sr, ch, { type: 'lowPass', frequencyHz: 6000, order: 8 }), { linear: true, latencyCheck: 'none', sampleRate: 96000 });
processorSuite('butterworth HP order 3 at 60 Hz', (sr, ch) => new ButterworthFilter(sr, ch, { type: 'highPass', frequencyHz: 60, order: 3 }), { linear: true });
processorSuite('butterworth HP order 1 at 200 Hz @ 44.1k', (sr, ch) => new ButterworthFilter(sr, ch, { type: 'highPass', frequencyHz: 200, order: 1 }), { linear: true, sampleRate: 44100 });
processorSuite('butterworth HP order 8 at 30 Hz mono', (sr, ch) => new ButterworthFilter(sr, ch, { type: 'highPass', frequencyHz: 30, order: 8 }), { linear: true, channelCount: 1 });

function measuredDb(params: ButterworthParams, rate: number, hz: number[]): number[] {
  const n = 32768;
  const input = new Float32Array(n);
  input[0] = 1;
  const [h] = render(new ButterworthFilter(rate, 1, params), [input], 4096);
  return hz.map((f) => {
    let re = 0, im = 0;
    const w = (2 * Math.PI * f) / rate;
    for (let i = 0; i < n; i++) { re += h[i] * Math.cos(w * i); im -= h[i] * Math.sin(w * i); }
    return 10 * Math.log10(re * re + im * im);
  });
}

test('butterworth: pole Qs are the textbook values', () => {
  const close = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) < 1e-4);
  assert.ok(close(butterworthQs(2), [0.7071]));
  assert.ok(close(butterworthQs(3), [1.0]));
  assert.ok(close(butterworthQs(4), [0.5412, 1.3066]));
  assert.ok(close(butterworthQs(5), [0.6180, 1.6180]));
  assert.ok(close(butterworthQs(8), [0.5098, 0.6013, 0.9000, 2.5629]));
});

test('butterworth: -3.01 dB at the corner and the analog magnitude 1/sqrt(1+W^2n) (bilinear-warped) for orders 1-8 at 44.1/48/96 kHz', () => {
  for (const rate of [44100, 48000, 96000]) {
    for (let order = 1; order <= 8; order++) {
      for (const type of ['lowPass', 'highPass'] as const) {
        const fc = 1000;
        const hz = [fc, 100, 250, 500, 2000, 3150];
        const measured = measuredDb({ type, frequencyHz: fc, order }, rate, hz);
        hz.forEach((f, i) => {
          const warped = Math.tan((Math.PI * f) / rate) / Math.tan((Math.PI * fc) / rate);
          const omega = type === 'lowPass' ? warped : 1 / warped;
          const expected = -10 * Math.log10(1 + Math.pow(omega, 2 * order));
          if (expected < -120) return;
          // Below -60 dB the float32 output's rounding shows (about 1e-8 of full scale).
          assert.ok(Math.abs(measured[i] - expected) < (expected > -60 ? 0.01 : 0.1), `${type} order ${order} @ ${rate}, ${f} Hz: ${measured[i].toFixed(4)} vs ${expected.toFixed(4)} dB`);
        });
        assert.ok(Math.abs(measured[0] + 3.0103) < 0.005, `${type} order ${order} @ ${rate}: ${measured[0]} dB at the corner`);
      }
    }
  }
});

test('butterworth: order 4 is -24 dB an octave past the corner and falls 24 dB/oct (within 0.5 dB); order n falls 6n dB/oct', () => {
  const rate = 48000;
  // Corner at 500 Hz: far enough below Nyquist that the bilinear warping does not steepen the slope.
  const [atCorner, octave, twoOctaves] = measuredDb({ type: 'lowPass', frequencyHz: 500, order: 4 }, rate, [500, 1000, 2000]);
  assert.ok(Math.abs(atCorner + 3.01) < 0.01);
  assert.ok(Math.abs(octave + 24) < 0.5, `one octave above: ${octave.toFixed(3)} dB`);
  assert.ok(Math.abs(octave - twoOctaves - 24) < 0.5, `slope ${(octave - twoOctaves).toFixed(3)} dB/oct`);
  for (let order = 1; order <= 8; order++) {
    // Low orders reach their asymptote further from the corner; high orders must stay above the float32 floor.
    const octaveBelow = order <= 4 ? [500, 250] : [1000, 500];
    const [a, b] = measuredDb({ type: 'highPass', frequencyHz: 2000, order }, rate, octaveBelow);
    assert.ok(Math.abs(a - b - 6 * order) < 0.5, `HP order ${order}: ${(a - b).toFixed(3)} dB/oct`);
  }
});

test('butterworth: a corner sweep is block-size invariant and stays finite; bad parameters throw', () => {
  const rate = 48000;
  const input = Float32Array.from({ length: 20000 }, (_, i) => Math.sin(i * 0.3) * 0.5 + Math.sin(i * 0.01) * 0.4);
  const run = (block: number) => {
    const filter = new ButterworthFilter(rate, 1, { type: 'highPass', frequencyHz: 40, order: 6 });
    filter.set({ frequencyHz: 8000 });
    return render(filter, [input], block)[0];
  };
  const reference = run(4096);
  assert.ok(reference.every(Number.isFinite));
  for (const block of [1, 17, 1000]) assert.deepEqual(run(block), reference, `block ${block}`);
  assert.throws(() => new ButterworthFilter(rate, 1, { order: 9 }), RangeError);
  assert.throws(() => new ButterworthFilter(rate, 1, { order: 2.5 }), RangeError);
  assert.throws(() => new ButterworthFilter(rate, 1, { frequencyHz: 0 }), RangeError);
});
