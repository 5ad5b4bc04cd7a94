// Focused timing of the FFT convolution processors on 3 min stereo 44.1 kHz (4096-frame blocks,
// warm, median of runs). Usage: node --import tsx bench/convolution.mjs [--runs 3]
import * as engine from '../src/engine/index.ts';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const rate = 44100, frames = rate * 180, block = 4096;
const source = [0, 1].map((c) => Float32Array.from({ length: frames }, (_, i) => 0.3 * Math.sin(i * (0.01 + 0.02 * c)) + 0.1 * Math.sin(i * i * 1e-7)));
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
function time(name, make) {
  const times = [];
  for (let r = 0; r < runs + 1; r++) {
    const p = make();
    const buffer = source.map((c) => Float32Array.from(c));
    const start = performance.now();
    for (let o = 0; o < frames; o += block) { const n = Math.min(block, frames - o); p.process(buffer.map((c) => c.subarray(o, o + n)), n); }
    if (r > 0) times.push((performance.now() - start) / 1000);
  }
  console.log(`${name.padEnd(44)} ${median(times).toFixed(3)} s`);
}
time('convolution reverb (1.2 s IR)', () => new engine.ConvolutionReverb(rate, 2, { decaySeconds: 1.2, mix: 0.3 }));
time('linear-phase EQ (default taps)', () => new engine.LinearPhaseEq(rate, 2, { points: [{ frequencyHz: 100, gainDb: 3 }, { frequencyHz: 5000, gainDb: -2 }] }));
const ir = engine.generateReverbImpulse(rate, 2, { decaySeconds: 2, preDelaySeconds: 0.01, damping: 0.5 });
time('convolver 2 s IR, default partition', () => new engine.PartitionedConvolver(rate, 2, { impulseResponses: ir }));
