import { assert, test } from '../../../../test/support/node-test.js';
import { ballistics, branch, EnvelopeFollower, MeanSquareDetector, onePoleCoefficient, ReductionEnvelope } from './envelope.js';

const RATE = 48000;

/** Index where `trace` first crosses `mark` (upward or downward). */
const crossing = (trace: Float64Array, mark: number, rising: boolean) => trace.findIndex((v) => (rising ? v >= mark : v <= mark));

test('onePoleCoefficient: a step covers 63.2 % in timeConstant·sampleRate samples (±1); 0 s is instant', () => {
  const a = onePoleCoefficient(RATE, 0.01);
  let y = 0, n = 0;
  while (y < 1 - Math.exp(-1)) { y = a * y + (1 - a); n++; }
  assert.ok(Math.abs(n - 480) <= 1, `${n} samples`);
  assert.equal(onePoleCoefficient(RATE, 0), 0);
});

test('ReductionEnvelope: steps up move with the attack, steps down with the release time constant (±1 sample)', () => {
  const b = ballistics(RATE, 0.005, 0.05);
  const envelope = new ReductionEnvelope();
  const buffer = new Float64Array(RATE).fill(2, 0, RATE / 2);
  envelope.run(buffer, RATE, b);
  assert.ok(Math.abs(crossing(buffer, 2 * (1 - Math.exp(-1)), true) - 240) <= 1);
  const release = crossing(buffer.subarray(RATE / 2), 2 * Math.exp(-1), false);
  assert.ok(Math.abs(release - 2400) <= 1, `${release}`);
  assert.ok(!envelope.idle);
  const tail = new Float64Array(10 * RATE);
  envelope.run(tail, tail.length, b);
  assert.ok(envelope.idle, 'released to exactly 0');
});

test('ReductionEnvelope auto release: a sustained reduction leaves a slow floor, a short one hardly any', () => {
  const b = ballistics(RATE, 0.001, 0.05, true);
  const after = (burst: number) => {
    const envelope = new ReductionEnvelope();
    const buffer = new Float64Array(burst + RATE / 5).fill(1, 0, burst);
    envelope.run(buffer, buffer.length, b);
    return buffer[burst + RATE / 10]; // 100 ms after the end: 2 fast release time constants
  };
  const short = after(RATE / 200), long = after(2 * RATE);
  assert.ok(short < 0.2 && long > 0.6, `after 5 ms: ${short}, after 2 s: ${long}`);
});

test('branch, EnvelopeFollower and MeanSquareDetector', () => {
  assert.equal(branch(0, 1, 0.5, 0.9), 0.5);
  assert.ok(Math.abs(branch(1, 0, 0.5, 0.9) - 0.9) < 1e-15);
  const follower = new EnvelopeFollower(RATE, 0.001, 0.1);
  for (let i = 0; i < RATE / 10; i++) follower.next(1);
  assert.ok(follower.value > 0.999);
  for (let i = 0; i < 4800; i++) follower.next(0);
  assert.ok(Math.abs(follower.value - Math.exp(-1)) < 1e-3);
  const rms = new MeanSquareDetector(RATE, 0.05);
  const out = new Float64Array(RATE), x = Float32Array.from({ length: RATE }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / RATE));
  rms.run(x, 0, RATE, out);
  assert.ok(Math.abs(out[RATE - 1] - 0.125) < 0.002, `mean square ${out[RATE - 1]}`);
});

test('ReductionEnvelope: the two-step recursion equals the one-step one within rounding, in blocks of any size', () => {
  const b = ballistics(RATE, 0.002, 0.03);
  let seed = 3;
  const targets = Float64Array.from({ length: 20000 }, (_, i) => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return Math.floor(i / 700) % 3 === 0 ? 0 : 6 * (seed / 4294967296) ** 3; // bursts of noisy reduction, then silence
  });
  // The one-step detector as documented: p = max(x, αR·p + (1 − αR)·x), y = min(p, αA·y + (1 − αA)·p).
  let p = 0, y = 0, worst = 0;
  const expected = targets.map((x) => {
    p = Math.max(x, b.release * p + (1 - b.release) * x);
    if (p < 1e-9) p = 0;
    y = Math.min(p, b.attack * y + (1 - b.attack) * p);
    return y;
  });
  const whole = Float64Array.from(targets);
  new ReductionEnvelope().run(whole, whole.length, b);
  for (let i = 0; i < targets.length; i++) worst = Math.max(worst, Math.abs(whole[i] - expected[i]));
  assert.ok(worst < 1e-12, `largest difference ${worst}`);
  // blocks of 1, 7 and 4096: the same values bit for bit
  for (const size of [1, 7, 4096]) {
    const envelope = new ReductionEnvelope();
    const pieces = Float64Array.from(targets);
    for (let at = 0; at < pieces.length; at += size) envelope.run(pieces.subarray(at, Math.min(pieces.length, at + size)), Math.min(size, pieces.length - at), b);
    assert.deepEqual(pieces, whole, `blocks of ${size}`);
  }
});
