import { assert, test } from '../../../../test/support/node-test.js';
import { Saturation } from '../color/saturation.js';
import { Compressor } from '../dynamics/compressor.js';
import { DeEsser } from '../dynamics/de-esser.js';
import { Biquad, type BiquadParams } from '../filters/biquad.js';
import { Equalizer } from '../filters/equalizer.js';
import { HeapChain } from './heap-chain.js';

const RATE = 44100;
const BANDS: Partial<BiquadParams>[] = [
  { type: 'highPass', frequencyHz: 80, q: Math.SQRT1_2 }, { type: 'peaking', frequencyHz: 400, q: 1.2, gainDb: -3 }, { type: 'highShelf', frequencyHz: 10000, q: 0.7, gainDb: 1.5 },
];
const COMPRESSOR = { thresholdDb: -18, ratio: 3, attackSeconds: 0.005, releaseSeconds: 0.08 };

function music(frames: number): Float32Array[] {
  let seed = 5;
  return [0, 1].map((c) => Float32Array.from({ length: frames }, (_, i) => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    const t = i / RATE, beat = t % 0.5;
    return (0.3 * Math.sin(2 * Math.PI * (110 + 55 * c) * t) + 0.05 * (seed / 4294967296 - 0.5) + 0.4 * Math.sin(2 * Math.PI * 55 * beat) * Math.exp(-beat * 12))
      * (Math.floor(t * 2) % 5 === 3 ? 0 : 1);
  }));
}

test('heap chain: a strip (EQ, compressor, de-esser, two sends) is bit-identical to the processors one after the other and the sends as JS loops', () => {
  const frames = 3 * RATE;
  const input = music(frames);
  const chain = new HeapChain(RATE, [
    (heap) => new Equalizer(RATE, 2, { bands: BANDS }, heap), (heap) => new Compressor(RATE, 2, COMPRESSOR, heap), (heap) => new DeEsser(RATE, 2, { thresholdDb: -45 }, heap),
  ], { sendLevels: [0.3, 0.1] });
  assert.ok(chain.inHeap, 'WebAssembly SIMD in Node 20: the chain works in its heap');
  assert.equal(chain.latency, 0);
  const separate = [...BANDS.map((band) => new Biquad(RATE, 2, band)), new Compressor(RATE, 2, COMPRESSOR), new DeEsser(RATE, 2, { thresholdDb: -45 })];
  const sends = [0, 1].map(() => [new Float32Array(4096), new Float32Array(4096)]);
  const a = input.map((c) => Float32Array.from(c)), b = input.map((c) => Float32Array.from(c));
  for (let start = 0, k = 0; start < frames; k++) {
    const n = Math.min(k % 4 === 3 ? 1000 : 4096, frames - start);
    chain.process(a.map((c) => c.subarray(start, start + n)), n);
    const views = b.map((c) => c.subarray(start, start + n));
    for (const p of separate) p.process(views, n);
    for (const [s, level] of [[sends[0], 0.3], [sends[1], 0.1]] as const) {
      for (let c = 0; c < 2; c++) { const x = views[c], y = s[c]; for (let i = 0; i < n; i++) y[i] += level * x[i]; }
    }
    start += n;
  }
  assert.deepEqual(a, b, 'output');
  assert.deepEqual(chain.sends.map((s) => s.map((c) => Float32Array.from(c))), sends, 'sends');
  assert.throws(() => chain.process([new Float32Array(5000), new Float32Array(5000)], 5000), RangeError);
});

test('heap chain: a processor without processHeap() makes the chain run process() one by one (same output), with its latency', () => {
  const frames = RATE;
  const input = music(frames);
  const chain = new HeapChain(RATE, [(heap) => new Compressor(RATE, 2, COMPRESSOR, heap), () => new Saturation(RATE, 2, { driveDb: 6 })]);
  assert.ok(!chain.inHeap);
  const compressor = new Compressor(RATE, 2, COMPRESSOR), saturation = new Saturation(RATE, 2, { driveDb: 6 });
  assert.equal(chain.latency, saturation.latency);
  const a = input.map((c) => Float32Array.from(c)), b = input.map((c) => Float32Array.from(c));
  for (let start = 0; start < frames; start += 4096) {
    const n = Math.min(4096, frames - start);
    chain.process(a.map((c) => c.subarray(start, start + n)), n);
    const views = b.map((c) => c.subarray(start, start + n));
    compressor.process(views, n);
    saturation.process(views, n);
  }
  assert.deepEqual(a, b);
  chain.reset();
});
