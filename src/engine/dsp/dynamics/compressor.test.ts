import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { Compressor, type CompressorParams } from './compressor.js';
import { compressorCurveDb } from './gain-computer.js';
import { amplitudeToDb, dbToAmplitude, findIndex, rmsDb, sine, toneDb } from '../../../../test/support/dynamics-signals.js';

const RATE = 48000;

processorSuite('compressor (peak, soft knee)', (rate, channels) => new Compressor(rate, channels, { thresholdDb: -20, ratio: 4, kneeDb: 6 }), { signalDb: -40 });
processorSuite('compressor (driven: rms, auto release, link 0.5, sidechain HPF, make-up)', (rate, channels) => new Compressor(rate, channels, {
  thresholdDb: -30, ratio: 8, detector: 'rms', autoRelease: true, stereoLink: 0.5, sidechainHpfHz: 100, makeupDb: 3, attackSeconds: 0.002,
}), { latencyCheck: 'none' });
processorSuite('compressor (5 ms look-ahead)', (rate, channels) => new Compressor(rate, channels, { lookaheadSeconds: 0.005, thresholdDb: -20 }), {
  latencyCheck: 'xcorr', signalDb: -40,
});
processorSuite('compressor (look-ahead, driven)', (rate, channels) => new Compressor(rate, channels, { lookaheadSeconds: 0.002, thresholdDb: -30, ratio: 20, kneeDb: 0 }), {
  latencyCheck: 'none',
});

/** Output level (dB) after `seconds` of a steady 1 kHz sine; RMS over the last quarter second. */
function steadyOutput(params: Partial<CompressorParams>, peakDb: number): number {
  const frames = RATE;
  const [out] = render(new Compressor(RATE, 1, params), [sine(RATE, 1000, dbToAmplitude(peakDb), frames)], 1024);
  return rmsDb(out, frames - RATE / 4, frames);
}

const LEVELS_DB = [-60, -40, -30, -26, -23, -20, -17, -14, -8, 0];
const SINE_CREST_DB = 20 * Math.log10(Math.SQRT2);

for (const kneeDb of [0, 6]) {
  test(`compressor static curve, peak detector, ratio 4, threshold -20, knee ${kneeDb}: 10 sine levels within 0.2 dB of the formula`, (t) => {
    const params = { thresholdDb: -20, ratio: 4, kneeDb, attackSeconds: 0.005, releaseSeconds: 0.1 };
    const errors = LEVELS_DB.map((db) => steadyOutput(params, db) + SINE_CREST_DB - compressorCurveDb(db, -20, 4, kneeDb));
    for (const [i, e] of errors.entries()) assert.ok(Math.abs(e) < 0.2, `${LEVELS_DB[i]} dBFS peak: error ${e.toFixed(3)} dB`);
    t.diagnostic(`peak, knee ${kneeDb}: errors (dB) ${errors.map((e) => e.toFixed(3)).join(' ')}`);
  });
  test(`compressor static curve, RMS detector, ratio 4, threshold -20, knee ${kneeDb}: 10 sine levels within 0.2 dB of the formula`, (t) => {
    const params: Partial<CompressorParams> = { thresholdDb: -20, ratio: 4, kneeDb, detector: 'rms', attackSeconds: 0.005, releaseSeconds: 0.1 };
    const errors = LEVELS_DB.map((db) => {
      const inRms = db - SINE_CREST_DB;
      return steadyOutput(params, db) - compressorCurveDb(inRms, -20, 4, kneeDb);
    });
    for (const [i, e] of errors.entries()) assert.ok(Math.abs(e) < 0.2, `${LEVELS_DB[i]} dBFS peak: error ${e.toFixed(3)} dB`);
    t.diagnostic(`rms, knee ${kneeDb}: errors (dB) ${errors.map((e) => e.toFixed(3)).join(' ')}`);
  });
}

/** Gain reduction (dB) per sample for a constant-magnitude input (alternating ±a): |in| / |out|. */
function reductionTrace(compressor: Compressor, amplitudes: Float32Array, latency = 0): Float64Array {
  const input = amplitudes.map((a, i) => (i % 2 === 0 ? a : -a));
  const [out] = render(compressor, [input], 512);
  return Float64Array.from(out, (y, i) => (i < latency ? 0 : amplitudeToDb(Math.abs(input[i - latency]) / Math.abs(y))));
}

/** Seconds until the trace has covered 63.2 % of its way from trace[from − 1] to `end`. */
function timeConstant(trace: Float64Array, from: number, end: number): number {
  const start = trace[from - 1];
  const mark = start + (1 - Math.exp(-1)) * (end - start);
  const rising = end > start;
  const hit = findIndex(trace.length, from, (i) => (rising ? trace[i] >= mark : trace[i] <= mark));
  return (hit - from) / RATE;
}

for (const [attackSeconds, releaseSeconds] of [[0.01, 0.1], [0.001, 0.5], [0.03, 0.05]]) {
  test(`compressor time constants: attack ${attackSeconds * 1000} ms and release ${releaseSeconds * 1000} ms measured at 63 % of a 20 dB step, within 10 %`, (t) => {
    const compressor = new Compressor(RATE, 1, { thresholdDb: -20, ratio: 4, kneeDb: 0, attackSeconds, releaseSeconds });
    const stepUp = RATE, stepDown = 3 * RATE, frames = 6 * RATE;
    const amplitudes = new Float32Array(frames).fill(dbToAmplitude(-20));
    amplitudes.fill(dbToAmplitude(0), stepUp, stepDown);
    const trace = reductionTrace(compressor, amplitudes);
    assert.ok(Math.abs(trace[stepDown - 1] - 15) < 0.01, `settled reduction ${trace[stepDown - 1]} dB (expected 15)`);
    const attack = timeConstant(trace, stepUp, 15);
    const release = timeConstant(trace, stepDown, 0);
    t.diagnostic(`attack ${(attack * 1000).toFixed(2)} ms (set ${attackSeconds * 1000}), release ${(release * 1000).toFixed(2)} ms (set ${releaseSeconds * 1000})`);
    assert.ok(Math.abs(attack / attackSeconds - 1) < 0.1, `attack ${attack} s`);
    assert.ok(Math.abs(release / releaseSeconds - 1) < 0.1, `release ${release} s`);
  });
}

test('compressor auto release: after a 5 ms burst it releases within 1.5x releaseSeconds, after 2 s of compression > 3x slower', (t) => {
  const releaseSeconds = 0.05;
  const measure = (burstSeconds: number) => {
    const compressor = new Compressor(RATE, 1, { thresholdDb: -20, ratio: 10, kneeDb: 0, attackSeconds: 0.0005, releaseSeconds, autoRelease: true });
    const start = RATE / 2, stop = start + Math.round(burstSeconds * RATE), frames = stop + 2 * RATE;
    const amplitudes = new Float32Array(frames).fill(dbToAmplitude(-30));
    amplitudes.fill(1, start, stop);
    return timeConstant(reductionTrace(compressor, amplitudes), stop, 0);
  };
  const short = measure(0.005), long = measure(2);
  t.diagnostic(`auto release: ${(short * 1000).toFixed(1)} ms after a 5 ms burst, ${(long * 1000).toFixed(1)} ms after 2 s`);
  assert.ok(short < 1.5 * releaseSeconds, `after a transient: ${short} s`);
  assert.ok(long > 3 * releaseSeconds, `after sustained compression: ${long} s`);
});

test('compressor look-ahead: latency = lookaheadSeconds; the reduction starts before the transient reaches the output', (t) => {
  const compressor = new Compressor(RATE, 1, { thresholdDb: -20, ratio: 4, kneeDb: 0, attackSeconds: 0.002, lookaheadSeconds: 0.005 });
  assert.equal(compressor.latency, 240);
  const frames = RATE / 2, transient = RATE / 4;
  const amplitudes = new Float32Array(frames).fill(dbToAmplitude(-40));
  amplitudes.fill(1, transient);
  const trace = reductionTrace(compressor, amplitudes, 240);
  const arrival = transient + 240;
  const first = findIndex(frames, 240, (i) => trace[i] > 0.1);
  t.diagnostic(`look-ahead: reduction > 0.1 dB ${arrival - first} samples before the transient reaches the output; ${trace[arrival].toFixed(2)} dB at arrival`);
  assert.ok(first >= transient && first < arrival, `reduction starts at ${first}, transient at the output at ${arrival}`);
  assert.ok(trace[arrival] > 10, `reduction at arrival ${trace[arrival]} dB (attack 2 ms, 5 ms ahead: expect ~13.8 dB)`);
});

test('compressor stereo link: 1 gives both channels the same gain; 0 leaves the quiet channel alone', (t) => {
  const frames = RATE / 2;
  const loud = sine(RATE, 1000, 1, frames), quiet = sine(RATE, 500, dbToAmplitude(-40), frames);
  for (const stereoLink of [1, 0, 0.5]) {
    const [l, r] = render(new Compressor(RATE, 2, { stereoLink }), [loud, quiet], 256);
    const gainL = rmsDb(l, frames / 2) - rmsDb(loud, frames / 2), gainR = rmsDb(r, frames / 2) - rmsDb(quiet, frames / 2);
    t.diagnostic(`link ${stereoLink}: left ${gainL.toFixed(2)} dB, right ${gainR.toFixed(2)} dB`);
    if (stereoLink === 1) {
      for (let i = 0; i < frames; i++) if (Math.abs(quiet[i]) > 1e-3) assert.ok(Math.abs(r[i] / quiet[i] - l[i] / loud[i]) < 1e-3 * Math.max(1, Math.abs(l[i] / loud[i])) || Math.abs(loud[i]) < 1e-3, `sample ${i}`);
      assert.ok(Math.abs(gainL - gainR) < 0.05 && gainL < -10, `linked: ${gainL} vs ${gainR}`);
    } else if (stereoLink === 0) {
      assert.ok(Math.abs(gainR) < 1e-4 && gainL < -10, `independent: right ${gainR} dB`);
    } else assert.ok(gainR < -3 && gainR > gainL + 3, `half linked: right ${gainR} dB`);
  }
});

test('compressor sidechain: a loud key ducks a quiet programme; the sidechain HPF ignores a 50 Hz key (< 0.5 dB) but not a 1 kHz key', (t) => {
  const frames = RATE;
  const programme = sine(RATE, 440, dbToAmplitude(-30), frames);
  const duck = (keyHz: number, sidechainHpfHz: number) => {
    const compressor = new Compressor(RATE, 1, { thresholdDb: -20, ratio: 4, kneeDb: 0, sidechainHpfHz });
    const out = Float32Array.from(programme);
    const key = sine(RATE, keyHz, dbToAmplitude(-6), frames);
    for (let start = 0; start < frames; start += 500) compressor.processWithSidechain([out.subarray(start, start + 500)], [key.subarray(start, start + 500)], Math.min(500, frames - start));
    return { level: toneDb(out, RATE, 440, frames / 2) - toneDb(programme, RATE, 440, frames / 2), max: compressor.maxGainReductionDb };
  };
  const ducked = duck(1000, 0), lowKey = duck(50, 150), midKey = duck(1000, 150);
  t.diagnostic(`sidechain: ducked ${ducked.level.toFixed(2)} dB; HPF 150 Hz: 50 Hz key ${lowKey.max.toFixed(3)} dB GR, 1 kHz key ${midKey.max.toFixed(2)} dB GR`);
  assert.ok(Math.abs(ducked.level + 10.5) < 0.3, `ducked by ${ducked.level} dB (expected -10.5: key 14 dB over, ratio 4)`);
  assert.ok(lowKey.max < 0.5, `50 Hz key through the HPF: ${lowKey.max} dB`);
  assert.ok(midKey.max > 10, `1 kHz key through the HPF: ${midKey.max} dB`);
  // A stereo programme with a mono key: both channels follow the key.
  const stereo = new Compressor(RATE, 2, { thresholdDb: -20, ratio: 4, kneeDb: 0 });
  const out = [Float32Array.from(programme), Float32Array.from(programme)];
  stereo.processWithSidechain(out, [sine(RATE, 1000, dbToAmplitude(-6), frames)], frames);
  assert.ok(Math.abs(toneDb(out[1], RATE, 440, frames / 2) - toneDb(programme, RATE, 440, frames / 2) + 10.5) < 0.3);
});

test('compressor make-up, auto make-up and gain-reduction meter', () => {
  const frames = RATE / 2;
  const quiet = sine(RATE, 1000, dbToAmplitude(-40), frames);
  const [boosted] = render(new Compressor(RATE, 1, { makeupDb: 6 }), [quiet], 256);
  assert.ok(Math.abs(rmsDb(boosted, frames / 2) - rmsDb(quiet, frames / 2) - 6) < 0.001, 'manual make-up +6 dB');
  const [auto] = render(new Compressor(RATE, 1, { thresholdDb: -20, ratio: 4, autoMakeup: true }), [quiet], 256);
  assert.ok(Math.abs(rmsDb(auto, frames / 2) - rmsDb(quiet, frames / 2) - 15) < 0.001, 'auto make-up = reduction at 0 dBFS (15 dB)');
  const meter = new Compressor(RATE, 1, { thresholdDb: -20, ratio: 4, kneeDb: 0 });
  render(meter, [sine(RATE, 1000, 1, frames)], 256);
  assert.ok(Math.abs(meter.gainReductionDb - 15) < 0.05, `meter ${meter.gainReductionDb}`);
  assert.ok(meter.maxGainReductionDb >= meter.gainReductionDb && meter.maxGainReductionDb < 15.01);
  meter.reset();
  assert.equal(meter.maxGainReductionDb, 0);
});

test('compressor set(): a threshold or make-up change glides (no step > 0.01 in a -6 dBFS sine); look-ahead is fixed; bad values throw', () => {
  const compressor = new Compressor(RATE, 1, { thresholdDb: -20 });
  const input = sine(RATE, 100, 0.5, RATE);
  render(compressor, [input.subarray(0, RATE / 2)], 128);
  compressor.set({ thresholdDb: -40, makeupDb: 10 });
  const [out] = render(compressor, [input.subarray(RATE / 2)], 128);
  let step = 0;
  for (let i = 1; i < out.length; i++) step = Math.max(step, Math.abs(out[i] - out[i - 1]));
  assert.ok(step < 0.02, `largest step ${step}`);
  assert.throws(() => compressor.set({ lookaheadSeconds: 0.01 }), RangeError);
  assert.throws(() => compressor.set({ ratio: 0.5 }), RangeError);
  assert.throws(() => new Compressor(RATE, 2, { stereoLink: 2 }), RangeError);
  assert.equal(compressor.params.thresholdDb, -40);
});

test('compressor: bit-identical output in blocks of 1, 37, 64 and 4096 frames through set() automation (link, threshold, detector)', () => {
  const frames = 8 * 4096;
  const input = [0, 1].map((c) => sine(RATE, 300 + 200 * c, 1, frames).map((v, i) => v * (0.05 + 0.5 * Math.abs(Math.sin(i / 3000)))));
  const changes: [number, Partial<CompressorParams>][] = [
    [2 * 4096, { stereoLink: 0.3 }], [3 * 4096, { thresholdDb: -30, makeupDb: 2 }], [4 * 4096, { stereoLink: 1 }], [6 * 4096, { detector: 'rms' }],
  ];
  const renderWith = (block: number) => {
    const compressor = new Compressor(RATE, 2, { thresholdDb: -20, ratio: 6, kneeDb: 3, autoRelease: true });
    const out = input.map((c) => Float32Array.from(c));
    for (let start = 0; start < frames; start += block) {
      const change = changes.find(([at]) => at === start);
      if (change) compressor.set(change[1]);
      const n = Math.min(block, frames - start, 4096 - (start % 4096));
      compressor.process(out.map((c) => c.subarray(start, start + n)), n);
      if (n < block) start -= block - n;
    }
    return out;
  };
  const reference = renderWith(4096);
  for (const block of [1, 37, 64]) assert.deepEqual(renderWith(block), reference, `block ${block}`);
});

/**
 * A stereo compressor runs its chunks in the gain kernel (WebAssembly SIMD); any other channel count takes
 * the JS path. With stereo link 1, a silent third channel changes nothing (max2(x, 0) = x exactly), so a
 * 3-channel compressor's first two channels are the JS path's answer for the stereo input: the kernel
 * path must match it bit for bit, through look-ahead, RMS, auto release, the sidechain high-pass, set()
 * automation and odd block sizes.
 */
test('compressor: the stereo kernel path is bit-identical to the JS path (3 channels, one silent)', () => {
  const frames = 6 * 4096;
  const input = [0, 1].map((c) => sine(RATE, 110 + 90 * c, 1, frames).map((v, i) => {
    const phase = Math.floor(i / 3000) % 4; // loud, quiet, silent, tiny
    return v * (phase === 0 ? 0.6 : phase === 1 ? 0.02 : phase === 2 ? 0 : 1e-7) * (0.5 + 0.5 * Math.sin(i / 700));
  }));
  const silent = new Float32Array(frames);
  const configs: Partial<CompressorParams>[] = [
    { thresholdDb: -18, ratio: 3, attackSeconds: 0.005, releaseSeconds: 0.08 },
    { detector: 'rms', rmsWindowSeconds: 0.05, autoRelease: true, sidechainHpfHz: 90, thresholdDb: -20, ratio: 2, makeupDb: 2 },
    { lookaheadSeconds: 0.003, thresholdDb: -30, ratio: 20, kneeDb: 0, rangeDb: 12, autoMakeup: true },
  ];
  assert.ok(new Compressor(RATE, 2).heap !== null && new Compressor(RATE, 3).heap === null, 'WebAssembly SIMD in Node 20: stereo takes the kernel path');
  for (const params of configs) {
    const render3 = (channels: 2 | 3, block: number) => {
      const compressor = new Compressor(RATE, channels, params);
      const out = (channels === 2 ? input : [...input, silent]).map((c) => Float32Array.from(c));
      for (let start = 0, k = 0; start < frames; k++) {
        if (start >= 3 * 4096 && start - block < 3 * 4096) compressor.set({ thresholdDb: (params.thresholdDb ?? -20) - 6, stereoLink: 1 });
        const n = Math.min(k % 3 === 1 ? 37 : block, frames - start);
        compressor.process(out.map((c) => c.subarray(start, start + n)), n);
        start += n;
      }
      return out.slice(0, 2);
    };
    for (const block of [4096, 1000]) assert.deepEqual(render3(2, block), render3(3, block), `${JSON.stringify(params)}, block ${block}`);
  }
});
