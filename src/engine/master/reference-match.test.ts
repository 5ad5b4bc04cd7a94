import { assert, test } from '../../../test/support/node-test.js';
import { thirdOctaveBands } from '../analysis/bands.js';
import { Biquad, type BiquadParams } from '../dsp/filters/biquad.js';
import { curveGainDb, LinearPhaseEq, type CurvePoint } from '../dsp/filters/linear-phase-eq.js';
import type { MasterMeasurements } from './api.js';
import { measureMaster } from './measure.js';
import { referenceMatchCurves } from './reference-match.js';

const bandsHz = thirdOctaveBands().map((b) => b.nominalHz);
const centreHz = thirdOctaveBands().map((b) => b.centerHz);

/** Only the loud-section spectra matter to reference matching. */
function spectra(mid: (number | null)[], side: (number | null)[] | null): MasterMeasurements {
  return { midLoud: { bandsHz, levelDb: mid }, sideLoud: side && { bandsHz, levelDb: side } } as unknown as MasterMeasurements;
}

const bump = (hz: number, centre: number, db: number, widthOctaves = 0.6) => db * Math.exp(-0.5 * (Math.log2(hz / centre) / widthOctaves) ** 2);
const gainAt = (curve: CurvePoint[], hz: number) => curve[bandsHz.indexOf(hz)].gainDb;

test('synthetic spectra: +3 dB at 100 Hz and -2 dB at 8 kHz are matched, half of it at amount 0.5; a 4 dB narrower side is widened', () => {
  const targetMid = centreHz.map(() => -30);
  const targetSide = centreHz.map(() => -40); // side/mid -10 dB
  // The reference: 5 dB louder overall (the alignment removes that), its shape, and side/mid -6 dB.
  const referenceMid = centreHz.map((hz) => -25 + bump(hz, 100, 3) + bump(hz, 8000, -2));
  const referenceSide = referenceMid.map((db) => db - 6);
  const full = referenceMatchCurves(spectra(targetMid, targetSide), spectra(referenceMid, referenceSide), { amount: 1 });
  assert.ok(Math.abs(gainAt(full.midCurve, 100) - 3) <= 0.5, `100 Hz ${gainAt(full.midCurve, 100)}`);
  assert.ok(Math.abs(gainAt(full.midCurve, 8000) - -2) <= 0.5, `8 kHz ${gainAt(full.midCurve, 8000)}`);
  assert.ok(Math.abs(gainAt(full.midCurve, 1000)) <= 0.5, `1 kHz ${gainAt(full.midCurve, 1000)}`);
  for (const hz of [20, 25, 20000]) assert.equal(gainAt(full.midCurve, hz), 0, `${hz} Hz is outside 30 Hz-18 kHz`);
  for (const hz of [100, 1000, 8000]) {
    const widening = gainAt(full.sideCurve!, hz) - gainAt(full.midCurve, hz);
    assert.ok(Math.abs(widening - 4) <= 0.3, `${hz} Hz widening ${widening}`);
  }
  assert.match(full.why, /\+\d\.\d dB around 100 Hz/);
  assert.match(full.why, /Side raised 4\.\d dB/);
  const half = referenceMatchCurves(spectra(targetMid, targetSide), spectra(referenceMid, referenceSide), { amount: 0.5 });
  full.midCurve.forEach((point, b) => assert.ok(Math.abs(half.midCurve[b].gainDb - point.gainDb / 2) < 1e-12));
  full.sideCurve!.forEach((point, b) => assert.ok(Math.abs(half.sideCurve![b].gainDb - point.gainDb / 2) < 1e-12));
  const off = referenceMatchCurves(spectra(targetMid, targetSide), spectra(referenceMid, referenceSide), { amount: 0 });
  assert.ok(off.midCurve.every((p) => p.gainDb === 0) && off.sideCurve!.every((p) => p.gainDb === 0));
  assert.throws(() => referenceMatchCurves(spectra(targetMid, null), spectra(referenceMid, null), { amount: 1.5 }), RangeError);
});

test('limits: boosts clamp at +6 dB, cuts at -8 dB, width at 6 dB; empty and missing bands stay at 0 dB', () => {
  const targetMid = centreHz.map((hz) => (hz > 15000 ? -95 : -30)); // a codec cut-off above 15 kHz
  const referenceMid = centreHz.map((hz, b) => (bandsHz[b] === 20000 ? null : -30 + bump(hz, 60, 14, 0.8) + bump(hz, 4000, -14, 0.8)));
  const curves = referenceMatchCurves(spectra(targetMid, targetMid.map((db) => db - 20)), spectra(referenceMid, referenceMid.map((db) => db! - 8)), { amount: 1 });
  const gains = curves.midCurve.map((p) => p.gainDb);
  assert.ok(Math.max(...gains) <= 6 + 1e-12 && Math.max(...gains) > 5.9, `max ${Math.max(...gains)}`);
  assert.ok(Math.min(...gains) >= -8 - 1e-12 && Math.min(...gains) < -7.9, `min ${Math.min(...gains)}`);
  assert.equal(gainAt(curves.midCurve, 16000), 0, 'the target has nothing at 16 kHz: no boost into noise');
  const widening = curves.sideCurve!.map((p, b) => p.gainDb - gains[b]);
  assert.ok(Math.max(...widening) <= 6 + 1e-12 && Math.max(...widening) > 5.9, `widening ${Math.max(...widening)}`);
});

test('mono target: no side curve; mono reference: the side follows the mid (width kept)', () => {
  const mid = centreHz.map((hz) => -30 + bump(hz, 500, 2));
  const flat = centreHz.map(() => -30);
  assert.equal(referenceMatchCurves(spectra(flat, null), spectra(mid, null), { amount: 1 }).sideCurve, null);
  const stereoTarget = referenceMatchCurves(spectra(flat, flat.map((db) => db - 12)), spectra(mid, null), { amount: 1 });
  assert.deepEqual(stereoTarget.sideCurve, stereoTarget.midCurve);
  assert.match(stereoTarget.why, /reference is mono/);
});

// End to end: real signals, measured, matched, EQ'd in mid/side with the linear-phase EQ, measured again.
const rate = 44100;

function pink(frames: number, seed: number, amplitude = 0.1): Float32Array {
  let s = seed >>> 0;
  const white = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296) * 2 - 1;
  const out = new Float32Array(frames);
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  for (let i = 0; i < frames; i++) {
    const w = white(); // Paul Kellet's refined pink filter
    b0 = 0.99886 * b0 + w * 0.0555179; b1 = 0.99332 * b1 + w * 0.0750759; b2 = 0.969 * b2 + w * 0.153852;
    b3 = 0.8665 * b3 + w * 0.3104856; b4 = 0.55 * b4 + w * 0.5329522; b5 = -0.7616 * b5 - w * 0.016898;
    out[i] = amplitude * 0.11 * (b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362);
    b6 = w * 0.115926;
  }
  return out;
}

function shaped(x: Float32Array, filters: Partial<BiquadParams>[]): Float32Array {
  const y = Float32Array.from(x);
  for (const params of filters) new Biquad(rate, 1, params).process([y], y.length);
  return y;
}

const toStereo = (mid: Float32Array, side: Float32Array) => [mid.map((m, i) => m + side[i]), mid.map((m, i) => m - side[i])];

/** Runs `x` through a linear-phase EQ and returns it aligned (latency removed). */
function equalize(x: Float32Array, points: CurvePoint[]): Float32Array {
  const eq = new LinearPhaseEq(rate, 1, { points });
  const padded = new Float32Array(x.length + eq.latency);
  padded.set(x);
  eq.process([padded], padded.length);
  return padded.slice(eq.latency);
}

/** Level-normalised third-octave RMS deviation (dB) of two mid spectra over 40 Hz-16 kHz. */
function deviationDb(a: MasterMeasurements, b: MasterMeasurements): number {
  const bands = bandsHz.map((hz, k) => k).filter((k) => bandsHz[k] >= 40 && bandsHz[k] <= 16000);
  const differences = bands.map((k) => a.mid.levelDb[k]! - b.mid.levelDb[k]!);
  const mean = differences.reduce((s, d) => s + d, 0) / differences.length;
  return Math.sqrt(differences.reduce((s, d) => s + (d - mean) ** 2, 0) / differences.length);
}

test('end to end: matching curves applied in mid/side halve the spectral deviation and match side/mid within 1 dB', () => {
  const frames = rate * 10;
  // Both mixes are high-passed at 30 Hz, as mixes are: the curves leave the sub-sonic range alone.
  const subsonic = { type: 'highPass', frequencyHz: 30, q: 0.7 } as const;
  const target = toStereo(
    shaped(pink(frames, 1), [subsonic, { type: 'lowShelf', frequencyHz: 150, q: 0.7, gainDb: -4 }, { type: 'peaking', frequencyHz: 3000, q: 1, gainDb: 4 }]),
    shaped(pink(frames, 2, 0.015), [{ type: 'highPass', frequencyHz: 200, q: 0.7 }]),
  );
  const reference = toStereo(
    shaped(pink(frames, 3, 0.2), [subsonic, { type: 'lowShelf', frequencyHz: 100, q: 0.7, gainDb: 2 }, { type: 'highShelf', frequencyHz: 6000, q: 0.7, gainDb: 3 }]),
    shaped(pink(frames, 4, 0.05), [{ type: 'highPass', frequencyHz: 150, q: 0.7 }]),
  );
  const measuredTarget = measureMaster({ sampleRate: rate, channels: target }, ['L', 'R']);
  const measuredReference = measureMaster({ sampleRate: rate, channels: reference }, ['L', 'R']);
  const { midCurve, sideCurve, why } = referenceMatchCurves(measuredTarget, measuredReference, { amount: 1 });
  const [left, right] = target;
  const mid = equalize(left.map((l, i) => 0.5 * (l + right[i])), midCurve);
  const side = equalize(left.map((l, i) => 0.5 * (l - right[i])), sideCurve!);
  const matched = measureMaster({ sampleRate: rate, channels: toStereo(mid, side) }, ['L', 'R']);
  const before = deviationDb(measuredTarget, measuredReference);
  const after = deviationDb(matched, measuredReference);
  console.log(`reference match: deviation ${before.toFixed(2)} -> ${after.toFixed(2)} dB; side/mid ${measuredTarget.sideToMidDb!.toFixed(1)} -> `
    + `${matched.sideToMidDb!.toFixed(1)} dB (reference ${measuredReference.sideToMidDb!.toFixed(1)}); ${why}`);
  assert.ok(before > 1.5, `the test signals differ (${before} dB)`);
  assert.ok(after <= 0.5 * before, `deviation ${before} -> ${after} dB`);
  assert.ok(Math.abs(matched.sideToMidDb! - measuredReference.sideToMidDb!) <= 1, `side/mid ${matched.sideToMidDb} vs ${measuredReference.sideToMidDb}`);
  // The EQ does what the curve says where it matters (a sanity check of the curve format).
  assert.ok(Math.abs(curveGainDb(midCurve, 1000) - midCurve[bandsHz.indexOf(1000)].gainDb) < 1e-9);
});
