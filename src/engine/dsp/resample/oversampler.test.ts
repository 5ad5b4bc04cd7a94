import { assert, readFileSync, test } from '../../../../test/support/node-test.js';
import { processorSuite } from '../../../../test/support/processor-suite.js';
import type { Processor } from '../api.js';
import { HalfbandUpsampler } from './halfband.js';
import { Oversampler, oversamplerStageDesign, type OversamplingFactor, type OversamplingQuality } from './oversampler.js';

const FACTORS: OversamplingFactor[] = [2, 4, 8];
const QUALITIES: OversamplingQuality[] = ['draft', 'standard', 'high'];

/** Up -> down through the oversampler as a Processor (what a saturation stage does, minus the shaping). */
class RoundTrip implements Processor {
  readonly latency: number;
  private readonly oversampler: Oversampler;
  private readonly wide: Float32Array[];
  constructor(channelCount: number, factor: OversamplingFactor, quality: OversamplingQuality) {
    this.oversampler = new Oversampler(channelCount, factor, { quality });
    this.latency = this.oversampler.latency;
    this.wide = Array.from({ length: channelCount }, () => new Float32Array(4096 * factor));
  }
  process(channels: Float32Array[], frames: number): void {
    const factor = this.oversampler.factor;
    for (let start = 0; start < frames; start += 4096) {
      const n = Math.min(4096, frames - start);
      const views = channels.map((c) => c.subarray(start, start + n));
      this.oversampler.upsample(views, n, this.wide);
      this.oversampler.downsample(this.wide, n * factor, views);
    }
  }
  reset(): void {
    this.oversampler.reset();
  }
}

processorSuite('oversampler 4x round trip', (_rate, channels) => new RoundTrip(channels, 4, 'standard'));
processorSuite('oversampler 8x draft round trip', (_rate, channels) => new RoundTrip(channels, 8, 'draft'));

/** Sum of 40 sines with random phases up to `top` (fraction of the base rate), peak about 1. */
function bandLimited(frames: number, top: number): Float32Array {
  const x = new Float32Array(frames);
  let seed = 11;
  const random = () => { seed = (Math.imul(seed, 1664525) + 1013904223) | 0; return (seed >>> 0) / 4294967296; };
  for (let k = 0; k < 40; k++) {
    const f = (top * (k + 0.5)) / 40;
    const phase = 2 * Math.PI * random();
    for (let i = 0; i < frames; i++) x[i] += Math.sin(2 * Math.PI * f * i + phase) / 20;
  }
  return x;
}

test('oversampler: up -> down returns a band-limited signal delayed by exactly `latency` (< -100 dB error, standard)', () => {
  const limits: Record<OversamplingQuality, number> = { draft: -64, standard: -100, high: -120 };
  const rows: string[] = [];
  for (const quality of QUALITIES) {
    for (const factor of FACTORS) {
      const trip = new RoundTrip(1, factor, quality);
      assert.ok(Number.isInteger(trip.latency));
      const x = bandLimited(48000, 0.45);
      const y = Float32Array.from(x);
      // Uneven blocks, to exercise the streaming state.
      for (let start = 0, i = 0; start < y.length; i++) {
        const n = Math.min([1, 17, 300, 1024, 5][i % 5], y.length - start);
        trip.process([y.subarray(start, start + n)], n);
        start += n;
      }
      let error = 0;
      let power = 0;
      for (let i = 2000; i < x.length - 2000; i++) {
        error += (y[i] - x[i - trip.latency]) ** 2;
        power += x[i - trip.latency] ** 2;
      }
      const db = 10 * Math.log10(error / power);
      rows.push(`${factor}x ${quality}: latency ${trip.latency}, round-trip error ${db.toFixed(1)} dB`);
      assert.ok(db < limits[quality], `${factor}x ${quality}: ${db.toFixed(1)} dB`);
    }
  }
  console.log(rows.join('\n'));
});

/** Amplitude and phase of the `f` (cycles per sample) component of x by least squares. */
function fitSine(x: Float32Array, f: number, from: number, to: number): { amplitude: number; residual: number } {
  let cc = 0, ss = 0, cs = 0, xc = 0, xs = 0;
  for (let i = from; i < to; i++) {
    const c = Math.cos(2 * Math.PI * f * i);
    const s = Math.sin(2 * Math.PI * f * i);
    cc += c * c; ss += s * s; cs += c * s; xc += x[i] * c; xs += x[i] * s;
  }
  const det = cc * ss - cs * cs;
  const a = (xc * ss - xs * cs) / det;
  const b = (xs * cc - xc * cs) / det;
  let residual = 0;
  let power = 0;
  for (let i = from; i < to; i++) {
    const fit = a * Math.cos(2 * Math.PI * f * i) + b * Math.sin(2 * Math.PI * f * i);
    residual += (x[i] - fit) ** 2;
    power += fit * fit;
  }
  return { amplitude: Math.hypot(a, b), residual: residual / power };
}

test('oversampler: passband ripple < 0.01 dB to 0.45 fs; images >= 100 dB down at 4x (standard)', () => {
  for (const factor of FACTORS) {
    let worstRippleDb = 0;
    let worstImageDb = -Infinity;
    for (const f of [0.01, 0.1, 0.2, 0.3, 0.4, 0.43, 0.45]) {
      const frames = 8192;
      const x = new Float32Array(frames);
      for (let i = 0; i < frames; i++) x[i] = 0.9 * Math.sin(2 * Math.PI * f * i + 0.3);
      const oversampler = new Oversampler(1, factor, { quality: 'standard' });
      const wide = new Float32Array(frames * factor);
      oversampler.upsample([x], frames, [wide]);
      // Everything in the upsampled signal that is not the tone is image (and float32 rounding).
      const { amplitude, residual } = fitSine(wide, f / factor, 2000 * factor, (frames - 100) * factor);
      worstRippleDb = Math.max(worstRippleDb, Math.abs(20 * Math.log10(amplitude / 0.9)));
      worstImageDb = Math.max(worstImageDb, 10 * Math.log10(residual));
    }
    console.log(`${factor}x standard: ripple ${worstRippleDb.toExponential(2)} dB, images ${worstImageDb.toFixed(1)} dB`);
    assert.ok(worstRippleDb < 0.01, `${factor}x ripple ${worstRippleDb} dB`);
    assert.ok(worstImageDb < -100, `${factor}x images ${worstImageDb} dB`);
  }
});

test('oversampler: upsampled frame j shows base time (j - upsampleLatencyFrames) / factor', () => {
  for (const factor of FACTORS) {
    const oversampler = new Oversampler(1, factor);
    const frames = 4096;
    const f = 0.05;
    const x = new Float32Array(frames);
    for (let i = 0; i < frames; i++) x[i] = Math.sin(2 * Math.PI * f * i);
    const wide = new Float32Array(frames * factor);
    oversampler.upsample([x], frames, [wide]);
    let worst = 0;
    for (let j = 1000 * factor; j < (frames - 100) * factor; j++) {
      const t = (j - oversampler.upsampleLatencyFrames) / factor;
      worst = Math.max(worst, Math.abs(wide[j] - Math.sin(2 * Math.PI * f * t)));
    }
    assert.ok(worst < 1e-5, `${factor}x: ${worst}`);
  }
});

test('oversampler: any block size gives the same output, and input frames pass through unchanged at their grid points', () => {
  const x = bandLimited(5000, 0.4);
  for (const factor of FACTORS) {
    const reference = new Float32Array(5000 * factor);
    new Oversampler(1, factor).upsample([x], 5000, [reference]);
    const pieces = new Oversampler(1, factor, { chunkFrames: 7 });
    const wide = new Float32Array(5000 * factor);
    for (let start = 0; start < 5000; start += 333) {
      const n = Math.min(333, 5000 - start);
      pieces.upsample([x.subarray(start, start + n)], n, [wide.subarray(start * factor)]);
    }
    assert.deepEqual(wide, reference);
    const up = new Oversampler(1, factor).upsampleLatencyFrames;
    // Halfbands copy the input on every other output: base samples come out bit-exact.
    if (up % factor === 0) for (let i = 100; i < 4000; i++) assert.equal(reference[i * factor + up], x[i]);
  }
  assert.throws(() => new Oversampler(2, 3 as OversamplingFactor), RangeError);
  assert.throws(() => new Oversampler(2, 4).downsample([new Float32Array(6), new Float32Array(6)], 6, [new Float32Array(2), new Float32Array(2)]), RangeError);
});

test('oversampler: isomorphic (no node: imports)', () => {
  for (const file of ['oversampler.ts', 'halfband.ts', 'kaiser.ts']) {
    assert.doesNotMatch(readFileSync(new URL(`./${file}`, import.meta.url), 'utf8'), /from ['"]node:/, file);
  }
});

test('halfband interpolator: the wasm SIMD kernel is bit-identical to the JS path (every stage and quality, any block size)', () => {
  for (const stage of [1, 2, 3]) {
    for (const quality of QUALITIES) {
      const design = oversamplerStageDesign(stage, quality);
      const wasm = new HalfbandUpsampler(design, 2, 300);
      const js = new HalfbandUpsampler(design, 2, 300, { wasm: false });
      let seed = 11;
      for (let r = 0; r < 40; r++) {
        const c = r & 1;
        const n = 1 + ((r * 83) % 300);
        const x = Float64Array.from({ length: n }, () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 2147483648 - 1; });
        const a = new Float64Array(2 * n);
        const b = new Float64Array(2 * n);
        wasm.process(c, x, 0, n, a, 0);
        js.process(c, x, 0, n, b, 0);
        assert.deepEqual(a, b, `stage ${stage} ${quality} block ${n}`);
      }
    }
  }
});
