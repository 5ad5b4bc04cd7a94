import { assert, fileURLToPath, spawnSync, test } from '../../../test/support/node-test.js';
import { createTruePeakKernel, type TruePeakKernel } from './true-peak-kernel.js';
import { TRUE_PEAK_KERNEL_WASM_BASE64 } from './true-peak-kernel.wasm.js';
import { TRUE_PEAK_PHASES, TruePeakMeter, interpolatedPeak } from './true-peak.js';

const HISTORY = 11;
const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Deterministic noise (xorshift32), uniform in [-amplitude, amplitude). */
function noise(length: number, amplitude = 1, seed = 12345): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 31 - 1) * amplitude;
  }
  return out;
}

function kernel(capacity?: number): TruePeakKernel {
  const k = createTruePeakKernel(capacity === undefined ? {} : { capacity });
  assert.ok(k, 'WebAssembly SIMD is available in Node 20');
  return k;
}

function assertClose(actual: number, expected: number, label: string, rel = 1e-6): void {
  const scale = Math.max(Math.abs(actual), Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= rel * scale, `${label}: ${actual} vs ${expected}`);
}

/** The HISTORY samples before `offset` in `signal`, newest first, zeros before the start. */
function historyAt(signal: Float32Array, offset: number): Float32Array {
  const h = new Float32Array(HISTORY);
  for (let k = 0; k < HISTORY; k++) h[k] = offset - 1 - k >= 0 ? signal[offset - 1 - k] : 0;
  return h;
}

/** Max over the signal, processed as consecutive blocks of the given sizes (cycled) with history carried. */
function blockwise(signal: Float32Array, sizes: number[], peakOf: (block: Float32Array, history: Float32Array) => number): number {
  let max = 0;
  for (let offset = 0, i = 0; offset < signal.length; i++) {
    const size = Math.min(sizes[i % sizes.length], signal.length - offset);
    max = Math.max(max, peakOf(signal.subarray(offset, offset + size), historyAt(signal, offset)));
    offset += size;
  }
  return max;
}

const dbtp = (linear: number) => 20 * Math.log10(linear);

test('the wasm module decodes and validates', () => {
  const binary = atob(TRUE_PEAK_KERNEL_WASM_BASE64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  assert.ok(WebAssembly.validate(bytes));
});

test('the committed .wasm.ts matches the .wat (scripts/build-wasm.mjs --check)', () => {
  const result = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr + result.stdout);
});

test('kernel matches the JS path on noise, with history and start > 0', () => {
  const k = kernel();
  const signal = noise(20000, 1, 7);
  const history = noise(HISTORY, 1, 99);
  const ranges: [number, number][] = [[0, 20000], [0, 1], [0, 5], [3, 9], [5, 16], [11, 12], [100, 4197], [19990, 20000], [0, 4]];
  for (const [start, end] of ranges) {
    const expected = interpolatedPeak(signal, start, end, history, 0);
    assertClose(k.peak(signal, start, end, history), expected, `[${start}, ${end})`);
  }
  // Quiet noise: relative agreement does not depend on level.
  const quiet = noise(5000, 1e-4, 3);
  assertClose(k.peak(quiet, 0, quiet.length, history.map((x) => x * 1e-4)),
    interpolatedPeak(quiet, 0, quiet.length, history.map((x) => x * 1e-4), 0), 'quiet');
});

test('empty range gives 0; NaN outputs are ignored like the JS path', () => {
  const k = kernel();
  const signal = noise(100, 0.5, 5);
  const history = new Float32Array(HISTORY);
  assert.equal(k.peak(signal, 10, 10, history), 0);
  assert.equal(k.peak(signal, 10, 5, history), 0);
  signal[50] = NaN;
  assertClose(k.peak(signal, 0, 100, history), interpolatedPeak(signal, 0, 100, history, 0), 'with NaN');
  assert.ok(Number.isFinite(k.peak(signal, 0, 100, history)));
});

test('sine at fs/4 with 45° phase, amplitude 0.5 (EBU Tech 3341 case 16): about -6 dBTP', () => {
  const k = kernel();
  const rate = 48000;
  const signal = new Float32Array(rate);
  for (let n = 0; n < signal.length; n++) signal[n] = 0.5 * Math.sin((Math.PI / 2) * n + Math.PI / 4);
  const history = new Float32Array(HISTORY);
  const js = interpolatedPeak(signal, 0, signal.length, history, 0);
  const wasm = k.peak(signal, 0, signal.length, history);
  assertClose(wasm, js, 'fs/4 sine');
  // Sample peak is 0.3536 (-9.03 dBFS); true peak 0.5 (-6.02 dBTP); the Annex 2 filter reads -5.94 here.
  assert.ok(Math.abs(dbtp(wasm) - -5.94) < 0.02, `${dbtp(wasm)} dBTP`);
  assert.ok(Math.abs(dbtp(wasm) - -6.02) < 0.4, `${dbtp(wasm)} dBTP within the ±0.4 dB of EBU 3341`);
  for (const wasmOption of [true, false]) {
    const meter = new TruePeakMeter(1, { wasm: wasmOption });
    meter.push([signal], signal.length);
    assertClose(meter.maxPeak(), js, `meter wasm=${wasmOption}`);
  }
});

test('block-size invariance: blocks of 1, 7, 11, 12, 4096, 100000 with history carried', () => {
  const signal = noise(300000, 0.8, 42);
  // A loud spot late in the signal, so the maximum is not in the first block.
  for (let i = 250000; i < 250040; i++) signal[i] *= 1.2;
  const zero = new Float32Array(HISTORY);
  const js = interpolatedPeak(signal, 0, signal.length, zero, 0);
  const whole = kernel().peak(signal, 0, signal.length, zero); // 300000 > capacity: chunked internally
  assertClose(whole, js, 'whole signal');
  const sizes = [1, 7, 11, 12, 4096, 100000];
  const splits = [sizes, [...sizes].reverse(), [1], [7], [11], [12], [4096], [100000]];
  for (const capacity of [undefined, 1, 5, 11, 16, 4096]) {
    const k = kernel(capacity);
    // Small capacities (pieces shorter than the filter history) with the mixed splits only.
    for (const split of capacity === undefined ? splits : splits.slice(0, 2)) {
      const max = blockwise(signal, split, (block, history) => k.peak(block, 0, block.length, history));
      // Every interpolated value is computed in the same order whatever the split: bit-identical.
      assert.equal(max, whole, `capacity ${capacity ?? 'default'}, blocks ${split.join(',')}`);
    }
  }
  const jsBlocks = blockwise(signal, sizes, (block, history) => interpolatedPeak(block, 0, block.length, history, 0));
  assert.equal(jsBlocks, js);
});

test('TruePeakMeter: wasm and JS paths agree, whatever the push sizes', () => {
  // Quiet, then loud noise, then quiet again: exercises the chunk skipping on both paths.
  const signalL = noise(200000, 0.05, 1);
  const signalR = noise(200000, 0.05, 2);
  signalL.set(noise(30000, 0.9, 3), 60000);
  signalR.set(noise(20000, 0.7, 4), 120000);
  const reference = new TruePeakMeter(2, { wasm: false });
  assert.equal(reference.usesWasm, false);
  reference.push([signalL, signalR], signalL.length);
  const expectedL = interpolatedPeak(signalL, 0, signalL.length, new Float32Array(HISTORY), 0);
  assertClose(reference.peaks[0], expectedL, 'JS meter vs whole-signal JS');

  for (const sizes of [[200000], [1, 7, 11, 12, 4096, 100000], [255, 256, 257], [3]]) {
    const meter = new TruePeakMeter(2);
    assert.equal(meter.usesWasm, true);
    for (let offset = 0, i = 0; offset < signalL.length; i++) {
      const size = Math.min(sizes[i % sizes.length], signalL.length - offset);
      meter.push([signalL.subarray(offset, offset + size), signalR.subarray(offset, offset + size)], size);
      offset += size;
    }
    for (let c = 0; c < 2; c++) assertClose(meter.peaks[c], reference.peaks[c], `channel ${c}, blocks ${sizes.join(',')}`);
  }
});

test('kernel scan() gives exactly the chunked scan that calls peak() per chunk, skips included', () => {
  const L1 = Math.max(...TRUE_PEAK_PHASES.map((phase) => phase.reduce((sum, tap) => sum + Math.abs(tap), 0)));
  // Quiet stretches (skipped once a loud peak is known), bursts, a NaN, and a new peak late.
  const signal = noise(50000, 0.02, 9);
  signal.set(noise(3000, 0.8, 10), 5000);
  signal.set(noise(700, 0.95, 11), 40000);
  signal[20000] = Number.NaN;
  const history = noise(HISTORY, 0.3, 12);
  /** The meter's previous kernel path: the skip decision in JS, peak() per chunk. */
  const reference = (k: TruePeakKernel, samples: Float32Array, frames: number, h: Float32Array, peakIn: number) => {
    let peak = peakIn;
    for (let start = 0; start < frames; start += 256) {
      const end = Math.min(frames, start + 256);
      let localMax = 0;
      for (let i = start; i < end; i++) { const a = Math.abs(samples[i]); if (a > localMax) localMax = a; }
      for (let j = 0; j < HISTORY; j++) {
        const a = Math.abs(start - 1 - j >= 0 ? samples[start - 1 - j] : h[j - start]);
        if (a > localMax) localMax = a;
      }
      if (localMax > peak) peak = localMax;
      if (localMax * L1 > peak) peak = Math.max(peak, k.peak(samples, start, end, h));
    }
    return peak;
  };
  let interpolatedChunks = 0;
  const counting: TruePeakKernel = { ...kernel(), peak: (...args) => { interpolatedChunks++; return kernel().peak(...args); } };
  for (const capacity of [undefined, 256, 300, 1000]) {
    const k = kernel(capacity);
    for (const [frames, peakIn] of [[50000, 0], [50000, 0.5], [37, 0], [256, 0.01], [12345, 2]] as const) {
      const samples = signal.subarray(0, frames);
      assert.equal(k.scan(samples, frames, history, peakIn, L1), reference(k, samples, frames, history, peakIn), `${frames} frames from ${peakIn}, capacity ${capacity}`);
    }
  }
  // A short quiet block after a loud one: nothing left in kernel memory past the block may count.
  const k = kernel();
  const loud = new Float32Array(4096).fill(0.9), quiet = noise(38, 0.01, 14); // 11 + 38 samples: not whole vectors
  k.scan(loud, loud.length, history, 0, L1);
  assert.equal(k.scan(quiet, quiet.length, history, 0, L1), reference(k, quiet, quiet.length, history, 0));
  reference(counting, signal, signal.length, history, 0);
  assert.ok(interpolatedChunks > 0 && interpolatedChunks < Math.ceil(signal.length / 256), `some chunks skipped, some not (${interpolatedChunks})`);
});
