import { assert, test } from '../../../../test/support/node-test.js';
import { DB_PER_LOG2, FAST_EXP2_MAX_RELATIVE_ERROR, FAST_LOG2_MAX_ERROR, fastExp2, fastLog2, max2, min2 } from './fast-math.js';

test('fastLog2: |error| <= 1.6e-5 (1e-4 dB) from 1e-30 to 1e30; continuous across octaves', () => {
  let worst = 0;
  for (let e = -100; e <= 100; e += 0.0137) {
    const x = Math.fround(Math.pow(2, e));
    worst = Math.max(worst, Math.abs(fastLog2(x) - Math.log2(x)));
  }
  assert.ok(worst <= FAST_LOG2_MAX_ERROR, `worst ${worst}`);
  assert.ok(worst * DB_PER_LOG2 < 1e-4);
  for (let octave = -10; octave <= 10; octave++) {
    const below = fastLog2(Math.pow(2, octave) * (1 - 1e-7)), at = fastLog2(Math.pow(2, octave));
    assert.ok(Math.abs(at - below) < 1e-6, `jump at 2^${octave}: ${at - below}`);
  }
  assert.equal(fastLog2(1), 0);
  assert.equal(fastLog2(0), -127);
});

test('fastExp2: relative error <= 1e-7 over [-126, 127]; exact at integers; clamps outside', () => {
  let worst = 0;
  for (let x = -126; x <= 127; x += 0.00731) worst = Math.max(worst, Math.abs(fastExp2(x) / Math.pow(2, x) - 1));
  assert.ok(worst <= FAST_EXP2_MAX_RELATIVE_ERROR, `worst ${worst}`);
  for (const k of [-20, -1, 0, 1, 10]) assert.equal(fastExp2(k), Math.pow(2, k));
  assert.equal(fastExp2(-1000), Math.pow(2, -126));
  assert.ok(Number.isFinite(fastExp2(1000)));
});

test('max2/min2 equal Math.max/Math.min up to one rounding', () => {
  for (const [a, b] of [[1, 2], [-3, 0.5], [1e-9, 7], [5, 5], [0, -0.25]]) {
    assert.ok(Math.abs(max2(a, b) - Math.max(a, b)) <= 1e-15 * Math.max(1, Math.abs(a) + Math.abs(b)));
    assert.ok(Math.abs(min2(a, b) - Math.min(a, b)) <= 1e-15 * Math.max(1, Math.abs(a) + Math.abs(b)));
  }
});
