import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { Gate, type GateParams } from './gate.js';
import { amplitudeToDb, dbToAmplitude, findIndex, rmsDb, sine } from '../../../../test/support/dynamics-signals.js';

const RATE = 48000;

processorSuite('gate', (rate, channels) => new Gate(rate, channels, { openThresholdDb: -20, closeThresholdDb: -30 }));
processorSuite('gate (expander 2:1, 3 ms look-ahead)', (rate, channels) => new Gate(rate, channels, {
  openThresholdDb: -20, closeThresholdDb: -26, ratio: 2, rangeDb: 40, lookaheadSeconds: 0.003,
}), { latencyCheck: 'xcorr' });

/** Attenuation (dB) per sample for a constant-magnitude input (alternating ±a). */
function attenuationTrace(params: Partial<GateParams>, amplitudes: Float32Array): Float64Array {
  const gate = new Gate(RATE, 1, params);
  const input = amplitudes.map((a, i) => (i % 2 === 0 ? a : -a));
  const [out] = render(gate, [input], 300);
  const latency = gate.latency;
  return Float64Array.from(out, (y, i) => (i < latency || input[i - latency] === 0 ? NaN : amplitudeToDb(Math.abs(input[i - latency]) / Math.abs(y))));
}

/** Piecewise-constant levels (dBFS) of `seconds` each. */
function steps(levels: [db: number, seconds: number][]): Float32Array {
  const out = new Float32Array(levels.reduce((n, [, s]) => n + Math.round(s * RATE), 0));
  let at = 0;
  for (const [db, seconds] of levels) {
    const n = Math.round(seconds * RATE);
    out.fill(dbToAmplitude(db), at, at + n);
    at += n;
  }
  return out;
}

test('gate hysteresis: opens only above the open threshold, stays open until below the close threshold', () => {
  const params = { openThresholdDb: -40, closeThresholdDb: -50, rangeDb: 60, holdSeconds: 0.01, attackSeconds: 0.0005, releaseSeconds: 0.01 };
  // closed at -60; -45 (between) keeps it closed; -35 opens; -45 keeps it open; -55 closes.
  const trace = attenuationTrace(params, steps([[-60, 0.2], [-45, 0.2], [-35, 0.2], [-45, 0.2], [-55, 0.2]]));
  const at = (seconds: number) => trace[Math.round(seconds * RATE)];
  const report = [0.19, 0.39, 0.59, 0.79, 0.99].map((s) => at(s).toFixed(3));
  assert.ok(Math.abs(at(0.19) - 60) < 0.01, `closed at -60 dBFS: ${report}`);
  assert.ok(Math.abs(at(0.39) - 60) < 0.01, `still closed at -45 (below open): ${report}`);
  assert.ok(at(0.59) < 0.001, `open at -35: ${report}`);
  assert.ok(at(0.79) < 0.001, `still open at -45 (above close): ${report}`);
  assert.ok(Math.abs(at(0.99) - 60) < 0.01, `closed at -55: ${report}`);
});

test('gate hold: the attenuation starts rising holdSeconds after the last sample above the close threshold (within 1 ms)', (t) => {
  for (const holdSeconds of [0, 0.005, 0.05]) {
    const signal = steps([[-20, 0.1], [-70, 0.3]]);
    const trace = attenuationTrace({ openThresholdDb: -30, closeThresholdDb: -40, holdSeconds, releaseSeconds: 0.05 }, signal);
    const lastAbove = Math.round(0.1 * RATE) - 1;
    const closing = findIndex(trace.length, lastAbove, (i) => trace[i] > 0.01);
    const measured = (closing - lastAbove) / RATE;
    t.diagnostic(`hold ${holdSeconds * 1000} ms: closing starts ${(measured * 1000).toFixed(3)} ms after the last sample above`);
    assert.ok(Math.abs(measured - holdSeconds) <= 0.001, `hold ${holdSeconds}: measured ${measured}`);
  }
});

test('gate range floor and expander ratio: closed attenuation = min(range, (open - level)(ratio - 1)) within 0.01 dB', (t) => {
  const gate = attenuationTrace({ openThresholdDb: -30, closeThresholdDb: -36, rangeDb: 24 }, steps([[-60, 0.5]]));
  assert.ok(Math.abs(gate[gate.length - 1] - 24) < 0.01, `gate floor ${gate[gate.length - 1]}`);
  for (const [level, expected] of [[-40, 10], [-45, 15], [-70, 30]]) {
    const trace = attenuationTrace({ openThresholdDb: -30, closeThresholdDb: -36, ratio: 2, rangeDb: 30 }, steps([[level, 0.5]]));
    const measured = trace[trace.length - 1];
    t.diagnostic(`expander 2:1 at ${level} dBFS: ${measured.toFixed(4)} dB (expected ${expected})`);
    assert.ok(Math.abs(measured - expected) < 0.01, `${level} dBFS: ${measured} dB`);
  }
});

test('gate attack and release time constants: 63 % of the way (in dB) within 10 %', (t) => {
  const attackSeconds = 0.002, releaseSeconds = 0.08;
  const trace = attenuationTrace({ openThresholdDb: -30, closeThresholdDb: -40, rangeDb: 40, holdSeconds: 0, attackSeconds, releaseSeconds }, steps([[-60, 0.5], [-20, 0.5], [-60, 1]]));
  const open = Math.round(0.5 * RATE), close = Math.round(RATE);
  const attack = (findIndex(trace.length, open, (i) => trace[i] <= 40 * Math.exp(-1)) - open) / RATE;
  const release = (findIndex(trace.length, close, (i) => trace[i] >= 40 * (1 - Math.exp(-1))) - close) / RATE;
  t.diagnostic(`attack ${(attack * 1000).toFixed(3)} ms (set 2), release ${(release * 1000).toFixed(2)} ms (set 80)`);
  assert.ok(Math.abs(attack / attackSeconds - 1) < 0.1 && Math.abs(release / releaseSeconds - 1) < 0.1);
});

test('gate look-ahead: the gate is open when a transient reaches the output; the sidechain key drives it', () => {
  const lookaheadSeconds = 0.002, latency = Math.round(lookaheadSeconds * RATE);
  const trace = attenuationTrace({ openThresholdDb: -30, closeThresholdDb: -40, lookaheadSeconds, attackSeconds: 0.0002 }, steps([[-70, 0.1], [-10, 0.1]]));
  const arrival = Math.round(0.1 * RATE) + latency;
  assert.ok(trace[arrival] < 0.01, `attenuation when the transient reaches the output: ${trace[arrival]} dB`);
  assert.ok(trace[arrival - latency - 1] > 60, 'closed before');
  // Key: a quiet programme passes only while the key is loud.
  const gate = new Gate(RATE, 2, { openThresholdDb: -30, closeThresholdDb: -40, holdSeconds: 0, releaseSeconds: 0.005 });
  const programme = sine(RATE, 440, dbToAmplitude(-50), RATE);
  const out = [Float32Array.from(programme), Float32Array.from(programme)];
  const key = steps([[-10, 0.5], [-80, 0.5]]);
  gate.processWithSidechain(out, [key], RATE);
  assert.ok(Math.abs(rmsDb(out[0], RATE / 4, RATE / 2) - rmsDb(programme, RATE / 4, RATE / 2)) < 0.001, 'open while the key is loud');
  assert.ok(rmsDb(out[1], 0.75 * RATE, RATE) - rmsDb(programme, 0.75 * RATE, RATE) < -79, 'closed when the key is quiet');
  assert.ok(gate.maxGainReductionDb > 79);
});

test('gate parameters: close above open, ratio <= 1 and a new look-ahead are rejected', () => {
  assert.throws(() => new Gate(RATE, 2, { openThresholdDb: -40, closeThresholdDb: -30 }), RangeError);
  assert.throws(() => new Gate(RATE, 2, { ratio: 1 }), RangeError);
  const gate = new Gate(RATE, 2);
  assert.throws(() => gate.set({ lookaheadSeconds: 0.01 }), RangeError);
  gate.set({ openThresholdDb: -30 });
  assert.equal(gate.params.openThresholdDb, -30);
});
