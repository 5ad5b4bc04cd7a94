// Onset counting from band-energy flux: each 10 ms hop brings the energy above ~150 Hz and of the
// 5-10 kHz band; the onset strength is the summed rise in dB over two hops (a two-band spectral flux,
// log-compressed as in Bello et al., "A tutorial on onset detection in music signals", IEEE TSAP 2005),
// and onsets are its peaks above an absolute and an adaptive threshold. Bounded memory: a short ring.

/** Peaks closer than this many hops (50 ms) count once. */
const MIN_SPACING_HOPS = 5;
/** The adaptive threshold is the mean strength over +-this many hops (200 ms) ... */
const MEAN_HALF_WINDOW_HOPS = 20;
/** ... plus this (dB), and never below ABSOLUTE_THRESHOLD_DB: a steady pink bed reaches 4.2 dB in 1 % of hops, a hit rises 10 dB and more. */
const RELATIVE_THRESHOLD_DB = 3;
const ABSOLUTE_THRESHOLD_DB = 6;
/** Energies are floored here (mean square, -80 dB) so fades out of digital silence stay finite. */
const ENERGY_FLOOR = 1e-8;
const RING = 2 * MEAN_HALF_WINDOW_HOPS + 1;

export class OnsetCounter {
  onsets = 0;
  private readonly strengths = new Float64Array(RING);
  private hops = 0;
  /** dB energies of the last two hops, per band (above 150 Hz, 5-10 kHz). */
  private fullDb1 = NaN;
  private fullDb2 = NaN;
  private highDb1 = NaN;
  private highDb2 = NaN;

  /** One hop: mean squares of the broad band and of the high band. */
  push(fullEnergy: number, highEnergy: number): void {
    const fullDb = 10 * Math.log10(fullEnergy + ENERGY_FLOOR);
    const highDb = 10 * Math.log10(highEnergy + ENERGY_FLOOR);
    // Rise against the hop two back, so an attack split across a hop boundary still shows whole.
    let strength = 0;
    if (this.hops >= 2) {
      strength = Math.max(0, fullDb - this.fullDb2) + Math.max(0, highDb - this.highDb2);
    }
    this.fullDb2 = this.fullDb1; this.fullDb1 = fullDb;
    this.highDb2 = this.highDb1; this.highDb1 = highDb;
    this.addStrength(strength);
  }

  /** Flushes the hops still waiting for their look-ahead. */
  finish(): void {
    for (let i = 0; i < MEAN_HALF_WINDOW_HOPS; i++) this.addStrength(0);
  }

  private addStrength(strength: number): void {
    this.strengths[this.hops % RING] = strength;
    this.hops++;
    // Judge the hop MEAN_HALF_WINDOW_HOPS back: its whole neighbourhood is now in the ring.
    const centre = this.hops - 1 - MEAN_HALF_WINDOW_HOPS;
    if (centre < 0) return;
    const value = this.strengths[centre % RING];
    if (value < ABSOLUTE_THRESHOLD_DB) return;
    let sum = 0;
    const first = Math.max(0, centre - MEAN_HALF_WINDOW_HOPS);
    for (let k = first; k < this.hops; k++) sum += this.strengths[k % RING];
    if (value < sum / (this.hops - first) + RELATIVE_THRESHOLD_DB) return;
    // A local maximum: strictly above earlier neighbours, not below later ones (one count per plateau).
    for (let k = Math.max(0, centre - MIN_SPACING_HOPS); k < centre; k++) if (this.strengths[k % RING] >= value) return;
    for (let k = centre + 1; k <= centre + MIN_SPACING_HOPS; k++) if (this.strengths[k % RING] > value) return;
    this.onsets++;
  }
}
