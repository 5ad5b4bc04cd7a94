import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { Biquad, biquadCoefficients, biquadResponse, type BiquadParams, type BiquadType } from './biquad.js';

const RATES = [44100, 48000, 96000];
const NAMED_HZ = [31.5, 100, 1000, 3150, 10000];

/** Settings that exercise each type (gain where the type has one). */
const CASES: Record<BiquadType, Omit<BiquadParams, 'type'>> = {
  peaking: { frequencyHz: 1000, q: 1, gainDb: 6 },
  lowShelf: { frequencyHz: 200, q: Math.SQRT1_2, gainDb: -4 },
  highShelf: { frequencyHz: 6000, q: 0.9, gainDb: 5 },
  lowPass: { frequencyHz: 5000, q: Math.SQRT1_2, gainDb: 0 },
  highPass: { frequencyHz: 80, q: Math.SQRT1_2, gainDb: 0 },
  bandPass: { frequencyHz: 2500, q: 2, gainDb: 0 },
  notch: { frequencyHz: 3000, q: 4, gainDb: 0 },
  allPass: { frequencyHz: 1000, q: 1, gainDb: 0 },
};

for (const [type, settings] of Object.entries(CASES) as [BiquadType, Omit<BiquadParams, 'type'>][]) {
  for (const rate of RATES) {
    // Low-pass and band-pass impulse responses peak after sample 0 by nature (a rising IIR response,
    // not a delay), so their latency (0 by construction) is not measured by the impulse peak.
    const latencyCheck = type === 'lowPass' || type === 'bandPass' ? 'none' : 'impulse';
    processorSuite(`biquad ${type} @ ${rate}`, (sr, ch) => new Biquad(sr, ch, { type, ...settings }),
      { sampleRate: rate, linear: true, impulseFrames: 16384, latencyCheck });
  }
}

/**
 * The cookbook's analog prototypes H(s), evaluated at s = j*omega where omega is the frequency
 * warped by the bilinear transform the cookbook uses: tan(pi f / fs) / tan(pi f0 / fs).
 */
function analogMagnitudeDb(p: BiquadParams, hz: number, rate: number): number {
  const w = Math.tan((Math.PI * hz) / rate) / Math.tan((Math.PI * p.frequencyHz) / rate);
  const a = Math.pow(10, p.gainDb / 40);
  const q = p.q;
  // Each polynomial c2 s^2 + c1 s + c0 at s = jw is (c0 - c2 w^2) + j c1 w.
  const poly = (c2: number, c1: number, c0: number) => Math.hypot(c0 - c2 * w * w, c1 * w);
  const den = poly(1, 1 / q, 1);
  const ratio = {
    lowPass: () => poly(0, 0, 1) / den,
    highPass: () => poly(1, 0, 0) / den,
    bandPass: () => poly(0, 1 / q, 0) / den,
    notch: () => poly(1, 0, 1) / den,
    allPass: () => poly(1, -1 / q, 1) / den,
    peaking: () => poly(1, a / q, 1) / poly(1, 1 / (a * q), 1),
    lowShelf: () => (a * poly(1, Math.sqrt(a) / q, a)) / poly(a, Math.sqrt(a) / q, 1),
    highShelf: () => (a * poly(a, Math.sqrt(a) / q, 1)) / poly(1, Math.sqrt(a) / q, a),
  }[p.type]();
  return 20 * Math.log10(ratio);
}

/** Impulse response of a fresh Biquad (rendered in 4096-frame blocks, float32 like real audio). */
function impulseResponse(params: BiquadParams, rate: number, frames = 32768): Float32Array {
  const input = new Float32Array(frames);
  input[0] = 1;
  return render(new Biquad(rate, 1, params), [input], 4096)[0];
}

/** |DFT| in dB of `h` at exactly `hz` (not a bin centre). */
function dftMagnitudeDb(h: Float32Array, hz: number, rate: number): number {
  let re = 0, im = 0;
  const w = (2 * Math.PI * hz) / rate;
  for (let n = 0; n < h.length; n++) { re += h[n] * Math.cos(w * n); im -= h[n] * Math.sin(w * n); }
  return 10 * Math.log10(re * re + im * im);
}

test('biquad: every type at 44.1/48/96 kHz measures the cookbook analog prototype (bilinear-warped) within 0.05 dB at named frequencies', () => {
  let worst = 0;
  for (const [type, settings] of Object.entries(CASES) as [BiquadType, Omit<BiquadParams, 'type'>][]) {
    for (const rate of RATES) {
      const params = { type, ...settings };
      const h = impulseResponse(params, rate);
      for (const hz of [...NAMED_HZ, settings.frequencyHz]) {
        const expected = analogMagnitudeDb(params, hz, rate);
        const measured = dftMagnitudeDb(h, hz, rate);
        const computed = 20 * Math.log10(biquadResponse(biquadCoefficients(rate, params), hz, rate).magnitude);
        if (expected < -80) continue; // the notch centre: -inf analytically, float noise measured
        worst = Math.max(worst, Math.abs(measured - expected));
        assert.ok(Math.abs(measured - expected) <= 0.05, `${type} @ ${rate}, ${hz} Hz: measured ${measured.toFixed(4)} dB, analytic ${expected.toFixed(4)} dB`);
        assert.ok(Math.abs(computed - expected) <= 1e-6, `${type} @ ${rate}, ${hz} Hz: biquadResponse ${computed} dB, analytic ${expected} dB`);
      }
    }
  }
  assert.ok(worst < 0.05, `worst ${worst}`);
});

test('biquad: cookbook anchor points (peaking +6.00 dB at f0, shelf half gain at f0, LP/HP -3.01 dB at f0, all-pass flat with -pi at f0)', () => {
  for (const rate of RATES) {
    const peak = impulseResponse({ type: 'peaking', frequencyHz: 1000, q: 1.4, gainDb: 6 }, rate);
    assert.ok(Math.abs(dftMagnitudeDb(peak, 1000, rate) - 6) < 0.005, `peaking at f0 @ ${rate}`);
    const shelf = impulseResponse({ type: 'lowShelf', frequencyHz: 150, q: Math.SQRT1_2, gainDb: 8 }, rate);
    assert.ok(Math.abs(dftMagnitudeDb(shelf, 150, rate) - 4) < 0.005, `low shelf at f0 @ ${rate}`);
    assert.ok(Math.abs(dftMagnitudeDb(shelf, 10, rate) - 8) < 0.05, `low shelf plateau @ ${rate}`);
    for (const type of ['lowPass', 'highPass'] as const) {
      const h = impulseResponse({ type, frequencyHz: 2000, q: Math.SQRT1_2, gainDb: 0 }, rate);
      assert.ok(Math.abs(dftMagnitudeDb(h, 2000, rate) + 3.0103) < 0.005, `${type} at f0 @ ${rate}`);
    }
    const allPass = biquadCoefficients(rate, { type: 'allPass', frequencyHz: 700, q: 0.8, gainDb: 0 });
    for (const hz of NAMED_HZ) assert.ok(Math.abs(biquadResponse(allPass, hz, rate).magnitude - 1) < 1e-12);
    assert.ok(Math.abs(Math.abs(biquadResponse(allPass, 700, rate).phase) - Math.PI) < 1e-9);
  }
});

test('biquad: automated sweep is block-size invariant, glides without zipper steps and settles on the target', () => {
  const rate = 48000;
  const frames = 48000;
  const input = Float32Array.from({ length: frames }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / rate));
  const run = (block: number) => {
    const filter = new Biquad(rate, 2, { type: 'peaking', frequencyHz: 200, q: 2, gainDb: 0 });
    const channels = [Float32Array.from(input), Float32Array.from(input)];
    const at = 4803; // a change lands mid control interval, between blocks of every size
    for (let start = 0; start < frames;) {
      const end = Math.min(frames, start < at ? Math.min(at, start + block) : start + block);
      if (start === at) filter.set({ frequencyHz: 1000, gainDb: 12 });
      filter.process(channels.map((c) => c.subarray(start, end)), end - start);
      start = end;
    }
    return channels;
  };
  const reference = run(4096);
  for (const block of [1, 64, 1000]) assert.deepEqual(run(block), reference, `block ${block}`);
  const out = reference[0];
  let largestStep = 0;
  for (let i = 4803; i < frames; i++) largestStep = Math.max(largestStep, Math.abs(out[i] - out[i - 1]));
  assert.ok(largestStep < 0.5 * 4 * 2 * Math.sin(Math.PI * 1000 / rate) * 1.05, `largest step ${largestStep}`);
  let peak = 0;
  for (let i = frames - 4800; i < frames; i++) peak = Math.max(peak, Math.abs(out[i]));
  assert.ok(Math.abs(20 * Math.log10(peak / 0.5) - 12) < 0.02, `settled at ${20 * Math.log10(peak / 0.5)} dB`);
});

test('biquad: invalid parameters throw RangeError; out-of-range frequency is clamped below Nyquist', () => {
  assert.throws(() => new Biquad(48000, 2, { q: 0 }), RangeError);
  assert.throws(() => new Biquad(48000, 2, { frequencyHz: -1 }), RangeError);
  assert.throws(() => new Biquad(48000, 2, { gainDb: NaN }), RangeError);
  assert.throws(() => new Biquad(48000, 2, { type: 'comb' as BiquadType }), RangeError);
  assert.throws(() => new Biquad(48000, 0), RangeError);
  const c = biquadCoefficients(44100, { type: 'lowPass', frequencyHz: 30000, q: 0.7, gainDb: 0 });
  for (const v of Object.values(c)) assert.ok(Number.isFinite(v));
});
