import { assert, test } from '../../test/support/node-test.js';
import { decimateMinMax, splitAtGaps } from './decimate.js';

test('a short series keeps every value; nulls become single gaps', () => {
  assert.deepEqual(decimateMinMax([1, 2, null, null, 3, null, 4], 100), [0, 1, null, 4, null, 6]);
  assert.deepEqual(decimateMinMax([null, null, 5, null], 100), [2], 'no leading or trailing gap');
  assert.deepEqual(decimateMinMax([null, null], 100), []);
  assert.deepEqual(decimateMinMax([], 100), []);
  assert.deepEqual(decimateMinMax([1, NaN, 2], 100), [0, null, 2], 'NaN is a gap, never a point');
});

test('null gaps split the points into separate runs', () => {
  assert.deepEqual(splitAtGaps([0, 1, null, 4, null, 6]), [[0, 1], [4], [6]]);
  assert.deepEqual(splitAtGaps([]), []);
});

test('decimation keeps the minimum and maximum of every bucket, in time order, within the point budget', () => {
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const values = Array.from({ length: 36000 }, (_, i) => Math.sin(i / 500) * 10 + (next() - 0.5) * 6 + (i === 17777 ? 40 : 0));
  const maxPoints = 1500;
  const kept = decimateMinMax(values, maxPoints);
  assert.ok(kept.length <= maxPoints, `${kept.length} points`);
  const indexes = kept.filter((i): i is number => i !== null);
  assert.deepEqual(indexes, [...indexes].sort((a, b) => a - b), 'in time order');
  const keptSet = new Set(indexes);
  const buckets = maxPoints / 2;
  const size = values.length / buckets;
  for (let b = 0; b < buckets; b++) {
    const slice = values.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    const min = Math.min(...slice);
    const max = Math.max(...slice);
    assert.ok(indexes.some((i) => values[i] === min && i >= b * size - 1 && i < (b + 1) * size + 1), `bucket ${b} keeps its minimum`);
    assert.ok(indexes.some((i) => values[i] === max && i >= b * size - 1 && i < (b + 1) * size + 1), `bucket ${b} keeps its maximum`);
  }
  assert.ok(keptSet.has(17777), 'a one-sample spike survives');
});

test('a long series with a long silent stretch keeps the gap', () => {
  const values: (number | null)[] = Array.from({ length: 10000 }, (_, i) => (i >= 4000 && i < 6000 ? null : -14));
  const runs = splitAtGaps(decimateMinMax(values, 500));
  assert.equal(runs.length, 2);
});
