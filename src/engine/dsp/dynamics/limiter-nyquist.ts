// Envelope of the content near Nyquist, where the limiter's 4x detector under-reads. Its first
// halfband is flat to 0.45 fs and -6 dB at fs/2, so near fs/2 it can miss up to 2 (1 - H(f)) of a
// component's amplitude: 0.01 at 0.46 fs, 0.26 at 0.48 fs, 0.58 at 0.49 fs, 1 at fs/2. Sample-exact
// squares and hard-clipped masters put enough there that an ideal (long-sinc) 8x measure reads up to
// 0.4 dB above the detector. The detector adds this envelope, a bound on what it misses:
//   (-1)^n x[n] moves fs/2 to DC, so a component at 0.5 - z lands at z;
//   a 4th-order Butterworth lowpass at z = 0.016 weighs it by >= 2 (1 - H): 0.98 at z = 0.01,
//   0.38 at 0.02, 0.08 at 0.03, 0.026 at 0.04 (and rejects everything below 0.4 fs by > 50 dB);
//   a peak follower (2 ms release) holds the amplitude across the beat of its in-phase and
//   quadrature parts (only the in-phase part shows at the samples).
// Biquads: RBJ Audio EQ Cookbook lowpass, Butterworth Qs 1 / (2 cos(pi/8)) and 1 / (2 cos(3 pi/8)),
// transposed direct form II.
/** Cutoff of the demodulated lowpass, cycles per sample (0.5 - this = 0.484 fs). */
export const NYQUIST_BAND_CUTOFF = 0.016;
const RELEASE_SECONDS = 0.002;
/** Added to the demodulated signal: -400 dB, yet a normal number, so nothing in here decays to denormals. */
export const NYQUIST_DC_GUARD = 1e-20;
const DC_GUARD = NYQUIST_DC_GUARD;

function lowpass(cutoff: number, q: number): [number, number, number, number, number] {
  const w0 = 2 * Math.PI * cutoff;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha;
  return [(1 - cos) / 2 / a0, (1 - cos) / a0, (1 - cos) / 2 / a0, (-2 * cos) / a0, (1 - alpha) / a0];
}
const [B0, B1, B2, A1, A2] = lowpass(NYQUIST_BAND_CUTOFF, 1 / (2 * Math.cos(Math.PI / 8)));
const [C0, C1, C2, D1, D2] = lowpass(NYQUIST_BAND_CUTOFF, 1 / (2 * Math.cos((3 * Math.PI) / 8)));
/** Both biquads' coefficients, B0 B1 B2 A1 A2 C0 C1 C2 D1 D2 (for the detector's wasm kernel). */
export const NYQUIST_BAND_COEFFICIENTS: readonly number[] = [B0, B1, B2, A1, A2, C0, C1, C2, D1, D2];
/** Per-sample decay of the envelope's peak follower. */
export const nyquistRelease = (sampleRate: number) => Math.exp(-1 / (RELEASE_SECONDS * sampleRate));

export class NyquistBandEnvelope {
  /** Per channel: 2 state values per biquad. */
  private readonly state: Float64Array;
  private readonly envelope: Float64Array;
  private readonly release: number;
  private frame = 0;

  constructor(sampleRate: number, private readonly channelCount: number) {
    this.state = new Float64Array(channelCount * 4);
    this.envelope = new Float64Array(channelCount);
    this.release = nyquistRelease(sampleRate);
  }

  /** out[i] = max over channels of the envelope after input frame i. */
  process(input: Float32Array[], frames: number, out: Float64Array): void {
    const release = this.release;
    for (let i = 0; i < frames; i++) out[i] = 0;
    for (let c = 0; c < this.channelCount; c++) {
      const x = input[c];
      let s0 = this.state[4 * c];
      let s1 = this.state[4 * c + 1];
      let s2 = this.state[4 * c + 2];
      let s3 = this.state[4 * c + 3];
      let envelope = this.envelope[c];
      // The sign follows the absolute frame index, so blocks can be cut anywhere.
      let sign = (this.frame & 1) === 0 ? 1 : -1;
      for (let i = 0; i < frames; i++) {
        // A constant far below any signal keeps the filter state out of denormals (it passes at DC).
        const v = sign * x[i] + DC_GUARD;
        sign = -sign;
        const u = B0 * v + s0;
        s0 = B1 * v - A1 * u + s1;
        s1 = B2 * v - A2 * u;
        const y = C0 * u + s2;
        s2 = C1 * u - D1 * y + s3;
        s3 = C2 * u - D2 * y;
        const a = y < 0 ? -y : y;
        envelope = a > envelope ? a : envelope * release;
        if (envelope > out[i]) out[i] = envelope;
      }
      this.state[4 * c] = s0;
      this.state[4 * c + 1] = s1;
      this.state[4 * c + 2] = s2;
      this.state[4 * c + 3] = s3;
      this.envelope[c] = envelope;
    }
    this.frame += frames;
  }

  reset(): void {
    this.state.fill(0);
    this.envelope.fill(0);
    this.frame = 0;
  }
}
