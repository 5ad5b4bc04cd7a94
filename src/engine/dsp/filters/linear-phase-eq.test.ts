import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { biquadCoefficients, biquadResponse, type BiquadParams } from './biquad.js';
import { curveGainDb, LinearPhaseEq, linearPhaseKernel, linearPhaseTaps, type CurvePoint } from './linear-phase-eq.js';

/** A curve sampled every 1/6 octave from 20 Hz to 20 kHz from RBJ bands (evaluated at a very high rate: the analog shape). */
function curveOf(bands: BiquadParams[]): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (let i = 0; i <= 60; i++) {
    const frequencyHz = 20 * Math.pow(2, i / 6);
    let gainDb = 0;
    for (const band of bands) gainDb += 20 * Math.log10(biquadResponse(biquadCoefficients(768000, band), frequencyHz, 768000).magnitude);
    points.push({ frequencyHz, gainDb });
  }
  return points;
}

const CURVES: Record<string, BiquadParams[]> = {
  'low shelf +6 dB at 100 Hz': [{ type: 'lowShelf', frequencyHz: 100, q: Math.SQRT1_2, gainDb: 6 }],
  'low shelf -6 dB at 60 Hz': [{ type: 'lowShelf', frequencyHz: 60, q: Math.SQRT1_2, gainDb: -6 }],
  'high shelf +6 dB at 6 kHz': [{ type: 'highShelf', frequencyHz: 6000, q: Math.SQRT1_2, gainDb: 6 }],
  'high shelf -6 dB at 10 kHz': [{ type: 'highShelf', frequencyHz: 10000, q: Math.SQRT1_2, gainDb: -6 }],
  'bell +4 dB at 1 kHz, Q 1': [{ type: 'peaking', frequencyHz: 1000, q: 1, gainDb: 4 }],
  'bell -4 dB at 80 Hz, Q 1.4': [{ type: 'peaking', frequencyHz: 80, q: 1.4, gainDb: -4 }],
  'bell +4 dB at 12 kHz, Q 2': [{ type: 'peaking', frequencyHz: 12000, q: 2, gainDb: 4 }],
  'mastering mix': [
    { type: 'lowShelf', frequencyHz: 120, q: Math.SQRT1_2, gainDb: 2 }, { type: 'peaking', frequencyHz: 300, q: 1.2, gainDb: -2.5 },
    { type: 'peaking', frequencyHz: 3000, q: 2, gainDb: -3 }, { type: 'highShelf', frequencyHz: 10000, q: Math.SQRT1_2, gainDb: 3 },
  ],
};

processorSuite('linear-phase EQ (shelf + bell)', (sr, ch) => new LinearPhaseEq(sr, ch, { points: curveOf(CURVES['mastering mix']) }), { linear: true });
processorSuite('linear-phase EQ 4095 taps, 512 partition @ 44.1k', (sr, ch) => new LinearPhaseEq(sr, ch, {
  points: [{ frequencyHz: 1000, gainDb: 0 }, { frequencyHz: 4000, gainDb: -3 }, { frequencyHz: 8000, gainDb: -3 }], partitionFrames: 512,
}), { linear: true, sampleRate: 44100 });

/** The processor's impulse response with its latency removed (the kernel as it plays), amplitude 0.5 in. */
function playedKernel(eq: LinearPhaseEq, channelCount = 1): Float32Array {
  const n = eq.latency + eq.taps;
  const input = Array.from({ length: channelCount }, () => new Float32Array(n));
  for (const c of input) c[0] = 0.5;
  const [out] = render(eq, input, 1000);
  const start = eq.latency - (eq.taps - 1) / 2;
  return out.subarray(start, start + eq.taps);
}

test('linear-phase EQ: rendered magnitude matches the curve within 0.2 dB at its points from 40 Hz to 16 kHz (44.1/48/96 kHz)', () => {
  let worst = 0;
  for (const rate of [44100, 48000, 96000]) {
    for (const [name, bands] of Object.entries(CURVES)) {
      const points = curveOf(bands);
      const eq = new LinearPhaseEq(rate, 1, { points });
      const h = playedKernel(eq);
      for (const { frequencyHz, gainDb } of points) {
        if (frequencyHz < 40 || frequencyHz > 16000) continue;
        const w = (2 * Math.PI * frequencyHz) / rate;
        let re = 0, im = 0;
        for (let i = 0; i < h.length; i++) { re += h[i] * Math.cos(w * i); im -= h[i] * Math.sin(w * i); }
        const measured = 10 * Math.log10(4 * (re * re + im * im));
        worst = Math.max(worst, Math.abs(measured - gainDb));
        assert.ok(Math.abs(measured - gainDb) <= 0.2, `${name} @ ${rate}, ${frequencyHz.toFixed(1)} Hz: ${measured.toFixed(3)} vs ${gainDb.toFixed(3)} dB`);
      }
    }
  }
  assert.ok(worst < 0.1, `worst ${worst}`); // measured: about 0.05 dB (bell at 80 Hz, 96 kHz)
});

test('linear-phase EQ: symmetric impulse (kernel exactly, rendered to 1e-7), peak at the declared latency', () => {
  for (const rate of [44100, 96000]) {
    const eq = new LinearPhaseEq(rate, 2, { points: curveOf(CURVES['mastering mix']) });
    const kernel = eq.kernel;
    for (let i = 0; i < kernel.length; i++) assert.equal(kernel[i], kernel[kernel.length - 1 - i]);
    const h = playedKernel(eq, 2);
    let asymmetry = 0;
    for (let i = 0; i < h.length; i++) asymmetry = Math.max(asymmetry, Math.abs(h[i] - h[h.length - 1 - i]));
    assert.ok(asymmetry <= 1e-7, `asymmetry ${asymmetry}`);
    let peak = 0, at = -1;
    h.forEach((v, i) => { if (Math.abs(v) > peak) { peak = Math.abs(v); at = i; } });
    assert.equal(at, (eq.taps - 1) / 2);
    assert.equal(eq.latency, (eq.taps - 1) / 2 + 2048);
  }
});

test('linear-phase EQ: length follows the lowest point; curve interpolation is linear in dB over log frequency; bad curves throw', () => {
  assert.equal(linearPhaseTaps(48000, [{ frequencyHz: 20, gainDb: 0 }]), 16383);
  assert.equal(linearPhaseTaps(48000, [{ frequencyHz: 100, gainDb: 0 }]), 8191);
  assert.equal(linearPhaseTaps(48000, [{ frequencyHz: 2000, gainDb: 0 }]), 4095);
  const curve = [{ frequencyHz: 100, gainDb: 0 }, { frequencyHz: 400, gainDb: 6 }];
  assert.equal(curveGainDb(curve, 50), 0);
  assert.ok(Math.abs(curveGainDb(curve, 200) - 3) < 1e-12);
  assert.equal(curveGainDb(curve, 1000), 6);
  assert.equal(linearPhaseKernel(48000, curve, 101).length, 101);
  assert.throws(() => new LinearPhaseEq(48000, 2, { points: [] }), RangeError);
  assert.throws(() => new LinearPhaseEq(48000, 2, { points: [{ frequencyHz: -5, gainDb: 0 }] }), RangeError);
  assert.throws(() => linearPhaseKernel(48000, curve, 100), RangeError);
});
