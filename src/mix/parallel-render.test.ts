import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { MixGraphSpec, ProcessorSpec } from '../engine/mix/api.js';
import { createMixGraph } from '../engine/mix/graph.js';
import { chainLatency, resolveInserts } from '../engine/mix/inserts.js';
import { PureDelay } from '../engine/dsp/utility/pure-delay.js';
import { planChunks, renderMixParallel, streamMixParallel } from './parallel-render.js';
import { noise } from '../../test/support/dynamics-signals.js';

const RATE = 48000;

/** Tone bursts (so dynamics processors act and automation matters), with noise. */
function bursts(frames: number, seed: number, hz: number): Float32Array {
  const n = noise(frames, 0.05, seed);
  for (let i = 0; i < frames; i++) n[i] += (Math.floor(i / 6000) % 2 ? 0.7 : 0.1) * Math.sin((2 * Math.PI * hz * i) / RATE);
  return n;
}

/** The same samples in a SharedArrayBuffer (a source the workers read themselves). */
function shared(channel: Float32Array): Float32Array {
  const copy = new Float32Array(new SharedArrayBuffer(channel.byteLength));
  copy.set(channel);
  return copy;
}

const lane = (...points: [number, number][]) => ({ points: points.map(([timeSeconds, value]) => ({ timeSeconds, value })) });

const STRIP: ProcessorSpec[] = [
  { processor: 'equalizer', params: { bands: [
    { type: 'highPass', frequencyHz: 80 }, { type: 'lowShelf', frequencyHz: 120, q: 0.7, gainDb: 2 }, { type: 'peaking', frequencyHz: 400, q: 1.2, gainDb: -3 },
    { type: 'peaking', frequencyHz: 3000, q: 1, gainDb: 2 }, { type: 'highShelf', frequencyHz: 10000, q: 0.7, gainDb: 1.5 },
  ] } },
  { processor: 'compressor', params: { thresholdDb: -18, ratio: 3, attackSeconds: 0.005, releaseSeconds: 0.08, lookaheadSeconds: 0.003 }, automation: { thresholdDb: lane([0.2, -30], [0.8, -12]) } },
  { processor: 'de-esser', params: { thresholdDb: -30 } },
];

/**
 * Seven tracks (five on workers, mono and stereo, one read by its worker from shared memory, with different inserts and latencies 0-240 samples,
 * one with an instance insert that stays on the main thread, one muted with the longest latency),
 * pre- and post-fader sends, buses with their own processors, automation of faders, pans, sends and
 * insert parameters.
 */
function spec(seconds: number, blockFrames: number): MixGraphSpec {
  const frames = Math.round(seconds * RATE);
  return {
    sampleRate: RATE, blockFrames,
    tracks: [
      {
        id: 'vox', source: [bursts(frames, 1, 220), bursts(frames, 2, 330)], processors: STRIP, gainDb: lane([0.3, 0], [0.9, -8]),
        sends: [{ bus: 'verb', levelDb: -10, preFader: true }, { bus: 'crush', levelDb: lane([0.1, -20], [0.6, -6]) }],
      },
      {
        id: 'gtr', source: [shared(bursts(frames, 3, 196))], pan: lane([0, -0.8], [1, 0.6]),
        processors: [{ processor: 'equalizer', params: { bands: [{ type: 'highPass', frequencyHz: 120 }, { type: 'peaking', frequencyHz: 2000, gainDb: 4 }] } }, { processor: 'saturation', params: { mode: 'tube', driveDb: 8 } }],
        sends: [{ bus: 'verb', levelDb: -14 }],
      },
      {
        id: 'drums', source: [noise(frames, 0.6, 4), noise(frames, 0.6, 5)], output: 'drumbus',
        processors: [{ processor: 'transient-shaper', params: { attackDb: 4, sustainDb: -2 } }, { processor: 'limiter', params: { ceilingDb: -6, lookaheadSeconds: 0.005 } }],
      },
      {
        id: 'bass', source: [bursts(frames, 6, 55), bursts(frames, 7, 55)], gainDb: -3,
        processors: [
          { processor: 'multiband-compressor', params: { frequenciesHz: [200], lookaheadSeconds: 0.002, bands: [{ ratio: 3, thresholdDb: -20 }, { ratio: 2 }] } },
          { processor: 'gain', params: { gainDb: 0 }, automation: { gainDb: lane([0.25, 0], [0.5, -12]) } },
        ],
        sends: [{ bus: 'crush', levelDb: -12, preFader: true }],
      },
      { id: 'pad', source: [noise(frames - 1000, 0.1, 8), noise(frames - 1000, 0.1, 9)], processors: [{ processor: 'tape', params: { driveDb: 6 } }, { processor: 'width', params: { widthPercent: 140, bassMonoHz: 150 } }] },
      { id: 'keys', source: [noise(frames, 0.2, 10)], processors: [new PureDelay(RATE, 1, { delaySamples: 10 })], pan: 0.5 },
      { id: 'muted', source: [noise(frames, 0.3, 11), noise(frames, 0.3, 12)], mute: true, processors: [{ processor: 'limiter', params: { lookaheadSeconds: 0.008 } }] },
    ],
    buses: [
      { id: 'verb', processors: [{ processor: 'tape', params: {} }], gainDb: -4 },
      { id: 'crush', processors: [{ processor: 'saturation', params: { mode: 'hard', driveDb: 12 } }], output: 'verb', gainDb: lane([0, -6], [0.7, 0]) },
      { id: 'drumbus', processors: [{ processor: 'compressor', params: { thresholdDb: -20, ratio: 4, lookaheadSeconds: 0.001 } }], sends: [{ bus: 'verb', levelDb: -20, preFader: true }] },
    ],
    master: { processors: [{ processor: 'limiter', params: { ceilingDb: -1, lookaheadSeconds: 0.002 } }], gainDb: lane([0.9, 0], [1, -3]) },
  };
}

function maxAbsDifference(a: Float32Array[], b: Float32Array[]): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let c = 0; c < a.length; c++) {
    assert.equal(a[c].length, b[c].length);
    for (let i = 0; i < a[c].length; i++) max = Math.max(max, Math.abs(a[c][i] - b[c][i]));
  }
  return max;
}

const sameBits = (a: Float32Array[], b: Float32Array[]) =>
  a.every((c, i) => Buffer.compare(Buffer.from(c.buffer, c.byteOffset, c.byteLength), Buffer.from(b[i].buffer, b[i].byteOffset, b[i].byteLength)) === 0);

function singleThread(s: MixGraphSpec, tailSeconds: number) {
  const graph = createMixGraph({ sampleRate: s.sampleRate, blockFrames: s.blockFrames });
  for (const b of s.buses) graph.addBus(b);
  for (const t of s.tracks) graph.addTrack(t);
  graph.setMaster(s.master);
  return { mix: graph.renderAll(tailSeconds), latency: graph.latencySamples };
}

test('parallel mix: tracks on worker threads null exactly against the single-thread render (max |difference| = 0)', async () => {
  const seconds = 1, tail = 0.05;
  const s = spec(seconds, 256);
  // The remote tracks' chains have different latencies, and the graph's latency exceeds some chunks.
  const latencies = s.tracks.map((t) => chainLatency(resolveInserts(t.processors ?? [], RATE, t.source.length, t.id)));
  assert.deepEqual(latencies, [144, 64, 240, 96, 80, 10, 384]);
  const reference = singleThread(s, tail);
  assert.equal(reference.latency, 384 + 96, "the muted track sets the latency (muting never moves the timing), then the master limiter");
  assert.equal(reference.mix.channels[0].length, RATE * seconds + RATE * tail);
  const peak = Math.max(...reference.mix.channels.map((c) => c.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
  assert.ok(peak > 0.1, `not silent (${peak})`);

  for (const options of [{}, { workers: 1 }, { workers: 3, chunkFrames: 1000, chunksInFlight: 1 }, { workers: 2, chunkFrames: 256 }]) {
    const parallel = await renderMixParallel(s, { tailSeconds: tail, ...options });
    assert.equal(parallel.sampleRate, RATE);
    const difference = maxAbsDifference(parallel.channels, reference.mix.channels);
    assert.equal(difference, 0, `${JSON.stringify(options)}: max |difference| ${difference}`);
    assert.ok(sameBits(parallel.channels, reference.mix.channels), `${JSON.stringify(options)}: bit-identical`);
  }
});

test('parallel mix: the same with a block size that does not divide the chunks, and with blocks of 1 frame', async () => {
  for (const [block, seconds] of [[333, 0.5], [1, 0.1]] as const) {
    const s = spec(seconds, block);
    const reference = singleThread(s, 0);
    const parallel = await renderMixParallel(s, { chunkFrames: 4000 });
    assert.equal(maxAbsDifference(parallel.channels, reference.mix.channels), 0, `block ${block}`);
  }
});

test('parallel mix: streams in chunks (bounded), stops its workers when the consumer stops, reports worker errors', async () => {
  const s = spec(0.5, 128);
  const sizes: number[] = [];
  for await (const block of streamMixParallel(s, { chunkFrames: 2048 })) {
    sizes.push(block[0].length);
    if (sizes.length === 3) break; // the generator's cleanup terminates the workers (the test would hang otherwise)
  }
  assert.deepEqual(sizes, [2048, 2048, 2048]);
  assert.deepEqual(planChunks(300, 300 + 5000, 2048), [
    { start: 0, frames: 300 }, { start: 300, frames: 2048 }, { start: 2348, frames: 2048 }, { start: 4396, frames: 904 },
  ]);

  // A bad parameter in a remote track is reported from its worker, named like the single-thread error.
  const bad = spec(0.1, 128);
  bad.tracks[1].processors = [{ processor: 'saturation', params: { driveDb: 99 } }];
  await assert.rejects(renderMixParallel(bad), /gtr insert 0 \(saturation\): driveDb/);
  assert.throws(() => singleThread(bad, 0), /gtr insert 0 \(saturation\): driveDb/);
  // Routing errors surface too (the workers are stopped).
  const unrouted = spec(0.1, 128);
  unrouted.tracks[0].output = 'nowhere';
  await assert.rejects(renderMixParallel(unrouted), /unknown bus 'nowhere'/);
});

const BUILT_WORKER = new URL('../../dist/track-worker.js', import.meta.url);

test('parallel mix: the bundled worker (dist/track-worker.js, from `npm run build`) gives the same bits', { skip: !existsSync(BUILT_WORKER) && 'not built' }, async () => {
  const s = spec(0.5, 512);
  const reference = singleThread(s, 0.02);
  const parallel = await renderMixParallel(s, { tailSeconds: 0.02, workerEntry: BUILT_WORKER });
  assert.equal(maxAbsDifference(parallel.channels, reference.mix.channels), 0);
});
