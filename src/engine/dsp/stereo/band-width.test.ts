import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { BandWidth } from './band-width.js';

// The crossover's all-pass smears an impulse so that with a 3 kHz split its largest sample is the second one;
// that is phase, not latency (nothing to compensate), so the latency is checked by cross-correlation here.
processorSuite('band width (mono lows, wide highs)', (rate, channels) => new BandWidth(rate, channels, { frequenciesHz: [150, 3000], widthsPercent: [0, 100, 150] }), { latencyCheck: 'xcorr' });
processorSuite('band width defaults', (rate, channels) => new BandWidth(rate, channels));

const RATE = 48000;

function sine(hz: number, phase = 0, frames = RATE): Float32Array {
  return Float32Array.from({ length: frames }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / RATE + phase));
}

const rms = (x: Float32Array) => Math.sqrt(x.subarray(x.length / 2).reduce((s, v) => s + v * v, 0) / (x.length / 2));
const db = (x: number) => 20 * Math.log10(x);

function sideAndMidDb(processor: BandWidth, hz: number): { side: number; mid: number } {
  processor.reset();
  const input = [sine(hz), sine(hz, 2)];
  const [l, r] = render(processor, input, 512);
  const side = (a: Float32Array, b: Float32Array) => a.map((v, i) => (v - b[i]) / 2);
  const mid = (a: Float32Array, b: Float32Array) => a.map((v, i) => (v + b[i]) / 2);
  return { side: db(rms(side(l, r)) / rms(side(input[0], input[1]))), mid: db(rms(mid(l, r)) / rms(mid(input[0], input[1]))) };
}

test('band width: each band gets its own side gain; mid stays at unity magnitude', () => {
  const processor = new BandWidth(RATE, 2, { frequenciesHz: [200, 2000], widthsPercent: [0, 100, 200] });
  const low = sideAndMidDb(processor, 50);
  assert.ok(low.side < -24, `low band side ${low.side.toFixed(1)} dB`);
  const middle = sideAndMidDb(processor, 630);
  assert.ok(Math.abs(middle.side) < 0.5, `mid band side ${middle.side.toFixed(2)} dB`);
  const high = sideAndMidDb(processor, 8000);
  assert.ok(Math.abs(high.side - 6.02) < 0.5, `high band side ${high.side.toFixed(2)} dB`);
  for (const hz of [50, 630, 8000]) assert.ok(Math.abs(sideAndMidDb(processor, hz).mid) < 0.1, `mid at ${hz} Hz`);
});

test('band width: at 100 % everywhere the output is an all-pass of the input and a hard-left source stays hard left', () => {
  const processor = new BandWidth(RATE, 2, { frequenciesHz: [120, 1000, 6000] });
  assert.deepEqual(processor.params.widthsPercent, [100, 100, 100, 100]);
  for (const hz of [40, 120, 440, 1000, 3000, 6000, 12000]) {
    processor.reset();
    const [l, r] = render(processor, [sine(hz), new Float32Array(RATE)], 1000);
    assert.ok(Math.abs(db(rms(l) / rms(sine(hz)))) < 0.01, `${hz} Hz flat`);
    assert.ok(r.every((v) => Math.abs(v) < 1e-7), `${hz} Hz: nothing leaks right`);
  }
  assert.throws(() => new BandWidth(RATE, 2, { frequenciesHz: [100], widthsPercent: [100] }), RangeError);
  assert.throws(() => processor.set({ frequenciesHz: [1] }), RangeError);
});
