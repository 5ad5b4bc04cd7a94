import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { Gain } from './gain.js';

processorSuite('gain -6 dB', (rate, channels) => new Gain(rate, channels, { gainDb: -6 }), { linear: true, impulseFrames: 4096 });

test('gain: -6.0206 dB halves the signal; a change ramps without a step (no zipper)', () => {
  const gain = new Gain(48000, 1, { gainDb: -6.020599913279624 });
  const [out] = render(gain, [new Float32Array(100).fill(1)], 100);
  assert.ok(Math.abs(out[50] - 0.5) < 1e-7);
  gain.set({ gainDb: 0 });
  const [ramp] = render(gain, [new Float32Array(4800).fill(1)], 64);
  let largestStep = 0;
  for (let i = 1; i < ramp.length; i++) largestStep = Math.max(largestStep, Math.abs(ramp[i] - ramp[i - 1]));
  assert.ok(largestStep < 0.01, `largest step ${largestStep}`);
  assert.ok(Math.abs(ramp[4799] - 1) < 1e-3, 'reaches the target within 100 ms');
});
