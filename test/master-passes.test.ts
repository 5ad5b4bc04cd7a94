// The mastering passes: the pre-chain split across two threads gives exactly the one-chain output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createStageProcessors, preChainStages } from '../src/engine/master/chain.js';
import type { MasterPlan } from '../src/engine/master/plan.js';
import { StreamingChain } from '../src/engine/master/stream-chain.js';
import { renderPreChain, type BlockSource } from '../src/master/passes.js';
import { tempDir } from './support/tools.js';
import { measureSource } from '../src/master/master-track.js';
import { measureMaster } from '../src/engine/master/measure.js';
import { readAll } from './support/true-peak-8x.js';

const SR = 44100;
const FRAMES = SR * 6 + 123;

function signal(): Float32Array[] {
  let seed = 5;
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const l = new Float32Array(FRAMES), r = new Float32Array(FRAMES);
  for (let i = 0; i < FRAMES; i++) {
    const t = i / SR, beat = t % 0.5;
    const kick = 0.5 * Math.sin(2 * Math.PI * 60 * beat) * Math.exp(-beat * 12);
    l[i] = kick + 0.1 * rnd();
    r[i] = kick + 0.1 * rnd();
  }
  return [l, r];
}

const blocksOf = (channels: Float32Array[], size: number): BlockSource => async function* () {
  for (let at = 0; at < FRAMES; at += size) yield channels.map((c) => c.slice(at, Math.min(FRAMES, at + size)));
};

const plan = {
  stages: [
    { id: 'eq', role: 'eq', processor: 'mid-side-eq', enabled: true, summary: '', why: '', params: { midCurve: [{ frequencyHz: 80, gainDb: -2 }, { frequencyHz: 3000, gainDb: 2 }], sideCurve: [{ frequencyHz: 100, gainDb: -20 }, { frequencyHz: 300, gainDb: 0 }] } },
    { id: 'glue', role: 'glue', processor: 'compressor', enabled: true, summary: '', why: '', params: { thresholdDb: -20, ratio: 2, lookaheadSeconds: 0.004, detector: 'rms' } },
    { id: 'character', role: 'character', processor: 'saturation', enabled: true, summary: '', why: '', params: { mode: 'tanh', driveDb: 6, mix: 0.5 } },
    { id: 'limiter', role: 'limiter', processor: 'limiter', enabled: true, summary: '', why: '', params: { ceilingDb: -1 } },
  ],
} as unknown as MasterPlan;

test('pre-chain on two worker threads (EQ on one, the rest on the other) equals the one-thread chain, sample for sample', async () => {
  const input = signal();
  // One thread: the EQ part and the rest as two aligned chains in series (what the pipeline computes).
  const stages = preChainStages(plan);
  const head = new StreamingChain(createStageProcessors(stages.slice(0, 1), SR, 2), 2);
  const tailProcessors = createStageProcessors(stages.slice(1), SR, 2);
  const tail = new StreamingChain(tailProcessors, 2);
  const tailLatency = tailProcessors.reduce((sum, p) => sum + p.latency, 0);
  const expected = [new Float32Array(FRAMES + tailLatency), new Float32Array(FRAMES + tailLatency)];
  let at = 0;
  const sink = (channels: Float32Array[], frames: number) => { channels.forEach((c, i) => expected[i].set(c.subarray(0, frames), at)); at += frames; };
  const toTail = (channels: Float32Array[], frames: number) => tail.push(channels.map((c) => c.slice(0, frames)), frames, sink);
  for await (const block of blocksOf(input, 4096)()) head.push(block, block[0].length, toTail);
  head.finish(toTail, tailLatency);
  tail.finish(sink);
  assert.equal(at, FRAMES + tailLatency); // the tail also flushed what it looks ahead
  at = FRAMES;
  assert.equal(at, FRAMES);
  const path = join(tempDir(), 'pre.wav');
  const result = await renderPreChain(blocksOf(input, 65536), plan, SR, 2, path);
  assert.equal(result.frames, FRAMES);
  const rendered = await readAll(path);
  for (let c = 0; c < 2; c++) expected[c] = expected[c].subarray(0, FRAMES);
  for (let c = 0; c < 2; c++) {
    let first = -1, count = 0, worst = 0;
    rendered.channels[c].forEach((v, i) => { if (v !== expected[c][i]) { if (first < 0) first = i; count++; worst = Math.max(worst, Math.abs(v - expected[c][i])); } });
    if (count) console.log(`channel ${c}: ${count} differ, first at ${first} of ${FRAMES}, worst ${worst}`);
  }
  for (let c = 0; c < 2; c++) assert.ok(Buffer.compare(Buffer.from(rendered.channels[c].buffer), Buffer.from(expected[c].buffer, expected[c].byteOffset, expected[c].byteLength)) === 0, `channel ${c} differs`);
});

test('a one-stage pre-chain with a long latency (the 16383-tap EQ) keeps the last frames of the song', async () => {
  const input = signal();
  const eqOnly = { stages: [plan.stages[0], plan.stages[3]] } as unknown as MasterPlan;
  const chain = new StreamingChain(createStageProcessors(preChainStages(eqOnly), SR, 2), 2);
  assert.ok(chain.latency > 8192, `latency ${chain.latency}`);
  const expected = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
  let at = 0;
  const sink = (channels: Float32Array[], frames: number) => { channels.forEach((c, i) => expected[i].set(c.subarray(0, frames), at)); at += frames; };
  for await (const block of blocksOf(input, 4096)()) chain.push(block, block[0].length, sink);
  chain.finish(sink);
  const path = join(tempDir(), 'pre-eq.wav');
  await renderPreChain(blocksOf(input, 65536), eqOnly, SR, 2, path);
  const rendered = await readAll(path);
  for (let c = 0; c < 2; c++) assert.ok(Buffer.compare(Buffer.from(rendered.channels[c].buffer), Buffer.from(expected[c].buffer)) === 0, `channel ${c} differs`);
  // The tail really is music, not silence: the EQ's ringing of the last kick.
  assert.ok(Math.abs(rendered.channels[0][FRAMES - 100]) > 1e-4);
});

test('the mastering analysis with its worker half (true peak, spectrum, decision meters) equals the one-thread analysis', async () => {
  const channels = signal();
  const threaded = await measureSource(blocksOf(channels, 65536), SR, 2, FRAMES);
  const local = measureMaster({ sampleRate: SR, channels }, ['L', 'R']);
  assert.ok(threaded.transients.onsetsPerSecond > 1, `the decision meters ran (${threaded.transients.onsetsPerSecond} onsets/s)`);
  // The foundation sums squares per block (RMS and correlation differ in the last bits); the rest is exact.
  const { base: a, ...restA } = threaded;
  const { base: b, ...restB } = local;
  assert.deepEqual(restA, restB);
  assert.equal(a.truePeakDbtp, b.truePeakDbtp);
  assert.equal(a.integratedLufs, b.integratedLufs);
});
