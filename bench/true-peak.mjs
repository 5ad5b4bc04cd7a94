// True-peak timing, JS vs WebAssembly SIMD, on 3 minutes of stereo 44.1 kHz white noise (median of 5).
// Run: node --import tsx bench/true-peak.mjs
import { TruePeakMeter, interpolatedPeak } from '../src/engine/analysis/true-peak.ts';
import { createTruePeakKernel } from '../src/engine/analysis/true-peak-kernel.ts';

const RATE = 44100;
const FRAMES = RATE * 180;
const BLOCK = 4096; // frames per push, as a streaming decoder would deliver them
const RUNS = 5;

// Deterministic noise (xorshift32), uniform in [-1, 1).
let seed = 0x9e3779b9;
const random = () => {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 31 - 1;
};
const channels = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
for (const ch of channels) for (let i = 0; i < FRAMES; i++) ch[i] = random() * 0.9;

const kernel = createTruePeakKernel();
if (!kernel) throw new Error('WebAssembly SIMD unavailable');

function median(fn) {
  const times = [];
  let result;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[RUNS >> 1], result };
}

const history = new Float32Array(11);
const raw = (peakOf) => () => Math.max(...channels.map((ch) => peakOf(ch)));
const meter = (wasm) => () => {
  const m = new TruePeakMeter(2, { wasm });
  for (let i = 0; i < FRAMES; i += BLOCK) {
    const n = Math.min(BLOCK, FRAMES - i);
    m.push(channels.map((ch) => ch.subarray(i, i + n)), n);
  }
  return m.maxPeak();
};

const rows = [
  ['interpolation only, JS', raw((ch) => interpolatedPeak(ch, 0, ch.length, history, 0))],
  ['interpolation only, wasm', raw((ch) => kernel.peak(ch, 0, ch.length, history))],
  ['TruePeakMeter, JS', meter(false)],
  ['TruePeakMeter, wasm', meter(true)],
];
console.log(`${(2 * FRAMES / 1e6).toFixed(1)} M samples (3 min stereo 44.1 kHz noise), median of ${RUNS}`);
for (const [label, fn] of rows) {
  const { ms, result } = median(fn);
  console.log(`${label.padEnd(28)} ${ms.toFixed(1).padStart(7)} ms   peak ${result.toFixed(7)}`);
}
