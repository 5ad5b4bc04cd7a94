// The HTML document around a report: one self-contained file (inline CSS, no scripts, fonts or URLs),
// dark text on light paper, readable from a phone to a printed page. A content security policy
// forbids scripts and remote loads, so even an escaping mistake could not run code.
import { html, raw, type SafeHtml } from './html.js';
import { FONT_FAMILY } from './svg-plot.js';

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f3f4f6; color: #1d2127; font: 15px/1.5 ${FONT_FAMILY}; -webkit-text-size-adjust: 100%; }
main { max-width: 980px; margin: 0 auto; padding: 28px 20px 40px; }
h1 { font-size: 1.65rem; line-height: 1.25; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1.12rem; margin: 0 0 12px; }
h3 { font-size: 0.98rem; margin: 0 0 4px; }
p { margin: 0 0 10px; }
a { color: #0b5cad; }
.kicker { font-size: 0.78rem; letter-spacing: 0.08em; text-transform: uppercase; color: #5a616d; margin: 0 0 6px; }
.subtitle { color: #5a616d; margin: 0; overflow-wrap: anywhere; }
section { background: #fff; border: 1px solid #dde1e7; border-radius: 10px; padding: 18px 20px; margin-top: 18px; }
.metrics { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px; }
.metric { border: 1px solid #e3e6eb; border-radius: 8px; padding: 10px 14px; }
.metric .label { font-size: 0.75rem; letter-spacing: 0.05em; text-transform: uppercase; color: #5a616d; }
.metric .value { font-size: 1.3rem; font-weight: 650; font-variant-numeric: tabular-nums; white-space: nowrap; }
.metric .was { color: #5a616d; font-size: 0.88rem; font-variant-numeric: tabular-nums; }
.status { margin-top: 14px; padding: 10px 14px; border-radius: 8px; border-left: 4px solid; }
.status-ok { background: #eef8f1; border-color: #1e7b3a; }
.status-warn { background: #fff6e8; border-color: #b45309; }
.status strong { display: block; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch;
  /* Scroll shadows: a soft edge appears on the side where more columns are hidden. */
  background: linear-gradient(to right, #fff 30%, rgba(255,255,255,0)), linear-gradient(to left, #fff 30%, rgba(255,255,255,0)) 100% 0,
    radial-gradient(farthest-side at 0 50%, rgba(0,0,0,.16), rgba(0,0,0,0)), radial-gradient(farthest-side at 100% 50%, rgba(0,0,0,.16), rgba(0,0,0,0)) 100% 0;
  background-repeat: no-repeat; background-size: 40px 100%, 40px 100%, 12px 100%, 12px 100%; background-attachment: local, local, scroll, scroll; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: #5a616d; padding-bottom: 6px; }
th, td { padding: 7px 10px; border-bottom: 1px solid #e6e9ee; text-align: left; vertical-align: top; }
th { font-size: 0.74rem; letter-spacing: 0.04em; text-transform: uppercase; color: #5a616d; white-space: nowrap; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
tbody tr:last-child td { border-bottom: none; }
tr.off td { color: #8b93a1; }
tr.album td { font-weight: 650; border-top: 2px solid #c9ced6; }
td code { white-space: nowrap; }
.tag { display: inline-block; font-size: 0.72rem; padding: 0 6px; border-radius: 4px; background: #eef0f3; color: #5a616d; margin-left: 4px; }
figure { margin: 0 0 22px; }
figure:last-child { margin-bottom: 0; }
svg.plot { display: block; width: 100%; height: auto; }
figure.compact { max-width: 720px; }
.plot-legend { display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 0.86rem; color: #2b3038; margin: 0 0 4px 6px; }
.legend-item { display: inline-flex; align-items: center; gap: 7px; }
.swatch { display: inline-block; width: 24px; height: 0; }
.swatch.area { height: 10px; width: 18px; }
figcaption { color: #5a616d; font-size: 0.88rem; margin-top: 6px; }
.plot-pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 18px; }
.plot-pair figure { margin: 0; }
.ok { color: #1e7b3a; font-weight: 700; }
.bad { color: #b91c1c; font-weight: 700; }
ul.notes { margin: 0; padding-left: 1.2em; }
ul.notes li { margin: 4px 0; }
.muted { color: #5a616d; }
footer { color: #7b8390; font-size: 0.8rem; margin-top: 22px; text-align: center; }
@media (max-width: 600px) {
  body { font-size: 14px; }
  main { padding: 14px 10px 28px; }
  section { padding: 14px 12px; margin-top: 12px; }
  h1 { font-size: 1.35rem; }
  .metrics { grid-template-columns: 1fr 1fr; gap: 8px; }
  .metric { padding: 8px 10px; }
  .metric .value { font-size: 1.05rem; }
  /* Plots scale down with the page: their labels grow to stay legible (see plot-style.ts). */
  svg.plot text { font-size: var(--narrow-font); }
  svg.plot .crowded, svg.plot .x-title { display: none; }
  .plot-legend { font-size: 0.8rem; gap: 2px 14px; }
  table.stack thead { display: none; }
  table.stack tr { display: block; padding: 8px 0; border-bottom: 1px solid #e6e9ee; }
  table.stack tbody tr:last-child { border-bottom: none; }
  table.stack td { display: block; border: none; padding: 2px 0; }
  table.stack td + td::before { content: attr(data-label) ": "; font-weight: 600; color: #5a616d; }
}
@media print { body { background: #fff; } section { border: none; break-inside: avoid; } }
`;

/** Text of the policy: inline styles only; no script, font, frame or network request of any kind. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** A complete HTML document; `title` is user text and is escaped here. */
export function renderPage(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="generator" content="mixmaster">
<title>${title}</title>
<style>${raw(CSS)}</style>
</head>
<body>
<main>
${body}
<footer>Made by mixmaster. Loudness per ITU-R BS.1770-4 / EBU R128; true peak 4× oversampled.</footer>
</main>
</body>
</html>
`.value;
}
