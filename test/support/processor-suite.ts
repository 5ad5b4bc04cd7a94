// The properties every processor must have (after fundsp and Tone.js): one suite, run beside each
// processor's own tests. Call processorSuite(name, factory, options) at the top level of a test file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LinearProcessor, Processor } from '../../src/engine/dsp/api.js';
import { Fft } from '../../src/engine/dsp/fft.js';

export interface SuiteOptions {
  sampleRate?: number;
  channelCount?: number;
  /** Max |difference| allowed between block sizes (0 = bit-identical). */
  blockTolerance?: number;
  /** How latency is checked: by the peak of the impulse response, by cross-correlation with noise, or not at all. */
  latencyCheck?: 'impulse' | 'xcorr' | 'none';
  /** Level of the test signals (dBFS peak), e.g. below a compressor's threshold for the latency check. */
  signalDb?: number;
  /** Compare response() with the FFT of the impulse response (linear processors). */
  linear?: boolean;
  /** Max dB difference for the response check. */
  responseToleranceDb?: number;
  /** Frames of impulse response to record for the response check (power of two). */
  impulseFrames?: number;
}

export type Make = (sampleRate: number, channelCount: number) => Processor;

let seed = 1;
function noise(frames: number, amplitude: number): Float32Array {
  return Float32Array.from({ length: frames }, () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return amplitude * ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1);
  });
}

/** Runs `input` through `processor` in blocks of `block` frames (copies; the input is kept). */
export function render(processor: Processor, input: Float32Array[], block: number): Float32Array[] {
  const output = input.map((c) => Float32Array.from(c));
  const frames = output[0].length;
  for (let start = 0; start < frames; start += block) {
    const count = Math.min(block, frames - start);
    processor.process(output.map((c) => c.subarray(start, start + count)), count);
  }
  return output;
}

function maxDifference(a: Float32Array[], b: Float32Array[]): number {
  let max = 0;
  a.forEach((channel, c) => channel.forEach((v, i) => { max = Math.max(max, Math.abs(v - b[c][i])); }));
  return max;
}

export function processorSuite(name: string, make: Make, options: SuiteOptions = {}): void {
  const sampleRate = options.sampleRate ?? 48000;
  const channelCount = options.channelCount ?? 2;
  const amplitude = Math.pow(10, (options.signalDb ?? -6) / 20);
  const frames = Math.round(sampleRate * 0.5);
  const signal = () => Array.from({ length: channelCount }, (_, c) => {
    const n = noise(frames, amplitude * 0.5);
    for (let i = 0; i < frames; i++) n[i] += amplitude * 0.5 * Math.sin((2 * Math.PI * (220 * (c + 1)) * i) / sampleRate);
    return n;
  });

  test(`${name}: same output in blocks of 1, 64 and 4096 frames`, () => {
    const input = signal();
    const reference = render(make(sampleRate, channelCount), input, 4096);
    for (const block of [1, 64, 1000]) {
      const difference = maxDifference(render(make(sampleRate, channelCount), input, block), reference);
      assert.ok(difference <= (options.blockTolerance ?? 0), `block ${block}: max difference ${difference}`);
    }
  });

  test(`${name}: reset() restores the initial state; same input twice gives bit-identical output`, () => {
    const input = signal();
    const fresh = render(make(sampleRate, channelCount), input, 512);
    const again = render(make(sampleRate, channelCount), input, 512);
    assert.deepEqual(again, fresh, 'deterministic');
    const used = make(sampleRate, channelCount);
    render(used, signal(), 512);
    used.reset();
    assert.deepEqual(render(used, input, 512), fresh, 'after reset');
  });

  test(`${name}: finite output on silence, DC and full-scale noise; silence decays to exact zero or normal numbers`, () => {
    const processor = make(sampleRate, channelCount);
    const cases: [string, Float32Array[]][] = [
      ['silence', Array.from({ length: channelCount }, () => new Float32Array(frames))],
      ['DC', Array.from({ length: channelCount }, () => new Float32Array(frames).fill(0.5))],
      ['full-scale noise', Array.from({ length: channelCount }, () => noise(frames, 1))],
      ['silence after noise', Array.from({ length: channelCount }, () => new Float32Array(frames * 4))],
    ];
    for (const [label, input] of cases) {
      const output = render(processor, input, 256);
      for (const channel of output) {
        for (const v of channel) assert.ok(Number.isFinite(v), `${label}: non-finite output`);
      }
      if (label === 'silence after noise') {
        // Float32 denormals (< 1.18e-38) in the output betray denormal state inside.
        for (const channel of output) for (const v of channel) assert.ok(v === 0 || Math.abs(v) > 1e-30, `${label}: denormal ${v}`);
      }
    }
  });

  if ((options.latencyCheck ?? 'impulse') !== 'none') {
    test(`${name}: declared latency equals measured latency`, () => {
      const processor = make(sampleRate, channelCount);
      const length = 8192 + processor.latency;
      let lag: number;
      if ((options.latencyCheck ?? 'impulse') === 'impulse') {
        const input = Array.from({ length: channelCount }, () => new Float32Array(length));
        for (const channel of input) channel[100] = amplitude;
        const output = render(processor, input, 512);
        let peak = 0;
        lag = 0;
        output[0].forEach((v, i) => { if (Math.abs(v) > peak) { peak = Math.abs(v); lag = i - 100; } });
      } else {
        const input = Array.from({ length: channelCount }, () => noise(length, amplitude));
        const output = render(processor, input, 512);
        let best = -Infinity;
        lag = 0;
        for (let shift = 0; shift <= processor.latency + 64; shift++) {
          let sum = 0;
          for (let i = 0; i + shift < length; i++) sum += input[0][i] * output[0][i + shift];
          if (sum > best) { best = sum; lag = shift; }
        }
      }
      assert.equal(lag, processor.latency);
    });
  }

  if (options.linear) {
    test(`${name}: response() matches the FFT of the impulse response`, () => {
      const processor = make(sampleRate, channelCount) as LinearProcessor;
      const n = options.impulseFrames ?? 65536;
      const input = Array.from({ length: channelCount }, () => new Float32Array(n));
      input[0][0] = 1;
      const output = render(processor, input, 4096);
      const real = Float64Array.from(output[0]);
      const imag = new Float64Array(n);
      new Fft(n).forward(real, imag);
      const tolerance = options.responseToleranceDb ?? 0.05;
      for (const hz of [31.5, 63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000]) {
        if (hz >= sampleRate / 2) continue;
        const bin = Math.round((hz * n) / sampleRate);
        const binHz = (bin * sampleRate) / n;
        const measured = 20 * Math.log10(Math.hypot(real[bin], imag[bin]));
        const declared = 20 * Math.log10(processor.response(binHz).magnitude);
        assert.ok(Math.abs(measured - declared) <= tolerance, `${hz} Hz: FFT ${measured.toFixed(3)} dB, response() ${declared.toFixed(3)} dB`);
      }
    });
  }
}
