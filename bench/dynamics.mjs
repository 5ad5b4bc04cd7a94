// Dynamics processors on 3 minutes of stereo 44.1 kHz programme-like noise (level swinging between
// -36 and 0 dBFS at 0.5 Hz, so detectors spend time both below and above threshold). Prints the
// median and the best of the runs: on a shared machine the best is the closer to the code's speed.
// Run: node --import tsx bench/dynamics.mjs
import { Compressor } from '../src/engine/dsp/dynamics/compressor.ts';
import { Gate } from '../src/engine/dsp/dynamics/gate.ts';
import { TransientShaper } from '../src/engine/dsp/dynamics/transient-shaper.ts';
import { DeEsser } from '../src/engine/dsp/dynamics/de-esser.ts';
import { MultibandCompressor } from '../src/engine/dsp/dynamics/multiband-compressor.ts';

const RATE = 44100;
const FRAMES = RATE * 180;
const BLOCK = 1024; // frames per process() call, as a host or the mix graph would deliver them
const RUNS = 5;

// Deterministic noise (xorshift32), uniform in [-1, 1), times the swinging level.
let seed = 0x9e3779b9;
const random = () => {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 31 - 1;
};
const source = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
for (let i = 0; i < FRAMES; i++) {
  const level = 10 ** ((-18 + 18 * Math.sin((2 * Math.PI * 0.5 * i) / RATE)) / 20);
  source[0][i] = level * random();
  source[1][i] = level * random();
}
const work = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
// Block views made once, outside the timing (a graph reuses its buffers too).
const blocks = [];
for (let i = 0; i < FRAMES; i += BLOCK) blocks.push([i, Math.min(BLOCK, FRAMES - i), work.map((ch) => ch.subarray(i, i + BLOCK))]);

function time(make) {
  const times = [];
  for (let r = 0; r < RUNS; r++) {
    work[0].set(source[0]);
    work[1].set(source[1]);
    const processor = make();
    const t0 = performance.now();
    for (const [, n, views] of blocks) processor.process(views, n);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[RUNS >> 1], best: times[0] };
}

const rows = [
  ['compressor (peak, linked, soft knee)', () => new Compressor(RATE, 2, { thresholdDb: -20, ratio: 4 })],
  ['compressor (rms, auto release)', () => new Compressor(RATE, 2, { thresholdDb: -20, ratio: 4, detector: 'rms', autoRelease: true })],
  ['compressor (link 0.5, sidechain HPF)', () => new Compressor(RATE, 2, { thresholdDb: -20, ratio: 4, stereoLink: 0.5, sidechainHpfHz: 100 })],
  ['compressor (5 ms look-ahead)', () => new Compressor(RATE, 2, { thresholdDb: -20, ratio: 4, lookaheadSeconds: 0.005 })],
  ['gate', () => new Gate(RATE, 2, { openThresholdDb: -20, closeThresholdDb: -26, rangeDb: 40 })],
  ['transient shaper (+6/-3 dB)', () => new TransientShaper(RATE, 2, { attackDb: 6, sustainDb: -3 })],
  ['de-esser', () => new DeEsser(RATE, 2, { thresholdDb: -30 })],
  ['multiband compressor (2 bands, kernel)', () => new MultibandCompressor(RATE, 2, { frequenciesHz: [150], lookaheadSeconds: 0.003, bands: [{ thresholdDb: -24, ratio: 2 }, { thresholdDb: -24, ratio: 1.5 }] })],
  ['multiband compressor (4 bands)', () => new MultibandCompressor(RATE, 2, { frequenciesHz: [120, 1000, 6000], bands: [0, 1, 2, 3].map(() => ({ thresholdDb: -24, ratio: 3 })) })],
];
const samples = 2 * FRAMES;
console.log(`${(samples / 1e6).toFixed(1)} M samples (3 min stereo 44.1 kHz), blocks of ${BLOCK}, ${RUNS} runs`);
console.log(`${'processor'.padEnd(38)} ${'median'.padStart(9)} ${'best'.padStart(9)}   M samples/s (median, best)`);
for (const [label, make] of rows) {
  const { median, best } = time(make);
  const rate = (ms) => (samples / (ms / 1000) / 1e6).toFixed(1).padStart(6);
  console.log(`${label.padEnd(38)} ${median.toFixed(0).padStart(6)} ms ${best.toFixed(0).padStart(6)} ms   ${rate(median)} ${rate(best)}`);
}
