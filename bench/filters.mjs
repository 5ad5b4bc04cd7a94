// Filter and convolution processors on 3 minutes of stereo 44.1 kHz noise in 1024-frame blocks:
// samples per second (both channels counted) and times real time, median of several runs. Prints,
// never asserts. Run: node --import tsx bench/filters.mjs [--quick]   (--quick: 30 s of audio, 1 run)
import { Biquad } from '../src/engine/dsp/filters/biquad.ts';
import { Equalizer } from '../src/engine/dsp/filters/equalizer.ts';
import { ButterworthFilter } from '../src/engine/dsp/filters/butterworth.ts';
import { Crossover } from '../src/engine/dsp/filters/crossover.ts';
import { Tilt } from '../src/engine/dsp/filters/tilt.ts';
import { DynamicEq } from '../src/engine/dsp/filters/dynamic-eq.ts';
import { LinearPhaseEq } from '../src/engine/dsp/filters/linear-phase-eq.ts';
import { PartitionedConvolver } from '../src/engine/dsp/convolution/partitioned-convolver.ts';
import { ConvolutionReverb } from '../src/engine/dsp/space/convolution-reverb.ts';

const quick = process.argv.includes('--quick');
const RATE = 44100;
const FRAMES = RATE * (quick ? 30 : 180);
const BLOCK = 1024;

let seed = 0x9e3779b9;
const random = () => {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 31 - 1;
};
const source = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
for (let i = 0; i < FRAMES; i++) for (const ch of source) ch[i] = 0.25 * random();
const work = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
// Block views made once, outside the timed loops.
const blocks = [];
for (let i = 0; i < FRAMES; i += BLOCK) blocks.push([work[0].subarray(i, i + BLOCK), work[1].subarray(i, i + BLOCK)]);

function time(name, make, runs, run = (p, views) => p.process(views, views[0].length)) {
  const times = [];
  for (let r = 0; r < (quick ? 1 : runs); r++) {
    work[0].set(source[0]); work[1].set(source[1]);
    const processor = make();
    const t0 = performance.now();
    for (const views of blocks) run(processor, views);
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  const seconds = times[Math.floor(times.length / 2)];
  const perSecond = (2 * FRAMES) / seconds;
  console.log(`${name.padEnd(48)} ${(perSecond / 1e6).toFixed(1).padStart(7)} M samples/s  ${(FRAMES / RATE / seconds).toFixed(0).padStart(6)}x real time`);
}

console.log(`${FRAMES / RATE} s of stereo ${RATE} Hz in ${BLOCK}-frame blocks (${2 * FRAMES / 1e6} M samples)`);
time('Biquad peaking (static, stereo loop)', () => new Biquad(RATE, 2, { type: 'peaking', frequencyHz: 1000, q: 1, gainDb: 3 }), 7);
time('Biquad peaking, frequency swept every block', () => new Biquad(RATE, 2, { type: 'peaking', frequencyHz: 1000, q: 1, gainDb: 3 }), 5,
  (p, views) => { p.set({ frequencyHz: p.params.frequencyHz === 1000 ? 1100 : 1000 }); p.process(views, views[0].length); });
const strip = [
  { type: 'highPass', frequencyHz: 80, q: Math.SQRT1_2 }, { type: 'lowShelf', frequencyHz: 120, q: 0.7, gainDb: 2 },
  { type: 'peaking', frequencyHz: 400, q: 1.2, gainDb: -3 }, { type: 'peaking', frequencyHz: 3000, q: 1, gainDb: 2 },
  { type: 'highShelf', frequencyHz: 10000, q: 0.7, gainDb: 1.5 },
];
time('5 Biquads in a row (HPF + 4 EQ bands)', () => {
  const biquads = strip.map((band) => new Biquad(RATE, 2, band));
  return { process: (views, n) => { for (const b of biquads) b.process(views, n); } };
}, 5);
time('Equalizer, the same 5 bands (kernel, bit-identical)', () => new Equalizer(RATE, 2, { bands: strip }), 5);
time('ButterworthFilter LP order 8', () => new ButterworthFilter(RATE, 2, { type: 'lowPass', frequencyHz: 8000, order: 8 }), 5);
time('Tilt +3 dB at 1 kHz', () => new Tilt(RATE, 2, { frequencyHz: 1000, gainDb: 3 }), 5);
const bands = Array.from({ length: 4 }, () => [new Float32Array(BLOCK), new Float32Array(BLOCK)]);
time('Crossover LR4, 4 bands (split only)', () => new Crossover(RATE, 2, { frequenciesHz: [120, 1000, 6000] }), 5,
  (p, views) => p.split(views, views[0].length, bands));
time('DynamicEq bell, active', () => new DynamicEq(RATE, 2, { frequencyHz: 3000, thresholdDb: -30, rangeDb: -6 }), 5);
const points = [{ frequencyHz: 20, gainDb: 0 }, { frequencyHz: 100, gainDb: 3 }, { frequencyHz: 1000, gainDb: -1 }, { frequencyHz: 10000, gainDb: 2 }];
const eq = new LinearPhaseEq(RATE, 2, { points });
time(`LinearPhaseEq (${eq.taps} taps, latency ${eq.latency})`, () => new LinearPhaseEq(RATE, 2, { points }), 3);
const ir = Array.from({ length: 2 }, () => Float32Array.from({ length: 2 * RATE }, (_, i) => random() * Math.exp((-6.9 * i) / (2 * RATE))));
time('PartitionedConvolver 2 s IR, uniform 1024', () => new PartitionedConvolver(RATE, 2, { impulseResponses: ir, partitionFrames: 1024 }), 3);
time('PartitionedConvolver 2 s IR, 256 + 8192 tail', () => new PartitionedConvolver(RATE, 2, { impulseResponses: ir, partitionFrames: 256, tailPartitionFrames: 8192 }), 3);
time('ConvolutionReverb 2 s (IR built outside timing)', () => new ConvolutionReverb(RATE, 2, { decaySeconds: 2, mix: 0.3 }), 3);
time('ConvolutionReverb 5 s', () => new ConvolutionReverb(RATE, 2, { decaySeconds: 5, mix: 0.3 }), 3);
