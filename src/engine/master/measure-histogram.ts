// A fixed-bin histogram of dB values: percentiles of a stream of short-window levels in constant
// memory (a 60-minute file holds 360 000 ten-millisecond windows; the histogram holds a few thousand counts).

export class DbHistogram {
  readonly minDb: number;
  readonly binDb: number;
  private readonly counts: Float64Array;
  count = 0;

  constructor(minDb: number, maxDb: number, binDb: number) {
    if (!(maxDb > minDb && binDb > 0)) throw new RangeError(`histogram: need maxDb > minDb and binDb > 0, got ${minDb}..${maxDb} / ${binDb}`);
    this.minDb = minDb;
    this.binDb = binDb;
    this.counts = new Float64Array(Math.ceil((maxDb - minDb) / binDb));
  }

  /** Adds one value; values outside the range land in the first or last bin. */
  add(db: number): void {
    const last = this.counts.length - 1;
    let bin = Math.floor((db - this.minDb) / this.binDb);
    bin = bin < 0 ? 0 : bin > last ? last : bin;
    this.counts[bin]++;
    this.count++;
  }

  /** The value below which `percent` % of the values lie (bin centre, so within binDb / 2); null when empty. */
  percentile(percent: number): number | null {
    if (this.count === 0) return null;
    // Nearest rank: the k-th smallest value with k = ceil(p n / 100), at least 1.
    const rank = Math.max(1, Math.ceil((percent / 100) * this.count));
    let seen = 0;
    for (let bin = 0; bin < this.counts.length; bin++) {
      seen += this.counts[bin];
      if (seen >= rank) return this.minDb + (bin + 0.5) * this.binDb;
    }
    return this.minDb + (this.counts.length - 0.5) * this.binDb;
  }
}
