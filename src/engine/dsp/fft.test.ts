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
