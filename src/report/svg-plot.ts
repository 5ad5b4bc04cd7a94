// Line plots as inline SVG strings: a frame with gridlines and ticks, the y unit above the axis,
// polylines that break where a series is null, reference lines (target, max, mean) with their labels,
// and an HTML legend above. Pure string building, no DOM, so Node and the browser render alike.
import { decimateMinMax, splitAtGaps } from './decimate.js';
import { escapeHtml, html, raw, type SafeHtml } from './html.js';
import { renderLegend, type LegendEntry } from './legend.js';
import { COLORS, FONT_FAMILY, FONT_PX, fixed1, narrowFontPx, textWidth } from './plot-style.js';
import { mapToPixels, type Axis } from './scale.js';

export { COLORS, FONT_FAMILY } from './plot-style.js';

export interface LineStyle {
  color: string;
  widthPx?: number;
  /** SVG stroke-dasharray, e.g. "6 4". */
  dash?: string;
}

export interface PlotSeries extends LineStyle {
  label: string;
  /** X of value i: an array beside `ys`, or a function (time series: i => i * hop). */
  xs: ArrayLike<number> | ((index: number) => number);
  ys: ArrayLike<number | null>;
  /** Fill between the line and this y value (gain reduction hangs from 0 dB). */
  fillTo?: number;
}

export interface ReferenceLine extends LineStyle {
  y: number;
  /** Written at the end of the line. */
  label: string;
  /** Also listed in the legend (default false: the label on the line is enough). */
  inLegend?: boolean;
}

export interface PlotOptions {
  /** What the plot shows, for screen readers and the SVG title. */
  title: string;
  x: Axis;
  y: Axis;
  series: readonly PlotSeries[];
  references?: readonly ReferenceLine[];
  widthPx?: number;
  heightPx?: number;
  /** Polyline points kept per series (min/max decimation beyond). */
  maxPointsPerSeries?: number;
  /** Shown in the plot area when no series has a finite value. */
  emptyText?: string;
}

export const MAX_POINTS_PER_SERIES = 1500;

export interface PlotArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const clamp = (v: number, low: number, high: number) => Math.min(high, Math.max(low, v));
/** Marks a label hidden on narrow screens, where it would collide at the larger font. */
const crowded = (isCrowded: boolean) => (isCrowded ? raw(' crowded') : '');

function strokeAttributes(style: LineStyle, defaultWidthPx: number): SafeHtml {
  const dash = style.dash ? ` stroke-dasharray="${escapeHtml(style.dash)}"` : '';
  return raw(`stroke="${escapeHtml(style.color)}" stroke-width="${style.widthPx ?? defaultWidthPx}"${dash}`);
}

/** Gridlines and tick labels along x; a label is dropped when it would touch its neighbour, at either font size. */
function renderXAxis(axis: Axis, area: PlotArea, widthPx: number, narrowPx: number): SafeHtml {
  const parts: SafeHtml[] = [];
  let lastRight = -Infinity;
  let lastNarrowRight = -Infinity;
  for (const tick of axis.ticks) {
    const x = mapToPixels(axis, tick.value, area.left, area.right);
    const major = tick.label !== null;
    parts.push(html`<line x1="${fixed1(x)}" y1="${area.top}" x2="${fixed1(x)}" y2="${area.bottom}" stroke="${major ? COLORS.gridMajor : COLORS.grid}" stroke-width="1"/>`);
    if (!major) continue;
    const w = textWidth(tick.label!);
    const wNarrow = textWidth(tick.label!, narrowPx);
    // Kept inside the SVG even at the larger font.
    const cx = clamp(x, wNarrow / 2 + 2, widthPx - wNarrow / 2 - 2);
    if (cx - w / 2 < lastRight + 6) continue;
    lastRight = cx + w / 2;
    const fitsNarrow = cx - wNarrow / 2 >= lastNarrowRight + 4;
    if (fitsNarrow) lastNarrowRight = cx + wNarrow / 2;
    parts.push(html`<line x1="${fixed1(x)}" y1="${area.bottom}" x2="${fixed1(x)}" y2="${area.bottom + 4}" stroke="${COLORS.axis}"/>`);
    parts.push(html`<text class="tick${crowded(!fitsNarrow)}" x="${fixed1(cx)}" y="${area.bottom + 19}" text-anchor="middle">${tick.label}</text>`);
  }
  const title = html`<text class="axis-title x-title" x="${fixed1((area.left + area.right) / 2)}" y="${area.bottom + 36}" text-anchor="middle">${axis.title}</text>`;
  return html`<g class="x-axis">${parts}${title}</g>`;
}

/** Gridlines and tick labels along y, and the axis title written level above the labels. */
function renderYAxis(axis: Axis, area: PlotArea, narrowPx: number): SafeHtml {
  const parts: SafeHtml[] = [];
  let lastY = Infinity;
  let lastNarrowY = Infinity;
  for (const tick of axis.ticks) {
    const y = mapToPixels(axis, tick.value, area.bottom, area.top);
    const stroke = tick.value === 0 && axis.min < 0 && axis.max > 0 ? COLORS.zero : tick.label === null ? COLORS.grid : COLORS.gridMajor;
    parts.push(html`<line x1="${area.left}" y1="${fixed1(y)}" x2="${area.right}" y2="${fixed1(y)}" stroke="${stroke}" stroke-width="1"/>`);
    if (tick.label === null || lastY - y < FONT_PX + 2) continue;
    lastY = y;
    // At the larger font the bottom label would meet the first x label in the corner.
    const fitsNarrow = narrowPx <= FONT_PX || (lastNarrowY - y >= narrowPx + 2 && area.bottom - y > narrowPx / 2);
    if (fitsNarrow) lastNarrowY = y;
    parts.push(html`<text class="tick${crowded(!fitsNarrow)}" x="${area.left - 6}" y="${fixed1(y + 4)}" text-anchor="end">${tick.label}</text>`);
  }
  const title = html`<text class="axis-title y-title" x="${area.left}" y="${area.top - 8}">${axis.title}</text>`;
  return html`<g class="y-axis">${parts}${title}</g>`;
}

/** Pixel points of one series, one array per unbroken run, decimated and clamped into the plot area. */
export function seriesToPixelRuns(series: PlotSeries, x: Axis, y: Axis, area: PlotArea, maxPoints = MAX_POINTS_PER_SERIES): [number, number][][] {
  const xAt = typeof series.xs === 'function' ? series.xs : (i: number) => (series.xs as ArrayLike<number>)[i]!;
  // A point without a drawable x (outside a log axis' domain) is a gap like a null value.
  const drawable: (number | null)[] = new Array(series.ys.length);
  for (let i = 0; i < series.ys.length; i++) {
    const xv = xAt(i);
    drawable[i] = Number.isFinite(xv) && (x.kind === 'linear' || xv > 0) ? series.ys[i] ?? null : null;
  }
  return splitAtGaps(decimateMinMax(drawable, maxPoints)).map((run) => run.map((i) => [
    clamp(mapToPixels(x, xAt(i), area.left, area.right), area.left, area.right),
    clamp(mapToPixels(y, drawable[i]!, area.bottom, area.top), area.top, area.bottom),
  ] as [number, number]));
}

const pointsAttribute = (points: readonly [number, number][]) => points.map(([px, py]) => `${fixed1(px)},${fixed1(py)}`).join(' ');

function renderSeries(series: PlotSeries, options: PlotOptions, area: PlotArea): SafeHtml {
  const runs = seriesToPixelRuns(series, options.x, options.y, area, options.maxPointsPerSeries);
  const parts = runs.map((run) => {
    // A lone value between gaps is drawn as a dot: a zero-length line with a round cap.
    const points = run.length === 1 ? [run[0]!, run[0]!] : run;
    let fill: SafeHtml | string = '';
    if (series.fillTo !== undefined) {
      const base = clamp(mapToPixels(options.y, series.fillTo, area.bottom, area.top), area.top, area.bottom);
      const polygon = [...points, [points[points.length - 1]![0], base], [points[0]![0], base]] as [number, number][];
      fill = html`<polygon class="series-fill" points="${pointsAttribute(polygon)}" fill="${series.color}" fill-opacity="0.22" stroke="none"/>`;
    }
    return html`${fill}<polyline points="${pointsAttribute(points)}" fill="none" ${strokeAttributes(series, 2)} stroke-linejoin="round" stroke-linecap="round"/>`;
  });
  return html`<g class="series" data-label="${series.label}">${parts}</g>`;
}

interface PlacedReference {
  line: ReferenceLine;
  y: number;
  labelY: number;
  /** Right end of the plot normally; the left end when another label already sits there. */
  side: 'left' | 'right';
}

/** Places each reference label above its line (below near the top), switching sides to avoid another label. */
function placeReferences(options: PlotOptions, area: PlotArea, narrowPx: number): PlacedReference[] {
  const placed: PlacedReference[] = [];
  for (const line of options.references ?? []) {
    if (!Number.isFinite(line.y) || line.y < options.y.min || line.y > options.y.max) continue;
    const y = mapToPixels(options.y, line.y, area.bottom, area.top);
    const labelY = y - area.top < narrowPx + 4 ? y + narrowPx + 2 : y - 5;
    const clash = (side: 'left' | 'right') => placed.some((p) => p.side === side && Math.abs(p.labelY - labelY) < narrowPx + 2);
    placed.push({ line, y, labelY, side: clash('right') && !clash('left') ? 'left' : 'right' });
  }
  return placed;
}

function renderReferenceLabel(p: PlacedReference, area: PlotArea): SafeHtml {
  const [x, anchor] = p.side === 'right' ? [area.right - 6, 'end'] : [area.left + 6, 'start'];
  return html`<text class="reference-label" x="${x}" y="${fixed1(p.labelY)}" text-anchor="${anchor}" fill="${p.line.color}" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">${p.line.label}</text>`;
}

function hasFiniteValue(values: ArrayLike<number | null>): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== null && Number.isFinite(values[i])) return true;
  return false;
}

/** The `<svg>` element alone, scaling to its container's width. */
export function renderPlotSvg(options: PlotOptions): SafeHtml {
  const widthPx = options.widthPx ?? 720;
  const heightPx = options.heightPx ?? 280;
  const narrowPx = narrowFontPx(widthPx);
  const area: PlotArea = { left: 58, right: widthPx - 16, top: 30, bottom: heightPx - 44 };
  const size = { width: area.right - area.left, height: area.bottom - area.top };
  const hasData = options.series.some((series) => hasFiniteValue(series.ys));
  // Without data, reference lines (target, max) have nothing to be compared with and would cover the message.
  const references = hasData ? placeReferences(options, area, narrowPx) : [];
  const empty = hasData ? null
    : html`<text class="empty" x="${fixed1((area.left + area.right) / 2)}" y="${fixed1((area.top + area.bottom) / 2)}" text-anchor="middle" fill="${COLORS.axis}">${options.emptyText ?? 'no data'}</text>`;
  return raw([
    html`<svg class="plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${widthPx} ${heightPx}" width="${widthPx}" height="${heightPx}" role="img" aria-label="${options.title}" font-family="${FONT_FAMILY}" font-size="${FONT_PX}" fill="${COLORS.text}" style="--narrow-font: ${narrowPx}px">`,
    html`<title>${options.title}</title><rect class="plot-area" x="${area.left}" y="${area.top}" width="${size.width}" height="${size.height}" fill="#fff" stroke="none"/>`,
    html`${renderXAxis(options.x, area, widthPx, narrowPx)}${renderYAxis(options.y, area, narrowPx)}`,
    html`${references.map((p) => html`<line class="reference" x1="${area.left}" y1="${fixed1(p.y)}" x2="${area.right}" y2="${fixed1(p.y)}" ${strokeAttributes(p.line, 1.5)}/>`)}`,
    html`${options.series.map((s) => renderSeries(s, options, area))}`,
    html`${references.map((p) => renderReferenceLabel(p, area))}${empty}`,
    html`<rect class="plot-frame" x="${area.left}" y="${area.top}" width="${size.width}" height="${size.height}" fill="none" stroke="${COLORS.axis}" stroke-width="1"/></svg>`,
  ].join(''));
}

/** The legend entries of a plot: its series, then the reference lines marked for the legend. */
export function plotLegendEntries(options: PlotOptions): LegendEntry[] {
  return [
    ...options.series.map((s) => ({ label: s.label, color: s.color, widthPx: s.widthPx, dash: s.dash, fill: s.fillTo !== undefined ? 'area' as const : undefined })),
    ...(options.references ?? []).filter((r) => r.inLegend).map((r) => ({ label: r.label, color: r.color, widthPx: r.widthPx, dash: r.dash })),
  ];
}

/** A plot as it appears on the page: its legend, then its SVG. */
export function renderPlot(options: PlotOptions): SafeHtml {
  return html`${renderLegend(plotLegendEntries(options))}${renderPlotSvg(options)}`;
}
