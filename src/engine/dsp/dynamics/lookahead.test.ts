import { assert, test } from '../../../../test/support/node-test.js';
import { LookaheadGain } from './lookahead.js';

test('LookaheadGain: delays by `latency` frames across calls and applies the gain of the output frame', () => {
  const stage = new LookaheadGain(2, 3);
  const input = [Float32Array.from({ length: 10 }, (_, i) => i + 1), Float32Array.from({ length: 10 }, (_, i) => -(i + 1))];
  const gains = [new Float32Array(5).fill(2), new Float32Array(5).fill(0.5)];
  stage.apply(input, 0, 5, gains, false, false);
  stage.apply(input, 5, 5, gains, true, false);
  assert.deepEqual([...input[0]], [0, 0, 0, 2, 4, 6, 8, 10, 12, 14]);
  assert.deepEqual([...input[1]], [0, 0, 0, -0.5, -1, -6, -8, -10, -12, -14]);
  stage.reset();
  const again = [Float32Array.of(1, 2, 3, 4)];
  new LookaheadGain(1, 0).apply(again, 0, 4, [new Float32Array(4).fill(3)], true, true);
  assert.deepEqual([...again[0]], [1, 2, 3, 4], 'unity without delay leaves the audio alone');
});
