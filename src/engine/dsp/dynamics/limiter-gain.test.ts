import { assert, test } from '../../../../test/support/node-test.js';
import { MinHold } from './limiter-gain.js';

/** Gains as a limiter's targets look: runs of 1 (nothing to limit) and dips below 1 of any length. */
function targets(count: number, seed: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count;) {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    const run = 1 + (seed % 400);
    const dip = (seed >>> 9) % 3 !== 0;
    for (let k = 0; k < run && i < count; k++, i++) {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      out[i] = dip ? 0.2 + 0.8 * (seed / 4294967296) : 1;
    }
  }
  return out;
}

test('MinHold: the minimum of the last `window` values (1s before the start), by next(), run() in any pieces and idle()', () => {
  for (const window of [1, 2, 3, 7, 64, 131, 300]) {
    const values = targets(20000, window);
    const expected = values.map((_, i) => {
      let min = 1;
      for (let k = Math.max(0, i - window + 1); k <= i; k++) if (values[k] < min) min = values[k];
      return min;
    });
    // next() one by one
    const single = new MinHold(window);
    values.forEach((v, i) => assert.equal(single.next(v), expected[i], `window ${window}, next() at ${i}`));
    // run() over pieces of varying length, taking idle() whenever a piece is all 1s and it accepts
    const pieces = new MinHold(window);
    let idled = 0;
    for (let i = 0, p = 0; i < values.length; p++) {
      const n = Math.min(values.length - i, 1 + ((p * 97) % 517));
      const piece = values.slice(i, i + n);
      if (piece.every((v) => v === 1) && pieces.idle(n)) {
        idled++;
        for (let k = 0; k < n; k++) assert.equal(expected[i + k], 1, `window ${window}: idle() accepted a piece whose minimum is not 1 at ${i + k}`);
      } else {
        pieces.run(piece, n);
        for (let k = 0; k < n; k++) assert.equal(piece[k], expected[i + k], `window ${window}, run() at ${i + k}`);
      }
      i += n;
    }
    assert.ok(idled > 0, `window ${window}: some pieces of 1s should be taken by idle()`);
    // reset() starts over
    pieces.reset();
    const again = values.slice(0, 500);
    pieces.run(again, 500);
    for (let i = 0; i < 500; i++) assert.equal(again[i], expected[i], `window ${window}, after reset() at ${i}`);
  }
});

test('MinHold: idle() refuses while a value below 1 is within the window, and accepts once it has left', () => {
  const hold = new MinHold(10);
  assert.equal(hold.idle(5), true); // 1s before the start
  assert.equal(hold.next(0.5), 0.5);
  for (let i = 0; i < 9; i++) {
    assert.equal(hold.idle(1), false, `${i + 1} values after the dip`);
    assert.equal(hold.next(1), 0.5);
  }
  assert.equal(hold.idle(1), false, 'the dip is the oldest of the last 10 values');
  assert.equal(hold.next(1), 1);
  assert.equal(hold.idle(1000), true);
  assert.equal(hold.next(0.25), 0.25);
});
