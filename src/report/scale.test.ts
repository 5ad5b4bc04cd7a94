import { assert, test } from '../../test/support/node-test.js';
import { fittedAxis, linearAxis, logFrequencyAxis, mapToPixels, niceStep, timeAxis } from './scale.js';

test('a 20 Hz–20 kHz log axis puts 1 kHz at log(50)/log(1000) of the width, within 0.5 px', () => {
  const axis = logFrequencyAxis();
  const [left, right] = [58, 704];
  // 1 kHz is 1.699 of the 3 decades above 20 Hz: 56.6 % of the way across.
  const expected = left + (right - left) * (Math.log10(1000 / 20) / 3);
  assert.ok(Math.abs(mapToPixels(axis, 1000, left, right) - expected) < 0.5);
  assert.ok(Math.abs(mapToPixels(axis, 1000, left, right) - 423.7) < 0.5, 'the same point, worked by hand');
  assert.ok(Math.abs(mapToPixels(axis, 20, left, right) - left) < 1e-9);
  assert.ok(Math.abs(mapToPixels(axis, 20000, left, right) - right) < 1e-9);
  // Each octave is the same width, wherever it is.
  const octave = (hz: number) => mapToPixels(axis, 2 * hz, left, right) - mapToPixels(axis, hz, left, right);
  assert.ok(Math.abs(octave(40) - octave(5000)) < 1e-9);
});

test('frequency ticks: labels on 1-2-5 of each decade from 20 Hz to 20k, unlabelled gridlines between', () => {
  const axis = logFrequencyAxis();
  const labels = axis.ticks.filter((t) => t.label !== null).map((t) => t.label);
  assert.deepEqual(labels, ['20', '50', '100', '200', '500', '1k', '2k', '5k', '10k', '20k']);
  assert.ok(axis.ticks.some((t) => t.label === null && Math.abs(t.value - 300) < 1e-6));
  assert.ok(axis.ticks.every((t) => t.value >= 20 - 1e-6 && t.value <= 20000 + 1e-6));
});

test('a linear axis maps min to the start and max to the end, and can run upwards (y in SVG)', () => {
  const axis = linearAxis(-60, 0, 'level (dB)');
  assert.equal(mapToPixels(axis, -60, 236, 30), 236);
  assert.equal(mapToPixels(axis, 0, 236, 30), 30);
  assert.equal(mapToPixels(axis, -30, 236, 30), 133);
  assert.deepEqual(axis.ticks.map((t) => t.value), [-60, -50, -40, -30, -20, -10, 0]);
  assert.equal(axis.ticks[0]!.label, '\u221260');
});

test('nice steps are 1, 2 or 5 times a power of ten', () => {
  assert.equal(niceStep(60, 6), 10);
  assert.equal(niceStep(7, 6), 2);
  assert.equal(niceStep(2, 4), 0.5);
  assert.equal(niceStep(0.9, 6), 0.2);
});

test('time ticks fall on whole clock steps and stay within the duration', () => {
  const song = timeAxis(212.4);
  assert.deepEqual(song.ticks.map((t) => t.label), ['0:00', '0:30', '1:00', '1:30', '2:00', '2:30', '3:00', '3:30']);
  const hour = timeAxis(3600);
  assert.deepEqual(hour.ticks.map((t) => t.value), [0, 600, 1200, 1800, 2400, 3000, 3600]);
  assert.equal(hour.ticks[6]!.label, '1:00:00');
  assert.equal(timeAxis(0).max, 1, 'an empty series still has a drawable axis');
});

test('a fitted axis covers every finite value and the included ones, on whole steps, within its limits', () => {
  const axis = fittedAxis([[-23.4, null, -8.2], [-31]], 'LUFS', { include: [-14, null] });
  assert.ok(axis.min <= -31 && axis.max >= -8.2);
  assert.ok(axis.max - axis.min <= 40, `not padded beyond a step: ${axis.min} … ${axis.max}`);
  const floored = fittedAxis([[-140, -20]], 'dB', { floor: -100 });
  assert.equal(floored.min, -100, 'a −140 dB dropout does not squash the music');
  const flat = fittedAxis([[-14, -14]], 'LUFS', { minSpan: 10 });
  assert.ok(flat.max - flat.min >= 10);
  const none = fittedAxis([[null, NaN]], 'dB', { fallback: [-60, 0] });
  assert.deepEqual([none.min, none.max], [-60, 0]);
});
