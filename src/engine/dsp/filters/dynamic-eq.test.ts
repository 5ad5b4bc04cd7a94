import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { DynamicEq, dynamicEqGainDb, type DynamicEqParams } from './dynamic-eq.js';

const ACTIVE: Partial<DynamicEqParams> = { type: 'peaking', frequencyHz: 440, q: 1, thresholdDb: -30, ratio: 4, rangeDb: -9, attackSeconds: 0.002, releaseSeconds: 0.05 };
processorSuite('dynamic EQ bell cutting at 440 Hz', (sr, ch) => new DynamicEq(sr, ch, ACTIVE));
processorSuite('dynamic EQ high shelf boosting @ 44.1k', (sr, ch) => new DynamicEq(sr, ch, { type: 'highShelf', frequencyHz: 3000, thresholdDb: -40, ratio: 2, rangeDb: 6 }), { sampleRate: 44100 });
processorSuite('dynamic EQ low shelf, instant attack, mono', (sr, ch) => new DynamicEq(sr, ch, { type: 'lowShelf', frequencyHz: 300, thresholdDb: -35, ratio: Infinity, rangeDb: -12, attackSeconds: 0 }), { channelCount: 1 });

const rate = 48000;
const tone = (hz: number, db: number, seconds: number) => Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => Math.pow(10, db / 20) * Math.sin((2 * Math.PI * hz * i) / rate));
const rmsDb = (x: Float32Array, from: number, to = x.length) => {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i] * x[i];
  return 10 * Math.log10(sum / (to - from));
};
/** Gain (dB) the processor applied to `input` over its last 0.2 s. */
function appliedDb(eq: DynamicEq, input: Float32Array, sidechain?: Float32Array): number {
  const out = Float32Array.from(input);
  for (let start = 0; start < out.length; start += 512) {
    const end = Math.min(out.length, start + 512);
    if (sidechain) eq.processWithSidechain([out.subarray(start, end)], [sidechain.subarray(start, end)], end - start);
    else eq.process([out.subarray(start, end)], end - start);
  }
  const from = input.length - 0.2 * rate;
  return rmsDb(out, from) - rmsDb(input, from);
}

test('dynamic EQ: static curve: 0 below threshold, (1 - 1/ratio) dB per dB over, capped at rangeDb', () => {
  assert.equal(dynamicEqGainDb(-50, -30, 4, -9), 0);
  assert.equal(dynamicEqGainDb(-26, -30, 4, -9), -3);
  assert.equal(dynamicEqGainDb(0, -30, 4, -9), -9);
  assert.equal(dynamicEqGainDb(-20, -30, 2, 6), 5);
  assert.equal(dynamicEqGainDb(-Infinity, -30, 2, 6), 0);
});

test('dynamic EQ: a loud tone in the band is cut by rangeDb, a tone in the ratio region by (1-1/ratio) x over, a quiet one not at all', () => {
  const loud = appliedDb(new DynamicEq(rate, 1, ACTIVE), tone(440, -6, 1));
  assert.ok(Math.abs(loud + 9) < 0.1, `loud tone: ${loud.toFixed(3)} dB`);
  const quiet = appliedDb(new DynamicEq(rate, 1, ACTIVE), tone(440, -40, 1));
  assert.ok(Math.abs(quiet) < 0.01, `quiet tone: ${quiet.toFixed(3)} dB`);
  // Peak level -20 dBFS, threshold -40, ratio 2: 20 dB over gives -10 dB (range -12 not reached).
  const ratio = appliedDb(new DynamicEq(rate, 1, { ...ACTIVE, thresholdDb: -40, ratio: 2, rangeDb: -12, releaseSeconds: 0.2 }), tone(440, -20, 1));
  assert.ok(Math.abs(ratio + 10) < 0.15, `ratio region: ${ratio.toFixed(3)} dB`);
  // Upward: a boost of +6 dB on a loud tone.
  const boost = appliedDb(new DynamicEq(rate, 1, { ...ACTIVE, rangeDb: 6 }), tone(440, -6, 1));
  assert.ok(Math.abs(boost - 6) < 0.1, `boost: ${boost.toFixed(3)} dB`);
});

test('dynamic EQ: out-of-band energy does not trigger the band; a sidechain does; release brings the gain back', () => {
  const band = { ...ACTIVE, frequencyHz: 5000 };
  const eq = new DynamicEq(rate, 1, band);
  const bass = appliedDb(eq, tone(100, 0, 1));
  assert.ok(Math.abs(bass) < 0.01 && eq.currentGainDb === 0, `100 Hz at 0 dBFS moved a 5 kHz band: ${bass} dB`);
  const keyed = new DynamicEq(rate, 1, ACTIVE);
  const ducked = appliedDb(keyed, tone(440, -40, 1), tone(440, -6, 1));
  assert.ok(Math.abs(ducked + 9) < 0.1, `sidechain: ${ducked.toFixed(3)} dB`);
  assert.ok(Math.abs(keyed.currentGainDb + 9) < 1e-9);
  keyed.processWithSidechain([new Float32Array(rate)], [new Float32Array(rate)], rate); // 1 s of silence: 20 release times
  assert.equal(keyed.currentGainDb, 0);
});

test('dynamic EQ: sidechain processing and parameter moves are block-size invariant', () => {
  const input = tone(440, -10, 0.5);
  const key = tone(445, -3, 0.5);
  const run = (block: number) => {
    const eq = new DynamicEq(rate, 1, ACTIVE);
    eq.set({ frequencyHz: 600, thresholdDb: -20 });
    const out = Float32Array.from(input);
    for (let s = 0; s < out.length; s += block) {
      const e = Math.min(out.length, s + block);
      eq.processWithSidechain([out.subarray(s, e)], [key.subarray(s, e)], e - s);
    }
    return out;
  };
  const reference = run(4096);
  for (const block of [1, 37, 1000]) assert.deepEqual(run(block), reference, `block ${block}`);
  assert.throws(() => new DynamicEq(rate, 1, { ratio: 0.5 }), RangeError);
  assert.throws(() => new DynamicEq(rate, 1, { rangeDb: 60 }), RangeError);
  assert.throws(() => new DynamicEq(rate, 1, { type: 'notch' as never }), RangeError);
});
