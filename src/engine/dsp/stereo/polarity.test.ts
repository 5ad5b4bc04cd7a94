import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { Polarity } from './polarity.js';

processorSuite('polarity right inverted', (rate, channels) => new Polarity(rate, channels, { invert: [false, true] }), { linear: true, impulseFrames: 4096 });
processorSuite('polarity both inverted', (rate, channels) => new Polarity(rate, channels, { invert: [true, true] }), { latencyCheck: 'impulse' });

test('polarity: an inverted channel is exactly −x, the others untouched; a flip ramps through zero', () => {
  const input = [Float32Array.from({ length: 500 }, (_, i) => Math.sin(i * 0.1)), Float32Array.from({ length: 500 }, (_, i) => Math.cos(i * 0.1))];
  const polarity = new Polarity(48000, 2, { invert: [true] });
  const [l, r] = render(polarity, input, 64);
  for (let i = 0; i < 500; i++) {
    assert.equal(l[i], -input[0][i]);
    assert.equal(r[i], input[1][i]);
  }
  assert.equal(polarity.response(1000).phase, Math.PI);
  polarity.set({ invert: [false] });
  const [flip] = render(polarity, [new Float32Array(960).fill(1), new Float32Array(960)], 7);
  let step = 0;
  for (let i = 1; i < 960; i++) step = Math.max(step, Math.abs(flip[i] - flip[i - 1]));
  assert.ok(flip[0] < 0 && flip[959] > 0.999 && step < 0.03, `step ${step}`);
});
