import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { decodeMidSide, encodeMidSide, MidSideDecoder, MidSideEncoder } from './mid-side.js';

processorSuite('mid-side encoder', (rate, channels) => new MidSideEncoder(rate, channels));
processorSuite('mid-side decoder', (rate, channels) => new MidSideDecoder(rate, channels));
processorSuite('mid-side encoder sqrt2', (rate, channels) => new MidSideEncoder(rate, channels, { convention: 'sqrt2' }));

function pcm24(frames: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: frames }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return ((s >>> 8) - 2 ** 23) / 2 ** 23; // a 24-bit PCM code scaled to ±1
  });
}

test('mid-side: M = (L+R)/2, S = (L−R)/2; the round trip is bit-exact for 24-bit PCM samples', () => {
  const l = pcm24(48000, 1);
  const r = pcm24(48000, 2);
  const m = new Float32Array(48000);
  const s = new Float32Array(48000);
  encodeMidSide(l, r, m, s, 48000);
  assert.equal(m[7], (l[7] + r[7]) / 2);
  assert.equal(s[7], (l[7] - r[7]) / 2);
  const l2 = new Float32Array(48000);
  const r2 = new Float32Array(48000);
  decodeMidSide(m, s, l2, r2, 48000);
  assert.deepEqual(l2, l);
  assert.deepEqual(r2, r);
  // The processors do the same in place.
  const trip = render(new MidSideDecoder(48000, 2), render(new MidSideEncoder(48000, 2), [l, r], 333), 77);
  assert.deepEqual(trip, [l, r]);
});

test('mid-side: arbitrary float32 returns within 1.5 ulp (half) and a few ulp (sqrt2); mono has no side', () => {
  const frames = 20000;
  const l = Float32Array.from({ length: frames }, (_, i) => Math.sin(i * 0.013) * 0.9 * Math.exp(-i / 5000));
  const r = Float32Array.from({ length: frames }, (_, i) => Math.cos(i * 0.021) * 0.3);
  for (const [convention, ulps] of [['half', 1.5], ['sqrt2', 3]] as const) {
    const m = new Float32Array(frames);
    const s = new Float32Array(frames);
    encodeMidSide(l, r, m, s, frames, convention);
    decodeMidSide(m, s, m, s, frames, convention); // in place
    for (let i = 0; i < frames; i++) {
      const scale = Math.max(Math.abs(l[i]), Math.abs(r[i]));
      const ulp = 2 ** (Math.floor(Math.log2(scale)) - 23);
      assert.ok(Math.abs(m[i] - l[i]) <= ulps * ulp && Math.abs(s[i] - r[i]) <= ulps * ulp, `${convention} sample ${i}`);
    }
  }
  const mono = Float32Array.from({ length: 100 }, (_, i) => Math.sin(i));
  const [mid, side] = render(new MidSideEncoder(44100, 2), [mono, mono], 100);
  assert.deepEqual(mid, mono);
  assert.ok(side.every((v) => v === 0));
  const [mid2] = render(new MidSideEncoder(44100, 2, { convention: 'sqrt2' }), [mono, mono], 100);
  assert.ok(Math.abs(mid2[5] - mono[5] * Math.SQRT2) < 1e-6, 'sqrt2: M = √2·x for centred mono');
});
