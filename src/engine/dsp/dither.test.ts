import { assert, readFileSync, test } from '../../../test/support/node-test.js';
import { Fft } from './fft.js';
import { createQuantizer, createRoundingQuantizer, createShapedDither, createTpdfDither, NOISE_SHAPES, type NoiseShape, type Quantizer } from './dither.js';

const N = 1_000_000;

function stats(values: Float64Array): { mean: number; variance: number } {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return { mean, variance: squares / values.length };
}

test('same seed gives the same codes; another seed gives others', () => {
  const a = createTpdfDither(16, 42);
  const b = createTpdfDither(16, 42);
  const c = createTpdfDither(16, 43);
  let differentFromC = 0;
  for (let i = 0; i < 10_000; i++) {
    const x = Math.sin(i * 0.01) * 0.3;
    const codeA = a.quantize(x);
    assert.equal(codeA, b.quantize(x));
    if (codeA !== c.quantize(x)) differentFromC++;
  }
  assert.ok(differentFromC > 3000, `seed 43 differed on only ${differentFromC} of 10000 samples`);
});

test('TPDF noise itself: mean 0, variance 1/6 LSB², triangular on (-1, 1)', () => {
  const dither = createTpdfDither(16, 7);
  const noise = new Float64Array(N);
  let inner = 0;
  for (let i = 0; i < N; i++) {
    const n = dither.nextNoise();
    assert.ok(n > -1 && n < 1);
    noise[i] = n;
    if (Math.abs(n) < 0.5) inner++;
  }
  const { mean, variance } = stats(noise);
  assert.ok(Math.abs(mean) < 0.003, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1 / 6) < 0.002, `variance ${variance}, expected ${1 / 6}`);
  // Triangular density: P(|n| < 0.5) = 3/4 (uniform would give 1/2).
  assert.ok(Math.abs(inner / N - 0.75) < 0.003, `P(|n|<0.5) = ${inner / N}`);
});

test('dithered quantization error: mean 0, RMS sqrt(1/12 + 1/6) = 0.5 LSB, uncorrelated with the signal', () => {
  const bits = 16;
  const scale = 2 ** (bits - 1);
  const dither = createTpdfDither(bits, 3);
  const errors = new Float64Array(N);
  let signalTimesError = 0;
  let signalSquares = 0;
  for (let i = 0; i < N; i++) {
    // A quiet sine (±20 LSB), where undithered rounding would make harmonics.
    const x = (20 * Math.sin(i * 0.0123)) / scale;
    errors[i] = dither.quantize(x) - x * scale;
    signalTimesError += x * scale * errors[i];
    signalSquares += (x * scale) ** 2;
  }
  const { mean, variance } = stats(errors);
  const rmsLsb = Math.sqrt(variance + mean * mean);
  assert.ok(Math.abs(mean) < 0.005, `mean ${mean} LSB`);
  assert.ok(Math.abs(rmsLsb - 0.5) < 0.01, `RMS ${rmsLsb} LSB, expected 0.5`);
  const correlation = signalTimesError / Math.sqrt(signalSquares * variance * N);
  assert.ok(Math.abs(correlation) < 0.005, `error correlates with signal: ${correlation}`);
});

test('undithered rounding: error within ±0.5 LSB and grid values pass exactly', () => {
  const q = createRoundingQuantizer(16);
  for (let i = 0; i < 100_000; i++) {
    const x = Math.sin(i * 0.37) * 0.9;
    const error = q.quantize(x) - x * 32768;
    assert.ok(Math.abs(error) <= 0.5, `error ${error}`);
  }
  for (let code = -32768; code < 32768; code += 7) assert.equal(q.quantize(code / 32768), code);
  assert.equal(q.process(0.25 + 0.1 / 32768), 0.25);
  assert.equal(createQuantizer(24, 'none').quantize(1 / 8388608), 1);
});

test('codes never leave the int range, even with dither at full scale', () => {
  for (const bits of [16, 24]) {
    const max = 2 ** (bits - 1) - 1;
    const min = -(2 ** (bits - 1));
    for (const q of [createTpdfDither(bits, 9), createRoundingQuantizer(bits)]) {
      let seenMax = false;
      let seenMin = false;
      for (const x of [1, 1.5, 100, 0.99999999, -1, -1.0000001, -3]) {
        for (let i = 0; i < 1000; i++) {
          const code = q.quantize(x);
          assert.ok(Number.isInteger(code) && code <= max && code >= min, `${bits}-bit code ${code} for ${x}`);
          seenMax ||= code === max;
          seenMin ||= code === min;
        }
      }
      assert.ok(seenMax && seenMin, 'full-scale inputs reach the ends of the range');
    }
  }
});

test('TPDF quantizeBlock: the wasm kernel gives the JS loop\'s codes bit for bit, and both continue quantize()\'s sequence', () => {
  const frames = 20_011;
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) samples[i] = 1.2 * Math.sin(i * 0.0137) * Math.cos(i * 0.00071) + 1e-7 * (i % 13);
  // Overs, infinities, NaN, -0 and tiny values, where clamping and rounding could differ.
  samples.set([1, -1, 1.5, -1.5, Infinity, -Infinity, NaN, -0, 2 ** -30, -(2 ** -24), 0.5 / 8388608, -0.5 / 32768], 5003);
  for (const bits of [16, 24]) {
    for (const seed of [1, 0x9e3779b9, 0xffffffff]) {
      const wasm = createTpdfDither(bits, seed);
      const js = createTpdfDither(bits, seed, { wasm: false });
      const scalar = createTpdfDither(bits, seed, { wasm: false });
      const fromWasm = new Int32Array(frames + 3), fromJs = new Int32Array(frames + 3);
      // Uneven blocks, offsets on both sides (the kernel's 4-lane trips and its one-at-a-time rest).
      for (let at = 0, size = 1; at < frames; at += size, size = (size * 7 + 3) % 9001 + 1) {
        const n = Math.min(size, frames - at);
        wasm.quantizeBlock(samples, at, n, fromWasm, at + 3);
        js.quantizeBlock(samples, at, n, fromJs, at + 3);
      }
      const differs = fromWasm.findIndex((code, i) => code !== fromJs[i]);
      assert.equal(differs, -1, `${bits}-bit seed ${seed}: wasm ${fromWasm[differs]} vs JS ${fromJs[differs]} at ${differs - 3}`);
      for (let i = 0; i < frames; i++) {
        const expected = scalar.quantize(samples[i]) | 0; // NaN stores as 0 in an Int32Array
        if (fromJs[i + 3] !== expected) assert.fail(`${bits}-bit seed ${seed}: block ${fromJs[i + 3]} vs quantize() ${expected} at ${i}`);
      }
      // The state carried on: the next draws agree too.
      assert.equal(wasm.quantize(0.25), js.quantize(0.25));
    }
  }
});

test('24-bit grid and process() = quantize() / 2^(bits-1)', () => {
  const a = createTpdfDither(24, 5);
  const b = createTpdfDither(24, 5);
  for (let i = 0; i < 1000; i++) {
    const x = Math.cos(i) * 0.5;
    const value = a.process(x);
    assert.equal(value, b.quantize(x) / 8388608);
    assert.ok(Math.abs(value - x) <= 1.5 / 8388608);
  }
});

test('rejects impossible word lengths', () => {
  assert.throws(() => createTpdfDither(0), RangeError);
  assert.throws(() => createTpdfDither(16.5), RangeError);
  assert.throws(() => createRoundingQuantizer(33), RangeError);
});

// ---- noise-shaped dither ----

const SHAPES = Object.keys(NOISE_SHAPES) as NoiseShape[];

/** Welch PSD (Hann, 4096-point segments, 50 % overlap) of the requantization error of a quiet 1 kHz sine. */
function errorSpectrum(quantizer: Quantizer, sampleRate: number): Float64Array {
  const size = 4096;
  const segments = 120;
  const frames = (segments + 1) * (size / 2);
  const scale = 2 ** (quantizer.bits - 1);
  const error = new Float64Array(frames);
  for (let i = 0; i < frames; i++) {
    const x = 0.01 * Math.sin((2 * Math.PI * 1000 * i) / sampleRate);
    error[i] = quantizer.quantize(x) - x * scale;
  }
  const fft = new Fft(size);
  const psd = new Float64Array(size / 2);
  const real = new Float64Array(size);
  const imag = new Float64Array(size);
  for (let s = 0; s < segments; s++) {
    for (let i = 0; i < size; i++) {
      real[i] = error[s * (size / 2) + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size));
      imag[i] = 0;
    }
    fft.forward(real, imag);
    for (let k = 0; k < size / 2; k++) psd[k] += real[k] * real[k] + imag[k] * imag[k];
  }
  return psd;
}

function bandDb(psd: Float64Array, sampleRate: number, fromHz: number, toHz: number): number {
  const binHz = sampleRate / (2 * psd.length);
  let sum = 0;
  for (let k = Math.ceil(fromHz / binHz); k <= Math.floor(toHz / binHz); k++) sum += psd[k];
  return 10 * Math.log10(sum);
}

test('noise-shaped dither: 1-5 kHz noise >= 6 dB below flat TPDF (44.1 and 48 kHz), pushed above 12 kHz instead', () => {
  const rows: string[] = [];
  for (const sampleRate of [44100, 48000]) {
    const flat = errorSpectrum(createTpdfDither(16, 5), sampleRate);
    const flatMid = bandDb(flat, sampleRate, 1000, 5000);
    for (const shape of SHAPES) {
      const shaped = errorSpectrum(createShapedDither(16, shape, 5), sampleRate);
      const mid = bandDb(shaped, sampleRate, 1000, 5000) - flatMid;
      const high = bandDb(shaped, sampleRate, 15000, 20000) - bandDb(flat, sampleRate, 15000, 20000);
      rows.push(`${shape} @ ${sampleRate}: 1-5 kHz ${mid.toFixed(1)} dB, 15-20 kHz +${high.toFixed(1)} dB vs flat TPDF`);
      assert.ok(mid <= -6, `${shape} @ ${sampleRate}: 1-5 kHz only ${mid.toFixed(1)} dB below flat`);
      assert.ok(high > 0, `${shape} @ ${sampleRate}: no noise moved up`);
    }
  }
  console.log(rows.join('\n'));
});

test('noise-shaped dither: stable on full-scale and clipped input, error bounded, codes in range', () => {
  for (const shape of SHAPES) {
    const taps = NOISE_SHAPES[shape];
    const bound = 1.5 * (1 + taps.reduce((sum, c) => sum + Math.abs(c), 0));
    const q = createShapedDither(16, shape, 3);
    const frames = 200_000;
    let worstAfter = 0;
    let squares = 0;
    for (let i = 0; i < frames; i++) {
      // Full scale, then 6 dB over (hard clipping for 50k samples), then -20 dBFS.
      const amplitude = i < 50_000 ? 1 : i < 100_000 ? 2 : 0.1;
      const x = amplitude * Math.sin((2 * Math.PI * 997 * i) / 44100);
      const code = q.quantize(x);
      assert.ok(Number.isInteger(code) && code >= -32768 && code <= 32767, `${shape}: code ${code}`);
      if (i >= 110_000) {
        const error = code - x * 32768;
        worstAfter = Math.max(worstAfter, Math.abs(error));
        squares += error * error;
      }
    }
    assert.ok(worstAfter <= bound, `${shape}: error ${worstAfter.toFixed(1)} LSB after the overload (bound ${bound.toFixed(1)})`);
    // Steady state: white 1/4 LSB^2 through 1 - C(z), power gain 1 + sum c^2.
    const expected = 0.25 * (1 + taps.reduce((sum, c) => sum + c * c, 0));
    const measured = squares / (frames - 110_000);
    assert.ok(Math.abs(10 * Math.log10(measured / expected)) < 0.5, `${shape}: error power ${measured.toFixed(2)} LSB², expected ${expected.toFixed(2)}`);
  }
});

test('noise-shaped dither: deterministic per seed, NaN passes as NaN without poisoning the state, unknown names throw', () => {
  const a = createQuantizer(16, 'f-weighted', 42);
  const b = createQuantizer(16, 'f-weighted', 42);
  const c = createQuantizer(16, 'f-weighted', 43);
  let differ = 0;
  for (let i = 0; i < 10_000; i++) {
    const x = Math.sin(i * 0.01) * 0.3;
    const code = a.quantize(x);
    assert.equal(code, b.quantize(x));
    if (code !== c.quantize(x)) differ++;
  }
  assert.ok(differ > 3000);
  assert.ok(Number.isNaN(a.quantize(NaN)));
  assert.equal(a.quantize(Infinity), 32767);
  b.quantize(NaN);
  b.quantize(Infinity);
  for (let i = 0; i < 100; i++) assert.equal(a.quantize(0.001 * i), b.quantize(0.001 * i));
  // Mean error ~0 and the shaped quantizer still tracks the signal.
  const q = createShapedDither(24, 'lipshitz', 9);
  let sum = 0;
  for (let i = 0; i < 100_000; i++) sum += q.quantize(0.25) - 0.25 * 8388608;
  assert.ok(Math.abs(sum / 100_000) < 0.05, `mean error ${sum / 100_000} LSB`);
  assert.throws(() => createQuantizer(16, 'pink' as NoiseShape), RangeError);
  assert.throws(() => createShapedDither(16, 'pink' as NoiseShape), RangeError);
});

test('isomorphic: no node: imports', () => {
  const source = readFileSync(new URL('./dither.ts', import.meta.url), 'utf8');
  assert.doesNotMatch(source, /from ['"]node:/);
});

test('quantizeBlock gives exactly the codes of one quantize() call per sample, for every kind', () => {
  const samples = Float32Array.from({ length: 5000 }, (_, i) => 0.9 * Math.sin(i * 0.013) + (i % 7 === 0 ? 1.2 : 0));
  for (const kind of ['tpdf', 'none', 'lipshitz'] as const) {
    for (const bits of [16, 24]) {
      const one = createQuantizer(bits, kind, 42), block = createQuantizer(bits, kind, 42);
      const expected = Int32Array.from(samples, (x) => one.quantize(x));
      const codes = new Int32Array(samples.length);
      // Uneven block lengths: the sequence carries across calls.
      for (let from = 0, n = 1; from < samples.length; from += n, n = n * 3 + 1) block.quantizeBlock(samples, from, Math.min(n, samples.length - from), codes, from);
      assert.deepEqual(codes, expected, `${kind} ${bits}`);
    }
  }
});
