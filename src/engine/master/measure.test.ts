import { assert, test } from '../../../test/support/node-test.js';
import { Biquad, type BiquadParams } from '../dsp/filters/biquad.js';
import { MasterAnalyzer, measureMaster } from './measure.js';

const rate = 44100;

function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296) * 2 - 1;
}

/** Pink noise, Paul Kellet's refined filter (within 0.05 dB of -3 dB/octave above 9 Hz at 44.1 kHz). */
function pink(frames: number, seed: number, amplitude = 0.1): Float32Array {
  const white = noise(seed);
  const out = new Float32Array(frames);
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  for (let i = 0; i < frames; i++) {
    const w = white();
    b0 = 0.99886 * b0 + w * 0.0555179; b1 = 0.99332 * b1 + w * 0.0750759; b2 = 0.969 * b2 + w * 0.153852;
    b3 = 0.8665 * b3 + w * 0.3104856; b4 = 0.55 * b4 + w * 0.5329522; b5 = -0.7616 * b5 - w * 0.016898;
    out[i] = amplitude * 0.11 * (b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362);
    b6 = w * 0.115926;
  }
  return out;
}

function filtered(x: Float32Array, params: Partial<BiquadParams>): Float32Array {
  const y = Float32Array.from(x);
  new Biquad(rate, 1, params).process([y], y.length);
  return y;
}

const band = (levels: { bandsHz: number[]; levelDb: (number | null)[] }, hz: number) => levels.levelDb[levels.bandsHz.indexOf(hz)]!;

test('pink noise: the mid third-octave spectrum is flat (equal energy per band) within 1.5 dB, 31.5 Hz-16 kHz', () => {
  const m = measureMaster({ sampleRate: rate, channels: [pink(rate * 20, 1), pink(rate * 20, 2)] }, ['L', 'R']);
  const inRange = m.mid.bandsHz.map((hz, b) => [hz, m.mid.levelDb[b]!] as const).filter(([hz]) => hz >= 31.5 && hz <= 16000);
  const mean = inRange.reduce((sum, [, db]) => sum + db, 0) / inRange.length;
  for (const [hz, db] of inRange) assert.ok(Math.abs(db - mean) <= 1.5, `${hz} Hz: ${(db - mean).toFixed(2)} dB off the mean`);
  // Independent L and R: side as strong as mid, bass correlation near 0.
  assert.ok(Math.abs(m.sideToMidDb!) < 0.2, `side/mid ${m.sideToMidDb}`);
  assert.ok(Math.abs(m.lowEnd.correlationBelow120Hz!) < 0.15, `low correlation ${m.lowEnd.correlationBelow120Hz}`);
  // Pink: 20-60 Hz is log2(3) of the 10 octaves 20 Hz-20 kHz (~15.9 %, -8.0 dB); 60-250 Hz is log2(250/60) (~20.6 %, -6.9 dB).
  assert.ok(Math.abs(m.lowEnd.subRelativeDb! - -8.0) < 0.7, `sub ${m.lowEnd.subRelativeDb}`);
  assert.ok(Math.abs(m.lowEnd.bassRelativeDb! - -6.9) < 0.7, `bass ${m.lowEnd.bassRelativeDb}`);
  // 5-10 kHz vs 1-4 kHz: one octave against two, -3.0 dB.
  assert.ok(Math.abs(m.sibilance.relativeDb! - -3.0) < 0.3, `sibilance relative ${m.sibilance.relativeDb}`);
  assert.equal(m.clipping.likelyClipped, false);
});

test('only L playing: side as loud as mid in every band, bass correlation 0', () => {
  const left = pink(rate * 8, 3);
  const m = measureMaster({ sampleRate: rate, channels: [left, new Float32Array(left.length)] }, ['L', 'R']);
  assert.ok(Math.abs(m.sideToMidDb!) < 1e-6, `side/mid ${m.sideToMidDb}`);
  for (let b = 3; b < 30; b++) assert.ok(Math.abs(m.side!.levelDb[b]! - m.mid.levelDb[b]!) < 1e-6, `band ${m.mid.bandsHz[b]}`);
  assert.equal(m.lowEnd.correlationBelow120Hz, 0);
  assert.ok(Math.abs(m.lowEnd.sideToMidBelow120HzDb!) < 1e-6);
});

test('identical L and R: no side at all, bass correlation 1', () => {
  const x = pink(rate * 8, 4);
  const m = measureMaster({ sampleRate: rate, channels: [x, Float32Array.from(x)] }, ['L', 'R']);
  assert.equal(m.sideToMidDb, null);
  assert.ok(m.side!.levelDb.every((db) => db === null), 'side bands are empty');
  assert.ok(m.sideLoud!.levelDb.every((db) => db === null), 'loud side bands are empty');
  assert.ok(Math.abs(m.lowEnd.correlationBelow120Hz! - 1) < 1e-9, `low correlation ${m.lowEnd.correlationBelow120Hz}`);
  assert.equal(m.lowEnd.sideToMidBelow120HzDb, null);
  // Mid of identical channels is the channel itself: the foundation's spectrum reads the same.
  for (let b = 4; b < 30; b++) assert.ok(Math.abs(m.mid.levelDb[b]! - m.base.spectrum!.levelDb[b]!) < 1, `band ${m.mid.bandsHz[b]}`);
});

test('a narrow 2.5 kHz ring over a noise bed is found as a resonance; the bed alone has none', () => {
  const frames = rate * 12;
  const bed = pink(frames, 5);
  const ring = filtered(pink(frames, 6, 0.6), { type: 'bandPass', frequencyHz: 2500, q: 30 });
  const ringing = Float32Array.from(bed, (v, i) => v + ring[i]);
  const found = measureMaster({ sampleRate: rate, channels: [ringing, ringing] }, ['L', 'R']).resonances;
  const hit = found.find((r) => Math.abs(Math.log2(r.frequencyHz / 2500)) <= 1 / 6);
  assert.ok(hit, `resonances: ${JSON.stringify(found)}`);
  assert.ok(hit.excessDb >= 3, `excess ${hit.excessDb}`);
  assert.equal(found[0], hit, 'the ring is the strongest peak');
  assert.ok(hit.q >= 4, `suggested Q ${hit.q}`);
  const clean = measureMaster({ sampleRate: rate, channels: [bed, bed] }, ['L', 'R']).resonances;
  assert.equal(clean.length, 0, `bed alone: ${JSON.stringify(clean)}`);
});

test('sibilant bursts raise the 5-10 kHz peak-to-median level; a steady bed keeps it small', () => {
  const frames = rate * 10;
  const bed = pink(frames, 7);
  const hiss = filtered(filtered(pink(frames, 8, 2), { type: 'highPass', frequencyHz: 6000, q: 0.7 }), { type: 'lowPass', frequencyHz: 8500, q: 0.7 });
  // 60 ms bursts twice a second (12 % of the time): an "s" in every other word.
  const sibilant = Float32Array.from(bed, (v, i) => v + ((i % (rate / 2)) < 0.06 * rate ? hiss[i] : 0));
  const steady = measureMaster({ sampleRate: rate, channels: [bed, bed] }, ['L', 'R']).sibilance;
  const bursts = measureMaster({ sampleRate: rate, channels: [sibilant, sibilant] }, ['L', 'R']).sibilance;
  assert.ok(steady.peakToMedianDb! < 3, `steady ${steady.peakToMedianDb}`);
  assert.ok(bursts.peakToMedianDb! > steady.peakToMedianDb! + 6, `bursts ${bursts.peakToMedianDb} vs steady ${steady.peakToMedianDb}`);
});

test('a hard-clipped sine is likely clipped (with a reason); a clean one just under full scale is not', () => {
  const sine = (amplitude: number) => Float32Array.from({ length: rate * 3 }, (_, i) => amplitude * Math.sin((2 * Math.PI * 997 * i) / rate));
  const clipAt = (x: Float32Array, level: number) => x.map((v) => Math.max(-level, Math.min(level, v)));
  const clean = measureMaster({ sampleRate: rate, channels: [sine(0.999)] }, ['M']).clipping;
  assert.equal(clean.likelyClipped, false);
  assert.equal(clean.why, null);
  // Clipped at -0.01 dBFS: no run reaches the foundation's full-scale level, the plateau gives it away.
  const plateau = measureMaster({ sampleRate: rate, channels: [clipAt(sine(1.6), 0.9989)] }, ['M']).clipping;
  assert.equal(plateau.clippedRuns, 0);
  assert.equal(plateau.likelyClipped, true);
  assert.match(plateau.why!, /exactly the peak level/);
  const fullScale = measureMaster({ sampleRate: rate, channels: [clipAt(sine(1.6), 1)] }, ['M']).clipping;
  assert.ok(fullScale.clippedRuns > 100 && fullScale.likelyClipped);
  assert.match(fullScale.why!, /full scale/);
});

/** Drum-like hits every 125 ms: a noise crack and a 60 Hz thump, both decaying. */
function drumTrain(frames: number): Float32Array {
  const white = noise(9);
  const period = Math.round(0.125 * rate);
  return Float32Array.from({ length: frames }, (_, i) => {
    const t = (i % period) / rate;
    return 0.5 * Math.exp(-t / 0.015) * white() + 0.5 * Math.exp(-t / 0.04) * Math.sin(2 * Math.PI * 60 * t) + 0.002 * white();
  });
}

test('transients: a drum-like train has a higher short-window crest than the same train hard-limited', () => {
  const drums = drumTrain(rate * 8);
  const limited = drums.map((v) => Math.max(-0.05, Math.min(0.05, v)) * 18);
  const open = measureMaster({ sampleRate: rate, channels: [drums, drums] }, ['L', 'R']).transients;
  const squashed = measureMaster({ sampleRate: rate, channels: [limited, limited] }, ['L', 'R']).transients;
  assert.ok(open.shortCrestDb! > squashed.shortCrestDb! + 4, `crest ${open.shortCrestDb} vs limited ${squashed.shortCrestDb}`);
  assert.ok(open.lowShortCrestDb! > squashed.lowShortCrestDb! + 1, `low crest ${open.lowShortCrestDb} vs limited ${squashed.lowShortCrestDb}`);
  assert.ok(squashed.shortCrestDb! > 0 && open.shortCrestDb! < 25);
});

test('onsets: a 4-per-second click train reads 4 onsets per second (over silence and over a bed); a steady bed ~0', () => {
  const frames = rate * 10;
  const white = noise(10);
  const bed = pink(frames, 11, 0.01);
  const clicks = (withBed: boolean) => Float32Array.from({ length: frames }, (_, i) => {
    const t = ((i + rate / 8) % (rate / 4)) / rate;
    return (t < 0.005 ? 0.5 * white() * Math.exp(-t / 0.002) : 0) + (withBed ? bed[i] : 0);
  });
  for (const withBed of [false, true]) {
    const x = clicks(withBed);
    const { onsetsPerSecond } = measureMaster({ sampleRate: rate, channels: [x, x] }, ['L', 'R']).transients;
    assert.ok(Math.abs(onsetsPerSecond - 4) <= 0.5, `${withBed ? 'over a bed' : 'over silence'}: ${onsetsPerSecond}`);
  }
  const steady = measureMaster({ sampleRate: rate, channels: [bed, bed] }, ['L', 'R']).transients.onsetsPerSecond;
  assert.ok(steady < 0.3, `steady bed ${steady}`);
});

test('mono input: mid is the channel, everything stereo is null', () => {
  const x = pink(rate * 8, 12);
  const m = measureMaster({ sampleRate: rate, channels: [x] }, ['M']);
  assert.equal(m.side, null);
  assert.equal(m.sideLoud, null);
  assert.equal(m.sideToMidDb, null);
  assert.equal(m.lowEnd.correlationBelow120Hz, null);
  assert.equal(m.lowEnd.sideToMidBelow120HzDb, null);
  for (let b = 4; b < 30; b++) assert.ok(Math.abs(m.mid.levelDb[b]! - m.base.spectrum!.levelDb[b]!) < 1, `band ${m.mid.bandsHz[b]}`);
  assert.ok(m.transients.shortCrestDb! > 8 && m.transients.shortCrestDb! < 16, `noise crest ${m.transients.shortCrestDb}`);
});

/** A song-like stereo signal: pink bed, drums, a wandering level, a bit of width. */
function songLike(frames: number, sampleRate = rate): Float32Array[] {
  const bed = pink(frames, 13);
  const drums = drumTrain(frames);
  const extra = pink(frames, 14, 0.03);
  const left = new Float32Array(frames), right = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    const swell = 0.6 + 0.4 * Math.sin((2 * Math.PI * i) / (sampleRate * 7));
    left[i] = swell * (bed[i] + 0.5 * drums[i]) + extra[i];
    right[i] = swell * (bed[i] + 0.5 * drums[i]) - extra[i];
  }
  return [left, right];
}

function measureInBlocks(channels: Float32Array[], block: number, expectedFrames: number | null, sampleRate = rate) {
  const analyzer = new MasterAnalyzer({ sampleRate, channelLayout: ['L', 'R'], expectedFrames });
  const frames = channels[0].length;
  for (let i = 0; i < frames; i += block) {
    const end = Math.min(frames, i + block);
    analyzer.push(channels.map((c) => c.subarray(i, end)), end - i);
  }
  return analyzer.finish();
}

function assertClose(a: unknown, b: unknown, tolerance: number, path: string): void {
  if (typeof a === 'number' && typeof b === 'number') {
    assert.ok(Math.abs(a - b) <= tolerance, `${path}: ${a} vs ${b}`);
  } else if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    assert.deepEqual(Object.keys(a), Object.keys(b), path);
    for (const key of Object.keys(a)) assertClose((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], tolerance, `${path}.${key}`);
  } else {
    assert.equal(a, b, path);
  }
}

test('block-size invariance: blocks of 1000 and 65536 give the same measurements', () => {
  const channels = songLike(rate * 12);
  const small = measureInBlocks(channels, 1000, rate * 12);
  const large = measureInBlocks(channels, 65536, rate * 12);
  // The foundation sums squares per block (its RMS and correlation differ in the last bits); the rest is exact.
  const { base: smallBase, ...smallRest } = small;
  const { base: largeBase, ...largeRest } = large;
  assert.deepEqual(smallRest, largeRest);
  assertClose(smallBase, largeBase, 1e-9, 'base');

});

test('unknown length: the FFT stride adapts (memory stays flat) and agrees with the known-length analysis', () => {
  const sampleRate = 22050;
  const frames = sampleRate * 100; // > 192 kept frames of 0.37 s: the kept frames are halved once
  const channels = songLike(frames, sampleRate);
  const adaptive = measureInBlocks(channels, 8192, null, sampleRate);
  const known = measureInBlocks(channels, 8192, frames, sampleRate);
  for (let b = 3; b < 29; b++) {
    const hz = known.mid.bandsHz[b];
    assert.ok(Math.abs(adaptive.mid.levelDb[b]! - known.mid.levelDb[b]!) < 0.5, `mid ${hz} Hz`);
    assert.ok(Math.abs(adaptive.midLoud.levelDb[b]! - known.midLoud.levelDb[b]!) < 0.7, `loud mid ${hz} Hz`);
  }
  assert.equal(adaptive.shortTerm.lufs.length, 200);
});

test('loud sections: a loud bright part dominates midLoud, a quiet dark part only the long-term spectrum', () => {
  const frames = rate * 48;
  const bright = filtered(pink(frames, 15, 0.5), { type: 'highPass', frequencyHz: 1500, q: 0.7 });
  const dark = filtered(pink(frames, 16, 0.05), { type: 'lowPass', frequencyHz: 300, q: 0.7 });
  // 6 s loud and bright, 6 s quiet (-20 dB) and dark, four times over.
  const x = Float32Array.from({ length: frames }, (_, i) => (Math.floor(i / (6 * rate)) % 2 === 0 ? bright[i] : dark[i]));
  const m = measureMaster({ sampleRate: rate, channels: [x, x] }, ['L', 'R']);
  // Frames near a boundary share their short-term window with the loud part, so a little dark content stays.
  assert.ok(band(m.midLoud, 100) < band(m.mid, 100) - 5, `100 Hz: loud ${band(m.midLoud, 100)} vs long-term ${band(m.mid, 100)}`);
  // The loud half alone: its bands read ~3 dB above the long-term average that includes the quiet half.
  for (const hz of [4000, 8000]) {
    const lift = band(m.midLoud, hz) - band(m.mid, hz);
    assert.ok(Math.abs(lift - 3) < 1.2, `${hz} Hz lift ${lift}`);
  }
  assert.equal(m.shortTerm.hopSeconds, 0.5);
  assert.equal(m.shortTerm.lufs.length, 96);
  const loudest = Math.max(...m.shortTerm.lufs.map((v) => v ?? -Infinity));
  assert.ok(Math.abs(loudest - m.base.maxShortTermLufs!) < 0.5, `short-term max ${loudest} vs ${m.base.maxShortTermLufs}`);
  assert.equal(m.base.series, undefined, 'the 10 ms series is not passed on');
});

test('3 minutes of stereo: prints the analysis time (no timing assertion)', () => {
  const channels = songLike(rate * 180);
  const start = performance.now();
  const m = measureInBlocks(channels, 65536, rate * 180);
  console.log(`MasterAnalyzer, 3 min stereo 44.1 kHz: ${(performance.now() - start).toFixed(0)} ms; onsets/s ${m.transients.onsetsPerSecond.toFixed(2)}`);
  assert.ok(Math.abs(m.transients.onsetsPerSecond - 8) < 1, `8 hits per second: ${m.transients.onsetsPerSecond}`);
});

test('report-only reading (a finished master): the same loudness, peaks, spectra, stereo and loudness over time', () => {
  const channels = songLike(rate * 12);
  const full = new MasterAnalyzer({ sampleRate: rate, channelLayout: ['L', 'R'], expectedFrames: rate * 12 });
  const report = new MasterAnalyzer({ sampleRate: rate, channelLayout: ['L', 'R'], expectedFrames: rate * 12, reportOnly: true });
  full.push(channels, rate * 12);
  report.push(channels, rate * 12);
  const a = full.finish(), b = report.finish();
  assert.deepEqual(b.base, a.base);
  for (const key of ['mid', 'side', 'midLoud', 'sideLoud', 'sideToMidDb', 'lowEnd', 'shortTerm', 'resonances'] as const) assert.deepEqual(b[key], a[key], key);
  assert.equal(b.transients.onsetsPerSecond, 0, 'the decision meters did not run');
});
