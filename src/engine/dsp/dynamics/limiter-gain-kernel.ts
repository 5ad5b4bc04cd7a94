// The limiter's gain curve with its branchy parts in WebAssembly (limiter-gain-kernel.wat): targets from
// peaks, MinHold and BoxcarCascade over a chunk, bit-identical to their JS loops; AdaptiveRelease runs its
// JS loop between them. MinHold and BoxcarCascade keep their state in this kernel's memory (their storage
// arrays are views onto it), so their JS methods (idle(), reset(), next()) and the kernel's loops work on
// the same state.
import { KernelHeap } from '../utility/kernel-heap.js';
import { BoxcarCascade, MinHold } from './limiter-gain.js';
import { LIMITER_GAIN_KERNEL_WASM_BASE64 } from './limiter-gain-kernel.wasm.js';
import { AdaptiveRelease } from './limiter-release.js';

type Exports = {
  targets(values: number, ceilings: number, n: number, margin: number): number;
  hold(values: number, n: number, block: number, suffix: number, state: number, window: number): void;
  boxcars(values: number, n: number, ring0: number, ring1: number, ring2: number, state: number, boxcar: number, inverse: number): number;
  apply(line: number, mask: number, from: number, gains: number, out: number, n: number): void;
};

export interface ReleaseSettings {
  releaseSeconds: number;
  adaptiveRelease: boolean;
  holdSeconds: number;
}

export class LimiterGainKernel {
  /** Peaks in, target gains (targets()), then the gain curve (run()) out: `maxFrames` values. */
  readonly values: Float64Array;
  /** The linear ceiling per frame, for targets(). */
  readonly ceilings: Float64Array;
  readonly hold: MinHold;
  readonly release: AdaptiveRelease;
  readonly smoother: BoxcarCascade;
  /** Per channel: the limiter's delay line (a power of two long) and the gained chunk (apply()). */
  readonly lines: Float32Array[];
  readonly outputs: Float32Array[];
  private readonly lineAt: number[];
  private readonly outputAt: number[];
  private readonly at: { values: number; ceilings: number; block: number; suffix: number; holdState: number; ring0: number; ring1: number; ring2: number; boxState: number };

  /** A kernel for chunks of up to `maxFrames`, or null where WebAssembly SIMD is unavailable or the boxcar is too long for it. */
  static create(sampleRate: number, channelCount: number, maxFrames: number, lineFrames: number, holdWindow: number, boxcar: number,
    release: ReleaseSettings): LimiterGainKernel | null {
    if (!BoxcarCascade.exactByInverseFor(boxcar) || boxcar === 1) return null;
    const bytes = KernelHeap.bytes(2, maxFrames, 8) + KernelHeap.bytes(2, holdWindow, 8) + KernelHeap.bytes(3, boxcar, 8) + 2 * 64
      + KernelHeap.bytes(channelCount, lineFrames, 4) + KernelHeap.bytes(channelCount, maxFrames, 4);
    const heap = KernelHeap.create(bytes, LIMITER_GAIN_KERNEL_WASM_BASE64);
    const exports = heap?.instantiate<Exports>(LIMITER_GAIN_KERNEL_WASM_BASE64);
    if (!heap || !exports) return null;
    return new LimiterGainKernel(heap, exports, sampleRate, channelCount, maxFrames, lineFrames, holdWindow, boxcar, release);
  }

  private constructor(heap: KernelHeap, private readonly exports: Exports, sampleRate: number, channelCount: number, maxFrames: number,
    lineFrames: number, holdWindow: number, boxcar: number, release: ReleaseSettings) {
    const values = heap.f64(maxFrames), ceilings = heap.f64(maxFrames);
    const block = heap.f64(holdWindow), suffix = heap.f64(holdWindow), holdState = heap.f64(3);
    const ring0 = heap.f64(boxcar), ring1 = heap.f64(boxcar), ring2 = heap.f64(boxcar), boxState = heap.f64(4);
    this.values = values.array;
    this.ceilings = ceilings.array;
    this.hold = new MinHold(holdWindow, { block: block.array, suffix: suffix.array, state: holdState.array });
    this.release = new AdaptiveRelease(sampleRate, release.releaseSeconds, release.adaptiveRelease, release.holdSeconds);
    this.smoother = new BoxcarCascade(boxcar, { ring0: ring0.array, ring1: ring1.array, ring2: ring2.array, state: boxState.array });
    const lines = Array.from({ length: channelCount }, () => heap.f32(lineFrames));
    const outputs = Array.from({ length: channelCount }, () => heap.f32(maxFrames));
    this.lines = lines.map((b) => b.array);
    this.lineAt = lines.map((b) => b.at);
    this.outputs = outputs.map((b) => b.array);
    this.outputAt = outputs.map((b) => b.at);
    this.at = {
      values: values.at, ceilings: ceilings.at, block: block.at, suffix: suffix.at, holdState: holdState.at,
      ring0: ring0.at, ring1: ring1.at, ring2: ring2.at, boxState: boxState.at,
    };
  }

  /** values[i] = target gain for peak values[i] under the limit ceilings[i] * margin (1 within it); true if every target is 1. */
  targets(n: number, margin: number): boolean {
    return this.exports.targets(this.at.values, this.at.ceilings, n, margin) !== 0;
  }

  /** outputs[c][i] = lines[c][(from + i) & mask] * values[i] (f32), i < n: channel c's delayed chunk times the gain curve. */
  apply(c: number, mask: number, from: number, n: number): void {
    this.exports.apply(this.lineAt[c], mask, from, this.at.values, this.outputAt[c], n);
  }

  /** The gain curve of the targets in `values`, in place (hold, release in JS, boxcars); returns its smallest gain (at most 1). */
  run(n: number): number {
    const { exports, at } = this;
    exports.hold(at.values, n, at.block, at.suffix, at.holdState, this.hold.window);
    this.release.run(this.values, n);
    return exports.boxcars(at.values, n, at.ring0, at.ring1, at.ring2, at.boxState, this.smoother.boxcar, this.smoother.inverse);
  }
}
