import { assert, test } from '../../../../test/support/node-test.js';
import type { LinearProcessor } from '../api.js';
import { Fft } from '../fft.js';
import { processorSuite } from '../../../../test/support/processor-suite.js';
import { Crossover } from './crossover.js';

const SPLITS: Record<number, number[]> = { 2: [1000], 3: [200, 2000], 4: [120, 1000, 6000], 5: [80, 300, 1500, 6000] };

/** The crossover as a Processor: writes one band (or the sum of all bands, band = -1) back in place. */
function bandProcessor(sampleRate: number, channelCount: number, frequenciesHz: number[], band: number): LinearProcessor {
  const crossover = new Crossover(sampleRate, channelCount, { frequenciesHz });
  let scratch: Float32Array[][] = [];
  return {
    latency: crossover.latency,
    process(channels, frames) {
      if (!scratch.length || scratch[0][0].length < frames) {
        scratch = Array.from({ length: crossover.bandCount }, () => Array.from({ length: channelCount }, () => new Float32Array(frames)));
      }
      crossover.split(channels, frames, scratch);
      for (let c = 0; c < channelCount; c++) {
        for (let i = 0; i < frames; i++) {
          let v = 0;
          if (band >= 0) v = scratch[band][c][i];
          else for (let b = 0; b < crossover.bandCount; b++) v += scratch[b][c][i];
          channels[c][i] = Math.abs(v) < 1e-30 ? 0 : v; // bands are flushed; their sum can still cancel to tiny values
        }
      }
    },
    reset: () => crossover.reset(),
    response(hz) {
      if (band >= 0) return crossover.bandResponse(band, hz);
      let re = 0, im = 0;
      for (let b = 0; b < crossover.bandCount; b++) {
        const r = crossover.bandResponse(b, hz);
        re += r.magnitude * Math.cos(r.phase); im += r.magnitude * Math.sin(r.phase);
      }
      return { magnitude: Math.hypot(re, im), phase: Math.atan2(im, re) };
    },
  };
}

// The sum is an all-pass; with splits up to 6 kHz its impulse response peaks after sample 0 (phase
// rotation, not delay), so the latency-by-peak check runs on a 2-band split at 150 Hz instead.
processorSuite('crossover sum of 4 bands', (sr, ch) => bandProcessor(sr, ch, SPLITS[4], -1), { linear: true, latencyCheck: 'none' });
processorSuite('crossover sum of 2 bands at 150 Hz', (sr, ch) => bandProcessor(sr, ch, [150], -1), { linear: true });
// A band-pass band's impulse response rises after sample 0 (no delay is involved), so no latency-by-peak check.
processorSuite('crossover band 2 of 5', (sr, ch) => bandProcessor(sr, ch, SPLITS[5], 2), { linear: true, latencyCheck: 'none' });
// Splits high enough that the band stays above the float32 noise floor (-140 dB) at 16 kHz.
processorSuite('crossover band 0 of 3 @ 44.1k', (sr, ch) => bandProcessor(sr, ch, [3000, 9000], 0), { linear: true, latencyCheck: 'none', sampleRate: 44100 });

/** Splits a unit impulse; returns each band's impulse response (channel 0) and their sum. */
function splitImpulse(rate: number, frequenciesHz: number[], n: number) {
  const crossover = new Crossover(rate, 2, { frequenciesHz });
  const input = [new Float32Array(n), new Float32Array(n)];
  input[0][0] = 1; input[1][0] = 1;
  const bands = Array.from({ length: crossover.bandCount }, () => [new Float32Array(n), new Float32Array(n)]);
  for (let start = 0; start < n; start += 1000) {
    const count = Math.min(1000, n - start);
    crossover.split(input.map((c) => c.subarray(start, start + count)), count, bands.map((b) => b.map((c) => c.subarray(start, start + count))));
  }
  const sum = new Float64Array(n);
  for (const band of bands) for (let i = 0; i < n; i++) sum[i] += band[0][i];
  return { crossover, bands, sum };
}

function spectrum(x: ArrayLike<number>, n: number) {
  const re = Float64Array.from(x), im = new Float64Array(n);
  new Fft(n).forward(re, im);
  return { re, im };
}

test('crossover: the bands of 2-5 band LR4 splits sum flat within 0.05 dB from 20 Hz to 20 kHz at 44.1 and 48 kHz', () => {
  const n = 65536;
  for (const rate of [44100, 48000]) {
    for (const [count, frequenciesHz] of Object.entries(SPLITS)) {
      const { sum } = splitImpulse(rate, frequenciesHz, n);
      const { re, im } = spectrum(sum, n);
      let worst = 0;
      for (let k = Math.ceil((20 * n) / rate); k <= Math.floor((20000 * n) / rate); k++) {
        worst = Math.max(worst, Math.abs(10 * Math.log10(re[k] * re[k] + im[k] * im[k])));
      }
      assert.ok(worst <= 0.05, `${count} bands @ ${rate}: sum deviates ${worst.toFixed(4)} dB`);
    }
  }
});

test('crossover: each band measures its bandResponse() (within 0.05 dB down to -60 dB) and is -6.02 dB at its splits', () => {
  const n = 65536;
  const rate = 48000;
  const { crossover, bands } = splitImpulse(rate, SPLITS[5], n);
  for (let b = 0; b < crossover.bandCount; b++) {
    const { re, im } = spectrum(bands[b][0], n);
    for (const hz of [20, 50, 80, 150, 300, 700, 1500, 3000, 6000, 12000, 20000]) {
      const k = Math.round((hz * n) / rate);
      const declared = 20 * Math.log10(crossover.bandResponse(b, (k * rate) / n).magnitude);
      if (declared < -60) continue;
      const measured = 10 * Math.log10(re[k] * re[k] + im[k] * im[k]);
      assert.ok(Math.abs(measured - declared) <= 0.05, `band ${b} at ${hz} Hz: ${measured.toFixed(3)} vs ${declared.toFixed(3)} dB`);
    }
  }
  SPLITS[5].forEach((hz, s) => {
    for (const band of [s, s + 1]) {
      const db = 20 * Math.log10(crossover.bandResponse(band, hz).magnitude);
      // The neighbouring split's compensation/slope is not exactly 0 dB here, hence 0.2 dB.
      assert.ok(Math.abs(db + 6.0206) < 0.2, `band ${band} at split ${hz} Hz: ${db.toFixed(3)} dB`);
    }
  });
  // Band outputs are the same whichever way the input is cut (split() chunks internally).
  const whole = new Crossover(rate, 1, { frequenciesHz: SPLITS[3] });
  const x = Float32Array.from({ length: 3000 }, (_, i) => Math.sin(i * 0.37) * 0.5);
  const outA = Array.from({ length: 3 }, () => [new Float32Array(3000)]);
  whole.split([x], 3000, outA);
  assert.ok(outA.every((b) => b[0].some((v) => v !== 0)));
});

test('crossover: bands may be written over the input array; invalid splits throw', () => {
  const rate = 48000;
  const x = Float32Array.from({ length: 700 }, (_, i) => Math.sin(i * 0.05));
  const separate = Array.from({ length: 2 }, () => [new Float32Array(700)]);
  new Crossover(rate, 1, { frequenciesHz: [500] }).split([x], 700, separate);
  const aliased = Float32Array.from(x);
  const high = new Float32Array(700);
  new Crossover(rate, 1, { frequenciesHz: [500] }).split([aliased], 700, [[aliased], [high]]);
  assert.deepEqual(aliased, separate[0][0]);
  assert.deepEqual(high, separate[1][0]);
  assert.throws(() => new Crossover(rate, 2, { frequenciesHz: [] }), RangeError);
  assert.throws(() => new Crossover(rate, 2, { frequenciesHz: [100, 200, 300, 400, 500] }), RangeError);
  assert.throws(() => new Crossover(rate, 2, { frequenciesHz: [1000, 500] }), RangeError);
  assert.throws(() => new Crossover(rate, 2, { frequenciesHz: [30000] }), RangeError);
});
