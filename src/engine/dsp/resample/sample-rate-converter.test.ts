import { assert, readFileSync, spawnSync, test } from '../../../../test/support/node-test.js';
import { SampleRateConverter, type SampleRateConverterOptions } from './sample-rate-converter.js';

/** Converts whole channels in blocks of `block` frames (the streaming path), then finish(). */
function convert(input: Float32Array[], inputRate: number, outputRate: number, options: SampleRateConverterOptions = {}, block = 1000): Float32Array[] {
  const src = new SampleRateConverter(input.length, inputRate, outputRate, options);
  const total = src.outputFramesFor(input[0].length);
  const output = input.map(() => new Float32Array(total));
  const scratch = input.map(() => new Float32Array(src.maxOutputFrames(block)));
  let written = 0;
  const keep = (n: number) => { scratch.forEach((s, c) => output[c].set(s.subarray(0, n), written)); written += n; };
  for (let start = 0; start < input[0].length; start += block) {
    const n = Math.min(block, input[0].length - start);
    keep(src.process(input.map((x) => x.subarray(start, start + n)), n, scratch));
  }
  keep(src.finish(scratch));
  assert.equal(written, total);
  return output;
}

const sine = (frames: number, rate: number, hz: number, amplitude = 0.5, phase = 0) =>
  Float32Array.from({ length: frames }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate + phase));

/** SNR (dB) of `y` against the analytic sine at the new rate, skipping 0.1 s at each end. */
function sineSnr(y: Float32Array, rate: number, hz: number, amplitude = 0.5, phase = 0): number {
  const skip = Math.round(rate * 0.1);
  let error = 0;
  let power = 0;
  for (let j = skip; j < y.length - skip; j++) {
    const ideal = amplitude * Math.sin((2 * Math.PI * hz * j) / rate + phase);
    error += (y[j] - ideal) ** 2;
    power += ideal * ideal;
  }
  return 10 * Math.log10(power / error);
}

const report: string[] = [];
process.on('exit', () => { if (report.length) console.log(`\nsample-rate converter measurements:\n${report.join('\n')}`); });

test('SRC: 1 kHz tone, 44.1 <-> 48 kHz: SNR >= 120 dB against the analytic sine (both qualities)', () => {
  for (const quality of ['standard', 'high'] as const) {
    for (const [from, to] of [[44100, 48000], [48000, 44100]]) {
      const snr = sineSnr(convert([sine(from * 2, from, 1000)], from, to, { quality })[0], to, 1000);
      report.push(`1 kHz ${from} -> ${to} (${quality}): SNR ${snr.toFixed(1)} dB`);
      assert.ok(snr >= 120, `${from} -> ${to} ${quality}: ${snr.toFixed(1)} dB`);
    }
  }
});

test('SRC: sanity at 96 -> 44.1, 44.1 -> 96, 8 -> 48 kHz and an odd pair (44.1 -> 44.101, interpolated table)', () => {
  for (const [from, to, hz] of [[96000, 44100, 1000], [44100, 96000, 1000], [8000, 48000, 1000], [44100, 44101, 1000], [96000, 44100, 15000], [44100, 48000, 19000], [48000, 44100, 19000]]) {
    const snr = sineSnr(convert([sine(from, from, hz)], from, to)[0], to, hz);
    report.push(`${hz} Hz ${from} -> ${to}: SNR ${snr.toFixed(1)} dB`);
    assert.ok(snr >= 115, `${from} -> ${to} at ${hz} Hz: ${snr.toFixed(1)} dB`);
  }
});

test('SRC: output length is exactly round(frames * out / in) for any block size; blocks do not change the output', () => {
  const x = sine(10007, 44100, 3000);
  const reference = convert([x], 44100, 48000, {}, 10007)[0];
  assert.equal(reference.length, Math.round((10007 * 48000) / 44100));
  for (const block of [1, 7, 64, 4096, 5000]) assert.deepEqual(convert([x], 44100, 48000, {}, block)[0], reference, `block ${block}`);
  for (const [from, to, frames] of [[48000, 44100, 1], [48000, 44100, 3], [44100, 96000, 12345], [96000, 44100, 999], [22050, 8000, 441]]) {
    assert.equal(convert([sine(frames, from, 100)], from, to)[0].length, Math.round((frames * to) / from));
  }
  assert.equal(convert([new Float32Array(0)], 44100, 48000)[0].length, 0);
});

test('SRC: aliasing: a 30 kHz tone at 96 kHz is gone at 44.1 kHz (>= 115 dB standard, >= 140 dB high)', () => {
  for (const [quality, floor] of [['standard', 115], ['high', 140]] as const) {
    const y = convert([sine(96000, 96000, 30000, 1)], 96000, 44100, { quality })[0];
    let power = 0;
    for (let j = 4410; j < y.length - 4410; j++) power += y[j] * y[j];
    const db = 10 * Math.log10(power / (y.length - 8820) / 0.5);
    report.push(`30 kHz at 96 -> 44.1 kHz (${quality}): ${db.toFixed(1)} dB`);
    assert.ok(db <= -floor, `${quality}: ${db.toFixed(1)} dB`);
  }
});

function ffmpegResample(x: Float32Array, from: number, to: number): Float32Array | null {
  const result = spawnSync('ffmpeg', ['-v', 'error', '-f', 'f32le', '-ar', String(from), '-ac', '1', '-i', 'pipe:0',
    '-af', `aresample=${to}:resampler=soxr:precision=28`, '-f', 'f32le', 'pipe:1'], { input: Buffer.from(x.buffer, x.byteOffset, x.byteLength), maxBuffer: 1 << 28 });
  if (result.error || result.status !== 0) return null;
  const bytes = result.stdout;
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
const haveFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0;

test('SRC: agrees with ffmpeg aresample=resampler=soxr (same length, time-aligned, difference < -100 dB to 12.5 kHz)', { skip: !haveFfmpeg }, () => {
  // Multitone to 12.5 kHz, where soxr (ffmpeg's default cutoff 0.91) is flat too: they must agree sample for sample.
  for (const [from, to] of [[44100, 48000], [48000, 44100], [44100, 96000], [96000, 44100]]) {
    const frames = from * 2;
    const x = new Float32Array(frames);
    for (const [hz, phase] of [[60, 0.1], [440, 1.2], [1000, 2.3], [3150, 0.4], [7000, 1.9], [12500, 2.8]]) {
      for (let i = 0; i < frames; i++) x[i] += 0.14 * Math.sin((2 * Math.PI * hz * i) / from + phase);
    }
    const ours = convert([x], from, to)[0];
    const theirs = ffmpegResample(x, from, to);
    assert.ok(theirs, 'ffmpeg ran');
    assert.equal(theirs.length, ours.length, 'same length');
    const skip = Math.round(to * 0.05);
    let error = 0;
    let power = 0;
    for (let j = skip; j < ours.length - skip; j++) {
      error += (ours[j] - theirs[j]) ** 2;
      power += theirs[j] ** 2;
    }
    const db = 10 * Math.log10(error / power);
    report.push(`multitone to 12.5 kHz ${from} -> ${to}: ours vs ffmpeg soxr ${db.toFixed(1)} dB`);
    assert.ok(db < -100, `${from} -> ${to}: ${db.toFixed(1)} dB`);
  }
});

test('SRC: from 15 to 20 kHz ours stays as exact as soxr or better (both against the analytic sine)', { skip: !haveFfmpeg }, () => {
  for (const hz of [15000, 18000, 20000]) {
    const x = sine(88200, 44100, hz, 0.5, 0.3);
    const ours = sineSnr(convert([x], 44100, 48000)[0], 48000, hz, 0.5, 0.3);
    const soxr = sineSnr(ffmpegResample(x, 44100, 48000)!, 48000, hz, 0.5, 0.3);
    report.push(`${hz} Hz 44.1 -> 48 kHz: SNR ours ${ours.toFixed(1)} dB, ffmpeg soxr ${soxr.toFixed(1)} dB`);
    assert.ok(ours >= soxr - 1 && ours >= 110, `${hz} Hz: ours ${ours.toFixed(1)}, soxr ${soxr.toFixed(1)}`);
  }
});

test('SRC: 3 min stereo 44.1 -> 48 kHz gives exactly 180 s of output (time printed, not asserted)', () => {
  const frames = 44100 * 180;
  const input = [sine(frames, 44100, 997, 0.5), sine(frames, 44100, 1503, 0.5, 1)];
  const start = performance.now();
  const output = convert(input, 44100, 48000, {}, 65536);
  const seconds = (performance.now() - start) / 1000;
  report.push(`3 min stereo 44.1 -> 48 kHz (standard): ${seconds.toFixed(2)} s`);
  assert.equal(output[0].length, 48000 * 180);
});

test('SRC: the stereo wasm SIMD kernel gives bit-identical output to the JS path (any blocks, several pairs)', () => {
  for (const [from, to, quality] of [[44100, 48000, 'standard'], [48000, 44100, 'high'], [44100, 96000, 'standard'], [22050, 8000, 'standard']] as const) {
    const input = [sine(30011, from, 997, 0.7), sine(30011, from, 5003, 0.4, 1)];
    for (const block of [1000, 4096, 9000]) {
      assert.deepEqual(convert(input, from, to, { quality }, block), convert(input, from, to, { quality, wasm: false }, block), `${from} -> ${to} ${quality} block ${block}`);
    }
  }
});

test('SRC: rejects impossible setups; process() after finish() throws until reset()', () => {
  assert.throws(() => new SampleRateConverter(0, 44100, 48000), RangeError);
  assert.throws(() => new SampleRateConverter(2, 44100.5, 48000), RangeError);
  const src = new SampleRateConverter(1, 48000, 44100);
  const out = [new Float32Array(src.maxOutputFrames(100))];
  src.process([new Float32Array(100)], 100, out);
  src.finish(out);
  assert.throws(() => src.process([new Float32Array(100)], 100, out));
  src.reset();
  assert.doesNotThrow(() => src.process([new Float32Array(100)], 100, out));
});

test('SRC: isomorphic (no node: imports)', () => {
  for (const file of ['sample-rate-converter.ts', 'src-design.ts']) {
    assert.doesNotMatch(readFileSync(new URL(`./${file}`, import.meta.url), 'utf8'), /from ['"]node:/, file);
  }
});
