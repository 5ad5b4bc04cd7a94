import { assert, test } from '../../../../test/support/node-test.js';
import { compressorCurveDb, compressorSlope, expanderAttenuation, softKneeCurve, softKneeReduction } from './gain-computer.js';
import { LOG2_PER_DB } from './fast-math.js';

test('soft knee (Giannoulis et al. 2012): ratio 4, threshold -20, knee 6', () => {
  assert.equal(compressorCurveDb(-30, -20, 4, 6), -30);
  assert.equal(compressorCurveDb(-23, -20, 4, 6), -23);
  assert.ok(Math.abs(compressorCurveDb(-20, -20, 4, 6) - (-20 - 0.75 * 9 / 12)) < 1e-12, 'centre of the knee');
  assert.ok(Math.abs(compressorCurveDb(-17, -20, 4, 6) - (-20 + 3 / 4)) < 1e-12, 'top of the knee meets the line');
  assert.equal(compressorCurveDb(0, -20, 4, 6), -15);
  assert.equal(compressorCurveDb(0, -20, 4, 0), -15);
  assert.equal(compressorCurveDb(-20, -20, Infinity, 0), -20);
  assert.equal(compressorSlope(Infinity), 1);
  assert.equal(compressorSlope(1), 0);
});

test('softKneeCurve (branch-free, log2 units, |x| or mean square) matches softKneeReduction within 1e-4 dB; range caps it', () => {
  const levels = new Float64Array(2000), out = new Float64Array(2000);
  for (let i = 0; i < levels.length; i++) levels[i] = Math.pow(10, (-60 + 0.03 * i) / 20);
  for (const kneeDb of [0, 6, 12]) {
    softKneeCurve(levels, out, 0, levels.length, 1, -20 * LOG2_PER_DB, kneeDb * LOG2_PER_DB, 0.75, 100);
    for (let i = 0; i < levels.length; i++) {
      const expected = softKneeReduction(-60 + 0.03 * i, -20, kneeDb, 0.75);
      assert.ok(Math.abs(out[i] / LOG2_PER_DB - expected) < 1e-4, `knee ${kneeDb}, ${-60 + 0.03 * i} dB: ${out[i] / LOG2_PER_DB} vs ${expected}`);
    }
  }
  const squares = levels.map((v) => v * v);
  softKneeCurve(squares, out, 0, levels.length, 0.5, -20 * LOG2_PER_DB, 0, 0.75, 3 * LOG2_PER_DB);
  assert.ok(Math.abs(out[levels.length - 1] / LOG2_PER_DB - 3) < 1e-9, 'range 3 dB');
  assert.ok(Math.abs(out[1000 - 100] / LOG2_PER_DB - softKneeReduction(-60 + 0.03 * 900, -20, 0, 0.75)) < 1e-4, 'mean square at scale 1/2');
});

test('expanderAttenuation: (T - x)(ratio - 1), capped by the range; a gate is always the range', () => {
  assert.equal(expanderAttenuation(-30, -20, 2, 40), 10);
  assert.equal(expanderAttenuation(-10, -20, 2, 40), 0);
  assert.equal(expanderAttenuation(-80, -20, 2, 40), 40);
  assert.equal(expanderAttenuation(-21, -20, Infinity, 40), 40);
});
