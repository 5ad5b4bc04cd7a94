// The detector signal of a keyed dynamics processor: the key (the processor's own input or an
// external sidechain) mapped to the processor's channels and optionally high-passed (12 dB/octave
// Butterworth, RBJ cookbook biquad), so bass does not pump the detector.
import { Biquad } from '../filters/biquad.js';
import { heapBiquadBytes, heapBiquadStorage, type BiquadKernel, type HeapBiquadStorage } from '../filters/biquad-kernel.js';
import { HeapChannels, type KernelHeap } from '../utility/kernel-heap.js';

export class SidechainKey {
  private hpf: Biquad | null = null;
  readonly scratch: Float32Array[];
  /** With a heap: the scratch buffers and the high-pass's numbers live there, and a stereo key can go through `kernel`. */
  private readonly heapScratch: HeapChannels | null = null;
  private readonly storage: HeapBiquadStorage | undefined;

  /** `chunkFrames`: the most frames prepare() is asked for at once. */
  constructor(
    private readonly sampleRate: number, private readonly channelCount: number, chunkFrames: number, highPassHz = 0,
    heap?: KernelHeap, private readonly kernel: BiquadKernel | null = null,
  ) {
    if (heap) {
      this.heapScratch = new HeapChannels(heap, channelCount, chunkFrames);
      this.scratch = this.heapScratch.arrays;
      this.storage = heapBiquadStorage(heap, channelCount);
    } else {
      this.scratch = Array.from({ length: channelCount }, () => new Float32Array(chunkFrames));
    }
    this.setHighPass(highPassHz);
  }

  static heapBytes(channelCount: number, chunkFrames: number): number {
    return HeapChannels.bytes(channelCount, chunkFrames) + heapBiquadBytes(channelCount);
  }

  /** True when prepare() would change nothing for a key with the processor's channel count. */
  get transparent(): boolean {
    return this.hpf === null;
  }

  /** Corner of the high-pass, Hz (0: off). A change of an active filter glides. */
  setHighPass(hz: number): void {
    if (hz === 0) this.hpf = null;
    else if (this.hpf === null) this.hpf = new Biquad(this.sampleRate, this.channelCount, { type: 'highPass', frequencyHz: hz, q: Math.SQRT1_2 }, this.storage);
    else this.hpf.set({ frequencyHz: hz });
  }

  /**
   * key[·][start, start + count) mapped to the processor's channels (a key with another channel
   * count drives every channel with its mean) and high-passed, in scratch buffers from index 0.
   */
  prepare(key: Float32Array[], start: number, count: number): Float32Array[] {
    const n = this.channelCount, scratch = this.scratch;
    if (key.length === n) {
      for (let c = 0; c < n; c++) { const k = key[c], s = scratch[c]; for (let i = 0; i < count; i++) s[i] = k[start + i]; }
    } else {
      const s0 = scratch[0], scale = 1 / key.length;
      for (let i = 0; i < count; i++) { let sum = 0; for (let k = 0; k < key.length; k++) sum += key[k][start + i]; s0[i] = sum * scale; }
      for (let c = 1; c < n; c++) scratch[c].set(s0);
    }
    this.hpf?.process(scratch, count);
    return scratch;
  }

  /**
   * prepare() for a stereo key already in the heap (byte addresses of its two channels), through the
   * biquad kernel into the scratch buffers: the same result. Returns false when the kernel cannot do
   * it (no kernel, no high-pass, or the high-pass is gliding): then use prepare().
   */
  prepareInHeap(leftAt: number, rightAt: number, count: number): boolean {
    const hpf = this.hpf, kernel = this.kernel, scratch = this.heapScratch, storage = this.storage;
    if (hpf === null || kernel === null || scratch === null || storage === undefined || !hpf.settled) return false;
    kernel.section(leftAt, rightAt, scratch.at[0], scratch.at[1], count, storage.coefficientsAt, storage.stateAt);
    hpf.skipSettled(count);
    return true;
  }

  reset(): void {
    this.hpf?.reset();
  }
}
