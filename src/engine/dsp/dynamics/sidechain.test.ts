import { assert, test } from '../../../../test/support/node-test.js';
import { SidechainKey } from './sidechain.js';
import { rmsDb, sine } from '../../../../test/support/dynamics-signals.js';

test('SidechainKey: same channel count copies; another count drives every channel with the mean', () => {
  const key = new SidechainKey(48000, 2, 8);
  assert.ok(key.transparent);
  const [l, r] = key.prepare([Float32Array.of(0, 1, 2, 3), Float32Array.of(4, 5, 6, 7)], 1, 3);
  assert.deepEqual([...l.subarray(0, 3)], [1, 2, 3]);
  assert.deepEqual([...r.subarray(0, 3)], [5, 6, 7]);
  const mono = key.prepare([Float32Array.of(2, 4)], 0, 2);
  assert.deepEqual([...mono[1].subarray(0, 2)], [2, 4]);
  const mean = new SidechainKey(48000, 1, 4).prepare([Float32Array.of(1, 2), Float32Array.of(3, 6)], 0, 2);
  assert.deepEqual([...mean[0].subarray(0, 2)], [2, 4]);
});

test('SidechainKey high-pass (12 dB/octave at 150 Hz): 50 Hz down > 18 dB, 1 kHz within 0.1 dB', () => {
  const level = (hz: number) => {
    const key = new SidechainKey(48000, 1, 256, 150);
    const x = sine(48000, hz, 0.5, 48000), out = new Float32Array(48000);
    for (let start = 0; start < 48000; start += 256) {
      const n = Math.min(256, 48000 - start);
      out.set(key.prepare([x], start, n)[0].subarray(0, n), start);
    }
    return rmsDb(out, 24000) - rmsDb(x, 24000);
  };
  assert.ok(level(50) < -18, `50 Hz: ${level(50)} dB`);
  assert.ok(Math.abs(level(1000)) < 0.1, `1 kHz: ${level(1000)} dB`);
});
