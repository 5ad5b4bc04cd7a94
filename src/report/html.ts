// Building HTML that is safe by default: titles, file names and notes come from users, so every
// interpolated string is escaped unless it is already markup we built (SafeHtml).

/** Markup built by this module's helpers; interpolating it does not escape it again. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and for quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

type Interpolated = SafeHtml | string | number | null | undefined | false | readonly Interpolated[];

function render(value: Interpolated): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<td>${name}</td>\`` escapes `name`; nested `html` results and arrays pass through. */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Trusted markup (only for strings this code generated, e.g. numbers with entities). */
export const raw = (markup: string): SafeHtml => new SafeHtml(markup);

/**
 * A relative link to a user-named folder's file: each path segment percent-encoded, so a folder named
 * `javascript:x` or `a"b` stays a harmless relative path.
 */
export function relativeHref(folder: string, file: string): string {
  const segments = [...folder.split('/'), file].filter((s) => s !== '' && s !== '.');
  return segments.map(encodeURIComponent).join('/');
}

export interface Column<Row> {
  header: string;
  cell: (row: Row) => SafeHtml | string;
  /** Right-aligned with tabular figures, so decimals line up. */
  numeric?: boolean;
}

/** A table in a horizontally scrollable wrapper (a phone scrolls the table, not the page); class "stack" turns rows into cards there instead. */
export function table<Row>(columns: readonly Column<Row>[], rows: readonly Row[], options: { caption?: string; className?: string; rowClass?: (row: Row) => string } = {}): SafeHtml {
  const head = columns.map((c) => html`<th scope="col"${c.numeric ? raw(' class="num"') : ''}>${c.header}</th>`);
  const body = rows.map((row) => {
    // data-label lets a narrow screen show each row as a card with the column names inline.
    const cells = columns.map((c) => html`<td data-label="${c.header}"${c.numeric ? raw(' class="num"') : ''}>${c.cell(row)}</td>`);
    const rowClass = options.rowClass?.(row);
    return html`<tr${rowClass ? html` class="${rowClass}"` : ''}>${cells}</tr>`;
  });
  return html`<div class="table-wrap"><table${options.className ? html` class="${options.className}"` : ''}>${options.caption ? html`<caption>${options.caption}</caption>` : ''}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** A pass/fail mark with a text alternative for screen readers. */
export function checkMark(ok: boolean): SafeHtml {
  return ok ? html`<span class="ok" title="within limits">✓</span>` : html`<span class="bad" title="outside limits">✗</span>`;
}
