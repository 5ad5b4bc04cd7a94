import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { Fft } from '../fft.js';
import { Biquad } from '../filters/biquad.js';
import { DeEsser } from './de-esser.js';
import { dbToAmplitude, rmsDb, sine, toneDb } from '../../../../test/support/dynamics-signals.js';

const RATE = 48000;

// The LR4 sum is an all-pass whose impulse response peaks after sample 0 (phase, not delay): the
// zero latency is checked below against the magnitude and the crossover instead.
processorSuite('de-esser', (rate, channels) => new DeEsser(rate, channels, { thresholdDb: -40 }), { latencyCheck: 'none' });

/** A sibilant-like band: 40 sines spread over 6.5-7.5 kHz with fixed pseudo-random phases. */
function sibilance(frames: number, rmsDbfs: number): Float32Array {
  const out = new Float32Array(frames);
  const count = 40, amplitude = dbToAmplitude(rmsDbfs) * Math.sqrt(2 / count);
  for (let k = 0; k < count; k++) {
    const hz = 6500 + (1000 * k) / (count - 1), phase = (k * 2.399963) % (2 * Math.PI);
    for (let i = 0; i < frames; i++) out[i] += amplitude * Math.sin((2 * Math.PI * hz * i) / RATE + phase);
  }
  return out;
}

/** 300 Hz tone at -12 dBFS plus sibilance bursts (150 ms on, 150 ms off) of the given RMS. */
function vocal(frames: number, sibilanceDb: number): { tone: Float32Array; mix: Float32Array; bursts: Float32Array } {
  const tone = sine(RATE, 300, dbToAmplitude(-12), frames);
  const bursts = sibilance(frames, sibilanceDb);
  const period = Math.round(0.3 * RATE);
  for (let i = 0; i < frames; i++) if (i % period >= period / 2) bursts[i] = 0;
  return { tone, bursts, mix: tone.map((v, i) => v + bursts[i]) };
}

/** Power (dB) in [loHz, hiHz] of x[start, start + n) (n a power of two, Hann window). */
function bandDb(x: Float32Array, start: number, n: number, loHz: number, hiHz: number): number {
  const re = new Float64Array(n), im = new Float64Array(n);
  for (let i = 0; i < n; i++) re[i] = x[start + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
  new Fft(n).forward(re, im);
  let sum = 0;
  for (let k = Math.ceil((loHz * n) / RATE); k <= Math.floor((hiHz * n) / RATE); k++) sum += re[k] * re[k] + im[k] * im[k];
  return 10 * Math.log10(sum);
}

/** Mean high-band change (dB) over the middle 4096 frames of bursts 2-5. */
function burstChange(input: Float32Array, output: Float32Array): number {
  const period = Math.round(0.3 * RATE);
  let sum = 0;
  for (let burst = 1; burst < 5; burst++) {
    const start = burst * period + Math.round(0.03 * RATE);
    sum += bandDb(output, start, 4096, 6400, 7600) - bandDb(input, start, 4096, 6400, 7600);
  }
  return sum / 4;
}

test('de-esser: loud sibilance is cut by the range (through the LR4 split, within 0.3 dB) while the 300 Hz tone moves < 0.1 dB', (t) => {
  const frames = 2 * RATE;
  const { tone, mix } = vocal(frames, -10);
  const deEsser = new DeEsser(RATE, 1, { thresholdDb: -30, rangeDb: 6 });
  const [out] = render(deEsser, [mix], 256);
  const measured = burstChange(mix, out);
  // Expected: power average over the band of (|L| + g|H|)^2 with g = -6 dB.
  let power = 0;
  for (let k = 0; k <= 100; k++) power += deEsser.magnitudeAt(6500 + 10 * k, 6) ** 2;
  const expected = 10 * Math.log10(power / 101);
  const toneChange = toneDb(out, RATE, 300) - toneDb(tone, RATE, 300);
  t.diagnostic(`7 kHz band: ${measured.toFixed(3)} dB (expected ${expected.toFixed(3)}); 300 Hz tone: ${toneChange.toFixed(4)} dB; meter max ${deEsser.maxGainReductionDb.toFixed(2)} dB`);
  assert.ok(Math.abs(measured - expected) < 0.3, `band change ${measured} dB, expected ${expected}`);
  assert.ok(Math.abs(toneChange) < 0.1, `tone change ${toneChange} dB`);
  assert.ok(Math.abs(deEsser.maxGainReductionDb - 6) < 0.01, `meter ${deEsser.maxGainReductionDb}`);
});

test('de-esser: a steady moderate sibilant (7 kHz tone bursts) is cut by the static curve of its detector level (within 0.3 dB)', (t) => {
  const frames = 2 * RATE, period = Math.round(0.3 * RATE);
  const tone = sine(RATE, 300, dbToAmplitude(-12), frames);
  const bursts = sine(RATE, 7000, dbToAmplitude(-20), frames).map((v, i) => (i % period < period / 2 ? v : 0));
  const mix = tone.map((v, i) => v + bursts[i]);
  const params = { thresholdDb: -30, ratio: 4, rangeDb: 12 };
  const deEsser = new DeEsser(RATE, 1, params);
  const [out] = render(deEsser, [mix], 256);
  // Detector level: the RMS of the band-passed sibilant during a burst.
  const [detected] = render(new Biquad(RATE, 1, { type: 'bandPass', frequencyHz: 6500, q: 1 }), [bursts], 256);
  const level = rmsDb(detected, period + 1000, Math.round(1.5 * period));
  const reduction = Math.min(params.rangeDb, (level - params.thresholdDb) * (1 - 1 / params.ratio));
  const expected = 20 * Math.log10(deEsser.magnitudeAt(7000, reduction));
  let measured = 0;
  for (let burst = 1; burst < 5; burst++) {
    const start = burst * period + Math.round(0.03 * RATE);
    measured += (toneDb(out, RATE, 7000, start, start + 4096) - toneDb(mix, RATE, 7000, start, start + 4096)) / 4;
  }
  t.diagnostic(`detector ${level.toFixed(2)} dBFS → ${reduction.toFixed(2)} dB reduction; 7 kHz ${measured.toFixed(3)} dB (expected ${expected.toFixed(3)})`);
  assert.ok(Math.abs(measured - expected) < 0.3, `7 kHz change ${measured} dB, expected ${expected}`);
  // A noise-like band at the same level rides the detector's fluctuations: more reduction, never less.
  const band = vocal(frames, -20);
  const [banded] = render(new DeEsser(RATE, 1, params), [band.mix], 256);
  const noisy = burstChange(band.mix, banded);
  t.diagnostic(`multi-sine band at -20 dBFS RMS: ${noisy.toFixed(2)} dB`);
  assert.ok(noisy < expected + 0.3 && noisy > 20 * Math.log10(deEsser.magnitudeAt(7000, params.rangeDb)) - 0.3);
});

test('de-esser: below threshold the magnitude response is flat (< 0.01 dB) and tone levels are unchanged (< 0.01 dB)', (t) => {
  const frames = 2 * RATE;
  const { tone, mix } = vocal(frames, -50);
  const deEsser = new DeEsser(RATE, 1, { thresholdDb: -30 });
  const [out] = render(deEsser, [mix], 256);
  assert.equal(deEsser.maxGainReductionDb, 0);
  const toneChange = toneDb(out, RATE, 300) - toneDb(tone, RATE, 300), band = burstChange(mix, out);
  assert.ok(Math.abs(toneChange) < 0.01 && Math.abs(band) < 0.01, `tone ${toneChange} dB, band ${band} dB`);
  // Impulse response (tiny, far below threshold): |FFT| within 0.01 dB of 0 dB everywhere.
  const n = 65536, impulse = new Float32Array(n);
  impulse[0] = 1e-3;
  const [response] = render(new DeEsser(RATE, 1, { thresholdDb: -30 }), [impulse], 1024);
  const re = Float64Array.from(response, (v) => v * 1e3), im = new Float64Array(n);
  new Fft(n).forward(re, im);
  let worst = 0;
  for (let k = 1; k < n / 2; k++) worst = Math.max(worst, Math.abs(10 * Math.log10(re[k] * re[k] + im[k] * im[k])));
  t.diagnostic(`largest deviation from flat: ${worst.toExponential(2)} dB`);
  assert.ok(worst < 0.01, `deviation ${worst} dB`);
});

test('de-esser: stereo link 1 keys both channels from the sibilant one; a tone-only channel keeps its level; parameters validate', () => {
  const frames = RATE;
  const { mix, tone } = vocal(frames, -10);
  const [l, r] = render(new DeEsser(RATE, 2), [mix, Float32Array.from(tone)], 256);
  const burst = Math.round(0.33 * RATE);
  assert.ok(bandDb(l, burst, 4096, 6400, 7600) < bandDb(mix, burst, 4096, 6400, 7600) - 3);
  assert.ok(Math.abs(rmsDb(r, RATE / 2) - rmsDb(tone, RATE / 2)) < 0.1, 'the tone-only channel keeps its level');
  assert.throws(() => new DeEsser(RATE, 2, { frequencyHz: 30000 }), RangeError);
  const d = new DeEsser(RATE, 2);
  d.set({ splitHz: 5000, rangeDb: 3 });
  assert.equal(d.params.splitHz, 5000);
});

/**
 * A stereo de-esser runs its biquads, compressor and band sum in SIMD kernels; any other channel count
 * takes the JS path. With stereo link 1 a silent third channel changes nothing, so the 3-channel
 * de-esser's first two channels are the JS path's answer: the kernel path must match it bit for bit
 * (sibilant bursts, silence and tiny levels, set() automation that makes the filters glide, odd blocks).
 */
test('de-esser: the stereo kernel path is bit-identical to the JS path (3 channels, one silent)', () => {
  const frames = 48000 * 3;
  let seed = 3;
  const input = [0, 1].map((c) => Float32Array.from({ length: frames }, (_, i) => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    const burst = Math.floor(i / 6000) % 4;
    const hiss = (seed / 4294967296 - 0.5) * (burst === 0 ? 0.8 : burst === 1 ? 0.01 : burst === 2 ? 0 : 1e-8);
    return hiss + 0.2 * Math.sin((2 * Math.PI * (300 + 100 * c) * i) / 48000) * (burst === 2 ? 0 : 1);
  }));
  const silent = new Float32Array(frames);
  for (const params of [{}, { frequencyHz: 7000, splitHz: 5000, ratio: 3, rangeDb: 3, thresholdDb: -30 }, { detector: 'highPass' as const, thresholdDb: -50, ratio: 10, rangeDb: 12 }]) {
    const renderN = (channels: 2 | 3) => {
      const deEsser = new DeEsser(48000, channels, params);
      const out = (channels === 2 ? input : [...input, silent]).map((c) => Float32Array.from(c));
      for (let start = 0, k = 0; start < frames; k++) {
        if (k === 20) deEsser.set({ splitHz: 4000, thresholdDb: -40 });
        const n = Math.min(k % 4 === 3 ? 333 : 4096, frames - start);
        deEsser.process(out.map((c) => c.subarray(start, start + n)), n);
        start += n;
      }
      return out.slice(0, 2);
    };
    assert.deepEqual(renderN(2), renderN(3), JSON.stringify(params));
  }
});
