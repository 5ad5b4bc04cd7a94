import { assert, test } from '../../../test/support/node-test.js';
import { SpectrumAnalyzer, spectrumStrideFor } from './spectrum.js';

const rate = 44100;

function analyze(channels: Float32Array[], stride = 1, block = 10000) {
  const analyzer = new SpectrumAnalyzer(rate, channels.length, stride);
  for (let i = 0; i < channels[0].length; i += block) {
    const end = Math.min(channels[0].length, i + block);
    analyzer.push(channels.map((c) => c.subarray(i, end)), end - i);
  }
  return analyzer.finish();
}

test('a sine lands in its third-octave band at its AES17 level (full-scale sine = 0 dB)', () => {
  for (const [hz, nominal] of [[100, 100], [1000, 1000], [8000, 8000], [31.5, 31.5]] as const) {
    const amplitude = 0.1; // -20 dB
    const tone = Float32Array.from({ length: rate * 4 }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate));
    const s = analyze([tone, tone]);
    const band = s.bandsHz.indexOf(nominal);
    assert.ok(Math.abs(s.levelDb[band]! - -20) < 0.3, `${hz} Hz: ${s.levelDb[band]}`);
    assert.ok(s.levelDb[band + 2]! < s.levelDb[band]! - 30, `${hz} Hz leaks into band ${s.bandsHz[band + 2]}`);
    assert.ok(Math.abs(s.correlation[band]! - 1) < 1e-6);
  }
});

test('per-band correlation: +1 identical, -1 inverted, ~0 for independent noise', () => {
  let seed = 3;
  const noise = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296) - 0.5;
  const a = Float32Array.from({ length: rate * 6 }, noise);
  const b = Float32Array.from({ length: rate * 6 }, noise);
  const inverted = Float32Array.from(a, (v) => -v);
  const same = analyze([a, a]);
  const opposite = analyze([a, inverted]);
  const independent = analyze([a, b]);
  for (let band = 5; band < 30; band++) {
    assert.ok(Math.abs(same.correlation[band]! - 1) < 1e-9);
    assert.ok(Math.abs(opposite.correlation[band]! + 1) < 1e-9);
    assert.ok(Math.abs(independent.correlation[band]!) < 0.3, `band ${same.bandsHz[band]}: ${independent.correlation[band]}`);
  }
  // White noise rises 1 dB per band (3 dB per octave) in third-octave bands.
  const slope = (same.levelDb[27]! - same.levelDb[17]!) / 10;
  assert.ok(Math.abs(slope - 1) < 0.1, `slope ${slope} dB per band`);
});

test('frame stride spreads the analysed frames over the file and keeps stationary levels', () => {
  assert.equal(spectrumStrideFor(rate * 10, rate), 1);
  assert.ok(spectrumStrideFor(rate * 180, rate) > 3);
  const tone = Float32Array.from({ length: rate * 30 }, (_, i) => 0.1 * Math.sin((2 * Math.PI * 1000 * i) / rate));
  const every = analyze([tone]);
  const strided = analyze([tone], 4);
  const band = every.bandsHz.indexOf(1000);
  assert.ok(Math.abs(every.levelDb[band]! - strided.levelDb[band]!) < 0.01);
  assert.equal(every.correlation[band], null); // mono
});
