import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { PureDelay } from './pure-delay.js';
import { DelayBuffer } from './delay-buffer.js';

processorSuite('pure delay 64 samples', (rate, channels) => new PureDelay(rate, channels, { delaySamples: 64 }), { linear: true, impulseFrames: 4096 });
processorSuite('pure delay 0 samples', (rate, channels) => new PureDelay(rate, channels, { delaySamples: 0 }));

test('pure delay: output is the input shifted by exactly delaySamples, bit for bit', () => {
  const input = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i * 0.37) * 0.8);
  const [out] = render(new PureDelay(44100, 1, { delaySamples: 37 }), [input], 13);
  for (let i = 0; i < 37; i++) assert.equal(out[i], 0);
  for (let i = 37; i < 1000; i++) assert.equal(out[i], input[i - 37]);
});

test('delay buffer: integer taps are exact; Lagrange taps reproduce a cubic exactly', () => {
  const line = new DelayBuffer(16);
  const cubic = (n: number) => 0.001 * n * n * n - 0.02 * n * n + 0.1 * n - 0.3;
  for (let n = 0; n < 40; n++) line.push(cubic(n));
  // The latest push is n = 39; a delay of d reads the signal at 39 - d.
  assert.equal(line.tap(5), Math.fround(cubic(34)));
  for (const d of [1.25, 2.5, 7.75]) {
    assert.ok(Math.abs(line.tapFractional(d) - cubic(39 - d)) < 1e-5, `delay ${d}`);
  }
  assert.throws(() => new DelayBuffer(-1), RangeError);
});
