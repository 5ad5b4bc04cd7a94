import { assert, test } from '../../../test/support/node-test.js';
import { LoudnessMeter, loudnessRange, lufsToPower } from './loudness-meter.js';
import type { ChannelLabel } from '../audio.js';

function sine(frames: number, sampleRate: number, hz: number, dbfs: number, phase = 0): Float32Array {
  const amplitude = Math.pow(10, dbfs / 20);
  return Float32Array.from({ length: frames }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate + phase));
}

function measure(channels: Float32Array[], sampleRate: number, layout: ChannelLabel[], blockFrames = 4096): LoudnessMeter {
  const meter = new LoudnessMeter({ sampleRate, channelLayout: layout, keepSeries: true });
  const frames = channels[0].length;
  for (let start = 0; start < frames; start += blockFrames) {
    const end = Math.min(frames, start + blockFrames);
    meter.push(channels.map((c) => c.subarray(start, end)), end - start);
  }
  return meter;
}

test('a stereo 1 kHz sine at -23 dBFS reads -23.0 LUFS at every supported rate', () => {
  for (const rate of [8000, 11025, 22050, 32000, 44100, 48000, 88200, 96000, 176400, 192000]) {
    const tone = sine(rate * 5, rate, 997, -23);
    const meter = measure([tone, tone], rate, ['L', 'R']);
    assert.ok(Math.abs(meter.integratedLufs() - -23) < 0.05, `${rate} Hz: ${meter.integratedLufs()}`);
    assert.ok(Math.abs(meter.maxMomentaryLufs() - -23) < 0.05);
  }
});

test('block size does not change any reading (1, 64, 4096 frames, and odd sizes)', () => {
  const rate = 44100;
  const left = Float32Array.from({ length: rate * 4 }, (_, i) => 0.3 * Math.sin(i * 0.05) * Math.sin(i * 0.0003));
  const right = Float32Array.from({ length: rate * 4 }, (_, i) => 0.2 * Math.sin(i * 0.031));
  const reference = measure([left, right], rate, ['L', 'R'], 4096);
  for (const block of [1, 64, 1000, 44101]) {
    const m = measure([left, right], rate, ['L', 'R'], block);
    assert.equal(m.integratedLufs(), reference.integratedLufs());
    assert.equal(m.maxMomentaryLufs(), reference.maxMomentaryLufs());
    assert.equal(m.maxShortTermLufs(), reference.maxShortTermLufs());
    assert.deepEqual(Array.from(m.series()!.momentaryLufs), Array.from(reference.series()!.momentaryLufs));
  }
});

test('channel weights: surrounds +1.5 dB (G = 1.41), LFE excluded, mono counts once', () => {
  const rate = 48000;
  const tone = sine(rate * 3, rate, 1000, -30);
  const silent = new Float32Array(rate * 3);
  const front = measure([tone, silent, silent, silent, silent, silent], rate, ['L', 'R', 'C', 'LFE', 'Ls', 'Rs']).integratedLufs();
  const surround = measure([silent, silent, silent, silent, tone, silent], rate, ['L', 'R', 'C', 'LFE', 'Ls', 'Rs']).integratedLufs();
  const lfe = measure([silent, silent, silent, tone, silent, silent], rate, ['L', 'R', 'C', 'LFE', 'Ls', 'Rs']).integratedLufs();
  assert.ok(Math.abs(surround - front - 10 * Math.log10(1.41)) < 1e-6, `${surround - front}`);
  assert.equal(lfe, -Infinity);
  const mono = measure([tone], rate, ['M']).integratedLufs();
  assert.ok(Math.abs(mono - front) < 1e-9);
});

test('gating: silence reads -Infinity; a quiet tail below the relative gate does not pull loudness down', () => {
  const rate = 48000;
  const silence = new Float32Array(rate * 5);
  assert.equal(measure([silence, silence], rate, ['L', 'R']).integratedLufs(), -Infinity);
  const loud = sine(rate * 10, rate, 1000, -20);
  const quiet = sine(rate * 10, rate, 1000, -45); // 25 LU down: below the -10 LU relative gate
  const both = new Float32Array(rate * 20);
  both.set(loud, 0);
  both.set(quiet, rate * 10);
  const gated = measure([both, both], rate, ['L', 'R']).integratedLufs();
  // 97 loud blocks pass, plus the 3 blocks straddling the change (75, 50, 25 % loud); the quiet ones are gated.
  const expected = -20 + 10 * Math.log10((97 + 0.75 + 0.5 + 0.25) / 100);
  assert.ok(Math.abs(gated - expected) < 0.02, `${gated} vs ${expected}`);
});

test('max momentary finds a 400 ms burst at an offset that is not on the 100 ms grid', () => {
  const rate = 48000;
  const signal = new Float32Array(rate * 3);
  const offset = Math.round(rate * 0.737);
  signal.set(sine(Math.round(rate * 0.4), rate, 1000, -23), offset);
  const meter = measure([signal, signal], rate, ['L', 'R']);
  assert.ok(Math.abs(meter.maxMomentaryLufs() - -23) < 0.06, `${meter.maxMomentaryLufs()}`);
});

test('LRA percentiles: the round(p n / 100)-th smallest value, as ffmpeg takes them', () => {
  // 100 short-term values from -30 to -20.1 LUFS in 0.1 LU steps: 10th = -29.1, 95th = -20.6.
  const powers = Float64Array.from({ length: 100 }, (_, i) => lufsToPower(-30 + i * 0.1));
  assert.ok(Math.abs(loudnessRange(powers) - (-20.6 - -29.1)) < 1e-9, `${loudnessRange(powers)}`);
  assert.equal(loudnessRange(new Float64Array(0)), 0);
});

test('stereo through the wasm pair kernel reads bit-identically to the per-channel JS path, whatever the block sizes', () => {
  const sampleRate = 44100;
  const frames = 5 * sampleRate + 123;
  let seed = 11;
  const noise = () => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed / 2 ** 32 - 0.5; };
  // Loud and quiet passages (gating), a tone in one channel only, and a stretch of silence after them (denormal flushing).
  const left = new Float32Array(frames), right = new Float32Array(frames);
  for (let i = 0; i < 4 * sampleRate; i++) {
    const level = i < 2 * sampleRate ? 0.5 : 0.02;
    left[i] = level * (noise() + 0.5 * Math.sin(i * 0.05));
    right[i] = level * noise() * 0.7;
  }
  const read = (meter: LoudnessMeter) => [meter.integratedLufs(), meter.loudnessRangeLu(), meter.maxMomentaryLufs(), meter.maxShortTermLufs(), ...meter.series()!.momentaryLufs];
  const options = { sampleRate, channelLayout: ['L', 'R'] as ChannelLabel[], keepSeries: true };
  const js = new LoudnessMeter({ ...options, wasm: false });
  js.push([left, right], frames);
  const expected = read(js);
  for (const block of [1, 441, 16385, frames]) {
    const meter = new LoudnessMeter(options);
    for (let at = 0; at < frames; at += block) {
      const n = Math.min(block, frames - at);
      meter.push([left.subarray(at, at + n), right.subarray(at, at + n)], n);
    }
    const actual = read(meter);
    const differs = actual.findIndex((v, i) => !Object.is(v, expected[i]));
    assert.equal(differs, -1, `blocks of ${block}: value ${differs} is ${actual[differs]}, JS path ${expected[differs]}`);
  }
});
