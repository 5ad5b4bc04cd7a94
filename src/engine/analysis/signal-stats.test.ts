import { assert, test } from '../../../test/support/node-test.js';
import { SignalStats } from './signal-stats.js';
import { analyzeAudio } from './analyze.js';

test('clipped runs: three or more consecutive full-scale samples count, single ones do not', () => {
  const x = new Float32Array(1000).fill(0.5);
  x[10] = 1; // single full-scale sample: legal
  x.fill(1, 100, 105); // a run of 5
  x.fill(-1, 500, 502); // a run of 2: not a clip
  x.fill(-1, 800, 803); // a run of 3
  const stats = new SignalStats(1);
  // Split across blocks in the middle of a run: the run must still be counted once.
  stats.push([x.subarray(0, 102)], 102);
  stats.push([x.subarray(102)], 898);
  assert.equal(stats.clippedRuns[0], 2);
  assert.equal(stats.clippedSamples[0], 8);
});

test('DC offset, head/tail silence, correlation and mono-sum loss', () => {
  const rate = 48000;
  const frames = rate * 2;
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  let seed = 7;
  const noise = () => { // mulberry32: successive values are independent, unlike a plain LCG's
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  for (let i = rate / 2; i < frames - rate / 4; i++) { left[i] = noise(); right[i] = noise(); }
  const uncorrelated = analyzeAudio({ sampleRate: rate, channels: [left, right] }, ['L', 'R'], { spectrum: false });
  assert.ok(Math.abs(uncorrelated.correlation!) < 0.02, `${uncorrelated.correlation}`);
  assert.ok(Math.abs(uncorrelated.monoLossDb! - 3.01) < 0.1, `${uncorrelated.monoLossDb}`);
  assert.ok(Math.abs(uncorrelated.headSilenceSeconds - 0.5) < 0.001, `${uncorrelated.headSilenceSeconds}`);
  assert.ok(Math.abs(uncorrelated.tailSilenceSeconds - 0.25) < 0.001, `${uncorrelated.tailSilenceSeconds}`);

  const inverted = Float32Array.from(left, (v) => -v);
  const antiPhase = analyzeAudio({ sampleRate: rate, channels: [left, inverted] }, ['L', 'R'], { spectrum: false });
  assert.ok(Math.abs(antiPhase.correlation! + 1) < 1e-9);
  assert.equal(antiPhase.monoLossDb, null); // the mono sum is silent: the loss is unbounded

  const offset = Float32Array.from(left, (v) => v + 0.01);
  const dc = analyzeAudio({ sampleRate: rate, channels: [offset, left] }, ['L', 'R'], { spectrum: false });
  assert.ok(Math.abs(dc.dcOffset - 0.01 - dc.perChannel[1].dcOffset) < 1e-6, `${dc.dcOffset}`);
  assert.equal(dc.perChannel[0].dcOffset, dc.dcOffset);
});
