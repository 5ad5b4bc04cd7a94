import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { Fft } from '../fft.js';
import { Chorus, type ChorusParams } from './chorus.js';

const RATE = 48000;

processorSuite('chorus', (rate, channels) => new Chorus(rate, channels));
processorSuite('chorus mono, 2 voices', (rate, channels) => new Chorus(rate, channels, { voices: 2, rateHz: 3 }), { channelCount: 1 });

const TONE_HZ = 480; // 100 samples per period at 48 kHz: a 100-sample mean removes the 2·f terms exactly
const PERIOD = RATE / TONE_HZ;

/**
 * The instantaneous delay (s) of a pure tone through a 100 % wet single-voice chorus, one value per
 * tone period: I/Q demodulation at the tone frequency, phase unwrapped, divided by ω. The phase gives
 * the delay modulo one tone period (2.083 ms); the trace starts once the delay line has filled.
 */
function measuredDelay(params: Partial<ChorusParams>, seconds: number): Float64Array[] {
  const frames = Math.round(seconds * RATE);
  const tone = Float32Array.from({ length: frames }, (_, n) => Math.sin((2 * Math.PI * TONE_HZ * n) / RATE));
  const output = render(new Chorus(RATE, 2, { voices: 1, mix: 1, ...params }), [tone, tone], 1000);
  return output.map((y) => {
    const skip = 10;
    const periods = Math.floor(frames / PERIOD) - skip;
    const delay = new Float64Array(periods);
    let previous = 0;
    for (let p = skip; p < periods + skip; p++) {
      let i = 0, q = 0;
      for (let n = p * PERIOD; n < (p + 1) * PERIOD; n++) {
        i += y[n] * Math.cos((2 * Math.PI * TONE_HZ * n) / RATE);
        q += y[n] * Math.sin((2 * Math.PI * TONE_HZ * n) / RATE);
      }
      // y = sin(ω(n - D)) → q ∝ cos(ωD), i ∝ -sin(ωD).
      let phase = Math.atan2(-i, q);
      while (phase - previous > Math.PI) phase -= 2 * Math.PI;
      while (phase - previous < -Math.PI) phase += 2 * Math.PI;
      previous = phase;
      delay[p - skip] = phase / (2 * Math.PI * TONE_HZ);
    }
    return delay;
  });
}

/** Least-squares fit of mean + a·sin + b·cos at `hz` to a trace sampled at `traceRate`. */
function fitSine(x: Float64Array, hz: number, traceRate: number): { mean: number; amplitude: number; phase: number } {
  // Whole cycles only, so sin, cos and 1 are orthogonal.
  const n = Math.floor(Math.floor((x.length * hz) / traceRate) * (traceRate / hz));
  let mean = 0, a = 0, b = 0;
  for (let k = 0; k < n; k++) mean += x[k] / n;
  for (let k = 0; k < n; k++) {
    const w = (2 * Math.PI * hz * (k + 0.5)) / traceRate;
    a += (2 / n) * (x[k] - mean) * Math.sin(w);
    b += (2 / n) * (x[k] - mean) * Math.cos(w);
  }
  return { mean, amplitude: Math.hypot(a, b), phase: Math.atan2(b, a) };
}

test('chorus: the delay seen by a pure tone swings by ±depth at rateHz; the right channel is 90° ahead', () => {
  const params = { rateHz: 1.5, depthSeconds: 0.002, delaySeconds: 0.012 };
  const [left, right] = measuredDelay(params, 6);
  // The modulation spectrum: the strongest component of the (mean-removed, Hann-windowed) delay trace.
  const size = 4096;
  const real = new Float64Array(size);
  const imag = new Float64Array(size);
  const mean = left.reduce((s, v) => s + v, 0) / left.length;
  for (let k = 0; k < left.length; k++) real[k] = (left[k] - mean) * (0.5 - 0.5 * Math.cos((2 * Math.PI * k) / left.length));
  new Fft(size).forward(real, imag);
  let peak = 1;
  for (let k = 1; k < size / 2; k++) if (Math.hypot(real[k], imag[k]) > Math.hypot(real[peak], imag[peak])) peak = k;
  const binHz = TONE_HZ / size;
  console.log(`modulation spectrum peak: ${(peak * binHz).toFixed(3)} Hz (rateHz 1.5, bin ${binHz.toFixed(3)} Hz)`);
  assert.ok(Math.abs(peak * binHz - params.rateHz) <= binHz, `peak at ${peak * binHz} Hz`);

  const l = fitSine(left, params.rateHz, TONE_HZ);
  const r = fitSine(right, params.rateHz, TONE_HZ);
  console.log(`delay (mod ${(1000 / TONE_HZ).toFixed(3)} ms) ${(l.mean * 1000).toFixed(3)} ms ± ${(l.amplitude * 1000).toFixed(3)} ms; L→R phase ${(((r.phase - l.phase) * 180) / Math.PI).toFixed(2)}°`);
  const offset = (((l.mean - params.delaySeconds) % (1 / TONE_HZ)) + 1.5 / TONE_HZ) % (1 / TONE_HZ) - 0.5 / TONE_HZ;
  assert.ok(Math.abs(offset) < 2e-6, `mean delay ${l.mean} s is not delaySeconds modulo the tone period`);
  assert.ok(Math.abs(l.amplitude / params.depthSeconds - 1) < 0.02, `sweep ${l.amplitude}`);
  let difference = ((r.phase - l.phase) * 180) / Math.PI;
  difference = ((difference % 360) + 360) % 360;
  assert.ok(Math.abs(difference - 90) < 2, `phase difference ${difference}°`);
});

test('chorus: opposite phase (180°) sweeps the channels in antiphase', () => {
  const [left, right] = measuredDelay({ rateHz: 2, stereoPhaseDegrees: 180 }, 3);
  const l = fitSine(left, 2, TONE_HZ);
  const r = fitSine(right, 2, TONE_HZ);
  const difference = ((((r.phase - l.phase) * 180) / Math.PI) % 360 + 360) % 360;
  assert.ok(Math.abs(difference - 180) < 2, `phase difference ${difference}°`);
});

test('chorus: mix 0 is the input; depth 0 with one voice is the input delayed by delaySeconds', () => {
  const frames = 5000;
  const input = Float32Array.from({ length: frames }, (_, i) => Math.sin(i * 0.03) * 0.5);
  const [dry] = render(new Chorus(RATE, 1, { mix: 0 }), [input], 128);
  assert.deepEqual(dry, input);
  const [delayed] = render(new Chorus(RATE, 1, { mix: 1, voices: 1, depthSeconds: 0, delaySeconds: 0.01 }), [input], 128);
  for (let i = 480; i < frames; i++) assert.equal(delayed[i], input[i - 480]);
});

test('chorus: rejects a depth that would reach past the centre delay', () => {
  assert.throws(() => new Chorus(RATE, 2, { delaySeconds: 0.005, depthSeconds: 0.0045 }), RangeError);
  assert.throws(() => new Chorus(RATE, 2, { voices: 4 }), RangeError);
  assert.throws(() => new Chorus(RATE, 2, { voices: 1.5 }), RangeError);
});
