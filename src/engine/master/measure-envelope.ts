// The per-sample half of mastering analysis, run on the mid signal: crest of 50 ms windows (full band
// and below 150 Hz), the 10 ms level distribution of the 5-10 kHz band (sibilance), and the onset
// counter fed by 10 ms band energies. Two Butterworth cascades and running sums; histograms, not arrays.
import { DENORMAL_FLOOR } from '../dsp/api.js';
import { SECTION_COEFFICIENT_STRIDE, SECTION_STATE_STRIDE } from '../dsp/filters/sections.js';
import { butterworthSectionsInto } from '../dsp/filters/butterworth.js';
import { DbHistogram } from './measure-histogram.js';
import { OnsetCounter } from './measure-onsets.js';

/** Crest windows (s): long enough for a drum hit's attack and body, short enough to see each hit. */
export const CREST_WINDOW_SECONDS = 0.05;
/** Sibilance and onset hop (s). */
export const SHORT_HOP_SECONDS = 0.01;
/** Below 150 Hz: kick and bass. */
export const LOW_BAND_HZ = 150;
export const SIBILANCE_LOW_HZ = 5000;
export const SIBILANCE_HIGH_HZ = 10000;
/** Windows quieter than this mean square (-60 dB re full-scale square) are not music being played. */
const GATE_MEAN_SQUARE = 1e-6;

export interface EnvelopeResult {
  shortCrestDb: number | null;
  lowShortCrestDb: number | null;
  sibilancePeakToMedianDb: number | null;
  onsets: number;
}

export class EnvelopeMeters {
  private readonly crestFrames: number;
  private readonly hopFrames: number;
  /** Butterworth 4th-order low-pass at 150 Hz: 2 sections [b0, b1, b2, a1, a2]. */
  private readonly low = new Float64Array(2 * SECTION_COEFFICIENT_STRIDE);
  /** Butterworth 4th-order high-pass at 5 kHz, then 2nd-order low-pass at 10 kHz: 3 sections (all zero above Nyquist). */
  private readonly high = new Float64Array(3 * SECTION_COEFFICIENT_STRIDE);
  private readonly hasHigh: boolean;
  /** Direct form I state (x1, x2, y1, y2) of the 5 sections: low 0-1, high 2-4. */
  private readonly state = new Float64Array(5 * SECTION_STATE_STRIDE);
  private readonly crest = new DbHistogram(0, 40, 0.05);
  private readonly lowCrest = new DbHistogram(0, 40, 0.05);
  private readonly sibilance = new DbHistogram(-140, 20, 0.1);
  readonly onsetCounter = new OnsetCounter();
  // Running window sums (absolute sample positions, so block sizes do not matter).
  private crestFill = 0;
  private peak = 0;
  private squares = 0;
  private lowPeak = 0;
  private lowSquares = 0;
  private hopFill = 0;
  private hopSquares = 0;
  private hopUpperSquares = 0;
  private hopHighSquares = 0;

  constructor(sampleRate: number) {
    this.crestFrames = Math.max(1, Math.round(CREST_WINDOW_SECONDS * sampleRate));
    this.hopFrames = Math.max(1, Math.round(SHORT_HOP_SECONDS * sampleRate));
    butterworthSectionsInto(sampleRate, 'lowPass', LOW_BAND_HZ, 4, this.low);
    this.hasHigh = sampleRate / 2 > SIBILANCE_HIGH_HZ;
    if (this.hasHigh) {
      const lowPass = new Float64Array(SECTION_COEFFICIENT_STRIDE);
      butterworthSectionsInto(sampleRate, 'highPass', SIBILANCE_LOW_HZ, 4, this.high);
      butterworthSectionsInto(sampleRate, 'lowPass', SIBILANCE_HIGH_HZ, 2, lowPass);
      this.high.set(lowPass, 2 * SECTION_COEFFICIENT_STRIDE);
    }
  }

  /** Measures `count` mid samples. */
  push(mid: Float64Array, count: number): void {
    let position = 0;
    while (position < count) {
      // Walk to the next window or hop boundary, whichever comes first.
      const end = position + Math.min(count - position, this.crestFrames - this.crestFill, this.hopFrames - this.hopFill);
      this.run(mid, position, end);
      const taken = end - position;
      this.crestFill += taken;
      this.hopFill += taken;
      position = end;
      if (this.crestFill === this.crestFrames) this.completeCrestWindow();
      if (this.hopFill === this.hopFrames) this.completeHop();
    }
  }

  /**
   * The five filter sections and the window sums fused in one loop: the sections' recursions are
   * independent chains, so they overlap (about 3x faster than section-by-section passes).
   */
  private run(mid: Float64Array, start: number, end: number): void {
    const c = this.low, h = this.high, st = this.state;
    // RBJ / bilinear Butterworth sections (dsp/filters/butterworth.ts), direct form I.
    const a0 = c[0], a1 = c[1], a2 = c[2], a3 = c[3], a4 = c[4];
    const b0 = c[5], b1 = c[6], b2 = c[7], b3 = c[8], b4 = c[9];
    const p0 = h[0], p1 = h[1], p2 = h[2], p3 = h[3], p4 = h[4];
    const q0 = h[5], q1 = h[6], q2 = h[7], q3 = h[8], q4 = h[9];
    const r0 = h[10], r1 = h[11], r2 = h[12], r3 = h[13], r4 = h[14];
    let ax1 = st[0], ax2 = st[1], ay1 = st[2], ay2 = st[3];
    let bx1 = st[4], bx2 = st[5], by1 = st[6], by2 = st[7];
    let px1 = st[8], px2 = st[9], py1 = st[10], py2 = st[11];
    let qx1 = st[12], qx2 = st[13], qy1 = st[14], qy2 = st[15];
    let rx1 = st[16], rx2 = st[17], ry1 = st[18], ry2 = st[19];
    let peak = this.peak, squares = this.squares, lowPeak = this.lowPeak, lowSquares = this.lowSquares;
    let hopSquares = this.hopSquares, hopUpperSquares = this.hopUpperSquares, hopHighSquares = this.hopHighSquares;
    for (let i = start; i < end; i++) {
      const m = mid[i];
      const ay = a0 * m + a1 * ax1 + a2 * ax2 - a4 * ay2 - a3 * ay1;
      ax2 = ax1; ax1 = m; ay2 = ay1; ay1 = ay;
      const by = b0 * ay + b1 * bx1 + b2 * bx2 - b4 * by2 - b3 * by1;
      bx2 = bx1; bx1 = ay; by2 = by1; by1 = by;
      const py = p0 * m + p1 * px1 + p2 * px2 - p4 * py2 - p3 * py1;
      px2 = px1; px1 = m; py2 = py1; py1 = py;
      const qy = q0 * py + q1 * qx1 + q2 * qx2 - q4 * qy2 - q3 * qy1;
      qx2 = qx1; qx1 = py; qy2 = qy1; qy1 = qy;
      const ry = r0 * qy + r1 * rx1 + r2 * rx2 - r4 * ry2 - r3 * ry1;
      rx2 = rx1; rx1 = qy; ry2 = ry1; ry1 = ry;
      const a = Math.abs(m); // Math.abs + if: a sign-dependent ternary mispredicts on audio (6x slower)
      if (a > peak) peak = a;
      const square = m * m;
      squares += square;
      hopSquares += square;
      const b = Math.abs(by);
      if (b > lowPeak) lowPeak = b;
      lowSquares += by * by;
      const upper = m - by; // the complement of the low band: what is above ~150 Hz
      hopUpperSquares += upper * upper;
      hopHighSquares += ry * ry;
    }
    st[0] = ax1; st[1] = ax2; st[2] = ay1; st[3] = ay2;
    st[4] = bx1; st[5] = bx2; st[6] = by1; st[7] = by2;
    st[8] = px1; st[9] = px2; st[10] = py1; st[11] = py2;
    st[12] = qx1; st[13] = qx2; st[14] = qy1; st[15] = qy2;
    st[16] = rx1; st[17] = rx2; st[18] = ry1; st[19] = ry2;
    this.peak = peak; this.squares = squares; this.lowPeak = lowPeak; this.lowSquares = lowSquares;
    this.hopSquares = hopSquares; this.hopUpperSquares = hopUpperSquares; this.hopHighSquares = hopHighSquares;
  }

  private completeCrestWindow(): void {
    const n = this.crestFrames;
    addCrest(this.crest, this.peak, this.squares / n);
    addCrest(this.lowCrest, this.lowPeak, this.lowSquares / n);
    this.crestFill = 0;
    this.peak = this.squares = this.lowPeak = this.lowSquares = 0;
  }

  private completeHop(): void {
    const n = this.hopFrames;
    const meanSquare = this.hopSquares / n;
    const highMeanSquare = this.hopHighSquares / n;
    if (this.hasHigh && meanSquare > GATE_MEAN_SQUARE) {
      // dB re a full-scale sine (mean square 1/2), floored at -140 dB.
      this.sibilance.add(10 * Math.log10(2 * highMeanSquare + 1e-14));
    }
    // Onsets from above ~150 Hz: 10 ms of bass holds too few cycles for a steady energy reading.
    this.onsetCounter.push(this.hopUpperSquares / n, highMeanSquare);
    this.hopFill = 0;
    this.hopSquares = this.hopUpperSquares = this.hopHighSquares = 0;
    // Flush tiny filter states once per hop (at absolute positions): silence must not decay into denormals.
    const st = this.state;
    for (let k = 0; k < st.length; k++) if (Math.abs(st[k]) < DENORMAL_FLOOR) st[k] = 0;
  }

  finish(): EnvelopeResult {
    // A trailing partial window or hop is too short to judge; it is dropped.
    this.onsetCounter.finish();
    const median = this.sibilance.percentile(50);
    const p95 = this.sibilance.percentile(95);
    // Rounded to 0.01 dB: the histograms resolve 0.05-0.1 dB, more digits would only be float noise.
    const round = (db: number | null) => (db === null ? null : Math.round(db * 100) / 100);
    return {
      shortCrestDb: round(this.crest.percentile(50)),
      lowShortCrestDb: round(this.lowCrest.percentile(50)),
      sibilancePeakToMedianDb: median !== null && p95 !== null ? round(p95 - median) : null,
      onsets: this.onsetCounter.onsets,
    };
  }
}

/** Crest = peak minus RMS (sox convention: a sine reads 3.01 dB); silent windows are skipped. */
function addCrest(histogram: DbHistogram, peak: number, meanSquare: number): void {
  if (meanSquare > GATE_MEAN_SQUARE) histogram.add(20 * Math.log10(peak) - 10 * Math.log10(meanSquare));
}
