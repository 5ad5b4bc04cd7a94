import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { Balance, balanceGainLeft, balanceGainRight } from './balance.js';

processorSuite('balance linear 0.4 left', (rate, channels) => new Balance(rate, channels, { balance: -0.4 }));
processorSuite('balance sine 0.4 right', (rate, channels) => new Balance(rate, channels, { balance: 0.4, law: 'sine' }));

test('balance: unity at the centre, only the far side drops, zero at the extremes', () => {
  for (const law of ['linear', 'sine'] as const) {
    assert.equal(balanceGainLeft(law, 0), 1);
    assert.equal(balanceGainRight(law, 0), 1);
    assert.equal(balanceGainLeft(law, -0.7), 1, 'turning left keeps the left');
    assert.equal(balanceGainRight(law, 1), 1);
    assert.equal(balanceGainLeft(law, 1), 0);
    assert.equal(balanceGainRight(law, -1), 0);
  }
  assert.ok(Math.abs(20 * Math.log10(balanceGainLeft('linear', 0.5)) + 6.0206) < 1e-3);
  assert.ok(Math.abs(20 * Math.log10(balanceGainLeft('sine', 0.5)) + 3.0103) < 1e-3);
});

test('balance processor: centre is bit-exact passthrough; 0.5 right halves the left (linear)', () => {
  const input = [Float32Array.from({ length: 256 }, (_, i) => Math.sin(i)), Float32Array.from({ length: 256 }, (_, i) => Math.cos(i))];
  assert.deepEqual(render(new Balance(44100, 2), input, 100), input);
  const [l, r] = render(new Balance(44100, 2, { balance: 0.5 }), input, 100);
  for (let i = 0; i < 256; i++) {
    assert.equal(l[i], Math.fround(input[0][i] * 0.5));
    assert.equal(r[i], input[1][i]);
  }
});
