// The four plots of a master report, each answering one question a musician asks of a master:
// what happened to the tone, to the loudness over the song, how hard the limiter worked, and what
// happened to the stereo image per band.
import type { MasterReport } from '../engine/master/api.js';
import { formatDb, formatLufs } from './format.js';
import { fittedAxis, linearAxis, logFrequencyAxis, timeAxis } from './scale.js';
import { COLORS, renderPlot, type PlotSeries, type ReferenceLine } from './svg-plot.js';
import type { SafeHtml } from './html.js';

const BEFORE = { color: COLORS.before, widthPx: 1.75 };
const AFTER = { color: COLORS.after, widthPx: 2.25 };
const TARGET = { color: COLORS.target, widthPx: 1.75, dash: '7 5' };

/** Spectrum before/after with the target curve, then the EQ that was applied (mid, and side for stereo). */
export function spectrumPlots(report: MasterReport): { spectrum: SafeHtml; eq: SafeHtml } {
  const s = report.spectrum;
  const series: PlotSeries[] = [
    { label: 'Before (mid)', xs: s.bandsHz, ys: s.beforeDb, ...BEFORE },
    { label: 'After (mid)', xs: s.bandsHz, ys: s.afterDb, ...AFTER },
  ];
  if (s.targetDb) series.push({ label: 'Target curve (aligned to the mix)', xs: s.bandsHz, ys: s.targetDb, ...TARGET });
  const spectrum = renderPlot({
    title: 'Third-octave spectrum of mid before and after mastering, with the target curve',
    x: logFrequencyAxis(),
    y: fittedAxis(series.map((x) => x.ys), 'level (dB)', { floor: -100, ceiling: 0, minSpan: 12, fallback: [-60, 0] }),
    series,
    emptyText: 'no spectrum measured (silent input)',
  });
  const eqSeries: PlotSeries[] = [{ label: 'EQ on mid', xs: s.bandsHz, ys: s.eqMidDb, color: COLORS.after, widthPx: 2.25 }];
  if (s.eqSideDb) eqSeries.push({ label: 'EQ on side', xs: s.bandsHz, ys: s.eqSideDb, color: COLORS.side, widthPx: 2, dash: '2 3' });
  const eq = renderPlot({
    title: 'Equalisation applied to mid and side',
    x: logFrequencyAxis(),
    // Cuts of a high-pass go far down; ±12 dB is where tonal decisions live.
    y: fittedAxis(eqSeries.map((x) => x.ys), 'EQ gain (dB)', { include: [0], floor: -12, ceiling: 12, minSpan: 6, maxTicks: 4 }),
    series: eqSeries,
    heightPx: 210,
    emptyText: 'no EQ applied',
  });
  return { spectrum, eq };
}

/** Short-term loudness (3 s windows) across the song, before and after, with the target loudness. */
export function loudnessPlot(report: MasterReport): SafeHtml {
  const l = report.loudnessOverTime;
  const hop = l.hopSeconds;
  const count = Math.max(l.beforeShortTermLufs.length, l.afterShortTermLufs.length);
  // Element k is the window ending at (k + 1) · hop (as the analysis reports series).
  const xs = (index: number) => (index + 1) * hop;
  const series: PlotSeries[] = [
    { label: 'Before', xs, ys: l.beforeShortTermLufs, ...BEFORE },
    { label: 'After', xs, ys: l.afterShortTermLufs, ...AFTER },
  ];
  const targetLufs = report.target.integratedLufs;
  const references: ReferenceLine[] = targetLufs === null ? [] : [{ y: targetLufs, label: `target ${formatLufs(targetLufs)}`, ...TARGET, inLegend: true }];
  return renderPlot({
    title: 'Short-term loudness over time before and after mastering',
    x: timeAxis(Math.max(report.durationSeconds, count * hop)),
    y: fittedAxis(series.map((x) => x.ys), 'short-term loudness (LUFS)', { include: [targetLufs], floor: -50, ceiling: 0, minSpan: 10, fallback: [-30, -10] }),
    series,
    references,
    emptyText: 'no loudness measured (silent input)',
  });
}

/** Limiter gain reduction hanging down from 0 dB, with its maximum and mean marked. */
export function gainReductionPlot(report: MasterReport): SafeHtml {
  const g = report.gainReduction;
  const reductionDb = g.limiterDb.map((db) => (Number.isFinite(db) ? -db : null));
  const hop = g.hopSeconds;
  const references: ReferenceLine[] = [];
  if (g.maxDb > 0) references.push({ y: -g.maxDb, label: `max ${formatDb(g.maxDb)}`, color: COLORS.statistic, widthPx: 1, dash: '4 4' });
  if (g.meanDb > 0) references.push({ y: -g.meanDb, label: `mean ${formatDb(g.meanDb)}`, color: COLORS.statistic, widthPx: 1, dash: '1 3' });
  return renderPlot({
    title: 'Limiter gain reduction over time',
    x: timeAxis(Math.max(report.durationSeconds, g.limiterDb.length * hop)),
    y: fittedAxis([reductionDb], 'gain reduction (dB)', { include: [0, -g.maxDb], floor: -24, ceiling: 0, minSpan: 1, maxTicks: 4 }),
    series: [{ label: 'Limiter gain reduction', xs: (index) => (index + 1) * hop, ys: reductionDb, color: COLORS.reduction, widthPx: 1.25, fillTo: 0 }],
    references,
    heightPx: 220,
    emptyText: 'the limiter did not run',
  });
}

/** Per-band correlation and side/mid ratio before/after; null for mono. */
export function stereoPlots(report: MasterReport): { correlation: SafeHtml; sideToMid: SafeHtml } | null {
  const st = report.stereo;
  if (!st) return null;
  const size = { widthPx: 430, heightPx: 260 };
  const correlation = renderPlot({
    title: 'Stereo correlation per band before and after',
    x: logFrequencyAxis(),
    y: linearAxis(-1, 1, 'correlation', { maxTicks: 4 }),
    series: [
      { label: 'Before', xs: st.bandsHz, ys: st.beforeCorrelation, ...BEFORE },
      { label: 'After', xs: st.bandsHz, ys: st.afterCorrelation, ...AFTER },
    ],
    ...size,
  });
  const sideSeries: PlotSeries[] = [
    { label: 'Before', xs: st.bandsHz, ys: st.beforeSideToMidDb, ...BEFORE },
    { label: 'After', xs: st.bandsHz, ys: st.afterSideToMidDb, ...AFTER },
  ];
  const sideToMid = renderPlot({
    title: 'Side to mid level per band before and after',
    x: logFrequencyAxis(),
    y: fittedAxis(sideSeries.map((x) => x.ys), 'side − mid (dB)', { floor: -60, ceiling: 20, minSpan: 12, maxTicks: 5 }),
    series: sideSeries,
    ...size,
  });
  return { correlation, sideToMid };
}
