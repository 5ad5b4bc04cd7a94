import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { FdnReverb, type FdnReverbParams } from './fdn-reverb.js';

const RATE = 48000;

processorSuite('fdn-reverb 100 % wet', (rate, channels) => new FdnReverb(rate, channels, { mix: 1 }), { latencyCheck: 'none' });
processorSuite('fdn-reverb 25 % wet, modulated', (rate, channels) => new FdnReverb(rate, channels, { modulationDepthSeconds: 0.001 }));
processorSuite('fdn-reverb mono', (rate, channels) => new FdnReverb(rate, channels, { mix: 1 }), { channelCount: 1, latencyCheck: 'none' });

/** Impulse response (both channels excited) of `seconds`. */
function impulseResponse(params: Partial<FdnReverbParams>, seconds: number): Float32Array[] {
  const frames = Math.round(seconds * RATE);
  const input = [new Float32Array(frames), new Float32Array(frames)];
  input[0][0] = 1;
  input[1][0] = 1;
  return render(new FdnReverb(RATE, 2, { mix: 1, preDelaySeconds: 0, ...params }), input, 4096);
}

/** One-octave band-pass: two RBJ constant-peak band-pass biquads (bandwidth 1 octave) in series. */
function octaveBand(x: Float32Array, centerHz: number): Float64Array {
  const w0 = (2 * Math.PI * centerHz) / RATE;
  const alpha = Math.sin(w0) * Math.sinh(((Math.LN2 / 2) * w0) / Math.sin(w0));
  const a0 = 1 + alpha;
  const [b0, b2, a1, a2] = [alpha / a0, -alpha / a0, (-2 * Math.cos(w0)) / a0, (1 - alpha) / a0];
  let y = Float64Array.from(x);
  for (let pass = 0; pass < 2; pass++) {
    let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    y = y.map((v) => {
      const out = b0 * v + b2 * x2 - a1 * y1 - a2 * y2;
      x2 = x1; x1 = v; y2 = y1; y1 = out;
      return out;
    });
  }
  return y;
}

/** RT60 (ISO 3382 T30): Schroeder backward integration, line fitted from -5 to -35 dB, extrapolated to 60 dB. */
function rt60(h: Float64Array): number {
  const energy = new Float64Array(h.length);
  for (let i = h.length - 1, sum = 0; i >= 0; i--) energy[i] = sum += h[i] * h[i];
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < h.length; i++) {
    const db = 10 * Math.log10(energy[i] / energy[0]);
    if (db > -5 || db < -35) continue;
    const t = i / RATE;
    n++; sx += t; sy += db; sxx += t * t; sxy += t * db;
  }
  return -60 / ((n * sxy - sx * sy) / (n * sxx - sx * sx));
}

for (const decaySeconds of [1.0, 2.0, 3.5]) {
  test(`fdn-reverb: RT60 at 500 Hz and 1 kHz within 10 % of decaySeconds ${decaySeconds}`, () => {
    const [left, right] = impulseResponse({ decaySeconds }, decaySeconds * 1.6 + 0.2);
    for (const channel of [left, right]) {
      for (const hz of [500, 1000]) {
        const measured = rt60(octaveBand(channel, hz));
        console.log(`decaySeconds ${decaySeconds}: RT60 ${hz} Hz = ${measured.toFixed(3)} s`);
        assert.ok(Math.abs(measured / decaySeconds - 1) < 0.1, `${hz} Hz: RT60 ${measured.toFixed(3)} s`);
      }
    }
  });
}

test('fdn-reverb: damping shortens the high-frequency decay toward decaySeconds·hfDecayRatio', () => {
  const [left] = impulseResponse({ decaySeconds: 2, dampingHz: 2000, hfDecayRatio: 0.4 }, 3.4);
  const low = rt60(octaveBand(left, 250));
  const high = rt60(octaveBand(left, 12000));
  console.log(`damped: RT60 250 Hz ${low.toFixed(3)} s, 12 kHz ${high.toFixed(3)} s`);
  assert.ok(Math.abs(low / 2 - 1) < 0.1, `250 Hz ${low}`);
  assert.ok(Math.abs(high / 0.8 - 1) < 0.2, `12 kHz ${high}`);
});

test('fdn-reverb: mix 0 passes the input through unchanged', () => {
  const frames = 20000;
  const input = [0, 1].map((c) => Float32Array.from({ length: frames }, (_, i) => Math.sin(i * (0.01 + c * 0.003)) * 0.7));
  const output = render(new FdnReverb(RATE, 2, { mix: 0 }), input, 333);
  for (let c = 0; c < 2; c++) for (let i = 0; i < frames; i++) assert.equal(output[c][i], input[c][i]);
});

test('fdn-reverb: wet left and right are decorrelated at width 1, identical at width 0', () => {
  const correlation = (width: number) => {
    const [l, r] = impulseResponse({ width }, 2);
    let lr = 0, ll = 0, rr = 0;
    for (let i = 0; i < l.length; i++) { lr += l[i] * r[i]; ll += l[i] * l[i]; rr += r[i] * r[i]; }
    return lr / Math.sqrt(ll * rr);
  };
  const wide = correlation(1);
  console.log(`wet L/R correlation at width 1: ${wide.toFixed(4)}`);
  assert.ok(Math.abs(wide) < 0.3, `correlation ${wide}`);
  assert.ok(correlation(0) > 0.9999);
});

test('fdn-reverb: a tail followed by 20 s of silence ends in exact zeros, never denormals (times printed, not asserted)', () => {
  const block = 512;
  const frames = 20 * RATE;
  const time = (reverb: FdnReverb, input: Float32Array[]) => {
    const start = performance.now();
    for (let s = 0; s < frames; s += block) reverb.process(input.map((c) => c.subarray(s, s + block)), Math.min(block, frames - s));
    return performance.now() - start;
  };
  const reverb = new FdnReverb(RATE, 2, { decaySeconds: 2, mix: 1 });
  const kick = [new Float32Array(block), new Float32Array(block)];
  kick[0][0] = kick[1][0] = 1;
  reverb.process(kick, block);
  const silence = [new Float32Array(frames), new Float32Array(frames)];
  const silenceMs = time(reverb, silence);
  for (const channel of silence) for (const v of channel) assert.ok(v === 0 || Math.abs(v) > 1e-30, `denormal ${v}`);
  assert.ok(silence[0].subarray(frames - RATE / 2).every((v) => v === 0), 'the last half second is exact zeros');
  let seed = 7;
  const noise = [0, 1].map(() => Float32Array.from({ length: frames }, () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32 - 0.5)));
  const noiseMs = time(new FdnReverb(RATE, 2, { decaySeconds: 2, mix: 1 }), noise);
  console.log(`20 s silence after a tail: ${silenceMs.toFixed(0)} ms; 20 s noise: ${noiseMs.toFixed(0)} ms`);
});

test('fdn-reverb: size and decay changes glide without clicks', () => {
  const frames = RATE;
  const input = [0, 1].map(() => Float32Array.from({ length: frames }, (_, i) => (i < 2000 ? Math.sin(i * 0.05) * 0.5 : 0)));
  const steady = render(new FdnReverb(RATE, 2, { mix: 1 }), input, 256);
  const reverb = new FdnReverb(RATE, 2, { mix: 1 });
  const output = input.map((c) => Float32Array.from(c));
  reverb.process(output.map((c) => c.subarray(0, 12000)), 12000);
  reverb.set({ size: 1.6, decaySeconds: 4 });
  reverb.process(output.map((c) => c.subarray(12000)), frames - 12000);
  const largestStep = (x: Float32Array, from: number, to: number) => {
    let max = 0;
    for (let i = from + 1; i < to; i++) max = Math.max(max, Math.abs(x[i] - x[i - 1]));
    return max;
  };
  const reference = largestStep(steady[0], 6000, 12000);
  const around = largestStep(output[0], 12000, 18000);
  assert.ok(around < 2 * reference, `step after the change ${around}, before ${reference}`);
});

test('fdn-reverb: rejects out-of-range parameters and more than two channels', () => {
  assert.throws(() => new FdnReverb(RATE, 2, { decaySeconds: 0 }), RangeError);
  assert.throws(() => new FdnReverb(RATE, 2, { mix: 1.5 }), RangeError);
  assert.throws(() => new FdnReverb(RATE, 4), RangeError);
  assert.throws(() => new FdnReverb(RATE, 2).set({ size: 5 }), RangeError);
});
