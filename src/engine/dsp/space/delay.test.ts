import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { Delay, type DelayParams } from './delay.js';
import { noteSeconds } from './tempo.js';

const RATE = 48000;

processorSuite('delay', (rate, channels) => new Delay(rate, channels, { mix: 0.3, feedback: 0.6 }));
processorSuite('delay ping-pong, synced', (rate, channels) => new Delay(rate, channels, { mix: 0.3, feedback: 0.7, pingPong: true, bpm: 140, leftNote: '1/16t' }));
processorSuite('delay, feedback filters off', (rate, channels) => new Delay(rate, channels, { mix: 0.3, feedback: 0.6, highPassHz: null, lowPassHz: null }));
processorSuite('delay mono', (rate, channels) => new Delay(rate, channels, { mix: 0.3 }), { channelCount: 1 });

const clean: Partial<DelayParams> = { mix: 1, highPassHz: null, lowPassHz: null };

function impulse(params: Partial<DelayParams>, frames: number, block = 4096): Float32Array[] {
  const input = [new Float32Array(frames), new Float32Array(frames)];
  input[0][0] = 1;
  input[1][0] = 1;
  return render(new Delay(RATE, 2, params), input, block);
}

const nonZero = (x: Float32Array) => [...x.keys()].filter((i) => x[i] !== 0);

test('delay: an impulse comes back at exactly delaySeconds·fs samples, each echo scaled by feedback', () => {
  const [left, right] = impulse({ ...clean, leftDelaySeconds: 0.01, rightDelaySeconds: 0.0125, feedback: 0.5 }, 2000, 97);
  assert.deepEqual(nonZero(left), [480, 960, 1440, 1920]);
  assert.deepEqual(nonZero(right), [600, 1200, 1800]);
  assert.deepEqual([...nonZero(left)].map((i) => left[i]), [1, 0.5, 0.25, 0.125]);
  assert.deepEqual([...nonZero(right)].map((i) => right[i]), [1, 0.5, 0.25]);
});

test('delay: negative feedback alternates the sign of the echoes', () => {
  const [left] = impulse({ ...clean, leftDelaySeconds: 0.01, feedback: -0.5 }, 1500);
  assert.deepEqual(nonZero(left).map((i) => left[i]), [1, -0.5, 0.25]);
});

test('delay: ping-pong alternates channels, L at d, R at 2d, L at 3d ...', () => {
  const [left, right] = impulse({ ...clean, leftDelaySeconds: 0.01, rightDelaySeconds: 0.01, feedback: 0.5, pingPong: true }, 2000);
  assert.deepEqual(nonZero(left), [480, 1440]);
  assert.deepEqual(nonZero(right), [960, 1920]);
  assert.deepEqual([left[480], right[960], left[1440], right[1920]], [1, 0.5, 0.25, 0.125]);
});

test('delay: tempo sync (120 bpm: 1/8 = 0.25 s, 1/4. = 0.75 s, 1/8t = 1/6 s, 1/4 = 0.5 s)', () => {
  assert.equal(noteSeconds(120, '1/8'), 0.25);
  assert.equal(noteSeconds(120, '1/4'), 0.5);
  assert.equal(noteSeconds(120, '1/4.'), 0.75);
  assert.ok(Math.abs(noteSeconds(120, '1/8t') - 1 / 6) < 1e-15);
  assert.equal(noteSeconds(90, '3/16'), 0.5);
  assert.throws(() => noteSeconds(120, '1/0' as never), RangeError);
  assert.throws(() => noteSeconds(0, '1/4'), RangeError);
  const [left, right] = impulse({ ...clean, bpm: 120, leftNote: '1/8', rightNote: '1/16', feedback: 0 }, 20000);
  assert.deepEqual(nonZero(left), [12000]);
  assert.deepEqual(nonZero(right), [6000]);
});

test('delay: the feedback filters darken and thin each repeat, the first echo stays clean', () => {
  const frames = 4 * 4800;
  const input = [new Float32Array(frames), new Float32Array(frames)];
  input[0][0] = 1;
  const [left] = render(new Delay(RATE, 2, { mix: 1, leftDelaySeconds: 0.1, feedback: 0.9, highPassHz: 300, lowPassHz: 3000 }), input, 512);
  assert.equal(left[4800], 1);
  // Second echo: the impulse through the two one-poles; its sum is the DC gain (0, the high-pass) and its
  // alternating sum the Nyquist gain (small, the low-pass).
  const echo = left.subarray(9600 - 2, 9600 + 2000);
  const dc = echo.reduce((a, v) => a + v, 0);
  const nyquist = echo.reduce((a, v, i) => a + (i % 2 ? -v : v), 0);
  assert.ok(Math.abs(dc) < 0.01, `DC gain ${dc}`);
  assert.ok(Math.abs(nyquist) < 0.9 * 0.3, `Nyquist gain ${nyquist}`);
});

test('delay: changing the delay time while a tone plays does not click', () => {
  const frames = RATE * 3;
  const hz = 440;
  const tone = Float32Array.from({ length: frames }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / RATE));
  const delay = new Delay(RATE, 1, { ...clean, leftDelaySeconds: 0.25, feedback: 0.3 });
  const output = Float32Array.from(tone);
  delay.process([output.subarray(0, RATE)], RATE);
  delay.set({ leftDelaySeconds: 0.1 });
  delay.process([output.subarray(RATE)], frames - RATE);
  // A clean tone's largest step is A·ω; with feedback 0.3 the steady sum of echoes is at most 0.5/(1-0.3);
  // the glide (speed ≤ 1.25, and echoes written during the glide are re-read during it: ≤ 1.25²) may raise
  // the step by up to ~56 %; a jump of the read position would step by up to the full 2·A/(1-0.3).
  const toneStep = ((0.5 / 0.7) * 2 * Math.PI * hz) / RATE;
  let largest = 0;
  for (let i = RATE; i < frames; i++) largest = Math.max(largest, Math.abs(output[i] - output[i - 1]));
  assert.ok(largest < 1.6 * toneStep, `largest step ${largest.toFixed(4)} vs tone step ${toneStep.toFixed(4)}`);
  // And it arrives: two seconds later the echo is the input 0.1 s earlier, plus its own echoes.
  const d = 4800;
  const i = frames - 10;
  let expected = 0;
  for (let k = 1; k <= 12; k++) expected += 0.3 ** (k - 1) * tone[i - k * d];
  assert.ok(Math.abs(output[i] - expected) < 1e-5, `${output[i]} vs ${expected}`);
});

test('delay: rejects out-of-range parameters', () => {
  assert.throws(() => new Delay(RATE, 2, { feedback: 1 }), RangeError);
  assert.throws(() => new Delay(RATE, 2, { leftDelaySeconds: 5 }), RangeError);
  assert.throws(() => new Delay(RATE, 2, { bpm: 10, leftNote: '1/1' }), RangeError);
  assert.throws(() => new Delay(RATE, 2).set({ mix: -0.1 }), RangeError);
});

test('delay: the stereo WebAssembly kernel is bit-identical to the JS path (whole and fractional delays, filters, parameter moves)', () => {
  const frames = 30_011;
  let seed = 9;
  const noise = () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 4294967296 - 0.5; };
  const input = [0, 1].map((c) => Float32Array.from({ length: frames }, (_, i) => (i > 20_000 && i < 24_000 ? 0 : 0.5 * noise() + 0.3 * Math.sin(i * (0.01 + c * 0.003)))));
  // Each case: the parameters, and what changes at frame 12 000 (it glides, then settles again).
  const off = { highPassHz: null, lowPassHz: null };
  const cases: [Partial<DelayParams>, Partial<DelayParams>][] = [
    [{ leftDelaySeconds: 0.01, rightDelaySeconds: 0.0125, feedback: 0.6, mix: 0.4 }, {}],
    [{ leftDelaySeconds: 0.0100104, rightDelaySeconds: 0.0125, feedback: -0.7, mix: 0.5, highPassHz: 300, lowPassHz: 3000 }, {}],
    [{ bpm: 133, leftNote: '1/16t', rightNote: '1/8.', feedback: 0.8, mix: 1, highPassHz: null }, {}],
    [{ leftDelaySeconds: 0.2, rightDelaySeconds: 0.2, feedback: 0.95, mix: 0.25, lowPassHz: null }, {}],
    // Both filters off (each channel two frames at a time in the kernel), then switched on; and the reverse.
    [{ leftDelaySeconds: 0.01, rightDelaySeconds: 0.0125, feedback: 0.6, mix: 0.4, ...off }, { highPassHz: 200, lowPassHz: 5000 }],
    [{ leftDelaySeconds: 0.0031, rightDelaySeconds: 0.2, feedback: -0.9, mix: 0.5 }, off],
    [{ leftDelaySeconds: 0.0100104, rightDelaySeconds: 0.0125, feedback: 0.9, mix: 0.5, ...off }, {}],
  ];
  for (const [params, change] of cases) {
    for (const block of [1, 97, 4096, 5000]) {
      const render2 = (wasm: boolean) => {
        const delay = new Delay(RATE, 2, params, { wasm });
        const out = input.map((c) => Float32Array.from(c));
        for (let at = 0; at < frames; at += block) {
          const n = Math.min(block, frames - at);
          if (at === 12_000 - (12_000 % block)) delay.set({ feedback: (params.feedback ?? 0.35) * 0.5, mix: 0.7, ...change });
          delay.process(out.map((c) => c.subarray(at, at + n)), n);
        }
        return out;
      };
      const [kernel, js] = [render2(true), render2(false)];
      for (let c = 0; c < 2; c++) assert.deepEqual(kernel[c], js[c], `${JSON.stringify(params)}, blocks of ${block}, channel ${c}`);
    }
  }
});
