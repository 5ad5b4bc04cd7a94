import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { Biquad } from '../filters/biquad.js';
import { decaySecondsAt, generateReverbImpulse } from '../convolution/reverb-impulse.js';
import { ConvolutionReverb, HEAD_PARTITION_FRAMES } from './convolution-reverb.js';

processorSuite('convolution reverb 0.8 s, mix 0.3, width 1.2', (sr, ch) => new ConvolutionReverb(sr, ch, { decaySeconds: 0.8, preDelaySeconds: 0.01, damping: 0.5, mix: 0.3, width: 1.2 }), { linear: true });
processorSuite('convolution reverb mono 0.5 s @ 44.1k', (sr, ch) => new ConvolutionReverb(sr, ch, { decaySeconds: 0.5, preDelaySeconds: 0, damping: 1, mix: 0.5 }), { linear: true, channelCount: 1, sampleRate: 44100 });

/**
 * RT60 by Schroeder backward integration of the band around `hz`, fit from -5 to -35 dB, x2. The
 * band: an RBJ band-pass of Q sqrt 2 (one octave), or for `narrow` two in series of Q 8.
 */
function rt60(ir: Float32Array, rate: number, hz: number, narrow = false): number {
  const y = Float32Array.from(ir);
  for (let pass = 0; pass < (narrow ? 2 : 1); pass++) {
    new Biquad(rate, 1, { type: 'bandPass', frequencyHz: hz, q: narrow ? 8 : Math.SQRT2, gainDb: 0 }).process([y], y.length);
  }
  const edc = new Float64Array(y.length);
  for (let i = y.length - 1, sum = 0; i >= 0; i--) { sum += y[i] * y[i]; edc[i] = sum; }
  const db = (i: number) => 10 * Math.log10(edc[i] / edc[0]);
  let from = 0;
  while (db(from) > -5) from++;
  let to = from;
  while (db(to) > -35) to++;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  const n = to - from + 1;
  for (let i = from; i <= to; i++) { const t = i / rate, v = db(i); sx += t; sy += v; sxx += t * t; sxy += t * v; }
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx); // dB per second
  return -60 / slope;
}

test('convolution reverb: RT60 (Schroeder, T30 x 2) of the generated IR within 10 % of decaySeconds at 500 Hz and 1 kHz', () => {
  let worst = 0;
  for (const rate of [44100, 48000]) {
    for (const decaySeconds of [0.6, 1.5, 3]) {
      for (const damping of [0, 0.5, 1]) {
        const irs = generateReverbImpulse(rate, 2, { decaySeconds, preDelaySeconds: 0.02, damping });
        for (const [c, ir] of irs.entries()) {
          for (const hz of [500, 1000]) {
            const measured = rt60(ir, rate, hz);
            worst = Math.max(worst, Math.abs(measured / decaySeconds - 1));
            assert.ok(Math.abs(measured / decaySeconds - 1) <= 0.1, `${rate} Hz, ${decaySeconds} s, damping ${damping}, channel ${c}, ${hz} Hz: RT60 ${measured.toFixed(3)} s`);
          }
        }
      }
    }
  }
  assert.ok(worst <= 0.1, `worst ${worst}`);
});

test('convolution reverb: damping shortens the high-frequency decay as decaySecondsAt() says (narrow bands, within 10 %)', () => {
  for (const rate of [44100, 48000]) {
    for (const damping of [0, 0.5, 1]) {
      const [h] = generateReverbImpulse(rate, 1, { decaySeconds: 2, preDelaySeconds: 0, damping });
      for (const hz of [1000, 6000, 8000, 12000, 16000]) {
        const expected = decaySecondsAt(2, damping, hz);
        const measured = rt60(h, rate, hz, true);
        assert.ok(Math.abs(measured / expected - 1) < 0.1, `${rate}, damping ${damping}, ${hz} Hz: ${measured.toFixed(3)} s, law ${expected.toFixed(3)} s`);
      }
    }
  }
});

test('convolution reverb: wet path is the IR itself at zero latency, pre-delay exact, channels decorrelated, width 0 is mono', () => {
  const rate = 48000;
  const reverb = new ConvolutionReverb(rate, 2, { decaySeconds: 0.7, preDelaySeconds: 0.03, mix: 1, width: 1 });
  const [irL, irR] = reverb.impulseResponses;
  const n = irL.length + 100;
  const input = [new Float32Array(n), new Float32Array(n)];
  input[0][0] = 1; input[1][0] = 1;
  const [outL, outR] = render(reverb, input, 333);
  let error = 0;
  for (let i = 0; i < irL.length; i++) error = Math.max(error, Math.abs(outL[i] - irL[i]), Math.abs(outR[i] - irR[i]));
  assert.ok(error < 1e-6, `wet vs IR: ${error}`);
  assert.equal(irL.findIndex((v) => v !== 0), Math.round(0.03 * rate));
  let lr = 0, ll = 0, rr = 0;
  for (let i = 0; i < irL.length; i++) { lr += irL[i] * irR[i]; ll += irL[i] * irL[i]; rr += irR[i] * irR[i]; }
  assert.ok(Math.abs(lr / Math.sqrt(ll * rr)) < 0.1, `L/R correlation ${lr / Math.sqrt(ll * rr)}`);
  assert.ok(Math.abs(ll - 1) < 1e-5 && Math.abs(rr - 1) < 1e-5, 'unit energy');
  const short = new ConvolutionReverb(rate, 1, { preDelaySeconds: 0 });
  assert.equal(short.impulseResponses[0].findIndex((v) => v !== 0), HEAD_PARTITION_FRAMES);
  const mono = new ConvolutionReverb(rate, 2, { decaySeconds: 0.5, mix: 0.6, width: 0 });
  const noise = Array.from({ length: 2 }, (_, c) => Float32Array.from({ length: 20000 }, (_, i) => Math.sin(i * (0.1 + c) + c)));
  const [a, b] = render(mono, [Float32Array.from(noise[0]), Float32Array.from(noise[0])], 500);
  assert.deepEqual(a, b);
});

test('convolution reverb: IR parameters regenerate the IR; mix glides without a step; bad values throw', () => {
  const rate = 44100;
  const reverb = new ConvolutionReverb(rate, 2, { decaySeconds: 1, preDelaySeconds: 0.01, mix: 0 });
  const before = reverb.impulseResponses[0].length;
  reverb.set({ decaySeconds: 2 });
  assert.equal(reverb.impulseResponses[0].length, before + rate);
  const tone = Float32Array.from({ length: 8000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 200 * i) / rate));
  reverb.set({ mix: 1 });
  const [out] = render(reverb, [Float32Array.from(tone), Float32Array.from(tone)], 64);
  let step = 0;
  for (let i = 1; i < out.length; i++) step = Math.max(step, Math.abs(out[i] - out[i - 1]));
  assert.ok(step < 0.1, `largest step ${step}`);
  assert.throws(() => new ConvolutionReverb(rate, 2, { decaySeconds: 20 }), RangeError);
  assert.throws(() => new ConvolutionReverb(rate, 2, { mix: 1.5 }), RangeError);
  assert.throws(() => new ConvolutionReverb(rate, 3), RangeError);
});
