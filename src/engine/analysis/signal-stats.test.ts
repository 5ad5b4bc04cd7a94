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

test('the WebAssembly kernel path matches the JS path: peaks, clips and silence exactly, sums to ~1e-15', () => {
  let seed = 99;
  const noise = () => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed / 2 ** 32 - 0.5; };
  for (const channelCount of [1, 2, 3]) {
    const frames = 50_003;
    const channels = Array.from({ length: channelCount }, (_, c) => {
      const x = new Float32Array(frames);
      for (let i = 3000 + c; i < frames - 2000; i++) x[i] = 0.6 * Math.sin(i / (13 + c)) + 0.3 * noise() + 0.01 * c;
      x.fill(1, 20_000, 20_004); // a clipped run
      x[30_000 + c] = -0.999; // the peak, not a clip
      return x;
    });
    const js = new SignalStats(channelCount, { wasm: false }), kernel = new SignalStats(channelCount);
    for (const [stats, sizes] of [[js, [4096]], [kernel, [1, 3, 4, 5, 16_384, 16_385, 7]]] as const) {
      for (let at = 0, k = 0; at < frames; k++) {
        const n = Math.min(sizes[k % sizes.length], frames - at);
        stats.push(channels.map((x) => x.subarray(at, at + n)), n);
        at += n;
      }
    }
    const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-13 * Math.max(1, Math.abs(b)), `${channelCount} ch ${what}: ${a} vs ${b}`);
    for (let c = 0; c < channelCount; c++) {
      assert.equal(kernel.peaks[c], js.peaks[c]);
      assert.equal(kernel.clippedRuns[c], js.clippedRuns[c]);
      assert.equal(kernel.clippedSamples[c], js.clippedSamples[c]);
      close(kernel.sumSquares[c], js.sumSquares[c], `squares ${c}`);
      close(kernel.sums[c], js.sums[c], `sum ${c}`);
    }
    if (channelCount >= 2) close(kernel.crossSum, js.crossSum, 'cross');
    assert.equal(kernel.firstSoundFrame, js.firstSoundFrame);
    assert.equal(kernel.lastSoundFrame, js.lastSoundFrame);
    assert.equal(kernel.frames, js.frames);
    assert.equal(js.clippedRuns[0], 1);
  }
  // NaN: ignored by the peak, carried by the sums, on both paths.
  const x = Float32Array.from([0.1, Number.NaN, -0.4, 0.2, 0.3]);
  const a = new SignalStats(1, { wasm: false }), b = new SignalStats(1);
  a.push([x], 5); b.push([x], 5);
  assert.equal(b.peaks[0], a.peaks[0]);
  assert.ok(Number.isNaN(a.sumSquares[0]) && Number.isNaN(b.sumSquares[0]));
});
