import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { Width } from './width.js';
import { lr4HighpassMagnitude } from './lr4-highpass.js';

processorSuite('width 150 %', (rate, channels) => new Width(rate, channels, { widthPercent: 150 }));
processorSuite('width 120 % with bass mono at 120 Hz', (rate, channels) => new Width(rate, channels, { widthPercent: 120, bassMonoHz: 120 }));
processorSuite('width 100 % (passthrough)', (rate, channels) => new Width(rate, channels));

const RATE = 48000;
const stereoNoise = (frames: number) => {
  let s = 7;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  return [Float32Array.from({ length: frames }, next), Float32Array.from({ length: frames }, next)];
};

test('width: 0 % is mono (L = R), 100 % is bit-exact, 200 % doubles the side and keeps the mid', () => {
  const input = stereoNoise(10000);
  const [l0, r0] = render(new Width(RATE, 2, { widthPercent: 0 }), input, 256);
  assert.deepEqual(l0, r0);
  assert.deepEqual(render(new Width(RATE, 2, { widthPercent: 100 }), input, 256), input);
  const [l2, r2] = render(new Width(RATE, 2, { widthPercent: 200 }), input, 256);
  for (let i = 0; i < 10000; i++) {
    const [l, r] = [input[0][i], input[1][i]];
    assert.ok(Math.abs((l2[i] - r2[i]) / 2 - (l - r)) < 1e-6, 'side doubled');
    assert.ok(Math.abs((l2[i] + r2[i]) / 2 - (l + r) / 2) < 1e-6, 'mid kept');
  }
});

/** Side and mid gain (dB) of a stereo sine at `hz` with independent L/R phases, after settling. */
function sideGainDb(width: Width, hz: number): { side: number; mid: number } {
  const frames = RATE; // 1 s
  const w = (2 * Math.PI * hz) / RATE;
  const input = [Float32Array.from({ length: frames }, (_, i) => 0.5 * Math.sin(w * i)), Float32Array.from({ length: frames }, (_, i) => 0.5 * Math.sin(w * i + 1.9))];
  width.reset();
  const [l, r] = render(width, input, 512);
  const rms = (f: (i: number) => number) => {
    let sum = 0;
    for (let i = frames / 2; i < frames; i++) sum += f(i) ** 2;
    return Math.sqrt(sum / (frames / 2));
  };
  const sideIn = rms((i) => (input[0][i] - input[1][i]) / 2);
  const midIn = rms((i) => (input[0][i] + input[1][i]) / 2);
  return {
    side: 20 * Math.log10(rms((i) => (l[i] - r[i]) / 2) / sideIn),
    mid: 20 * Math.log10(rms((i) => (l[i] + r[i]) / 2) / midIn),
  };
}

test('bass mono: side ≥ 24 dB down below half the cutoff; within 0.5 dB of the width above 2× (LR4 on S only, M untouched)', () => {
  for (const cutoff of [80, 150]) {
    for (const widthPercent of [100, 150]) {
      const width = new Width(RATE, 2, { widthPercent, bassMonoHz: cutoff });
      const setting = 20 * Math.log10(widthPercent / 100);
      for (const ratio of [0.1, 0.25, 0.4, 0.5]) {
        const { side, mid } = sideGainDb(width, cutoff * ratio);
        assert.ok(side - setting <= -24, `${cutoff} Hz, ${ratio}×: side ${side.toFixed(2)} dB`);
        assert.ok(Math.abs(mid) < 1e-4, 'mid untouched');
      }
      for (const ratio of [2.1, 3, 5, 10, 50]) {
        const { side } = sideGainDb(width, cutoff * ratio);
        assert.ok(Math.abs(side - setting) <= 0.5, `${cutoff} Hz, ${ratio}×: side ${side.toFixed(2)} dB vs ${setting.toFixed(2)}`);
      }
    }
  }
  // The LR4 magnitude formula agrees: −6.02 dB at the cutoff, −0.53 dB at exactly 2×.
  assert.ok(Math.abs(20 * Math.log10(lr4HighpassMagnitude(RATE, 100, 100)) + 6.02) < 0.01);
  assert.ok(Math.abs(20 * Math.log10(lr4HighpassMagnitude(RATE, 100, 200)) + 0.53) < 0.01);
});

test('width: mid is bit-exact with bass mono on; changes ramp without steps; bad cutoffs throw', () => {
  const input = stereoNoise(4800);
  const width = new Width(RATE, 2, { widthPercent: 100, bassMonoHz: 100 });
  const [l, r] = render(width, input, 100);
  for (let i = 0; i < 4800; i++) assert.ok(Math.abs((l[i] + r[i]) - (input[0][i] + input[1][i])) < 1e-6);
  const moving = new Width(RATE, 2, { widthPercent: 100 });
  const side = [new Float32Array(4800).fill(0.5), new Float32Array(4800).fill(-0.5)];
  moving.set({ widthPercent: 0 });
  const [ml] = render(moving, side, 64);
  let step = 0;
  for (let i = 1; i < 4800; i++) step = Math.max(step, Math.abs(ml[i] - ml[i - 1]));
  assert.ok(step < 0.01 && Math.abs(ml[4799]) < 1e-3, `step ${step}`);
  assert.throws(() => new Width(RATE, 2, { bassMonoHz: 5 }), RangeError);
  assert.throws(() => new Width(RATE, 1), RangeError);
});

test('bass mono switched on and off, and a cutoff glide, stay block-size invariant', () => {
  const input = stereoNoise(9600);
  const run = (block: number) => {
    const width = new Width(RATE, 2, { widthPercent: 130 });
    const out = [new Float32Array(9600), new Float32Array(9600)];
    for (let start = 0; start < 9600; start += block) {
      if (start === 1920) width.set({ bassMonoHz: 200 });
      if (start === 3840) width.set({ bassMonoHz: 60 });
      if (start === 7680) width.set({ bassMonoHz: 0 });
      const n = Math.min(block, 9600 - start);
      const chunk = [input[0].slice(start, start + n), input[1].slice(start, start + n)];
      width.process(chunk, n);
      out[0].set(chunk[0], start);
      out[1].set(chunk[1], start);
    }
    return out;
  };
  const reference = run(1920);
  assert.deepEqual(run(1), reference);
  assert.deepEqual(run(64), reference);
});
