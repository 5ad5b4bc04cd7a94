import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { Pan, panGainLeft, panGainRight, type PanLaw } from './pan.js';

for (const law of ['-3', '-4.5', '-6'] as PanLaw[]) {
  processorSuite(`pan ${law} dB law, 0.3 right`, (rate, channels) => new Pan(rate, channels, { pan: 0.3, law }));
}

const db = (g: number) => 20 * Math.log10(g);

test('pan laws: −3.01, −4.52, −6.02 dB per side at the centre; unity and exact zero at the extremes', () => {
  const centre: Record<PanLaw, number> = { '-3': -3.0103, '-4.5': -4.5154, '-6': -6.0206 };
  for (const law of Object.keys(centre) as PanLaw[]) {
    assert.ok(Math.abs(db(panGainLeft(law, 0)) - centre[law]) < 1e-3, `${law} left`);
    assert.ok(Math.abs(db(panGainRight(law, 0)) - centre[law]) < 1e-3, `${law} right`);
    assert.equal(panGainLeft(law, -1), 1);
    assert.equal(panGainRight(law, -1), 0);
    assert.equal(panGainLeft(law, 1), 0);
    assert.equal(panGainRight(law, 1), 1);
    assert.equal(panGainLeft(law, -7), 1, 'clamped');
  }
  // Constant power holds everywhere on the −3 dB law.
  for (let p = -1; p <= 1; p += 0.125) assert.ok(Math.abs(panGainLeft('-3', p) ** 2 + panGainRight('-3', p) ** 2 - 1) < 1e-12);
  // The linear law keeps the amplitude sum at 1.
  for (let p = -1; p <= 1; p += 0.125) assert.ok(Math.abs(panGainLeft('-6', p) + panGainRight('-6', p) - 1) < 1e-12);
});

test('pan processor: channel 0 is spread to L/R with the law gains; a move ramps without steps', () => {
  const pan = new Pan(48000, 2, { pan: -1 });
  const [l, r] = render(pan, [new Float32Array(64).fill(0.5), new Float32Array(64).fill(9)], 64);
  assert.equal(l[10], 0.5);
  assert.equal(r[10], 0);
  pan.set({ pan: 1 });
  const [l2, r2] = render(pan, [new Float32Array(4800).fill(1), new Float32Array(4800)], 32);
  let step = 0;
  for (let i = 1; i < 4800; i++) step = Math.max(step, Math.abs(l2[i] - l2[i - 1]), Math.abs(r2[i] - r2[i - 1]));
  assert.ok(step < 0.01, `largest step ${step}`);
  assert.ok(l2[4799] < 1e-3 && r2[4799] > 0.999);
  assert.throws(() => new Pan(48000, 1), RangeError);
  assert.throws(() => new Pan(48000, 2, { law: '-2' as PanLaw }), RangeError);
});
