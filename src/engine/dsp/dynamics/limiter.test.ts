import { assert, existsSync, readFileSync, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { interpolatedPeak, TruePeakMeter } from '../../analysis/true-peak.js';
import { createTruePeakKernel } from '../../analysis/true-peak-kernel.js';
import { openAudio } from '../../../io/decode.js';
import { Fft } from '../fft.js';
import { besselI0, kaiserWindow, sinc } from '../resample/kaiser.js';
import { bs1770WindowPeaks, bs1770WindowPeaksF32 } from './limiter-bs1770.js';
import { LIMITER_DETECTOR_KERNEL_WASM_BASE64 } from './limiter-detector-kernel.wasm.js';
import { instantiateKernel } from '../../wasm.js';
import { TruePeakDetector } from './limiter-detector.js';
import { TruePeakGuard } from './limiter-guard.js';
import { Limiter, type LimiterParams } from './limiter.js';

const SHARED = new URL('../../../../../shared/', import.meta.url).pathname;
const db = (linear: number) => 20 * Math.log10(linear);
const linear = (decibels: number) => Math.pow(10, decibels / 20);

// ---- independent 8x true-peak measurement: Kaiser-windowed sinc (cutoff fs/2, 96 taps per phase) ----
const HALF = 48;
const BETA = 8; // flat within 0.001 dB to 0.475 fs
const PHASES_8X = Array.from({ length: 7 }, (_, q) => {
  const fraction = (q + 1) / 8;
  const i0 = besselI0(BETA);
  const taps = new Float64Array(2 * HALF);
  // x(n + fraction) = sum_k x[n + k] sinc(k - fraction), k = -HALF + 1 .. HALF.
  for (let k = -HALF + 1; k <= HALF; k++) taps[k + HALF - 1] = sinc(k - fraction) * kaiserWindow((k - fraction) / HALF, BETA, i0);
  return taps;
});

/**
 * Largest |value| of the band-limited signal on an 8x grid (samples included). With `skipBelow`,
 * intervals whose 8 nearest samples all stay below it are not interpolated (real signals do not rise
 * 6 dB between samples; used on long music files only).
 */
function peak8x(channels: Float32Array[], skipBelow = 0): number {
  let peak = 0;
  for (const x of channels) {
    for (const v of x) peak = Math.max(peak, Math.abs(v));
    for (let n = HALF - 1; n < x.length - HALF; n++) {
      if (skipBelow > 0) {
        let local = 0;
        for (let k = -3; k <= 4; k++) local = Math.max(local, Math.abs(x[n + k]));
        if (local < skipBelow) continue;
      }
      for (const taps of PHASES_8X) {
        let sum = 0;
        for (let k = 0; k < 2 * HALF; k++) sum += x[n - HALF + 1 + k] * taps[k];
        peak = Math.max(peak, Math.abs(sum));
      }
    }
  }
  return peak;
}

function meterPeak(channels: Float32Array[]): number {
  const meter = new TruePeakMeter(channels.length);
  meter.push(channels, channels[0].length);
  return meter.maxPeak();
}

/** Runs `input` through a fresh limiter in blocks of 1000 frames, plus `latency` frames of tail. */
function limit(input: Float32Array[], sampleRate: number, params: Partial<LimiterParams>): { output: Float32Array[]; limiter: Limiter } {
  const limiter = new Limiter(sampleRate, input.length, params);
  const frames = input[0].length + limiter.latency;
  const padded = input.map((x) => { const y = new Float32Array(frames); y.set(x); return y; });
  return { output: render(limiter, padded, 1000), limiter };
}

async function load(path: string): Promise<{ channels: Float32Array[]; sampleRate: number }> {
  const reader = await openAudio(path);
  const blocks: Float32Array[][] = [];
  for await (const block of reader.blocks()) blocks.push(block.map((c) => Float32Array.from(c)));
  await reader.close();
  const frames = blocks.reduce((sum, b) => sum + b[0].length, 0);
  const channels = Array.from({ length: reader.info.channelCount }, () => new Float32Array(frames));
  let at = 0;
  for (const block of blocks) { block.forEach((c, i) => channels[i].set(c, at)); at += block[0].length; }
  return { channels, sampleRate: reader.info.sampleRate };
}

/** Asserts both ceilings and returns the readings (dBTP) for the log. */
function assertUnderCeiling(label: string, output: Float32Array[], ceilingDb: number, skipBelow = 0): { tp: number; tp8: number } {
  const tp = meterPeak(output);
  const tp8 = peak8x(output, skipBelow > 0 ? linear(ceilingDb - skipBelow) : 0);
  assert.ok(tp <= linear(ceilingDb), `${label}: TruePeakMeter ${db(tp).toFixed(4)} dBTP > ceiling ${ceilingDb}`);
  assert.ok(db(tp8) <= ceilingDb + 0.1, `${label}: 8x ${db(tp8).toFixed(4)} dBTP > ceiling ${ceilingDb} + 0.1 dB`);
  return { tp: db(tp), tp8: db(tp8) };
}

const report: string[] = [];
process.on('exit', () => { if (report.length) console.log(`\nlimiter measurements:\n${report.join('\n')}`); });

// ---- shared processor properties ----
processorSuite('limiter (below ceiling)', (rate, channels) => new Limiter(rate, channels, { ceilingDb: -1 }), { signalDb: -20 });
processorSuite('limiter (limiting, +12 dB drive)', (rate, channels) => new Limiter(rate, channels, { ceilingDb: -1, inputGainDb: 12 }), {
  signalDb: 0,
  latencyCheck: 'xcorr',
});

test('limiter: its BS.1770 interpolator is the meter\'s (same taps, same values)', () => {
  const x = new Float32Array(2000);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 1.3) * Math.cos(i * 0.071);
  const out = new Float64Array(x.length);
  bs1770WindowPeaks(x, 11, x.length - 11, out);
  for (let i = 11; i < x.length; i++) {
    const expected = interpolatedPeak(x, i, i + 1, new Float32Array(11), 0);
    assert.ok(Math.abs(out[i - 11] - expected) <= 1e-15, `window ${i}: ${out[i - 11]} vs ${expected}`);
  }
});

test('limiter detector: its BS.1770 windows are the meter kernel\'s own f32 values, bit for bit (kernel and JS path)', () => {
  const meter = createTruePeakKernel()!;
  const x = new Float32Array(3000);
  let seed = 9;
  for (let i = 0; i < x.length; i++) {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    x[i] = (i % 700 < 350 ? 1.1 : 0.02) * Math.sin(i * 2.9) + 0.1 * (seed / 4294967296 - 0.5);
  }
  const frames = x.length - 11;
  const js = new Float64Array(frames);
  bs1770WindowPeaksF32(x, 11, frames, js);
  // The detector kernel's own windows: its exported peaks() on x (x[-11] at byte 64), out after it.
  const outAt = 64 + 16 * Math.ceil((4 * x.length) / 16);
  const kernel = instantiateKernel(LIMITER_DETECTOR_KERNEL_WASM_BASE64, outAt + 8 * frames)!;
  new Float32Array(kernel.memory.buffer, 64, x.length).set(x);
  (kernel.exports.peaks as (src: number, count: number, out: number) => void)(64 + 44, frames, outAt);
  const wasm = new Float64Array(kernel.memory.buffer, outAt, frames);
  const history = new Float32Array(11);
  let differFromF64 = 0;
  const f64 = new Float64Array(frames);
  bs1770WindowPeaks(x, 11, frames, f64);
  for (let i = 0; i < frames; i++) {
    const expected = meter.peak(x, 11 + i, 12 + i, history);
    assert.equal(js[i], expected, `JS window ${i}`);
    assert.equal(wasm[i], expected, `kernel window ${i}`);
    if (js[i] !== f64[i]) differFromF64++;
    assert.ok(Math.abs(js[i] - f64[i]) <= 1e-6 * Math.max(1, f64[i]), `window ${i}: f32 ${js[i]} vs f64 ${f64[i]}`);
  }
  assert.ok(differFromF64 > frames / 2, `f32 and f64 sums should differ in their last bits (${differFromF64} of ${frames} do)`);
});

const ebu = Array.from({ length: 9 }, (_, i) => i + 15).map((n) => `${SHARED}conformance/ebu/tech3341/seq-3341-${n}-24bit.wav.wav`);
test('limiter: EBU Tech 3341 true-peak signals #15-#23 at +6 dB stay under -1 and -0.1 dBTP', { skip: !existsSync(ebu[0]) }, async () => {
  for (const path of ebu) {
    const { channels, sampleRate } = await load(path);
    const name = path.match(/seq-3341-(\d+)/)![1];
    for (const ceilingDb of [-1, -0.1]) {
      const { output, limiter } = limit(channels, sampleRate, { ceilingDb, inputGainDb: 6 });
      const { tp, tp8 } = assertUnderCeiling(`#${name} at ${ceilingDb}`, output, ceilingDb);
      assert.ok(limiter.maxGainReductionDb > 0.05, `#${name} was not limited`);
      report.push(`EBU #${name} +6 dB, ceiling ${ceilingDb}: meter ${tp.toFixed(3)} dBTP, 8x ${tp8.toFixed(3)} dBTP, GR max ${limiter.maxGainReductionDb.toFixed(2)} dB`);
    }
  }
});

test('limiter: full-scale square waves (100 Hz, 1 kHz, 5 kHz at 44.1/48 kHz) stay under the ceiling', () => {
  for (const sampleRate of [44100, 48000]) {
    for (const hz of [100, 1000, 5000]) {
      const frames = sampleRate;
      const square = new Float32Array(frames);
      for (let i = 0; i < frames; i++) square[i] = (i * hz) % sampleRate < sampleRate / 2 ? 1 : -1;
      for (const ceilingDb of [-1, -0.1]) {
        const { output } = limit([square, Float32Array.from(square, (v) => -v)], sampleRate, { ceilingDb });
        const { tp, tp8 } = assertUnderCeiling(`square ${hz} Hz @ ${sampleRate}`, output, ceilingDb);
        report.push(`square ${hz} Hz @ ${sampleRate} (input ${db(meterPeak([square])).toFixed(2)} dBTP), ceiling ${ceilingDb}: meter ${tp.toFixed(3)}, 8x ${tp8.toFixed(3)} dBTP`);
      }
    }
  }
});

/** 8 s of a 120 BPM loop: pitch-dropping kick, noise+tone snare, high-passed noise hats. */
function drumLoop(sampleRate: number): Float32Array[] {
  const frames = 8 * sampleRate;
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  let seed = 7;
  const random = () => { seed = (Math.imul(seed, 1664525) + 1013904223) | 0; return seed / 2147483648; };
  const beat = sampleRate / 2;
  for (let b = 0; b < 16; b++) {
    const start = b * beat;
    // Kick on every beat: 150 -> 50 Hz sweep, 0.3 s decay.
    let phase = 0;
    for (let i = 0; i < 0.4 * sampleRate && start + i < frames; i++) {
      const t = i / sampleRate;
      phase += (2 * Math.PI * (50 + 100 * Math.exp(-t / 0.03))) / sampleRate;
      const v = 0.8 * Math.sin(phase) * Math.exp(-t / 0.12);
      left[start + i] += v;
      right[start + i] += v;
    }
    // Snare on 2 and 4.
    if (b % 2 === 1) {
      for (let i = 0; i < 0.25 * sampleRate && start + i < frames; i++) {
        const t = i / sampleRate;
        const v = (0.5 * random() + 0.3 * Math.sin(2 * Math.PI * 190 * t)) * Math.exp(-t / 0.06);
        left[start + i] += v;
        right[start + i] += 0.9 * v;
      }
    }
    // Hats on eighths: first difference of noise (high-passed), 30 ms decay.
    for (const offset of [0, beat / 2]) {
      let previous = 0;
      for (let i = 0; i < 0.08 * sampleRate && start + offset + i < frames; i++) {
        const n = random();
        const v = 0.25 * (n - previous) * Math.exp(-i / sampleRate / 0.03);
        previous = n;
        left[start + offset + i] += 0.7 * v;
        right[start + offset + i] += v;
      }
    }
  }
  let peak = 0;
  for (const x of [left, right]) for (const v of x) peak = Math.max(peak, Math.abs(v));
  for (const x of [left, right]) for (let i = 0; i < frames; i++) x[i] *= linear(-1) / peak;
  return [left, right];
}

test('limiter: synthetic drum loop driven +12 dB stays under the ceiling', () => {
  for (const sampleRate of [44100, 48000]) {
    const drums = drumLoop(sampleRate);
    for (const ceilingDb of [-1, -0.1]) {
      const { output, limiter } = limit(drums, sampleRate, { ceilingDb, inputGainDb: 12 });
      const { tp, tp8 } = assertUnderCeiling(`drums @ ${sampleRate}`, output, ceilingDb);
      report.push(`drum loop +12 dB @ ${sampleRate}, ceiling ${ceilingDb}: meter ${tp.toFixed(3)}, 8x ${tp8.toFixed(3)} dBTP, GR max ${limiter.maxGainReductionDb.toFixed(2)} dB`);
    }
  }
});

const music = [
  'corpus/mixes/karissa-hobbs_lets-go-fishin.ogg',
  'corpus/mixes/kevin-macleod_vibe-ace.ogg',
  'corpus/mixes/sorohanro_solo-trumpet-06.ogg',
  'corpus/musdb18-7_music-delta-80s-rock/mixture.wav',
].map((p) => SHARED + p);
const stems = ['build', 'end-drums', 'hats', 'kick-hats', 'mallet', 'microcosm-effect', 'minilogue-synth', 'outro-drum', 'pad-plus-bass', 'snare', 'vox-lead']
  .map((name) => `${SHARED}corpus/eif-potassium/${name}.flac`);

/** The 11 Potassium stems summed sample-aligned (the song's unity mix; it peaks at +1.8 dBFS). */
async function potassiumMix(): Promise<{ channels: Float32Array[]; sampleRate: number }> {
  let mix: Float32Array[] | null = null;
  let sampleRate = 0;
  for (const path of stems) {
    const stem = await load(path);
    sampleRate = stem.sampleRate;
    if (!mix) mix = stem.channels.map((c) => Float32Array.from(c));
    else mix.forEach((c, i) => { for (let j = 0; j < c.length; j++) c[j] += stem.channels[i][j]; });
  }
  return { channels: mix!, sampleRate };
}

test('limiter: real music driven +6 dB stays under -1 and -0.1 dBTP', { skip: !existsSync(music[0]), timeout: 600_000 }, async () => {
  const pieces: [string, () => Promise<{ channels: Float32Array[]; sampleRate: number }>][] = music.map((path) => [path.split('/').slice(-2).join('/'), () => load(path)]);
  if (stems.every(existsSync)) pieces.push(['eif-potassium (11 stems summed)', potassiumMix]);
  for (const [name, read] of pieces) {
    const { channels, sampleRate } = await read();
    for (const ceilingDb of [-1, -0.1]) {
      const { output, limiter } = limit(channels, sampleRate, { ceilingDb, inputGainDb: 6 });
      // 8x: intervals whose 8 nearest samples are all 3 dB under the ceiling are not interpolated.
      const { tp, tp8 } = assertUnderCeiling(name, output, ceilingDb, 3);
      assert.ok(limiter.maxGainReductionDb > 1, `${name} was barely limited`);
      report.push(`${name} +6 dB, ceiling ${ceilingDb}: meter ${tp.toFixed(3)}, 8x ${tp8.toFixed(3)} dBTP, GR max ${limiter.maxGainReductionDb.toFixed(2)} dB`);
    }
  }
});

test('limiter guard: fixes BS.1770 overs it is handed (meter <= ceiling), passes the rest bit-identically, wasm or not', () => {
  const sampleRate = 48000;
  const frames = 9600;
  const ceiling = linear(-1);
  // 12 kHz at 45 degrees (EBU 3341 #16 style): samples at 0.72 of the ceiling, true peak 0.2 dB over it.
  const tone = (amplitude: number) => Float32Array.from({ length: frames }, (_, i) => amplitude * Math.sin((2 * Math.PI * 12000 * i) / sampleRate + Math.PI / 4));
  const over = tone(1.02 * ceiling);
  const under = tone(0.97 * ceiling);
  const ceilings = new Float64Array(256).fill(ceiling);
  const run = (input: Float32Array, wasm: boolean, block: number) => {
    const guard = new TruePeakGuard(1, 256, { wasm });
    const out = new Float32Array(frames + guard.latency);
    const padded = new Float32Array(frames + guard.latency);
    padded.set(input);
    for (let start = 0; start < padded.length; start += block) {
      const n = Math.min(block, padded.length - start);
      guard.process([padded.subarray(start, start + n)], n, ceilings, [out], start);
    }
    return { out, latency: guard.latency };
  };
  assert.ok(meterPeak([over]) > ceiling * 1.001, 'the test signal is over');
  for (const wasm of [true, false]) {
    const fixed = run(over, wasm, 256).out;
    assert.ok(meterPeak([fixed]) <= ceiling, `wasm ${wasm}: ${db(meterPeak([fixed]))} dBTP`);
    assert.deepEqual(run(over, wasm, 37).out, fixed, 'block size');
    const { out, latency } = run(under, wasm, 100);
    for (let i = 0; i < frames; i++) assert.equal(out[i + latency], under[i]);
  }
  assert.deepEqual(run(over, true, 256).out, run(over, false, 256).out, 'wasm and JS paths agree');
});

test('limiter guard: skipping the per-frame targets of chunks whose peaks are all within the limit changes nothing', () => {
  const frames = 20_000;
  const ceiling = linear(-1);
  // Bursts 0.2 dB over the ceiling (12 kHz at 45 degrees) between stretches under it, at uneven offsets.
  const input = Float32Array.from({ length: frames }, (_, i) => {
    const amplitude = (i % 3001) < 700 ? 1.02 * ceiling : 0.9 * ceiling;
    return amplitude * Math.sin((2 * Math.PI * 12000 * i) / 48000 + Math.PI / 4);
  });
  const ceilings = new Float64Array(256);
  for (let i = 0; i < 256; i++) ceilings[i] = ceiling * (1 - 1e-4 * (i % 5)); // a ceiling that varies within a chunk
  const run = (skipClearChunks: boolean, block: number) => {
    const guard = new TruePeakGuard(1, 256, { skipClearChunks });
    const padded = new Float32Array(frames + guard.latency);
    padded.set(input);
    const out = new Float32Array(padded.length);
    for (let start = 0; start < padded.length; start += block) {
      const n = Math.min(block, padded.length - start);
      guard.process([padded.subarray(start, start + n)], n, ceilings, [out], start);
    }
    return out;
  };
  for (const block of [256, 37, 1]) {
    const exact = run(false, block);
    const latency = new TruePeakGuard(1, 256).latency;
    assert.ok(exact.some((v, i) => i >= latency && v !== input[i - latency]), 'the guard acts on the bursts');
    assert.deepEqual(run(true, block), exact, `blocks of ${block}`);
  }
});

/** Power ratio of harmonics 2-10 to the fundamental, from a Blackman-Harris windowed FFT. */
function thd(x: Float32Array, start: number, sampleRate: number, hz: number): number {
  const n = 65536;
  const real = new Float64Array(n);
  const imag = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / n;
    const w = 0.35875 - 0.48829 * Math.cos(t) + 0.14128 * Math.cos(2 * t) - 0.01168 * Math.cos(3 * t);
    real[i] = x[start + i] * w;
  }
  new Fft(n).forward(real, imag);
  const band = (f: number) => {
    const centre = Math.round((f * n) / sampleRate);
    let power = 0;
    for (let k = centre - 6; k <= centre + 6; k++) power += real[k] * real[k] + imag[k] * imag[k];
    return power;
  };
  let harmonics = 0;
  for (let h = 2; h <= 10 && h * hz < sampleRate / 2 - 200; h++) harmonics += band(h * hz);
  return harmonics / band(hz);
}

test('limiter: a 1 kHz sine limited by 6 dB has THD < 1 % and reads 6 dB of gain reduction (also 50 and 100 Hz)', () => {
  for (const sampleRate of [44100, 48000]) {
    for (const hz of [1000, 100, 50]) {
      const frames = sampleRate * 3;
      const sine = new Float32Array(frames);
      for (let i = 0; i < frames; i++) sine[i] = Math.sin((2 * Math.PI * hz * i) / sampleRate);
      const { output, limiter } = limit([sine], sampleRate, { ceilingDb: -6 });
      // THD as a power ratio (harmonics 2-10 / fundamental), steady state from 1 s on.
      const distortion = thd(output[0], sampleRate, sampleRate, hz);
      assert.ok(distortion < 0.01, `${hz} Hz: THD ${distortion}`);
      assert.ok(Math.abs(limiter.gainReductionDb - 6) < 0.1, `gain reduction ${limiter.gainReductionDb} dB`);
      report.push(`${hz} Hz sine @ ${sampleRate} limited by 6 dB: THD ${distortion.toExponential(2)} (${(10 * Math.log10(distortion)).toFixed(1)} dB), GR ${limiter.gainReductionDb.toFixed(3)} dB`);
    }
  }
});

test('limiter: latency measured by cross-correlation (while limiting) equals the declared look-ahead', () => {
  for (const [sampleRate, lookaheadSeconds] of [[44100, 0.0015], [48000, 0.003], [96000, 0.005]]) {
    const frames = sampleRate;
    let seed = 3;
    const noise = Float32Array.from({ length: frames }, () => { seed = (Math.imul(seed, 1664525) + 1013904223) | 0; return seed / 2147483648; });
    const { output, limiter } = limit([noise], sampleRate, { lookaheadSeconds, inputGainDb: 6, ceilingDb: -3 });
    assert.equal(limiter.latency, Math.round(lookaheadSeconds * sampleRate));
    let best = -Infinity;
    let lag = -1;
    for (let shift = 0; shift < limiter.latency + 100; shift++) {
      let sum = 0;
      for (let i = 0; i < frames - 200; i++) sum += noise[i] * output[0][i + shift];
      if (sum > best) { best = sum; lag = shift; }
    }
    assert.ok(limiter.maxGainReductionDb > 3);
    assert.equal(lag, limiter.latency);
  }
});

test('limiter: release adapts: a short peak recovers much faster than a sustained over', () => {
  const sampleRate = 48000;
  const recovery = (overSeconds: number) => {
    const frames = sampleRate * 4;
    const x = new Float32Array(frames);
    const over = Math.round(overSeconds * sampleRate);
    for (let i = 0; i < frames; i++) x[i] = (i < over ? 1 : 0.25) * Math.sin((2 * Math.PI * 200 * i) / sampleRate);
    const limiter = new Limiter(sampleRate, 1, { ceilingDb: -6, releaseSeconds: 0.2 });
    // Gain = output envelope / input envelope after the over; time until it is back within 1 dB.
    const out = render(limiter, [x], 64)[0];
    const L = limiter.latency;
    const period = sampleRate / 200;
    for (let start = over + L; start + period < frames; start += period) {
      let peak = 0;
      for (let i = start; i < start + period; i++) peak = Math.max(peak, Math.abs(out[i]));
      if (peak >= 0.25 * linear(-1)) return (start - over - L) / sampleRate;
    }
    return Infinity;
  };
  const short = recovery(0.005);
  const sustained = recovery(2);
  report.push(`release to within 1 dB after a 5 ms over: ${(1000 * short).toFixed(0)} ms; after a 2 s over: ${(1000 * sustained).toFixed(0)} ms`);
  assert.ok(short * 4 < sustained, `short ${short} s, sustained ${sustained} s`);
});

test('limiter: ceiling and drive changes glide per sample (no steps), output follows the new ceiling', () => {
  const sampleRate = 48000;
  const frames = sampleRate;
  const x = new Float32Array(frames);
  for (let i = 0; i < frames; i++) x[i] = Math.sin((2 * Math.PI * 100 * i) / sampleRate);
  const limiter = new Limiter(sampleRate, 1, { ceilingDb: -1 });
  const first = render(limiter, [x.subarray(0, frames / 2)], 256)[0];
  limiter.set({ ceilingDb: -7, inputGainDb: 3 });
  const second = render(limiter, [x.subarray(frames / 2)], 256)[0];
  const y = new Float32Array(frames);
  y.set(first);
  y.set(second, frames / 2);
  let largestStep = 0;
  for (let i = 1; i < frames; i++) largestStep = Math.max(largestStep, Math.abs(y[i] - y[i - 1]));
  const sineStep = 2 * Math.PI * 100 / sampleRate;
  assert.ok(largestStep < 1.2 * sineStep, `largest step ${largestStep}, sine alone ${sineStep}`);
  // Meter the last 0.4 s only (history from before, so the cut itself does not ring).
  const meter = new TruePeakMeter(1);
  const from = frames / 2 + sampleRate / 10;
  meter.push([y], from);
  meter.peaks.fill(0);
  meter.push([y.subarray(from)], frames - from);
  assert.ok(meter.maxPeak() <= linear(-7), `after the change: ${db(meter.maxPeak())} dBTP`);
  assert.throws(() => limiter.set({ lookaheadSeconds: 0.004 }), RangeError);
  assert.throws(() => new Limiter(sampleRate, 2, { ceilingDb: 1 }), RangeError);
});

test('limiter: isomorphic (no node: imports)', () => {
  for (const file of ['limiter.ts', 'limiter-bs1770.ts', 'limiter-detector.ts', 'limiter-gain.ts', 'limiter-gain-kernel.ts', 'limiter-guard.ts', 'limiter-kernel.ts', 'limiter-nyquist.ts', 'limiter-upsampler.ts', 'limiter-release.ts']) {
    assert.doesNotMatch(readFileSync(new URL(`./${file}`, import.meta.url), 'utf8'), /from ['"]node:/, file);
  }
});

test('limiter detector: the wasm kernels (4x halfbands + parabola, BS.1770 windows) are bit-identical to the JS path', () => {
  for (const rate of [44100, 96000]) {
    const wasm = new TruePeakDetector(rate, 2, 128);
    const js = new TruePeakDetector(rate, 2, 128, { wasm: false });
    const a = new Float64Array(128);
    const b = new Float64Array(128);
    let seed = 5;
    let frame = 0;
    for (let r = 0; r < 600; r++) {
      const n = 1 + ((r * 37) % 128);
      const x = [0, 1].map((c) => Float32Array.from({ length: n }, (_, i) => {
        seed = (seed * 1664525 + 1013904223) >>> 0;
        return (r % 7 === 0 ? 1.2 : 0.4) * Math.sin((frame + i) * (0.3 + c) + r) + 0.2 * (seed / 4294967296 - 0.5);
      }));
      wasm.process(x, n, a);
      js.process(x, n, b);
      frame += n;
      assert.deepEqual(a.subarray(0, n), b.subarray(0, n), `${rate} Hz, call ${r}`);
      if (r === 300) { wasm.reset(); js.reset(); }
    }
  }
});

/** Music-like test material: quiet and loud passages, passages near the quiet bound, content up to near Nyquist. */
function passages(sampleRate: number, frames: number, channel: number): Float32Array {
  let seed = 11 + channel;
  return Float32Array.from({ length: frames }, (_, i) => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    const t = i / sampleRate;
    const section = Math.floor(t / 0.25) % 6; // 0.25 s each: silent-ish, quiet, near the bound, loud, quiet HF, ramp
    const level = [0.001, 0.05, 0.28, 1.4, 0.08, (t % 0.25) * 5][section];
    const tone = Math.sin(2 * Math.PI * (220 + 110 * channel) * t) + 0.3 * Math.sin(2 * Math.PI * 0.47 * sampleRate * t + channel);
    return level * (0.7 * tone + 0.3 * (seed / 4294967296 - 0.5));
  });
}

test('limiter detector: quiet chunks and 4x groups (bounded under the limit) report each peak exactly or at most the limit', () => {
  for (const rate of [44100, 48000]) {
    const frames = rate * 3;
    const input = [0, 1].map((c) => passages(rate, frames, c));
    const full = new TruePeakDetector(rate, 2, 128);
    const quick = new TruePeakDetector(rate, 2, 128);
    const a = new Float64Array(128);
    const b = new Float64Array(128);
    let differing = 0;
    for (let start = 0, r = 0; start < frames; r++) {
      const n = Math.min(frames - start, r % 9 === 8 ? 61 : 128); // now and then a chunk too short to skip after
      // A limit that moves; every 4th chunk's is tiny, so it needs the exact estimates the quiet chunk
      // before it left for it (its last frames) and can itself never be quiet.
      const limit = r % 4 === 3 ? 1e-9 : r % 50 < 25 ? 0.9 : 0.5;
      const x = input.map((channel) => channel.slice(start, start + n));
      full.process(x, n, a);
      quick.process(x, n, b, limit);
      for (let i = 0; i < n; i++) {
        if (a[i] === b[i]) continue;
        differing++;
        assert.ok(a[i] <= limit && b[i] <= a[i], `${rate} Hz, frame ${start + i}: ${b[i]} for ${a[i]} (limit ${limit})`);
      }
      start += n;
    }
    const chunks = Math.ceil(frames / 128);
    assert.ok(quick.quietChunks > chunks / 5 && quick.quietChunks < (chunks * 3) / 4, `${quick.quietChunks} quiet chunks of ~${chunks}`);
    assert.ok(differing > 0, 'quiet chunks report lower estimates');
    assert.equal(full.quietChunks, 0);
  }
});

test('limiter: skipping the estimates of quiet chunks and groups changes no output sample (blocks, ceiling and drive automation)', () => {
  const rate = 44100;
  const frames = rate * 3;
  const input = [0, 1].map((c) => passages(rate, frames, c));
  const run = (skipQuietChunks: boolean, block: number) => {
    const limiter = new Limiter(rate, 2, { ceilingDb: -1, inputGainDb: 3 });
    limiter.skipQuietChunks = skipQuietChunks;
    const out = input.map((channel) => Float32Array.from(channel));
    for (let start = 0; start < frames; start += block) {
      const n = Math.min(block, frames - start);
      if (start >= frames / 3 && start - block < frames / 3) limiter.set({ ceilingDb: -9, inputGainDb: 6 }); // glides
      if (start >= (2 * frames) / 3 && start - block < (2 * frames) / 3) limiter.set({ ceilingDb: -0.5 });
      limiter.process(out.map((channel) => channel.subarray(start, start + n)), n);
    }
    return { out, quiet: (limiter as unknown as { detector: TruePeakDetector }).detector.quietChunks, reduction: limiter.maxGainReductionDb };
  };
  for (const block of [4096, 5000, 97]) {
    const exact = run(false, block);
    const quick = run(true, block);
    assert.ok(exact.reduction > 6, `the limiter works (${exact.reduction} dB)`);
    assert.ok(quick.quiet > frames / 128 / 5, `blocks of ${block}: ${quick.quiet} quiet chunks`);
    for (let c = 0; c < 2; c++) assert.deepEqual(quick.out[c], exact.out[c], `blocks of ${block}, channel ${c}`);
  }
});

test('limiter: the WebAssembly kernels (detector, gain curve, guard) give the all-JS limiter\'s output bit for bit', () => {
  const rate = 44100;
  const frames = rate * 2;
  const input = [0, 1].map((c) => passages(rate, frames, c));
  const run = (wasm: boolean, block: number) => {
    const limiter = new Limiter(rate, 2, { ceilingDb: -1, inputGainDb: 3 }, { wasm });
    const out = input.map((channel) => Float32Array.from(channel));
    for (let start = 0; start < frames; start += block) {
      const n = Math.min(block, frames - start);
      if (start >= frames / 2 && start - block < frames / 2) limiter.set({ ceilingDb: -6, inputGainDb: 6, releaseSeconds: 0.05 }); // glides
      limiter.process(out.map((channel) => channel.subarray(start, start + n)), n);
    }
    return { out, reduction: limiter.maxGainReductionDb };
  };
  for (const block of [4096, 97]) {
    const js = run(false, block); // the change lands at a block boundary: the same blocks on both sides
    const wasm = run(true, block);
    assert.ok(js.reduction > 6, `the limiter works (${js.reduction} dB)`);
    for (let c = 0; c < 2; c++) assert.deepEqual(wasm.out[c], js.out[c], `blocks of ${block}, channel ${c}`);
  }
});
