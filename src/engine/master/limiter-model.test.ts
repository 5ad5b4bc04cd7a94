import { assert, test } from '../../../test/support/node-test.js';
import { LoudnessMeter } from '../analysis/loudness-meter.js';
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
    return stats.slots;
  };
  const js = fill(new LimiterModelStats(sampleRate, 2, { wasm: false }), 4096);
  for (const block of [4096, 1000, 70000]) {
    const wasm = fill(new LimiterModelStats(sampleRate, 2), block);
    assert.equal(wasm.count, js.count);
    assert.equal(wasm.count, Math.floor(n / js.slotFrames));
    let worst = 0;
    for (let k = 0; k < js.count; k++) {
      worst = Math.max(worst, Math.abs(wasm.energies[k] - js.energies[k]) / Math.max(js.energies[k], 1e-30));
      assert.equal(wasm.peaks[k], js.peaks[k], `slot ${k}`);
    }
    assert.ok(worst < 1e-12, `blocks of ${block}: relative energy difference ${worst}`);
  }
});
