import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { Fft } from '../fft.js';
import { Crossover } from '../filters/crossover.js';
import { MultibandCompressor } from './multiband-compressor.js';
import { dbToAmplitude, noise, sine, toneDb } from '../../../../test/support/dynamics-signals.js';

const RATE = 48000;
const SPLITS = [200, 2000, 8000];

// The band sum is an all-pass whose impulse response peaks after sample 0: zero latency is checked
// below by comparing with the crossover's own sum instead.
processorSuite('multiband compressor (3 splits, driven)', (rate, channels) => new MultibandCompressor(rate, channels, {
  frequenciesHz: SPLITS, bands: [{ thresholdDb: -30, ratio: 4 }, { thresholdDb: -24, ratio: 2 }, { thresholdDb: -30, ratio: 8, detector: 'rms' }, { thresholdDb: -36, stereoLink: 0 }],
}), { latencyCheck: 'none' });
processorSuite('multiband compressor (2 bands, 3 ms look-ahead, below threshold)', (rate, channels) => new MultibandCompressor(rate, channels, {
  frequenciesHz: [150], lookaheadSeconds: 0.003,
}), { latencyCheck: 'xcorr', signalDb: -40 });

const unity = (frequenciesHz: number[]) => new MultibandCompressor(RATE, 2, { frequenciesHz, bands: frequenciesHz.concat(0).map(() => ({ ratio: 1, thresholdDb: -60 })) });

test('multiband at ratio 1: output = the crossover all-pass sum (1e-6), magnitude flat within ±0.05 dB, 2-5 bands', (t) => {
  for (const frequenciesHz of [[1000], [200, 2000], SPLITS, [80, 300, 1500, 6000]]) {
    const input = [noise(RATE, 0.5, 5), noise(RATE, 0.5, 6)];
    const output = render(unity(frequenciesHz), input, 512);
    // Reference: the crossover's bands summed directly.
    const crossover = new Crossover(RATE, 2, { frequenciesHz });
    const bands = Array.from({ length: crossover.bandCount }, () => input.map(() => new Float32Array(RATE)));
    crossover.split(input, RATE, bands);
    let worst = 0;
    for (let i = 0; i < RATE; i++) worst = Math.max(worst, Math.abs(output[0][i] - bands.reduce((sum, band) => sum + band[0][i], 0)));
    assert.ok(worst < 1e-6, `${frequenciesHz}: max difference from the crossover sum ${worst}`);
    const n = 65536, impulse = [new Float32Array(n), new Float32Array(n)];
    impulse[0][0] = 1e-3;
    const [response] = render(unity(frequenciesHz), impulse, 1000);
    const re = Float64Array.from(response, (v) => v * 1e3), im = new Float64Array(n);
    new Fft(n).forward(re, im);
    let deviation = 0;
    for (let k = 1; k < n / 2; k++) deviation = Math.max(deviation, Math.abs(10 * Math.log10(re[k] * re[k] + im[k] * im[k])));
    t.diagnostic(`${frequenciesHz.length + 1} bands: ${deviation.toExponential(2)} dB from flat, ${worst.toExponential(2)} from the crossover sum`);
    assert.ok(deviation < 0.05, `${frequenciesHz}: ${deviation} dB from flat`);
  }
});

test('multiband: a loud 60 Hz tone is compressed in its band only (as expected within 0.5 dB); quiet 1 kHz and 10 kHz tones keep their level (0.05 dB)', (t) => {
  const frames = 3 * RATE;
  const bass = sine(RATE, 60, dbToAmplitude(-6), frames), mid = sine(RATE, 1000, dbToAmplitude(-40), frames), air = sine(RATE, 10000, dbToAmplitude(-40), frames);
  const mix = bass.map((v, i) => v + mid[i] + air[i]);
  const multiband = new MultibandCompressor(RATE, 1, { frequenciesHz: SPLITS, bands: [0, 1, 2, 3].map(() => ({ thresholdDb: -30, ratio: 4, kneeDb: 0, attackSeconds: 0.005, releaseSeconds: 0.2 })) });
  const [out] = render(multiband, [mix], 512);
  const from = 2 * RATE;
  const changes = [60, 1000, 10000].map((hz) => toneDb(out, RATE, hz, from) - toneDb(mix, RATE, hz, from));
  // 60 Hz at -6 dBFS peak, 24 dB over the threshold at ratio 4: the low band's share (|L| = 0.992, in
  // phase with the rest) is cut by 18 dB, the 0.8 % that leaks into band 1 is not.
  const crossover = new Crossover(RATE, 1, { frequenciesHz: SPLITS });
  const low = crossover.bandResponse(0, 60).magnitude, rest = 1 - low;
  const expected = 20 * Math.log10(low * dbToAmplitude(-18) + rest);
  t.diagnostic(`60 Hz ${changes[0].toFixed(2)} dB (expected ${expected.toFixed(2)}), 1 kHz ${changes[1].toFixed(3)} dB, 10 kHz ${changes[2].toFixed(3)} dB; band GR ${multiband.bandGainReductionDb.map((g) => g.toFixed(2)).join(' ')}`);
  assert.ok(Math.abs(changes[0] - expected) < 0.5, `60 Hz: ${changes[0]} dB, expected ${expected}`);
  assert.ok(Math.abs(changes[1]) < 0.05 && Math.abs(changes[2]) < 0.05, `quiet bands: ${changes[1]} / ${changes[2]} dB`);
  assert.ok(multiband.bandGainReductionDb[0] > 15 && multiband.bandGainReductionDb[2] === 0);
});

test('multiband set(): per-band parameters merge; new split frequencies rebuild; look-ahead is fixed', () => {
  const multiband = new MultibandCompressor(RATE, 2, { frequenciesHz: [200, 2000] });
  assert.equal(multiband.bandCount, 3);
  multiband.set({ bands: [{ ratio: 2 }, {}, { thresholdDb: -10 }] });
  assert.equal(multiband.params.bands[0].ratio, 2);
  assert.equal(multiband.params.bands[2].thresholdDb, -10);
  multiband.set({ frequenciesHz: [100, 1000, 5000] });
  assert.equal(multiband.bandCount, 4);
  assert.equal(multiband.params.bands[0].ratio, 2);
  assert.throws(() => multiband.set({ lookaheadSeconds: 0.01 }), RangeError);
  assert.throws(() => new MultibandCompressor(RATE, 2, { frequenciesHz: [2000, 200] }), RangeError);
});

/**
 * A stereo 2-band compressor runs its split, compressors and band sum in SIMD kernels; any other channel
 * count takes the JS path (a silent third channel changes nothing with stereo link 1): bit-identical.
 */
test('multiband: the stereo 2-band kernel path is bit-identical to the JS path (3 channels, one silent)', () => {
  const frames = 48000 * 2;
  const input = [0, 1].map((c) => {
    const x = noise(frames, 0.3, 11 + c);
    for (let i = 0; i < frames; i++) x[i] = (x[i] + 0.5 * Math.sin((2 * Math.PI * 60 * i) / 48000)) * (Math.floor(i / 9000) % 3 === 2 ? 0 : 1);
    return x;
  });
  const silent = new Float32Array(frames);
  const params = { frequenciesHz: [150], lookaheadSeconds: 0.003, bands: [{ ratio: 2, thresholdDb: -24 }, { ratio: 1.5, detector: 'rms' as const, autoRelease: true }] };
  const renderN = (channels: 2 | 3) => {
    const multiband = new MultibandCompressor(48000, channels, params);
    const out = (channels === 2 ? input : [...input, silent]).map((c) => Float32Array.from(c));
    for (let start = 0, k = 0; start < frames; k++) {
      if (k === 10) multiband.set({ bands: [{ thresholdDb: -30 }] });
      const n = Math.min(k % 3 === 2 ? 1000 : 4096, frames - start);
      multiband.process(out.map((c) => c.subarray(start, start + n)), n);
      start += n;
    }
    return out.slice(0, 2);
  };
  assert.deepEqual(renderN(2), renderN(3));
});
