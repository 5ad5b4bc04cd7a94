import { assert, test } from '../../../test/support/node-test.js';
import type { Processor } from '../dsp/api.js';
import { Limiter } from '../dsp/dynamics/limiter.js';
import { Polarity } from '../dsp/stereo/polarity.js';
import { PureDelay } from '../dsp/utility/pure-delay.js';
import { Gain } from '../dsp/utility/gain.js';
import type { MixGraphSpec } from './api.js';
import { createMixGraph } from './graph.js';
import { MixRenderer } from './renderer.js';

const RATE = 48000;

function noise(frames: number, seed: number, amplitude = 0.5): Float32Array {
  let s = seed;
  return Float32Array.from({ length: frames }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return amplitude * ((s / 2 ** 32) * 2 - 1);
  });
}

const peakDb = (channels: Float32Array[]) => 20 * Math.log10(Math.max(...channels.map((c) => c.reduce((m, v) => Math.max(m, Math.abs(v)), 0))));

/** Records what reaches it (for checking a bus input). */
class Probe implements Processor {
  readonly latency = 0;
  readonly seen: Float32Array[];
  private at = 0;
  constructor(frames: number) {
    this.seen = [new Float32Array(frames), new Float32Array(frames)];
  }
  process(channels: Float32Array[], frames: number): void {
    for (let c = 0; c < 2; c++) for (let i = 0; i < frames && this.at + i < this.seen[c].length; i++) this.seen[c][this.at + i] = channels[c][i];
    this.at += frames;
  }
  reset(): void {
    this.at = 0;
  }
}

test('graph (a): a dry path and a look-ahead path (64-sample latency) with one polarity-inverted null below −120 dBFS', () => {
  const frames = RATE;
  for (const source of [[noise(frames, 1)], [noise(frames, 2), noise(frames, 3)]]) {
    const graph = createMixGraph({ sampleRate: RATE, blockFrames: 500 });
    graph.addBus({ id: 'lookahead', processors: [new PureDelay(RATE, 2, { delaySamples: 64 }), new Polarity(RATE, 2, { invert: [true, true] })] });
    graph.addTrack({ id: 'src', source, pan: 0.3, gainDb: -2, sends: [{ bus: 'lookahead', levelDb: 0 }] });
    assert.equal(graph.latencySamples, 64);
    assert.deepEqual(graph.latencyPlan.edgeDelaysSamples, [64, 0, 0], 'the dry edge waits 64 samples');
    const mix = graph.renderAll();
    assert.equal(mix.channels[0].length, frames);
    assert.ok(peakDb(mix.channels) < -120, `residual ${peakDb(mix.channels)} dBFS`);
  }
  // Two tracks sharing a source, the latent insert on one of them: the other track's edge is delayed.
  const source = [noise(frames, 4)];
  const graph = createMixGraph({ sampleRate: RATE });
  graph.addTrack({ id: 'dry', source });
  graph.addTrack({ id: 'wet', source, processors: [new PureDelay(RATE, 1, { delaySamples: 64 }), new Polarity(RATE, 1, { invert: [true] })] });
  assert.ok(peakDb(graph.renderAll().channels) < -120);
  // Control: the same delay hidden (declared latency 0) is not compensated and does not null.
  const hidden = new PureDelay(RATE, 1, { delaySamples: 64 });
  const undeclared: Processor = { latency: 0, process: (ch, n) => hidden.process(ch, n), reset: () => hidden.reset() };
  const control = createMixGraph({ sampleRate: RATE });
  control.addTrack({ id: 'dry', source });
  control.addTrack({ id: 'wet', source, processors: [undeclared, new Polarity(RATE, 1, { invert: [true] })] });
  assert.ok(peakDb(control.renderAll().channels) > -20);
});

test('graph (a, limiter): the real true-peak limiter (look-ahead latency, ceiling never reached) on a send nulls against the dry path', () => {
  const frames = RATE;
  const source = [noise(frames, 12, 0.1), noise(frames, 13, 0.1)]; // peaks −20 dBFS, ceiling 0 dBTP
  const limiter = new Limiter(RATE, 2, { ceilingDb: 0, lookaheadSeconds: 0.005 });
  const graph = createMixGraph({ sampleRate: RATE, blockFrames: 256 });
  graph.addBus({ id: 'limited', processors: [limiter, new Polarity(RATE, 2, { invert: [true, true] })] });
  graph.addTrack({ id: 'src', source, sends: [{ bus: 'limited', levelDb: 0 }] });
  assert.equal(graph.latencySamples, limiter.latency);
  assert.ok(limiter.latency >= 240, `look-ahead latency ${limiter.latency}`);
  const mix = graph.renderAll();
  assert.equal(limiter.maxGainReductionDb, 0, 'the limiter never acted');
  assert.ok(peakDb(mix.channels) < -120, `residual ${peakDb(mix.channels)} dBFS`);
});

test('graph (a, nested): three paths through two latent buses sum back to the exact input', () => {
  const source = [noise(RATE / 2, 5)];
  const graph = createMixGraph({ sampleRate: RATE, blockFrames: 333 });
  graph.addBus({ id: 'A', processors: [new PureDelay(RATE, 2, { delaySamples: 100 }), new Polarity(RATE, 2, { invert: [true, true] })], output: 'B' });
  graph.addBus({ id: 'B', processors: [new PureDelay(RATE, 2, { delaySamples: 30 })] });
  // '-6' law: 0.5 per side at the centre, exact in float32; direct (+x) + via A→B (−x) + send to B (+x) = x.
  graph.addTrack({ id: 't', source, panLaw: '-6', sends: [{ bus: 'A', levelDb: 0 }, { bus: 'B', levelDb: 0, preFader: true }] });
  graph.setMaster({ processors: [new PureDelay(RATE, 2, { delaySamples: 7 })] });
  assert.equal(graph.latencySamples, 137);
  const [l, r] = graph.renderAll().channels;
  for (let i = 0; i < source[0].length; i++) {
    assert.equal(l[i], source[0][i] * 0.5);
    assert.equal(r[i], source[0][i] * 0.5);
  }
});

test('graph (b): pre-fader sends ignore the fader, post-fader sends follow it', () => {
  const frames = 4800;
  const source = [noise(frames, 6)];
  const probes = { pre: new Probe(frames), post: new Probe(frames) };
  const graph = createMixGraph({ sampleRate: RATE, blockFrames: 128 });
  graph.addBus({ id: 'pre', processors: [probes.pre] });
  graph.addBus({ id: 'post', processors: [probes.post] });
  graph.addTrack({ id: 't', source, gainDb: -12, sends: [{ bus: 'pre', levelDb: -3, preFader: true }, { bus: 'post', levelDb: -3 }] });
  graph.renderAll();
  const centre = Math.SQRT1_2;
  for (const [name, levelDb] of [['pre', -3], ['post', -15]] as const) {
    for (let i = 0; i < frames; i++) {
      const expected = source[0][i] * centre * 10 ** (levelDb / 20);
      for (const c of [0, 1]) assert.ok(Math.abs(probes[name].seen[c][i] - expected) <= 1e-6 * Math.abs(expected) + 1e-9, `${name} ${i}`);
    }
  }
});

/** A spec with a latent insert and every kind of automation; fresh processors per call. */
function automatedSpec(blockFrames: number): MixGraphSpec {
  const frames = RATE / 2;
  const dc = [new Float32Array(frames).fill(0.5)];
  const stereo = [noise(frames, 7), noise(frames, 8)];
  return {
    sampleRate: RATE, blockFrames,
    tracks: [
      {
        id: 'ramp', source: dc, panLaw: '-6', processors: [new PureDelay(RATE, 1, { delaySamples: 64 })],
        gainDb: { points: [{ timeSeconds: 0.1, value: 0 }, { timeSeconds: 0.3, value: -20 }] },
      },
      {
        id: 'moving', source: stereo,
        processors: [{ processor: new Gain(RATE, 2), automation: { gainDb: { points: [{ timeSeconds: 0.05, value: 0 }, { timeSeconds: 0.25, value: -30 }] } } }],
        pan: { points: [{ timeSeconds: 0, value: -1 }, { timeSeconds: 0.4, value: 1 }] },
        sends: [{ bus: 'fx', levelDb: { points: [{ timeSeconds: 0.1, value: -6 }, { timeSeconds: 0.2, value: -Infinity }], curve: 'amplitude' } }],
      },
    ],
    buses: [{ id: 'fx', processors: [new PureDelay(RATE, 2, { delaySamples: 300 })], gainDb: { points: [{ timeSeconds: 0, value: -3 }, { timeSeconds: 0.1, value: 0, curve: 'step' }, { timeSeconds: 0.2, value: -6 }] } }],
    master: { gainDb: { points: [{ timeSeconds: 0.35, value: 0 }, { timeSeconds: 0.45, value: -6 }] } },
  };
}

test('graph (c): automation is sample-accurate and the render is identical for blocks of 1, 64 and 4096 frames', () => {
  const reference = new MixRenderer(automatedSpec(4096)).renderAll();
  for (const block of [1, 64]) assert.deepEqual(new MixRenderer(automatedSpec(block)).renderAll(), reference, `block ${block}`);
  // Streaming in odd chunk sizes gives the same samples.
  const streamed = new MixRenderer(automatedSpec(64));
  const out = [new Float32Array(RATE / 2), new Float32Array(RATE / 2)];
  for (let at = 0; at < RATE / 2; at += 777) streamed.renderInto(out, Math.min(777, RATE / 2 - at), at);
  assert.deepEqual(out, reference.channels);

  // The processor lane reached the Gain insert: 'moving' alone ends 30 dB under its start.
  const gainOnly = automatedSpec(64);
  gainOnly.tracks = [gainOnly.tracks[1]];
  gainOnly.tracks[0].sends = [];
  gainOnly.tracks[0].pan = 0;
  const [g] = new MixRenderer(gainOnly).renderAll().channels;
  const rmsDb = (from: number, to: number) => 10 * Math.log10(g.subarray(from, to).reduce((s, v) => s + v * v, 0) / (to - from));
  assert.ok(Math.abs(rmsDb(0, 2000) - rmsDb(RATE * 0.3, RATE * 0.3 + 2000) - 30) < 0.5, 'processor automation applied');

  // Sample accuracy: only the 'ramp' track, whose fader lane is evaluated on the source timeline (behind a 64-sample insert).
  const spec = automatedSpec(64);
  spec.tracks = [spec.tracks[0]];
  spec.master = {};
  const [l, r] = new MixRenderer(spec).renderAll().channels;
  for (let n = 0; n < RATE / 2; n++) {
    const t = n / RATE;
    const db = t <= 0.1 ? 0 : t >= 0.3 ? -20 : (-20 * (t - 0.1)) / 0.2;
    const expected = 0.5 * 0.5 * 10 ** (db / 20);
    assert.ok(Math.abs(l[n] - expected) <= 1e-6 * expected && l[n] === r[n], `sample ${n}: ${l[n]} vs ${expected}`);
  }
});

test('graph (d): deterministic: two graphs, and one graph rendered twice, are bit-identical', () => {
  const first = new MixRenderer(automatedSpec(256));
  const a = first.renderAll();
  const b = first.renderAll();
  const c = new MixRenderer(automatedSpec(256)).renderAll();
  assert.deepEqual(b, a);
  assert.deepEqual(c, a);
  assert.ok(peakDb(a.channels) > -40, 'not silent');
});

test('graph (e): total latency is reported and trimmed: output sample n is source sample n', () => {
  const source = [noise(RATE / 4, 9)];
  const graph = createMixGraph({ sampleRate: RATE, blockFrames: 100 });
  graph.addBus({ id: 'slow', processors: [new PureDelay(RATE, 2, { delaySamples: 37 })] });
  graph.addTrack({ id: 't', source, panLaw: '-6', processors: [new PureDelay(RATE, 1, { delaySamples: 100 })], sends: [{ bus: 'slow', levelDb: -Infinity }] });
  graph.setMaster({ processors: [new PureDelay(RATE, 2, { delaySamples: 5 })] });
  assert.equal(graph.latencySamples, 142);
  const plan = graph.latencyPlan;
  assert.deepEqual(plan.nodes.map((n) => [n.id, n.inputSamples, n.outputSamples]), [['t', 0, 100], ['slow', 100, 137], ['master', 137, 142]]);
  const [l] = graph.renderAll().channels;
  assert.equal(l.length, source[0].length);
  for (let i = 0; i < l.length; i++) assert.equal(l[i], source[0][i] * 0.5);
  // A tail keeps rendering past the sources.
  assert.equal(graph.renderAll(0.01).channels[0].length, source[0].length + 480);
});

test('graph: mute and solo; routing errors are reported', () => {
  const a = [noise(1000, 10)];
  const b = [noise(1000, 11)];
  const solo = createMixGraph({ sampleRate: RATE });
  solo.addBus({ id: 'fx' });
  solo.addTrack({ id: 'a', source: a, panLaw: '-6', solo: true, sends: [{ bus: 'fx', levelDb: 0 }] });
  solo.addTrack({ id: 'b', source: b, panLaw: '-6' });
  const [l] = solo.renderAll().channels;
  for (let i = 0; i < 1000; i++) assert.equal(l[i], Math.fround(a[0][i] * 0.5) * 2, 'a direct + a via the (solo-safe) bus');
  const muted = createMixGraph({ sampleRate: RATE });
  muted.addTrack({ id: 'a', source: a, mute: true });
  assert.ok(muted.renderAll().channels[0].every((v) => v === 0));

  const build = (f: (g: ReturnType<typeof createMixGraph>) => void) => () => {
    const g = createMixGraph({ sampleRate: RATE });
    f(g);
    g.compile();
  };
  assert.throws(build((g) => g.addTrack({ id: 'x', source: a, sends: [{ bus: 'nope', levelDb: 0 }] })), /unknown bus/);
  assert.throws(build((g) => g.addTrack({ id: 'x', source: a }).addTrack({ id: 'x', source: b })), /duplicate/);
  assert.throws(build((g) => g.addBus({ id: 'p', output: 'q' }).addBus({ id: 'q', output: 'p' })), /feedback loop/);
  assert.throws(build((g) => g.addTrack({ id: 'master', source: a })), /reserved/);
  assert.throws(build((g) => g.addTrack({ id: 'x', source: [a[0], a[0], a[0]] })), /mono or stereo/);
  assert.throws(build((g) => g.addTrack({ id: 'x', source: a, processors: [{ processor: new PureDelay(RATE, 1), automation: { gainDb: { points: [{ timeSeconds: 0, value: 0 }] } } }] })), /ParametricProcessor/);
  const frozen = createMixGraph({ sampleRate: RATE });
  frozen.compile();
  assert.throws(() => frozen.addBus({ id: 'late' }), /already compiled/);
});
