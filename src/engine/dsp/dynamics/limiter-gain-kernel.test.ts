import { assert, test } from '../../../../test/support/node-test.js';
import { AdaptiveRelease } from './limiter-release.js';
import { BoxcarCascade, MinHold } from './limiter-gain.js';
import { LimiterGainKernel } from './limiter-gain-kernel.js';

/** Peaks as the detector reports them: quiet runs (under the limit), overs of any depth and length. */
function peaks(count: number, seed: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count;) {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    const run = 1 + (seed % 6000);
    const over = (seed >>> 9) % 3 !== 0;
    for (let k = 0; k < run && i < count; k++, i++) {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      out[i] = over ? 0.5 + 2 * (seed / 4294967296) : 0.6 * (seed / 4294967296);
    }
  }
  return out;
}

test('limiter gain kernel: targets, hold, release and boxcars equal the JS loops bit for bit (chunks of any length, idle chunks, reconfiguration)', (t) => {
  const sampleRate = 44100;
  // Boxcar 49: at rest, floor(sum * (1 / b)) lands one below the exact quotient (the correction step runs).
  for (const [window, boxcar, adaptive] of [[159, 49, true], [12, 2, false], [1000, 300, true]] as const) {
    const release = { releaseSeconds: 0.001, adaptiveRelease: adaptive, holdSeconds: 0.004 };
    const kernel = LimiterGainKernel.create(sampleRate, 2, 256, 512, window, boxcar, release);
    if (kernel === null) {
      t.skip('no WebAssembly SIMD here');
      return;
    }
    const hold = new MinHold(window);
    const releaseJs = new AdaptiveRelease(sampleRate, release.releaseSeconds, adaptive, release.holdSeconds);
    const smoother = new BoxcarCascade(boxcar);
    const input = peaks(150000, boxcar);
    const ceilings = new Float64Array(256);
    const js = new Float64Array(256);
    let idleChunks = 0;
    for (let start = 0, r = 0; start < input.length; r++) {
      const n = Math.min(input.length - start, [256, 1, 97, 256, 255, 2][r % 6]);
      const ceiling = r % 40 < 20 ? 0.9 : 0.7;
      ceilings.fill(ceiling);
      kernel.ceilings.fill(ceiling);
      if (r === 150) {
        kernel.release.configure(0.003, !adaptive, 0.01);
        releaseJs.configure(0.003, !adaptive, 0.01);
      }
      // The JS reference: the limiter's loop.
      let quietJs = true;
      for (let i = 0; i < n; i++) {
        const limit = ceilings[i] * 0.99;
        const target = input[start + i] > limit ? limit / input[start + i] : 1;
        js[i] = target;
        if (target !== 1) quietJs = false;
      }
      kernel.values.set(input.subarray(start, start + n));
      const quiet = kernel.targets(n, 0.99);
      assert.equal(quiet, quietJs, `chunk ${r}: quiet`);
      assert.deepEqual(kernel.values.subarray(0, n), js.subarray(0, n), `chunk ${r}: targets`);
      const idleJs = quietJs && releaseJs.idle && hold.idle(n) && smoother.idle(n);
      const idle = quiet && kernel.release.idle && kernel.hold.idle(n) && kernel.smoother.idle(n);
      assert.equal(idle, idleJs, `chunk ${r}: idle`);
      if (idle) {
        idleChunks++;
      } else {
        hold.run(js, n);
        releaseJs.run(js, n);
        smoother.run(js, n);
        let smallestJs = 1;
        for (let i = 0; i < n; i++) if (js[i] < smallestJs) smallestJs = js[i];
        const smallest = kernel.run(n);
        assert.deepEqual(kernel.values.subarray(0, n), js.subarray(0, n), `window ${window}, chunk ${r}: gains`);
        assert.equal(smallest, smallestJs, `chunk ${r}: smallest`);
      }
      start += n;
    }
    assert.ok(idleChunks > 2, `window ${window}: idle chunks taken: ${idleChunks}`);
    // and the next values after all that still agree (state carried identically)
    assert.equal(kernel.hold.next(0.5), hold.next(0.5));
    assert.equal(kernel.smoother.next(0.5), smoother.next(0.5));
    assert.equal(kernel.release.next(0.5), releaseJs.next(0.5));
  }
});
