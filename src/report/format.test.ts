import { assert, test } from '../../test/support/node-test.js';
import { formatClock, formatDb, formatDbtp, formatHzShort, formatLufs, formatNumber, formatSampleRate, MISSING } from './format.js';

test('loudness has 1 decimal, true peak 2, each with its unit and a true minus sign', () => {
  assert.equal(formatLufs(-14.04), '\u221214.0\u00a0LUFS');
  assert.equal(formatDbtp(-1.016), '\u22121.02\u00a0dBTP');
  assert.equal(formatDb(2.54, 1, true), '+2.5\u00a0dB');
  assert.equal(formatDb(-0.04, 1, true), '0.0\u00a0dB', 'no "−0.0": rounding to zero is not a cut');
  assert.equal(formatNumber(0, 1, true), '0.0', 'zero has no sign');
});

test('quantities that do not exist show as a dash, never NaN or Infinity', () => {
  for (const value of [null, undefined, NaN, Infinity, -Infinity]) {
    assert.equal(formatLufs(value), MISSING);
    assert.equal(formatDbtp(value), MISSING);
    assert.equal(formatSampleRate(value), MISSING);
    assert.equal(formatClock(value), MISSING);
  }
});

test('sample rates, frequencies and clock times read as on a studio display', () => {
  assert.equal(formatSampleRate(44100), '44.1\u00a0kHz');
  assert.equal(formatSampleRate(48000), '48\u00a0kHz');
  assert.equal(formatHzShort(31.5), '31.5');
  assert.equal(formatHzShort(12500), '12.5k');
  assert.equal(formatClock(212.4), '3:32');
  assert.equal(formatClock(3725), '1:02:05');
});
