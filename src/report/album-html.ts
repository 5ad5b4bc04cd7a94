// The album report page: every track's loudness before and after next to the album's, the one gain
// strategy that set them (why), notes, and a bar chart, with links to each track's own report.
import type { AlbumReport, AlbumReportTrack } from '../engine/master/api.js';
import { renderBarChart } from './bar-chart.js';
import { formatDbtp, formatLu, formatLufs, formatNumber, MISSING } from './format.js';
import { html, relativeHref, table, type Column, type SafeHtml } from './html.js';
import { renderPage } from './page.js';
import { fittedAxis } from './scale.js';
import { COLORS, type ReferenceLine } from './svg-plot.js';

interface Row {
  index: number | null;
  track: AlbumReportTrack | null;
  title: string;
  beforeLufs: number | null;
  afterLufs: number | null;
  loudnessRangeLu: number | null;
  truePeakDbtp: number | null;
  targetLufs: number | null;
}

const difference = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

function trackTable(report: AlbumReport): SafeHtml {
  const rows: Row[] = report.tracks.map((track, i) => ({
    index: i + 1, track, title: track.title, beforeLufs: track.before.integratedLufs, afterLufs: track.after.integratedLufs,
    loudnessRangeLu: track.after.loudnessRangeLu, truePeakDbtp: track.after.truePeakDbtp, targetLufs: track.targetLufs,
  }));
  // The album row: the loudness of all tracks gated together, the value the per-track numbers are compared to.
  const peaks = report.tracks.map((t) => t.after.truePeakDbtp).filter((p): p is number => p !== null);
  rows.push({ index: null, track: null, title: 'Whole album', beforeLufs: report.albumBeforeLufs, afterLufs: report.albumAfterLufs,
    loudnessRangeLu: null, truePeakDbtp: peaks.length ? Math.max(...peaks) : null, targetLufs: report.target.integratedLufs });
  const columns: Column<Row>[] = [
    { header: '#', numeric: true, cell: (r) => (r.index === null ? '' : String(r.index)) },
    { header: 'Track', cell: (r) => (r.track ? html`<a href="${relativeHref(r.track.folder, 'report.html')}">${r.title}</a>` : r.title) },
    { header: 'Before', numeric: true, cell: (r) => formatLufs(r.beforeLufs) },
    { header: 'After', numeric: true, cell: (r) => formatLufs(r.afterLufs) },
    { header: 'vs album', numeric: true, cell: (r) => (r.track ? formatLu(difference(r.afterLufs, report.albumAfterLufs), true) : MISSING) },
    { header: 'Range (LRA)', numeric: true, cell: (r) => formatLu(r.loudnessRangeLu) },
    { header: 'True peak', numeric: true, cell: (r) => formatDbtp(r.truePeakDbtp) },
    { header: 'Aimed at', numeric: true, cell: (r) => formatLufs(r.targetLufs) },
  ];
  return table(columns, rows, { rowClass: (r) => (r.track ? '' : 'album') });
}

function loudnessChart(report: AlbumReport): SafeHtml {
  const before = report.tracks.map((t) => t.before.integratedLufs);
  const after = report.tracks.map((t) => t.after.integratedLufs);
  const references: ReferenceLine[] = [];
  if (report.albumAfterLufs !== null) references.push({ y: report.albumAfterLufs, label: `album after ${formatLufs(report.albumAfterLufs)}`, color: COLORS.statistic, dash: '4 3', widthPx: 1.5 });
  if (report.target.integratedLufs !== null) references.push({ y: report.target.integratedLufs, label: `target ${formatLufs(report.target.integratedLufs)}`, color: COLORS.target, dash: '7 5', widthPx: 1.5 });
  // Bars grow from the axis minimum, so it sits a few LU under the quietest track.
  const finite = [...before, ...after].filter((v): v is number => v !== null && Number.isFinite(v));
  const quietest = finite.length ? Math.min(...finite) - 3 : null;
  const axis = fittedAxis([before, after], 'integrated loudness (LUFS)', {
    include: [report.albumAfterLufs, report.target.integratedLufs, quietest], floor: -60, ceiling: 0, minSpan: 10, fallback: [-30, -10], maxTicks: 6,
  });
  return renderBarChart({
    title: 'Track loudness before and after mastering',
    categories: report.tracks.map((t, i) => `${i + 1}. ${t.title}`),
    groups: [
      { label: 'Before', color: COLORS.before, values: before },
      { label: 'After', color: COLORS.after, values: after },
    ],
    axis,
    references,
    formatValue: (v) => formatNumber(v, 1),
  });
}

/** The album report page. All text from the report (titles, folders, notes) is escaped. */
export function renderAlbumReportHtml(report: AlbumReport): string {
  const afters = report.tracks.map((t) => t.after.integratedLufs).filter((v): v is number => v !== null);
  const spread = afters.length ? Math.max(...afters) - Math.min(...afters) : null;
  const count = report.tracks.length;
  const body = html`<header><p class="kicker">Album mastering report</p><h1>${report.title}</h1>
<p class="subtitle">${count} ${count === 1 ? 'track' : 'tracks'} · target: ${report.target.name} (${formatLufs(report.target.integratedLufs)}, ceiling ${formatDbtp(report.target.ceilingDbtp)})</p></header>
<section class="headline" aria-label="Result"><div class="metrics">
<div class="metric"><div class="label">Album loudness</div><div class="value">${formatLufs(report.albumAfterLufs)}</div><div class="was">before ${formatLufs(report.albumBeforeLufs)}</div></div>
<div class="metric"><div class="label">Loudest to quietest</div><div class="value">${formatLu(spread)}</div><div class="was">between tracks, after</div></div>
<div class="metric"><div class="label">Target</div><div class="value">${formatLufs(report.target.integratedLufs)}</div><div class="was">${report.target.name}</div></div>
</div><div class="status status-ok"><strong>How the album was levelled</strong>${report.why}</div></section>
<section><h2>Tracks</h2>${count ? trackTable(report) : html`<p class="muted">No tracks.</p>`}</section>
<section><h2>Loudness per track</h2><figure class="compact">${loudnessChart(report)}<figcaption>Integrated loudness of each track before (grey) and after (blue). Differences between tracks that the mix intended are kept.</figcaption></figure></section>
${report.notes.length ? html`<section><h2>Notes</h2><ul class="notes">${report.notes.map((n) => html`<li>${n}</li>`)}</ul></section>` : ''}`;
  return renderPage(`${report.title} — album mastering report`, body);
}
