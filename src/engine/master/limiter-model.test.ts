import { assert, test } from '../../../test/support/node-test.js';
import { gatedLoudness, LoudnessMeter, powerToLufs } from '../analysis/loudness-meter.js';
import { FAST_RELEASE_RATIO } from '../dsp/dynamics/limiter-release.js';
import { Limiter } from '../dsp/dynamics/limiter.js';
import { LimiterModelStats, predictLimitedLufs, solveDriveDb } from './limiter-model.js';

/** 20 s of a drum-and-bass-like stereo signal: kicks every 0.5 s, a bass line, noise hats. */
function song(sampleRate: number): Float32Array[] {
  const n = sampleRate * 20;
  const l = new Float32Array(n), r = new Float32Array(n);
  let seed = 3;
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate, beat = t % 0.5;
    const kick = 0.6 * Math.sin(2 * Math.PI * 55 * beat) * Math.exp(-beat * 10);
    const bass = 0.2 * Math.sin(2 * Math.PI * (t % 4 < 2 ? 55 : 73.4) * t);
    const hat = 0.06 * rnd() * Math.exp(-((t + 0.25) % 0.5) * 40);
    l[i] = kick + bass + hat;
    r[i] = kick + bass - hat;
  }
  return [l, r];
}

test('the limiter model predicts the real limiter\'s loudness within 0.3 LU from no limiting to 12 dB of drive', () => {
  const sampleRate = 44100;
  const input = song(sampleRate);
  const n = input[0].length;
  const stats = new LimiterModelStats(sampleRate, 2);
  for (let i = 0; i < n; i += 4096) stats.push(input.map((c) => c.subarray(i, Math.min(n, i + 4096))), Math.min(4096, n - i));
  const shape = { ceilingDb: -1, releaseSeconds: 0.15, holdSeconds: 0.015, lookaheadSeconds: 0.005 };
  for (const driveDb of [-6, 0, 6, 12]) {
    const limiter = new Limiter(sampleRate, 2, { ...shape, ceilingDb: -1, inputGainDb: driveDb, adaptiveRelease: true });
    const out = input.map((c) => c.slice());
    limiter.process(out, n);
    const meter = new LoudnessMeter({ sampleRate, channelLayout: ['L', 'R'] });
    meter.push(out, n);
    const real = meter.integratedLufs(), model = predictLimitedLufs(stats, driveDb, shape);
    assert.ok(Math.abs(real - model) < 0.3, `drive ${driveDb}: real ${real.toFixed(2)}, model ${model.toFixed(2)}`);
  }
  // Solving the model for a loudness inverts it.
  const drive = solveDriveDb(stats, -10, shape);
  assert.ok(Math.abs(predictLimitedLufs(stats, drive, shape) - -10) < 0.01);
});

test('the model\'s stereo slots through the wasm K-weighting match the JS path (energies within 1e-12, peaks exact), any block size', () => {
  const sampleRate = 48000;
  const input = song(sampleRate);
  const n = input[0].length;
  const fill = (stats: LimiterModelStats, block: number) => {
    for (let i = 0; i < n; i += block) stats.push(input.map((c) => c.subarray(i, Math.min(n, i + block))), Math.min(block, n - i));
    return stats;
  };
  const js = fill(new LimiterModelStats(sampleRate, 2, { wasm: false }), 4096);
  for (const block of [4096, 1000, 70000]) {
    const wasm = fill(new LimiterModelStats(sampleRate, 2), block);
    assert.equal(wasm.count, js.count);
    assert.equal(wasm.count, Math.floor(n / js.slotFrames));
    let worst = 0;
    for (let k = 0; k < js.count; k++) {
      worst = Math.max(worst, Math.abs(wasm.energyAt(k) - js.energyAt(k)) / Math.max(js.energyAt(k), 1e-30));
      assert.equal(wasm.peakAt(k), js.peakAt(k), `slot ${k}`);
    }
    assert.ok(worst < 1e-12, `blocks of ${block}: relative energy difference ${worst}`);
  }
});

/** The model's prediction written plainly over whole per-slot arrays (as versions before the paged store did). */
function referencePrediction(stats: LimiterModelStats, driveDb: number, shape: { ceilingDb: number; releaseSeconds: number; holdSeconds: number; lookaheadSeconds: number }): number {
  const { count, slotFrames, sampleRate } = stats;
  const slotSeconds = slotFrames / sampleRate, drive = 10 ** (driveDb / 20), ceiling = 10 ** (shape.ceilingDb / 20);
  const ahead = Math.max(1, Math.round(shape.lookaheadSeconds / slotSeconds)), hold = Math.max(0, Math.round(shape.holdSeconds / slotSeconds));
  const slow = 1 - Math.exp(-slotSeconds / shape.releaseSeconds), fast = 1 - Math.exp(-slotSeconds / (shape.releaseSeconds * FAST_RELEASE_RATIO));
  const need = new Float32Array(count), gains = new Float32Array(count);
  for (let b = 0; b < count; b++) { const peak = stats.peakAt(b) * drive * 10 ** (0.1 / 20); need[b] = peak > ceiling ? ceiling / peak : 1; }
  let sustained = 0, reduction = 0, holdLeft = 0;
  for (let b = 0; b < count; b++) {
    let wanted = 1;
    for (let k = b; k <= Math.min(count - 1, b + ahead); k++) wanted = Math.min(wanted, need[k]);
    const target = 1 - wanted;
    sustained += (target - sustained) * slow;
    if (target > 0 && target >= reduction) { reduction = target; holdLeft = hold; } else if (holdLeft > 0) { holdLeft--; reduction = Math.max(reduction, target); } else {
      const floor = Math.min(sustained, reduction);
      reduction = Math.max(target, floor + (reduction - floor) * (1 - fast));
    }
    gains[b] = (1 - reduction) ** 2;
  }
  const energy = (from: number, to: number) => { let sum = 0; for (let b = from; b < to; b++) sum += stats.energyAt(b) * drive * drive * gains[b]; return sum; };
  const perBlock = Math.round(0.4 / slotSeconds), hop = Math.round(0.1 / slotSeconds);
  if (count < perBlock) return powerToLufs(energy(0, count) / (count * slotFrames));
  const blocks = new Float64Array(Math.floor((count - perBlock) / hop) + 1).map((_, k) => energy(k * hop, k * hop + perBlock) / (perBlock * slotFrames));
  return gatedLoudness(blocks, -10).loudness;
}

test('the streaming prediction over paged slots equals the plain whole-array computation exactly, across pages, odd slot sizes and short inputs', () => {
  const shape = { ceilingDb: -1, releaseSeconds: 0.15, holdSeconds: 0.015, lookaheadSeconds: 0.005 };
  // 8 kHz: 20-frame slots, 170 s = 68000 slots (past the first 65536-slot page); 11025 Hz: 28-frame slots, where
  // a 400 ms block (158 slots) is not a whole number of 100 ms hops (39 slots); 0.3 s: fewer slots than one block.
  for (const [sampleRate, seconds] of [[8000, 170], [11025, 30], [44100, 0.3]]) {
    const n = Math.round(sampleRate * seconds);
    const l = new Float32Array(n), r = new Float32Array(n);
    let seed = 7;
    for (let i = 0; i < n; i++) {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      const t = i / sampleRate, swell = 0.15 + 0.85 * Math.abs(Math.sin(0.9 * t));
      l[i] = swell * 0.7 * Math.sin(2 * Math.PI * 97 * t) + 0.1 * (seed / 2 ** 32 - 0.5);
      r[i] = 0.8 * l[i];
    }
    const stats = new LimiterModelStats(sampleRate, 2);
    for (let i = 0; i < n; i += 3000) stats.push([l.subarray(i, i + 3000), r.subarray(i, i + 3000)], Math.min(3000, n - i));
    assert.equal(stats.count, Math.floor(n / stats.slotFrames));
    for (const driveDb of [-3, 4, 9.5, 15]) {
      const streamed = predictLimitedLufs(stats, driveDb, shape), plain = referencePrediction(stats, driveDb, shape);
      assert.ok(Number.isFinite(plain));
      assert.equal(streamed, plain, `${sampleRate} Hz, ${seconds} s, drive ${driveDb} dB`);
    }
  }
});
