import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { ChannelDelay } from './channel-delay.js';

processorSuite('channel delay R 10.5 samples', (rate, channels) => new ChannelDelay(rate, channels, { delaysSamples: [0, 10.5] }));
processorSuite('channel delay L 3 ms', (rate, channels) => new ChannelDelay(rate, channels, { delaysSeconds: [0.003, 0] }), { latencyCheck: 'none' });

test('channel delay: whole-sample delays shift each channel exactly; declared latency is 0', () => {
  const input = [Float32Array.from({ length: 2000 }, (_, i) => Math.sin(i * 0.05)), Float32Array.from({ length: 2000 }, (_, i) => Math.sin(i * 0.07))];
  const delay = new ChannelDelay(44100, 2, { delaysSamples: [17, 0] });
  assert.equal(delay.latency, 0);
  const [l, r] = render(delay, input, 100);
  for (let i = 0; i < 17; i++) assert.equal(l[i], 0);
  for (let i = 17; i < 2000; i++) assert.equal(l[i], input[0][i - 17]);
  assert.deepEqual(r, input[1]);
  // Seconds are converted at the processor's rate: 1 ms at 48 kHz = 48 samples.
  const [l48] = render(new ChannelDelay(48000, 2, { delaysSeconds: [0.001, 0] }), input, 64);
  assert.equal(l48[48], input[0][0]);
  assert.equal(l48[47], 0);
});

test('channel delay: a fractional delay of a low sine matches the analytic shift', () => {
  const w = (2 * Math.PI * 1000) / 48000;
  const input = Float32Array.from({ length: 4800 }, (_, i) => Math.sin(w * i));
  const [out] = render(new ChannelDelay(48000, 1, { delaysSamples: [5.3] }), [input], 256);
  let err = 0;
  for (let i = 100; i < 4800; i++) err = Math.max(err, Math.abs(out[i] - Math.sin(w * (i - 5.3))));
  assert.ok(err < 1e-3, `max error ${err}`);
  assert.throws(() => new ChannelDelay(48000, 2, { delaysSamples: [-1] }), RangeError);
  assert.throws(() => new ChannelDelay(48000, 2, { maxDelaySeconds: 0.01 }).set({ delaysSeconds: [0.02] }), RangeError);
});
