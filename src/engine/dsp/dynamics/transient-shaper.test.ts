import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { TransientShaper } from './transient-shaper.js';
import { noise, rmsDb, sine } from '../../../../test/support/dynamics-signals.js';

const RATE = 48000;

processorSuite('transient shaper +6/-6', (rate, channels) => new TransientShaper(rate, channels, { attackDb: 6, sustainDb: -6 }));
processorSuite('transient shaper 0/0', (rate, channels) => new TransientShaper(rate, channels));

/** Drum-like hits: noise bursts with a 40 ms exponential decay, one every 0.5 s (stereo). */
function hits(amplitude = 0.5): Float32Array[] {
  const frames = 2 * RATE;
  return [1, 2].map((seed) => {
    const x = noise(frames, amplitude, seed);
    for (let i = 0; i < frames; i++) x[i] *= Math.exp(-(i % (RATE / 2)) / (0.04 * RATE));
    return x;
  });
}

/** Level change (dB) from input to output over [from, to) seconds after each hit, averaged over hits 2-4. */
function change(input: Float32Array[], output: Float32Array[], from: number, to: number): number {
  let sum = 0;
  for (let hit = 1; hit < 4; hit++) {
    const start = hit * RATE / 2 + Math.round(from * RATE), end = hit * RATE / 2 + Math.round(to * RATE);
    sum += rmsDb(output[0], start, end) - rmsDb(input[0], start, end);
  }
  return sum / 3;
}

test('transient shaper: +6 dB attack raises the first 5 ms of a hit by 3-6.5 dB relative to its tail; +6 dB sustain raises the tail', (t) => {
  const input = hits();
  const punchy = render(new TransientShaper(RATE, 2, { attackDb: 6 }), input, 256);
  const onset = change(input, punchy, 0, 0.005), tail = change(input, punchy, 0.1, 0.3);
  t.diagnostic(`attack +6: first 5 ms ${onset.toFixed(2)} dB, tail ${tail.toFixed(2)} dB`);
  assert.ok(onset - tail >= 3 && onset - tail <= 6.5, `onset ${onset} dB vs tail ${tail} dB`);
  const roomy = render(new TransientShaper(RATE, 2, { sustainDb: 6 }), input, 256);
  const onset2 = change(input, roomy, 0, 0.005), tail2 = change(input, roomy, 0.1, 0.3);
  t.diagnostic(`sustain +6: first 5 ms ${onset2.toFixed(2)} dB, tail ${tail2.toFixed(2)} dB`);
  assert.ok(tail2 - onset2 >= 3 && tail2 <= 6.5, `tail ${tail2} dB vs onset ${onset2} dB`);
});

test('transient shaper: 0/0 dB is bit-exact; the effect is level-independent (-30 dB input: same gains within 1e-5)', () => {
  const input = hits();
  assert.deepEqual(render(new TransientShaper(RATE, 2), input, 256), input);
  const loud = render(new TransientShaper(RATE, 2, { attackDb: 9, sustainDb: -9 }), input, 256);
  const scale = Math.pow(10, -30 / 20);
  const quiet = render(new TransientShaper(RATE, 2, { attackDb: 9, sustainDb: -9 }), input.map((c) => c.map((v) => v * scale)), 256);
  let worst = 0;
  for (let i = 0; i < loud[0].length; i++) if (Math.abs(input[0][i]) > 1e-3) worst = Math.max(worst, Math.abs(quiet[0][i] / (loud[0][i] * scale) - 1));
  assert.ok(worst < 1e-5, `largest relative gain difference ${worst}`);
});

test('transient shaper: a steady sine passes within 0.1 dB once the envelopes settle', () => {
  const tone = sine(RATE, 220, 0.5, RATE);
  const [out] = render(new TransientShaper(RATE, 1, { attackDb: 12, sustainDb: 12 }), [tone], 512);
  const difference = rmsDb(out, RATE / 2) - rmsDb(tone, RATE / 2);
  assert.ok(Math.abs(difference) < 0.1, `steady 220 Hz sine: ${difference} dB`);
});

test('transient shaper: amounts glide after set(); out-of-range amounts throw', () => {
  const shaper = new TransientShaper(RATE, 1, { attackDb: 0 });
  shaper.set({ attackDb: 12 });
  assert.equal(shaper.params.attackDb, 12);
  assert.throws(() => shaper.set({ sustainDb: 40 }), RangeError);
  assert.throws(() => new TransientShaper(RATE, 1, { attackDb: NaN }), RangeError);
});
