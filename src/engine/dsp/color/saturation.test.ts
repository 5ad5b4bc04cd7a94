import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { Fft } from '../fft.js';
import { Saturation, type SaturationParams } from './saturation.js';

const RATE = 48000;
const SIZE = 16384;
const TONE_HZ = 5000;

processorSuite('saturation tanh', (rate, channels) => new Saturation(rate, channels, { mode: 'tanh', driveDb: 12 }));
processorSuite('saturation tube 50 %', (rate, channels) => new Saturation(rate, channels, { mode: 'tube', driveDb: 12, mix: 0.5 }));
processorSuite('saturation hard', (rate, channels) => new Saturation(rate, channels, { mode: 'hard', driveDb: 12 }), { channelCount: 1 });

/** Blackman-Harris (4-term, −92 dB sidelobes) magnitude spectrum in dB of the steady-state output for a sine. */
function spectrum(params: Partial<SaturationParams>, amplitude = 0.5): Float64Array {
  const settle = 8192;
  const frames = settle + SIZE;
  const tone = Float32Array.from({ length: frames }, (_, n) => amplitude * Math.sin((2 * Math.PI * TONE_HZ * n) / RATE));
  const [y] = render(new Saturation(RATE, 1, params), [tone], 1024);
  const real = new Float64Array(SIZE);
  const imag = new Float64Array(SIZE);
  for (let n = 0; n < SIZE; n++) {
    const t = (2 * Math.PI * n) / SIZE;
    real[n] = y[settle + n] * (0.35875 - 0.48829 * Math.cos(t) + 0.14128 * Math.cos(2 * t) - 0.01168 * Math.cos(3 * t));
  }
  new Fft(SIZE).forward(real, imag);
  return Float64Array.from({ length: SIZE / 2 }, (_, k) => 20 * Math.log10(Math.hypot(real[k], imag[k]) + 1e-300));
}

const binOf = (hz: number) => (hz * SIZE) / RATE;
/** The window's main lobe is ±4 bins wide: bins within it belong to the harmonic. */
const LOBE = 4;
/** Level of harmonic `k` (peak of its main lobe), dB. */
const harmonic = (db: Float64Array, k: number) => Math.max(...db.subarray(Math.round(binOf(k * TONE_HZ)) - LOBE, Math.round(binOf(k * TONE_HZ)) + LOBE + 1));
const nearHarmonic = (bin: number) => {
  for (let k = 1; k * TONE_HZ < RATE / 2; k++) if (Math.abs(bin - binOf(k * TONE_HZ)) <= LOBE) return true;
  return false;
};

for (const mode of ['tanh', 'hard'] as const) {
  for (const driveDb of [18, 24]) {
    test(`saturation ${mode} +${driveDb} dB: every alias product of a 5 kHz sine is >= 60 dB below the fundamental`, () => {
      const db = spectrum({ mode, driveDb });
      const fundamental = harmonic(db, 1);
      let worst = -Infinity;
      let worstHz = 0;
      for (let bin = 2; bin < SIZE / 2; bin++) {
        if (nearHarmonic(bin)) continue;
        if (db[bin] > worst) { worst = db[bin]; worstHz = (bin * RATE) / SIZE; }
      }
      console.log(`${mode} +${driveDb} dB: worst alias ${(worst - fundamental).toFixed(1)} dB re fundamental at ${worstHz.toFixed(0)} Hz; 3rd ${(harmonic(db, 3) - fundamental).toFixed(1)} dB`);
      assert.ok(worst - fundamental <= -60, `alias at ${worstHz.toFixed(0)} Hz: ${(worst - fundamental).toFixed(1)} dB`);
    });
  }
}

test('saturation: tube makes a 2nd harmonic far above the floor; tanh is odd-symmetric (2nd << 3rd)', () => {
  const floor = (db: Float64Array) => {
    const others = [...db].filter((_, bin) => bin > 2 && !nearHarmonic(bin)).sort((a, b) => a - b);
    return others[Math.floor(others.length / 2)];
  };
  const tube = spectrum({ mode: 'tube', driveDb: 12 }, 0.25);
  const tanh = spectrum({ mode: 'tanh', driveDb: 12 }, 0.25);
  console.log(`tube: 2nd ${(harmonic(tube, 2) - harmonic(tube, 1)).toFixed(1)} dB re fundamental, floor ${(floor(tube) - harmonic(tube, 1)).toFixed(1)} dB`);
  console.log(`tanh: 2nd ${(harmonic(tanh, 2) - harmonic(tanh, 1)).toFixed(1)} dB, 3rd ${(harmonic(tanh, 3) - harmonic(tanh, 1)).toFixed(1)} dB`);
  assert.ok(harmonic(tube, 2) - floor(tube) >= 20);
  assert.ok(harmonic(tube, 2) - harmonic(tube, 1) > -40, 'an audible 2nd harmonic');
  assert.ok(harmonic(tanh, 3) - harmonic(tanh, 2) >= 20);
});

test('saturation: the tube curve leaves no DC behind', () => {
  const frames = RATE * 2;
  const tone = Float32Array.from({ length: frames }, (_, n) => 0.5 * Math.sin((2 * Math.PI * 200 * n) / RATE));
  const [y] = render(new Saturation(RATE, 1, { mode: 'tube', driveDb: 18 }), [tone], 512);
  const tail = y.subarray(RATE, RATE + 240 * 100); // 100 periods, a second after the start
  const mean = tail.reduce((s, v) => s + v, 0) / tail.length;
  assert.ok(Math.abs(mean) < 1e-3, `DC ${mean}`);
});

test('saturation: mix 0 is the input delayed by the declared latency; auto gain keeps the peak of a −12 dBFS sine within 1.5 dB', () => {
  const frames = 6000;
  const input = Float32Array.from({ length: frames }, (_, n) => 0.25 * Math.sin((2 * Math.PI * 440 * n) / RATE));
  const dry = new Saturation(RATE, 1, { mix: 0, driveDb: 24 });
  const [y] = render(dry, [input], 100);
  for (let n = dry.latency; n < frames; n++) assert.equal(y[n], input[n - dry.latency]);
  for (const mode of ['tanh', 'tube', 'hard'] as const) {
    const [z] = render(new Saturation(RATE, 1, { mode, driveDb: 12 }), [input], 512);
    const peak = Math.max(...z.subarray(2000).map(Math.abs));
    assert.ok(Math.abs(20 * Math.log10(peak / 0.25)) < 1.5, `${mode}: peak ${peak}`);
  }
});

test('saturation: switching mode or drive mid-tone cross-fades without a click', () => {
  const frames = RATE;
  const input = Float32Array.from({ length: frames }, (_, n) => 0.5 * Math.sin((2 * Math.PI * 100 * n) / RATE));
  const saturation = new Saturation(RATE, 1, { mode: 'tube', driveDb: 6 });
  const y = Float32Array.from(input);
  saturation.process([y.subarray(0, 20000)], 20000);
  saturation.set({ mode: 'hard', driveDb: 20 });
  saturation.process([y.subarray(20000)], frames - 20000);
  let largest = 0;
  for (let n = 20000; n < 26000; n++) largest = Math.max(largest, Math.abs(y[n] - y[n - 1]));
  assert.ok(largest < 0.05, `largest step ${largest}`);
});

test('saturation: rejects unknown modes and out-of-range drive', () => {
  assert.throws(() => new Saturation(RATE, 2, { mode: 'fuzz' as never }), RangeError);
  assert.throws(() => new Saturation(RATE, 2, { driveDb: -3 }), RangeError);
  assert.throws(() => new Saturation(RATE, 2).set({ mix: 2 }), RangeError);
});

/**
 * A stereo saturation runs whole blocks in the pair kernel (curve, oversampling and, with settled levels,
 * the output stage); 3 channels take the per-channel output loops: bit-identical on the first two.
 */
test('saturation: the stereo block path is bit-identical to the per-channel path (3 channels)', () => {
  const frames = 48000;
  const input = [0, 1].map((c) => Float32Array.from({ length: frames }, (_, i) => 0.7 * Math.sin((2 * Math.PI * (220 + 110 * c) * i) / 48000) * (Math.floor(i / 7000) % 3 === 2 ? 0 : 1)));
  const third = Float32Array.from({ length: frames }, (_, i) => 0.3 * Math.sin(i / 10));
  for (const params of [{ mode: 'tanh', driveDb: 12 }, { mode: 'tube', driveDb: 4, mix: 0.3 }, { mode: 'hard', driveDb: 18 }] as Partial<SaturationParams>[]) {
    const renderN = (channels: 2 | 3) => {
      const saturation = new Saturation(48000, channels, params);
      const out = (channels === 2 ? input : [...input, third]).map((c) => Float32Array.from(c));
      for (let start = 0, k = 0; start < frames; k++) {
        if (k === 4) saturation.set({ driveDb: 6, mix: 0.8 });
        if (k === 8) saturation.set({ mode: params.mode === 'tanh' ? 'tube' : 'tanh' });
        const n = Math.min(k % 3 === 2 ? 700 : 4096, frames - start);
        saturation.process(out.map((c) => c.subarray(start, start + n)), n);
        start += n;
      }
      return out.slice(0, 2);
    };
    assert.deepEqual(renderN(2), renderN(3), JSON.stringify(params));
  }
});
