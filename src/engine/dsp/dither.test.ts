import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createQuantizer, createRoundingQuantizer, createTpdfDither } from './dither.js';

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

test('isomorphic: no node: imports', () => {
  const source = readFileSync(new URL('./dither.ts', import.meta.url), 'utf8');
  assert.doesNotMatch(source, /from ['"]node:/);
});
