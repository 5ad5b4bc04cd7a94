import { assert, test } from '../../../test/support/node-test.js';
import { Fft } from './fft.js';

test('matches a direct DFT to 1e-9 for sizes 2..1024', () => {
  for (const n of [2, 4, 8, 64, 1024]) {
    const re = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) + (i % 3));
    const im = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 0.3));
    const expectedRe = new Float64Array(n);
    const expectedIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      for (let t = 0; t < n; t++) {
        const angle = (-2 * Math.PI * k * t) / n;
        expectedRe[k] += re[t] * Math.cos(angle) - im[t] * Math.sin(angle);
        expectedIm[k] += re[t] * Math.sin(angle) + im[t] * Math.cos(angle);
      }
    }
    new Fft(n).forward(re, im);
    for (let k = 0; k < n; k++) {
      assert.ok(Math.abs(re[k] - expectedRe[k]) < 1e-9 * n && Math.abs(im[k] - expectedIm[k]) < 1e-9 * n, `n=${n} k=${k}`);
    }
  }
  assert.throws(() => new Fft(12), /power of two/);
});

test('the WebAssembly kernel gives the JS path\'s results bit for bit, sizes 4..65536 (both parities of log2 n)', () => {
  let seed = 3;
  const random = () => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed / 2 ** 32 - 0.5; };
  for (let log = 2; log <= 16; log++) {
    const n = 2 ** log;
    const kernel = new Fft(n), js = new Fft(n, { wasm: false });
    assert.equal(kernel.usesWasm, true, 'WebAssembly SIMD is available in Node 20');
    assert.equal(js.usesWasm, false);
    // Noise over a wide range of magnitudes, denormals and exact zeros included.
    const re = Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? 0 : i % 89 === 0 ? 1e-310 : random() * 10 ** Math.round(8 * random())));
    const im = Float64Array.from({ length: n }, () => random());
    const [kr, ki, jr, ji] = [re.slice(), im.slice(), re.slice(), im.slice()];
    kernel.forward(kr, ki);
    js.forward(jr, ji);
    for (let k = 0; k < n; k++) {
      if (!Object.is(kr[k], jr[k]) || !Object.is(ki[k], ji[k])) assert.fail(`n=${n} bin ${k}: (${kr[k]}, ${ki[k]}) vs (${jr[k]}, ${ji[k]})`);
    }
    // The same instance again (tables and memory reused) gives the same again.
    const again = [re.slice(), im.slice()];
    kernel.forward(again[0], again[1]);
    assert.deepEqual([again[0], again[1]], [kr, ki]);
  }
});
