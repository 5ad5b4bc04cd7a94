// Long series (an hour of short-term loudness every 100 ms is 36 000 values) are cut down before they
// become SVG points: no screen shows more than ~1500 x positions, and the file must stay small.
// Min/max per bucket keeps every peak and dip a reader would look for, which averaging would hide.

/** Indexes into the series to draw, in order; null marks a gap (the series is null there). */
export type PlotIndexes = (number | null)[];

/**
 * Indexes of at most `maxPoints` values of `values`: all of them when they fit, else the minimum and
 * the maximum of each of `maxPoints / 2` equal buckets (in time order). A bucket with no value is a
 * gap; nulls shorter than a bucket are bridged (they are narrower than a pixel).
 */
export function decimateMinMax(values: ArrayLike<number | null>, maxPoints: number): PlotIndexes {
  const count = values.length;
  const out: PlotIndexes = [];
  const pushGap = () => {
    if (out.length > 0 && out[out.length - 1] !== null) out.push(null);
  };
  const isValue = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);
  if (count <= maxPoints) {
    for (let i = 0; i < count; i++) if (isValue(values[i])) out.push(i); else pushGap();
  } else {
    const buckets = Math.max(1, Math.floor(maxPoints / 2));
    const size = count / buckets;
    for (let b = 0; b < buckets; b++) {
      const start = Math.floor(b * size);
      const end = b === buckets - 1 ? count : Math.floor((b + 1) * size);
      let minIndex = -1;
      let maxIndex = -1;
      for (let i = start; i < end; i++) {
        const v = values[i];
        if (!isValue(v)) continue;
        if (minIndex < 0 || v < values[minIndex]!) minIndex = i;
        if (maxIndex < 0 || v > values[maxIndex]!) maxIndex = i;
      }
      if (minIndex < 0) pushGap();
      else if (minIndex === maxIndex) out.push(minIndex);
      else out.push(Math.min(minIndex, maxIndex), Math.max(minIndex, maxIndex));
    }
  }
  if (out[out.length - 1] === null) out.pop();
  return out;
}

/** Splits drawing indexes at the gaps: one run per polyline. */
export function splitAtGaps(indexes: PlotIndexes): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  for (const index of indexes) {
    if (index === null) {
      if (run.length > 0) runs.push(run);
      run = [];
    } else {
      run.push(index);
    }
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
