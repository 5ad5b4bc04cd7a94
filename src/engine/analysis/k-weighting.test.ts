import { assert, test } from '../../../test/support/node-test.js';
import { kWeightingHighPass, kWeightingShelf, type BiquadCoefficients } from './k-weighting.js';

/** |H(e^{jw})| in dB of a biquad with b0..b2, a1, a2. */
function magnitudeDb(c: BiquadCoefficients, hz: number, sampleRate: number): number {
  const w = (2 * Math.PI * hz) / sampleRate;
  const re = (b0: number, b1: number, b2: number) => b0 + b1 * Math.cos(w) + b2 * Math.cos(2 * w);
  const im = (b1: number, b2: number) => -(b1 * Math.sin(w) + b2 * Math.sin(2 * w));
  const num = Math.hypot(re(c.b0, c.b1, c.b2), im(c.b1, c.b2));
  const den = Math.hypot(re(1, c.a1, c.a2), im(c.a1, c.a2));
  return 20 * Math.log10(num / den);
}

test('48 kHz coefficients equal the BS.1770-4 tables (to 1e-8)', () => {
  const shelf = kWeightingShelf(48000);
  const hp = kWeightingHighPass(48000);
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-8, `${a} vs ${b}`);
  close(shelf.b0, 1.53512485958697); close(shelf.b1, -2.69169618940638); close(shelf.b2, 1.19839281085285);
  close(shelf.a1, -1.69065929318241); close(shelf.a2, 0.73248077421585);
  close(hp.a1, -1.99004745483398); close(hp.a2, 0.99007225036621);
});

test('K-weighting response is the same curve at every sample rate (0.05 dB to 0.4 fs from 32 kHz up; 0.25 dB to 0.1 fs below)', () => {
  const reference = (hz: number) => magnitudeDb(kWeightingShelf(48000), hz, 48000) + magnitudeDb(kWeightingHighPass(48000), hz, 48000);
  // Known points of the 48 kHz curve: about -0.7 dB... +0.7 dB at 1 kHz? BS.1770 gives +0.691 at 1 kHz in total.
  assert.ok(Math.abs(reference(997) - 0.691) < 0.02, `1 kHz gain ${reference(997)}`);
  assert.ok(Math.abs(reference(10000) - 4.0) < 0.3, `shelf plateau ${reference(10000)}`);
  assert.ok(reference(20) < -10, 'the RLB high-pass cuts 20 Hz');
  for (const rate of [8000, 22050, 44100, 88200, 96000, 192000]) {
    for (const hz of [30, 100, 500, 1000, 2000, 3000]) {
      // Below 32 kHz the bilinear transform bends the shelf near Nyquist: hold the curve up to fs/10 there.
      if (hz > (rate >= 32000 ? 0.4 : 0.1) * rate) continue;
      const gain = magnitudeDb(kWeightingShelf(rate), hz, rate) + magnitudeDb(kWeightingHighPass(rate), hz, rate);
      const tolerance = rate >= 32000 ? 0.05 : 0.25;
      assert.ok(Math.abs(gain - reference(hz)) < tolerance, `${rate} Hz at ${hz} Hz: ${gain} vs ${reference(hz)}`);
    }
  }
});
