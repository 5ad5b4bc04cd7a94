// Benchmark: each processor's throughput on 3 minutes of stereo 44.1 kHz against the nearest ffmpeg
// filter doing the same work on the same material, measured in the same run. ffmpeg's filter time is
// (CPU time of `-af FILTER`) − (CPU time of `-af anull`), whole process (`-benchmark` utime + stime),
// median of the runs; ours is in-process,
// warm, median of the runs; ours and ffmpeg's runs alternate, so a busy machine slows both alike.
// Ratio = our time / ffmpeg's filter time (goal ≤ 1.0).
// Usage: npm run build && node bench/processors.mjs [--runs 3] [--only NAME,NAME] [--engine PATH/engine.js] [--baseline PATH/engine.js]
// (--engine: another build of the engine bundle, e.g. to compare two versions without touching dist/.)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeStereoWav } from './song.mjs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const option = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const enginePath = option('--engine');
// The shipped bundle (build first: npm run build), or the one named by --engine.
const engine = await import(enginePath ? pathToFileURL(enginePath).href : '../dist/engine.js');
const only = option('--only');
// --baseline PATH/engine.js: another build timed in the same runs (before/after comparisons).
const baselinePath = option('--baseline');
const engines = [engine, ...(baselinePath ? [await import(pathToFileURL(baselinePath).href)] : [])];

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'bench/.work');
mkdirSync(work, { recursive: true });
const runs = Number(option('--runs')) || 3;
const rate = 44100;
const frames = rate * 180;
const block = 4096;

// Music-like material: harmonic notes, noise, a kick; written as 32-bit float WAV for ffmpeg.
const source = [0, 1].map((c) => {
  let seed = 7 + c;
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    const t = i / rate;
    const beat = t % 0.5;
    out[i] = 0.3 * Math.sin(2 * Math.PI * (110 + 55 * c) * t) + 0.1 * Math.sin(2 * Math.PI * 1760 * t)
      + 0.08 * (seed / 4294967296 - 0.5) + 0.4 * Math.sin(2 * Math.PI * 55 * beat) * Math.exp(-beat * 12);
  }
  return out;
});
const wav = join(work, 'processors-source.wav');
if (!existsSync(wav)) {
  const data = new Float32Array(frames * 2);
  for (let i = 0; i < frames; i++) { data[2 * i] = source[0][i]; data[2 * i + 1] = source[1][i]; }
  writeStereoWav(wav, rate, data);
}
const impulse = join(work, 'processors-ir-2s.wav');
if (!existsSync(impulse)) {
  const ir = engine.generateReverbImpulse(rate, 2, { decaySeconds: 1.2, preDelaySeconds: 0.01, damping: 0.5 });
  const n = ir[0].length;
  const data = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) { data[2 * i] = ir[0][i]; data[2 * i + 1] = ir[1][i]; }
  writeStereoWav(impulse, rate, data);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
/**
 * ffmpeg's CPU time (user + system, from -benchmark) for one run: steadier than wall time on a busy
 * machine, and the same thing ours measures (one thread doing the work).
 */
function ffmpegSeconds(args) {
  const result = spawnSync('ffmpeg', ['-nostats', '-hide_banner', '-benchmark', ...args, '-f', 'null', '-'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${result.stderr}`);
  const bench = /bench: utime=([\d.]+)s stime=([\d.]+)s/.exec(result.stderr);
  if (!bench) throw new Error(`ffmpeg ${args.join(' ')}: no -benchmark line`);
  return Number(bench[1]) + Number(bench[2]);
}
/**
 * ffmpeg's time for one filter. One run of a filter on 3 minutes takes 0.05-0.5 s, less than the
 * run-to-run noise of the whole-process time on a busy machine, so the filter runs `copies` times in a
 * row (each copy on the previous one's output; these filters' cost does not depend on the signal) and
 * the chain's time, minus that of the same command without the filter, is divided by `copies`.
 * `pre`: a filter put before each copy (e.g. the limiter's drive), counted in the baseline, not the filter.
 * `impulse`: the filter takes the impulse response file as a second input (afir), split to every copy.
 * sample() runs the baseline and the chain once each; result() = (median − median of CPU time) / copies.
 */
function ffmpegFilterSeconds(filter, { copies = 8, pre = null, impulse = null } = {}) {
  const repeat = (part) => Array.from({ length: copies }, () => part).join(',');
  const inputs = ['-i', wav, ...(impulse ? ['-i', impulse] : [])];
  let baseArgs, chainArgs;
  if (impulse) {
    const labels = Array.from({ length: copies }, (_, k) => `[ir${k}]`);
    const chain = labels.map((ir, k) => {
      const from = k === 0 ? '[0:a]' : `[a${k}]`, to = k === copies - 1 ? '' : `[a${k + 1}]`;
      return pre ? `${from}${pre}[p${k}];[p${k}]${ir}${filter}${to}` : `${from}${ir}${filter}${to}`;
    });
    chainArgs = [...inputs, '-filter_complex', `[1:a]asplit=${copies}${labels.join('')};${chain.join(';')}`];
    baseArgs = [...inputs, '-filter_complex', pre ? `[0:a]${repeat(pre)}` : '[0:a]anull'];
  } else {
    chainArgs = [...inputs, '-af', repeat(pre ? `${pre},${filter}` : filter)];
    baseArgs = [...inputs, '-af', pre ? repeat(pre) : 'anull'];
  }
  const withFilter = [];
  const baseline = [];
  return {
    sample() {
      baseline.push(ffmpegSeconds(baseArgs));
      withFilter.push(ffmpegSeconds(chainArgs));
    },
    result: () => Math.max(1e-3, (median(withFilter) - median(baseline)) / copies),
  };
}
/**
 * Our processing time for the whole signal in 4096-frame blocks (copies the source first, not timed),
 * for each engine (the one under test, then --baseline's if given): one run per engine per sample()
 * (after a first untimed run that warms the JIT). result(): one median per engine.
 */
function oursSeconds(make, run = (p, blockChannels, n) => p.process(blockChannels, n)) {
  const times = engines.map(() => []);
  const once = (timed) => engines.forEach((e, k) => {
    const processor = make(e);
    const buffer = source.map((c) => Float32Array.from(c));
    const start = performance.now();
    for (let offset = 0; offset < frames; offset += block) {
      const n = Math.min(block, frames - offset);
      run(processor, buffer.map((c) => c.subarray(offset, offset + n)), n);
    }
    if (timed) times[k].push((performance.now() - start) / 1000);
  });
  once(false);
  return { sample: () => once(true), result: () => times.map(median) };
}

const rows = [];
/**
 * One row: `ours` and `peer` make samplers (so that rows skipped by --only cost nothing); their runs
 * alternate (ours, the peer, ours, …) so that both see the same machine load.
 */
function compare(name, ours, peerName, peer) {
  if (only !== undefined && !only.split(',').some((part) => name.includes(part))) return;
  const oursSampler = ours();
  const peerSampler = peer === null ? null : peer();
  for (let r = 0; r < runs; r++) {
    oursSampler.sample();
    peerSampler?.sample();
  }
  const [mine, before] = oursSampler.result();
  const peerTime = peerSampler === null ? null : peerSampler.result();
  const samplesPerSecond = (frames * 2) / mine / 1e6;
  rows.push({ name, ours: mine, before, peerName, peer: peerTime });
  const ratio = (t) => (peerTime === null ? '-' : (t / peerTime).toFixed(2));
  console.log(`${name.padEnd(34)} ours ${mine.toFixed(3)} s (${samplesPerSecond.toFixed(1)} M samples/s) | ${peerName.padEnd(34)} ${peerTime === null ? '   -  ' : `${peerTime.toFixed(3)} s`} | ratio ${ratio(mine)}`
    + (before === undefined ? '' : ` | baseline ${before.toFixed(3)} s, ratio ${ratio(before)}`));
}

compare('biquad peaking 1 kHz +3 dB', () => oursSeconds((engine) => new engine.Biquad(rate, 2, { type: 'peaking', frequencyHz: 1000, q: 1, gainDb: 3 })),
  'equalizer=f=1000:t=q:w=1:g=3', () => ffmpegFilterSeconds('equalizer=f=1000:t=q:w=1:g=3'));
compare('compressor -20 dB 4:1 10/100 ms', () => oursSeconds((engine) => new engine.Compressor(rate, 2, { thresholdDb: -20, ratio: 4, attackSeconds: 0.01, releaseSeconds: 0.1 })),
  'acompressor', () => ffmpegFilterSeconds('acompressor=threshold=-20dB:ratio=4:attack=10:release=100'));
const limiterSeconds = () => oursSeconds((engine) => new engine.Limiter(rate, 2, { ceilingDb: -1, inputGainDb: 6 }));
compare('true-peak limiter -1 dBTP', limiterSeconds,
  'alimiter=limit=-1dB (sample peak)', () => ffmpegFilterSeconds('alimiter=limit=0.891:level=false', { pre: 'volume=6dB' }));
// The same row against a true-peak-style ffmpeg chain (alimiter at 4x between two soxr resamplers): the
// nearest apples-to-apples peer for an oversampled limiter; ours is measured again, beside this peer.
compare('  same, vs a 4x true-peak chain', limiterSeconds,
  'soxr 4x -> alimiter -> soxr 1x', () => ffmpegFilterSeconds('aresample=176400:resampler=soxr,alimiter=limit=0.891:level=false,aresample=44100:resampler=soxr', { pre: 'volume=6dB', copies: 2 }));
compare('saturation tanh +12 dB (oversampled)', () => oursSeconds((engine) => new engine.Saturation(rate, 2, { mode: 'tanh', driveDb: 12 })),
  'asoftclip=tanh:oversample=4', () => ffmpegFilterSeconds('asoftclip=type=tanh:oversample=4', { copies: 2 }));
// Our delay filters its feedback (one-pole high- and low-pass: each repeat darker and thinner), which
// aecho does not; the second row turns the filters off: the same work as aecho.
const delaySeconds = (filters) => () => oursSeconds((engine) => new engine.Delay(rate, 2, {
  leftDelaySeconds: 0.25, rightDelaySeconds: 0.25, feedback: 0.3, mix: 0.5, ...(filters ? {} : { highPassHz: null, lowPassHz: null }),
}));
compare('delay 250 ms, feedback 0.3, filters', delaySeconds(true), 'aecho=0.8:0.9:250:0.3', () => ffmpegFilterSeconds('aecho=0.8:0.9:250:0.3'));
compare('  same, feedback filters off', delaySeconds(false), 'aecho=0.8:0.9:250:0.3', () => ffmpegFilterSeconds('aecho=0.8:0.9:250:0.3'));
// ffmpeg has no delay with filters inside its feedback path; aecho followed by the same two one-pole filters
// (on its output, not in the loop: another sound, the same filtering per sample) is the nearest it comes.
// Its one-poles (p=1) run through its biquad code, which is why this peer is slow: read it with the rows above.
compare('  same, vs aecho + one-pole LP/HP', delaySeconds(true), 'aecho,lowpass=6000:p=1,highpass=100:p=1',
  () => ffmpegFilterSeconds('aecho=0.8:0.9:250:0.3,lowpass=f=6000:p=1,highpass=f=100:p=1'));
const reverbSeconds = () => oursSeconds((engine) => new engine.ConvolutionReverb(rate, 2, { decaySeconds: 1.2, mix: 0.3 }));
compare('convolution reverb (1.2 s IR)', reverbSeconds,
  'afir (same-length IR)', () => ffmpegFilterSeconds('afir', { impulse, copies: 2 }));
// afir's defaults run 8192-frame partitions only: 186 ms of latency, which a reverb on a live insert or
// in the studio's preview cannot have. Ours has zero latency (256-frame head partitions, 4096 in the
// tail); afir with the same partition range does the same work:
compare('  same, vs afir at our partitions', reverbSeconds,
  'afir minp=256:maxp=4096', () => ffmpegFilterSeconds('afir=minp=256:maxp=4096', { impulse, copies: 2 }));
// A round trip, 44.1 -> 48 -> 44.1 kHz, on both sides: a chain of ffmpeg resamplers must come back to
// the input rate to repeat, so ours does the same two conversions (the second on the first's output).
const srcSeconds = () => oursSeconds((engine) => {
  const up = new engine.SampleRateConverter(2, rate, 48000);
  const down = new engine.SampleRateConverter(2, 48000, rate);
  const high = [0, 1].map(() => new Float32Array(up.maxOutputFrames(block)));
  const back = [0, 1].map(() => new Float32Array(down.maxOutputFrames(up.maxOutputFrames(block))));
  return { up, down, high, back };
}, ({ up, down, high, back }, channels, n) => {
  const m = up.process(channels, n, high);
  down.process(high.map((c) => c.subarray(0, m)), m, back);
});
compare('sample-rate conversion 44.1 -> 48 -> 44.1', srcSeconds,
  'aresample=48000,aresample=44100 (soxr)', () => ffmpegFilterSeconds('aresample=48000:resampler=soxr,aresample=44100:resampler=soxr', { copies: 4 }));
// ffmpeg's soxr defaults to 20-bit precision with a 0.91 cutoff (SNR 102.5 dB at 15 kHz, 62.9 at 20 kHz
// in our tests, against ours 125.4 and 117.5); precision=28 is the nearest it comes to our quality.
compare('  same, vs soxr precision=28', srcSeconds,
  'soxr precision=28', () => ffmpegFilterSeconds('aresample=48000:resampler=soxr:precision=28,aresample=44100:resampler=soxr:precision=28', { copies: 4 }));

// The automatic mastering chain's processors, with the parameters its decisions use.
const masterCurve = [{ frequencyHz: 30, gainDb: 1 }, { frequencyHz: 100, gainDb: 2 }, { frequencyHz: 1000, gainDb: -1 }, { frequencyHz: 8000, gainDb: 1.5 }, { frequencyHz: 16000, gainDb: 0.5 }];
compare('mid/side linear-phase EQ (16k taps)', () => oursSeconds((engine) => new engine.MidSideEq(rate, 2, { midCurve: masterCurve, sideCurve: masterCurve.map((p) => ({ ...p, gainDb: -p.gainDb })) })),
  'afir (2 s IR, row above)', null);
compare('glue compressor (RMS, auto release, HPF)', () => oursSeconds((engine) => new engine.Compressor(rate, 2, {
  detector: 'rms', rmsWindowSeconds: 0.05, autoRelease: true, sidechainHpfHz: 90, kneeDb: 6, stereoLink: 1, attackSeconds: 0.02, releaseSeconds: 0.2, thresholdDb: -20, ratio: 2,
})), 'acompressor=detection=rms', () => ffmpegFilterSeconds('acompressor=threshold=-20dB:ratio=2:attack=20:release=200:knee=2:detection=rms'));
compare('de-esser (split band, 7 kHz)', () => oursSeconds((engine) => new engine.DeEsser(rate, 2, {
  frequencyHz: 7000, detector: 'bandPass', detectorQ: 1, splitHz: 5000, ratio: 3, rangeDb: 3, attackSeconds: 0.001, releaseSeconds: 0.06, stereoLink: 1, thresholdDb: -30,
})), 'deesser', () => ffmpegFilterSeconds('deesser'));
compare('multiband compressor (split 150 Hz)', () => oursSeconds((engine) => new engine.MultibandCompressor(rate, 2, { frequenciesHz: [150], lookaheadSeconds: 0.003, bands: [{ ratio: 2 }, { ratio: 1.5 }] })),
  'mcompand (2 bands, split 150 Hz)', () => ffmpegFilterSeconds('mcompand=0.005\\,0.1 6 -47/-40\\,-34/-34\\,-17/-33 150\\ 0.003\\,0.05 6 -47/-40\\,-34/-34\\,-15/-33 20000', { copies: 3 }));
compare('transient shaper (+3 / -1 dB)', () => oursSeconds((engine) => new engine.TransientShaper(rate, 2, { attackDb: 3, sustainDb: -1 })), '-', null);
compare('saturation tube 4 dB, mix 0.3', () => oursSeconds((engine) => new engine.Saturation(rate, 2, { mode: 'tube', driveDb: 4, mix: 0.3 })),
  'asoftclip=tanh:oversample=4', () => ffmpegFilterSeconds('asoftclip=type=tanh:oversample=4', { copies: 2 }));
compare('tape (15 ips)', () => oursSeconds((engine) => new engine.Tape(rate, 2, {})), '-', null);

// A typical mix channel strip: HPF, 4-band EQ, compressor, de-esser, two sends (post-fader copies).
// The HPF and the four EQ bands are one Equalizer (five RBJ biquads in a row, bit-identical to five
// Biquad processors one after the other; the baseline, if any, runs those). First as separate
// processors with the sends as JS loops, then as one HeapChain: the same processors sharing one
// WebAssembly heap (the block copied in and out once for the whole strip) with the sends added in the
// heap. Both give the same samples, bit for bit (sends included).
const stripBands = [
  { type: 'highPass', frequencyHz: 80, q: Math.SQRT1_2 }, { type: 'lowShelf', frequencyHz: 120, q: 0.7, gainDb: 2 },
  { type: 'peaking', frequencyHz: 400, q: 1.2, gainDb: -3 }, { type: 'peaking', frequencyHz: 3000, q: 1, gainDb: 2 },
  { type: 'highShelf', frequencyHz: 10000, q: 0.7, gainDb: 1.5 },
];
const stripCompressor = { thresholdDb: -18, ratio: 3, attackSeconds: 0.005, releaseSeconds: 0.08 };
/** The strip as separate processors (a process() that runs them and the sends as JS loops). */
function separateStrip(engine) {
  const eq = engine.Equalizer ? [new engine.Equalizer(rate, 2, { bands: stripBands })] : stripBands.map((band) => new engine.Biquad(rate, 2, band));
  const chain = [...eq, new engine.Compressor(rate, 2, stripCompressor), new engine.DeEsser(rate, 2, {})];
  const sends = [0, 1].map(() => [new Float32Array(block), new Float32Array(block)]);
  return {
    process(channels, n) {
      for (const p of chain) p.process(channels, n);
      // Both sends in one pass over each channel.
      for (let c = 0; c < 2; c++) {
        const x = channels[c], a = sends[0][c], b = sends[1][c];
        for (let i = 0; i < n; i++) { const v = x[i]; a[i] += 0.3 * v; b[i] += 0.1 * v; }
      }
    },
  };
}
compare('channel strip (HPF, 4 EQ, comp, de-ess, 2 sends)', () => oursSeconds(separateStrip), 'goal: <= 0.3 s for 3 min stereo', null);
// (An engine without HeapChain, e.g. an older --baseline, runs the separate processors here too.)
compare('  same, as one HeapChain', () => oursSeconds((engine) => (engine.HeapChain
  ? new engine.HeapChain(rate, [
    (heap) => new engine.Equalizer(rate, 2, { bands: stripBands }, heap),
    (heap) => new engine.Compressor(rate, 2, stripCompressor, heap),
    (heap) => new engine.DeEsser(rate, 2, {}, heap),
  ], { sendLevels: [0.3, 0.1] })
  : separateStrip(engine))), 'goal: <= 0.3 s for 3 min stereo', null);
