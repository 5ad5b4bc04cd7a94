import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { MidSideEq } from './mid-side-eq.js';

const MID = [{ frequencyHz: 100, gainDb: 3 }, { frequencyHz: 1000, gainDb: 0 }, { frequencyHz: 8000, gainDb: -2 }];
const SIDE = [{ frequencyHz: 150, gainDb: -12 }, { frequencyHz: 400, gainDb: 0 }, { frequencyHz: 6000, gainDb: 3 }];

processorSuite('mid/side EQ (both curves)', (sr, ch) => new MidSideEq(sr, ch, { midCurve: MID, sideCurve: SIDE }), { latencyCheck: 'xcorr' });
processorSuite('mid/side EQ (mid only, mono)', (sr, ch) => new MidSideEq(sr, ch, { midCurve: MID, sideCurve: null }), { channelCount: 1, linear: true });

/** Gain (dB) of a sine at `hz` through the EQ, measured in the steady state after the latency. */
function sineGainDb(eq: MidSideEq, hz: number, sampleRate: number, left: number, right: number): [number, number] {
  const frames = eq.latency + 16384;
  const input = [left, right].map((amp) => Float32Array.from({ length: frames }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / sampleRate)));
  const output = render(eq, input, 4096);
  const rms = (x: Float32Array) => { let s = 0; for (let i = frames - 8192; i < frames; i++) s += x[i] * x[i]; return Math.sqrt(s / 8192); };
  const mid = output[0].map((l, i) => (l + output[1][i]) / 2);
  const side = output[0].map((l, i) => (l - output[1][i]) / 2);
  const inMid = Math.abs(left + right) / 2 / Math.SQRT2;
  const inSide = Math.abs(left - right) / 2 / Math.SQRT2;
  return [20 * Math.log10(rms(mid) / inMid), inSide > 0 ? 20 * Math.log10(rms(side) / inSide) : NaN];
}

test('mid/side EQ: a centred source follows the mid curve, an out-of-phase one the side curve (±0.2 dB)', () => {
  const sampleRate = 48000;
  for (const [hz, midDb] of [[100, 3], [1000, 0], [8000, -2]] as const) {
    const eq = new MidSideEq(sampleRate, 2, { midCurve: MID, sideCurve: SIDE });
    const [measuredMid] = sineGainDb(eq, hz, sampleRate, 0.5, 0.5);
    assert.ok(Math.abs(measuredMid - midDb) < 0.2, `mid at ${hz} Hz: ${measuredMid.toFixed(2)} dB, want ${midDb}`);
    const expectedSide = eq.sideTargetGainDb(hz); // the curve interpolated in log frequency
    const [, measuredSide] = sineGainDb(new MidSideEq(sampleRate, 2, { midCurve: MID, sideCurve: SIDE }), hz, sampleRate, 0.5, -0.5);
    assert.ok(Math.abs(measuredSide - expectedSide) < 0.2, `side at ${hz} Hz: ${measuredSide.toFixed(2)} dB, want ${expectedSide.toFixed(2)}`);
  }
});

test('mid/side EQ: without a side curve the side passes unchanged and aligned (nulls against the mid-only path)', () => {
  const sampleRate = 44100;
  const flat = [{ frequencyHz: 1000, gainDb: 0 }];
  const eq = new MidSideEq(sampleRate, 2, { midCurve: flat, sideCurve: null });
  const frames = eq.latency + 8192;
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const input = [0, 1].map(() => Float32Array.from({ length: frames }, () => 0.25 * rnd()));
  const output = render(eq, input, 1000);
  let worst = 0;
  for (let c = 0; c < 2; c++) for (let i = 0; i + eq.latency < frames; i++) worst = Math.max(worst, Math.abs(output[c][i + eq.latency] - input[c][i]));
  assert.ok(worst < 1e-4, `flat M/S EQ differs from a pure delay by ${worst}`);
});
