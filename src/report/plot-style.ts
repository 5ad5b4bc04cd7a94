// What every plot shares: colours, the font, and how big text gets on a phone. SVG plots scale with
// their viewBox, so a 720-unit plot on a 390 px phone would shrink 12-unit labels to 6 px; below
// 600 px the page's CSS raises their font-size to `--narrow-font`, and the plots lay their labels out
// for both sizes (labels that would collide at the larger size are classed "crowded" and hidden there).

/** Colours chosen to stay apart for colour-blind readers and in greyscale (before is the light one). */
export const COLORS = {
  before: '#8b93a1',
  after: '#0b5cad',
  target: '#c2410c',
  side: '#9c2f87',
  reduction: '#c2410c',
  statistic: '#3d4450',
  grid: '#e6e9ee',
  gridMajor: '#d3d8e0',
  zero: '#9aa2ae',
  axis: '#5a616d',
  text: '#2b3038',
} as const;

export const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif";

/** Label size on desktop, in viewBox units (a 720-unit plot shows at about 1.25× on a 1280 px screen). */
export const FONT_PX = 12;

/** Estimated glyph width as a fraction of the font size (generous: estimated labels never overlap real ones). */
const CHAR_EM = 0.62;

/** Content width of the narrowest layout the page supports (390 px phone minus page and section padding). */
const NARROW_CONTENT_PX = 344;
/** Label size wanted on that phone, in CSS px. */
const NARROW_LABEL_PX = 9.5;

/** The font size (viewBox units) that shows as NARROW_LABEL_PX when the plot is squeezed to a phone. */
export function narrowFontPx(widthPx: number): number {
  return Math.max(FONT_PX, Math.round((widthPx * NARROW_LABEL_PX / NARROW_CONTENT_PX) * 2) / 2);
}

/** Estimated width of `text` at `fontPx`. */
export const textWidth = (text: string, fontPx = FONT_PX): number => text.length * fontPx * CHAR_EM;

/** Coordinates with one decimal: enough for any screen, and a third of the bytes of full precision. */
export const fixed1 = (value: number): string => String(Math.round(value * 10) / 10);
