// The detector signal of a keyed dynamics processor: the key (the processor's own input or an
// external sidechain) mapped to the processor's channels and optionally high-passed (12 dB/octave
// Butterworth, RBJ cookbook biquad), so bass does not pump the detector.
import { Biquad } from '../filters/biquad.js';

export class SidechainKey {
  private hpf: Biquad | null = null;
  private readonly scratch: Float32Array[];

  /** `chunkFrames`: the most frames prepare() is asked for at once. */
  constructor(private readonly sampleRate: number, private readonly channelCount: number, chunkFrames: number, highPassHz = 0) {
    this.scratch = Array.from({ length: channelCount }, () => new Float32Array(chunkFrames));
    this.setHighPass(highPassHz);
  }

  /** True when prepare() would change nothing for a key with the processor's channel count. */
  get transparent(): boolean {
    return this.hpf === null;
  }

  /** Corner of the high-pass, Hz (0: off). A change of an active filter glides. */
  setHighPass(hz: number): void {
    if (hz === 0) this.hpf = null;
    else if (this.hpf === null) this.hpf = new Biquad(this.sampleRate, this.channelCount, { type: 'highPass', frequencyHz: hz, q: Math.SQRT1_2 });
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

  reset(): void {
    this.hpf?.reset();
  }
}
