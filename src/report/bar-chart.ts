// Horizontal grouped bars (one row per category, one bar per group) as inline SVG: the album page
// compares track loudness before and after. Each row's name sits above its bars, so long track
// titles keep the full width instead of squeezing the bars, on a phone too.
import { escapeHtml, html, raw, type SafeHtml } from './html.js';
import { renderLegend } from './legend.js';
import { COLORS, FONT_FAMILY, FONT_PX, fixed1, narrowFontPx, textWidth } from './plot-style.js';
import { mapToPixels, type Axis } from './scale.js';
import type { ReferenceLine } from './svg-plot.js';

export interface BarGroup {
  label: string;
  color: string;
  values: readonly (number | null)[];
}

export interface BarChartOptions {
  title: string;
  categories: readonly string[];
  groups: readonly BarGroup[];
  /** Value axis; bars grow from its minimum. */
  axis: Axis;
  /** Vertical lines across all rows (album loudness, target), listed in the legend. */
  references?: readonly ReferenceLine[];
  /** Text at the end of each bar. */
  formatValue: (value: number) => string;
  widthPx?: number;
}

const BAR_PX = 13;
const ROW_GAP_PX = 10;
const VALUE_FONT_PX = 10.5;

export function renderBarChartSvg(options: BarChartOptions): SafeHtml {
  const widthPx = options.widthPx ?? 560;
  const { axis, groups, categories } = options;
  const narrowPx = narrowFontPx(widthPx);
  const labelPx = narrowPx + 6; // room for the category name at either font size
  const left = 8;
  const right = widthPx - 8 - textWidth('−00.0', VALUE_FONT_PX); // room for the value after the longest bar
  const top = 8;
  const rowPx = labelPx + groups.length * BAR_PX + ROW_GAP_PX;
  const bottom = top + Math.max(1, categories.length) * rowPx;
  const heightPx = bottom + 44;
  const x = (value: number) => Math.min(right, Math.max(left, mapToPixels(axis, value, left, right)));

  const parts: SafeHtml[] = [];
  let lastRight = -Infinity;
  for (const tick of axis.ticks) {
    const px = x(tick.value);
    parts.push(html`<line x1="${fixed1(px)}" y1="${top}" x2="${fixed1(px)}" y2="${bottom}" stroke="${COLORS.gridMajor}"/>`);
    if (tick.label === null) continue;
    const w = textWidth(tick.label, narrowPx);
    const cx = Math.min(widthPx - w / 2 - 2, Math.max(w / 2 + 2, px));
    if (cx - w / 2 < lastRight + 6) continue; // spaced for the larger font, so never crowded
    lastRight = cx + w / 2;
    parts.push(html`<text class="tick" x="${fixed1(cx)}" y="${bottom + 19}" text-anchor="middle">${tick.label}</text>`);
  }

  for (const line of options.references ?? []) {
    if (!Number.isFinite(line.y) || line.y < axis.min || line.y > axis.max) continue;
    const px = x(line.y);
    const dash = line.dash ? raw(` stroke-dasharray="${escapeHtml(line.dash)}"`) : '';
    parts.push(html`<line class="reference" x1="${fixed1(px)}" y1="${top}" x2="${fixed1(px)}" y2="${bottom}" stroke="${line.color}" stroke-width="${line.widthPx ?? 1.5}"${dash}/>`);
  }

  categories.forEach((category, row) => {
    const rowTop = top + row * rowPx + ROW_GAP_PX / 2;
    const barsTop = rowTop + labelPx;
    groups.forEach((group, g) => {
      const value = group.values[row];
      if (value === null || value === undefined || !Number.isFinite(value)) return;
      const y = barsTop + g * BAR_PX;
      const end = x(value);
      parts.push(html`<rect class="bar" x="${fixed1(left)}" y="${fixed1(y + 1)}" width="${fixed1(Math.max(1, end - left))}" height="${BAR_PX - 2}" fill="${group.color}"><title>${group.label}: ${options.formatValue(value)}</title></rect>`);
      // Bar values are hidden on a phone (class crowded): at the larger font they would overlap; the table has them.
      parts.push(html`<text class="value crowded" x="${fixed1(end + 4)}" y="${fixed1(y + BAR_PX - 2.5)}" font-size="${VALUE_FONT_PX}" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">${options.formatValue(value)}</text>`);
    });
    parts.push(html`<text class="category" x="${fixed1(left + 4)}" y="${fixed1(barsTop - 5)}" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">${category}</text>`);
  });

  return html`<svg class="plot bar-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${widthPx} ${fixed1(heightPx)}" width="${widthPx}" height="${fixed1(heightPx)}" role="img" aria-label="${options.title}" font-family="${FONT_FAMILY}" font-size="${FONT_PX}" fill="${COLORS.text}" style="--narrow-font: ${narrowPx}px"><title>${options.title}</title><rect class="plot-area" x="${fixed1(left)}" y="${top}" width="${fixed1(right - left)}" height="${bottom - top}" fill="#fff"/>${parts}<line x1="${fixed1(left)}" y1="${top}" x2="${fixed1(left)}" y2="${bottom}" stroke="${COLORS.axis}"/><text class="axis-title x-title" x="${fixed1((left + right) / 2)}" y="${bottom + 36}" text-anchor="middle">${axis.title}</text></svg>`;
}

/** The chart as it appears on the page: legend (groups, then reference lines), then the SVG. */
export function renderBarChart(options: BarChartOptions): SafeHtml {
  const legend = renderLegend([
    ...options.groups.map((g) => ({ label: g.label, color: g.color, fill: 'bar' as const })),
    ...(options.references ?? []).map((r) => ({ label: r.label, color: r.color, widthPx: r.widthPx, dash: r.dash })),
  ]);
  return html`${legend}${renderBarChartSvg(options)}`;
}
