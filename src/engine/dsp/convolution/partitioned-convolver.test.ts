import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { PartitionedConvolver } from './partitioned-convolver.js';
import { setFdlMacEnabled } from './fdl-mac.js';

/** A decaying pseudo-random IR whose first tap is the largest (so the impulse peak marks the latency). */
function decayingIr(length: number, seed: number, decayFrames = length / 4): Float32Array {
  let s = seed >>> 0;
  const h = Float32Array.from({ length }, (_, i) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return 0.5 * (s / 4294967296 * 2 - 1) * Math.exp(-i / decayFrames);
  });
  h[0] = 0.9;
  return h;
}

processorSuite('convolver shared 5000-tap IR, 512 partition', (sr, ch) => new PartitionedConvolver(sr, ch, { impulseResponses: [decayingIr(5000, 1)], partitionFrames: 512 }), { linear: true });
processorSuite('convolver per-channel IRs, default partition, 3 channels', (sr, ch) => new PartitionedConvolver(sr, ch, {
  impulseResponses: Array.from({ length: ch }, (_, c) => decayingIr(3000 + 700 * c, 7 + c)),
}), { linear: true, channelCount: 3 });

function direct(x: Float32Array, h: ArrayLike<number>, latency: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let n = latency; n < x.length; n++) {
    let sum = 0;
    const m = n - latency;
    for (let k = 0, end = Math.min(h.length - 1, m); k <= end; k++) sum += h[k] * x[m - k];
    y[n] = sum;
  }
  return y;
}

processorSuite('convolver two-stage 256/4096, 20000-tap IR', (sr, ch) => new PartitionedConvolver(sr, ch, {
  impulseResponses: [decayingIr(20000, 5)], partitionFrames: 256, tailPartitionFrames: 4096,
}), { linear: true });

function worstErrorAgainstDirect(): number {
  let worst = 0;
  const cases = [
    { channels: 1, partition: 256, lengths: [3000] },
    { channels: 2, partition: 256, lengths: [1] },
    { channels: 2, partition: 128, lengths: [128, 129] },
    { channels: 3, partition: 512, lengths: [4096, 100, 2500] },
    { channels: 2, partition: 1024, lengths: [6000] },
    { channels: 2, partition: 128, tail: 1024, lengths: [5000, 3000] },
    { channels: 3, partition: 256, tail: 4096, lengths: [9000] },
    { channels: 1, partition: 64, tail: 512, lengths: [400] }, // fits the head: one stage
    { channels: 2, partition: 128, lengths: [3000], gap: true }, // silent partitions are skipped
  ];
  for (const { channels, partition, lengths, tail, gap } of cases) {
    const irs = lengths.map((length, i) => decayingIr(length, 3 + i));
    if (gap) irs[0].fill(0, 1, 1700);
    const frames = 12000;
    const input = Array.from({ length: channels }, (_, c) => Float32Array.from({ length: frames }, (_, i) => 0.5 * Math.sin(i * (0.01 + 0.37 * c)) + 0.3 * Math.sin(i * i * 1e-4)));
    for (const block of [1, 77, 1000, 4096]) {
      const convolver = new PartitionedConvolver(48000, channels, { impulseResponses: irs, partitionFrames: partition, tailPartitionFrames: tail });
      assert.equal(convolver.latency, partition);
      const output = render(convolver, input, block);
      for (let c = 0; c < channels; c++) {
        const expected = direct(input[c], irs[irs.length === 1 ? 0 : c], partition);
        for (let i = 0; i < frames; i++) worst = Math.max(worst, Math.abs(output[c][i] - expected[i]));
      }
    }
  }
  return worst;
}

test('convolver: equals direct time-domain convolution (delayed by the partition) within 1e-5 for any block size, IR length and channel count', () => {
  const worst = worstErrorAgainstDirect();
  assert.ok(worst < 1e-5, `max error ${worst}`);
});

test('convolver: the f64 JS path (no WebAssembly SIMD) equals direct convolution within 1e-5 too', () => {
  setFdlMacEnabled(false);
  try {
    const worst = worstErrorAgainstDirect();
    assert.ok(worst < 1e-5, `max error ${worst}`);
  } finally {
    setFdlMacEnabled(true);
  }
});

test('convolver: silence after signal becomes exact zeros once the IR has passed; reset clears; bad options throw', () => {
  const convolver = new PartitionedConvolver(44100, 2, { impulseResponses: [decayingIr(2000, 9)], partitionFrames: 256 });
  const noisy = [Float32Array.from({ length: 3000 }, (_, i) => Math.sin(i)), Float32Array.from({ length: 3000 }, (_, i) => Math.cos(i))];
  render(convolver, noisy, 300);
  const [tail] = render(convolver, [new Float32Array(6000), new Float32Array(6000)], 300);
  assert.ok(tail.subarray(2000 + 512).every((v) => v === 0));
  assert.throws(() => new PartitionedConvolver(48000, 2, { impulseResponses: [new Float32Array(10)], partitionFrames: 100 }), RangeError);
  assert.throws(() => new PartitionedConvolver(48000, 3, { impulseResponses: [new Float32Array(10), new Float32Array(10)] }), RangeError);
  assert.throws(() => new PartitionedConvolver(48000, 1, { impulseResponses: [Float32Array.of(1, NaN)] }), RangeError);
  assert.throws(() => new PartitionedConvolver(48000, 1, { impulseResponses: [new Float32Array(10)], partitionFrames: 512, tailPartitionFrames: 512 }), RangeError);
  assert.equal(new PartitionedConvolver(48000, 1, { impulseResponses: [new Float32Array(10)], partitionFrames: 512, tailPartitionFrames: 2048 }).tailPartitionFrames, 0);
});
