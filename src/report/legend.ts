// Plot legends as HTML above each plot: they wrap like text at any width and stay readable on a phone,
// where a legend inside a scaled-down SVG would shrink to a few pixels.
import { html, type SafeHtml } from './html.js';

export interface LegendEntry {
  label: string;
  color: string;
  widthPx?: number;
  /** SVG dash pattern of the line; short dashes show as dots, long ones as dashes. */
  dash?: string;
  /** A filled shape rather than a line: a translucent area under a line, or a solid bar. */
  fill?: 'area' | 'bar';
}

function swatchStyle(entry: LegendEntry): string {
  if (entry.fill === 'bar') return `background:${entry.color}`;
  if (entry.fill === 'area') return `background:${entry.color}40;border:1px solid ${entry.color}`;
  const firstDash = entry.dash ? Number(entry.dash.trim().split(/[\s,]+/)[0]) : 0;
  const style = !entry.dash ? 'solid' : firstDash <= 3 ? 'dotted' : 'dashed';
  const width = Math.max(2, Math.round(entry.widthPx ?? 2));
  return `border-top:${width}px ${style} ${entry.color}`;
}

/** One row of swatches and labels (`aria-hidden`: the plot's own title describes it to screen readers). */
export function renderLegend(entries: readonly LegendEntry[]): SafeHtml {
  if (!entries.length) return html``;
  const items = entries.map((e) => html`<span class="legend-item"><span class="swatch${e.fill ? ' area' : ''}" style="${swatchStyle(e)}"></span>${e.label}</span>`);
  return html`<div class="plot-legend" aria-hidden="true">${items}</div>`;
}
