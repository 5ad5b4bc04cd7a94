import { assert, test } from '../../../test/support/node-test.js';
import { CompiledLane } from './automation.js';

const RATE = 1000; // 1 sample = 1 ms keeps the arithmetic readable

test('automation: linear, step and exponential segments; held before the first and after the last point', () => {
  const lane = new CompiledLane({
    points: [
      { timeSeconds: 0.1, value: 0 },
      { timeSeconds: 0.2, value: -10, curve: 'step' },
      { timeSeconds: 0.3, value: 100, curve: 'exponential' },
      { timeSeconds: 0.4, value: 1000 },
    ],
  }, RATE);
  assert.equal(lane.valueAt(-50), 0);
  assert.equal(lane.valueAt(100), 0);
  assert.ok(Math.abs(lane.valueAt(150) + 5) < 1e-12);
  assert.equal(lane.valueAt(200), -10);
  assert.equal(lane.valueAt(299), -10);
  assert.equal(lane.valueAt(300), 100);
  assert.ok(Math.abs(lane.valueAt(350) - Math.sqrt(100 * 1000)) < 1e-9, 'geometric midpoint');
  assert.equal(lane.valueAt(400), 1000);
  assert.equal(lane.valueAt(1e9), 1000);
});

test('automation: fill() equals valueAt() sample by sample for any start and length, and flags constant stretches', () => {
  const lane = new CompiledLane({ points: [{ timeSeconds: 0.0105, value: -6 }, { timeSeconds: 0.05, value: -6 }, { timeSeconds: 0.0803, value: 3 }, { timeSeconds: 0.09, value: 3, curve: 'step' }, { timeSeconds: 0.1, value: -40 }] }, RATE);
  const out = new Float64Array(64);
  for (const start of [-20, 0, 7, 45, 77, 95, 120]) {
    for (const frames of [1, 5, 64]) {
      for (const asGain of [false, true]) {
        const constant = lane.fill(out, start, frames, asGain);
        for (let k = 0; k < frames; k++) {
          const expected = asGain ? lane.gainAt(start + k) : lane.valueAt(start + k);
          assert.equal(constant ? out[0] : out[k], expected, `start ${start} k ${k} gain ${asGain}`);
        }
      }
    }
  }
  assert.equal(lane.fill(out, 20, 20), true, 'flat segment');
  assert.equal(lane.fill(out, 60, 5), false, 'ramp');
  assert.equal(new CompiledLane(-3, RATE).constant, true);
});

test("automation: the 'amplitude' curve fades linearly in gain to −Infinity dB; bad lanes throw", () => {
  const fade = new CompiledLane({ points: [{ timeSeconds: 0, value: 0 }, { timeSeconds: 0.1, value: -Infinity }], curve: 'amplitude' }, RATE);
  assert.ok(Math.abs(fade.gainAt(25) - 0.75) < 1e-12);
  assert.ok(Math.abs(fade.valueAt(50) - 20 * Math.log10(0.5)) < 1e-12);
  assert.equal(fade.gainAt(100), 0);
  assert.equal(fade.valueAt(100), -Infinity);
  assert.throws(() => new CompiledLane({ points: [{ timeSeconds: 0, value: 0 }, { timeSeconds: 1, value: -Infinity }] }, RATE), /amplitude/);
  assert.throws(() => new CompiledLane({ points: [{ timeSeconds: 1, value: 0 }, { timeSeconds: 0, value: 1 }] }, RATE), /order/);
  assert.throws(() => new CompiledLane({ points: [{ timeSeconds: 0, value: 0 }, { timeSeconds: 1, value: 1 }], curve: 'exponential' }, RATE), /positive/);
  assert.throws(() => new CompiledLane({ points: [] }, RATE), RangeError);
});
