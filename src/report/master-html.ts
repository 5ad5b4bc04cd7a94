// The mastering report as one self-contained HTML page (report.html beside report.json): the outcome
// first (loudness before → after, true peak, PLR, whether the target was reached and why), then what
// each stage did and why, the plots, what each platform will do on playback, the delivered files.
import { LOUDNESS_TOLERANCE_LU } from '../engine/master/targets.js';
import type { MasterReport, ReportDeliverable, ReportPlatform, ReportStage } from '../engine/master/api.js';
import { formatClock, formatDb, formatDbtp, formatLu, formatLufs, formatSampleRate, MISSING } from './format.js';
import { checkMark, html, table, type Column, type SafeHtml } from './html.js';
import { gainReductionPlot, loudnessPlot, spectrumPlots, stereoPlots } from './master-plots.js';
import { renderPage } from './page.js';

/** A target counts as reached within the job's own tolerance (the job re-limits until it is). */
const TARGET_TOLERANCE_LU = LOUDNESS_TOLERANCE_LU;
/** Rounding slack when comparing a true peak with its ceiling (values print with 2 decimals). */
const CEILING_SLACK_DB = 0.005;

function metric(label: string, after: string, before: string, extra?: SafeHtml | string): SafeHtml {
  return html`<div class="metric"><div class="label">${label}</div><div class="value">${after}</div><div class="was">before ${before}</div>${extra ? html`<div class="was">${extra}</div>` : ''}</div>`;
}

/** Did the master reach its loudness target and hold its ceiling? One sentence, then the decision's why. */
function targetStatus(report: MasterReport): SafeHtml {
  const t = report.target;
  const reached = t.reachedLufs ?? report.after.integratedLufs;
  const peak = report.after.truePeakDbtp;
  const ceilingHeld = peak === null || peak <= t.ceilingDbtp + CEILING_SLACK_DB;
  let loudnessOk: boolean;
  let headline: string;
  if (t.integratedLufs === null) {
    loudnessOk = true;
    headline = `${t.name}: loudness is a creative choice here; the master plays at ${formatLufs(reached)}.`;
  } else if (reached !== null && Math.abs(reached - t.integratedLufs) <= TARGET_TOLERANCE_LU) {
    loudnessOk = true;
    headline = `Target reached: ${formatLufs(reached)} for ${t.name} (aim ${formatLufs(t.integratedLufs)}).`;
  } else {
    loudnessOk = false;
    const gap = reached === null ? '' : ` (${formatLu(reached - t.integratedLufs, true)} from the aim)`;
    headline = `Target not reached: ${formatLufs(reached)} of ${formatLufs(t.integratedLufs)} for ${t.name}${gap}.`;
  }
  const ceiling = ceilingHeld
    ? `True peak ${formatDbtp(peak)} is within the ${formatDbtp(t.ceilingDbtp)} ceiling.`
    : `True peak ${formatDbtp(peak)} is above the ${formatDbtp(t.ceilingDbtp)} ceiling.`;
  const ok = loudnessOk && ceilingHeld;
  return html`<div class="status ${ok ? 'status-ok' : 'status-warn'}"><strong>${ok ? '✓ ' : '⚠ '}${headline} ${ceiling}</strong>${t.why}</div>`;
}

function headline(report: MasterReport): SafeHtml {
  const { before, after } = report;
  const plrFloor = html`floor ${formatDb(report.target.plrFloorDb)}`;
  return html`<section class="headline" aria-label="Result"><div class="metrics">
${metric('Loudness', formatLufs(after.integratedLufs), formatLufs(before.integratedLufs))}
${metric('True peak', formatDbtp(after.truePeakDbtp), formatDbtp(before.truePeakDbtp))}
${metric('Peak to loudness (PLR)', formatDb(after.plrDb), formatDb(before.plrDb), plrFloor)}
${metric('Loudness range', formatLu(after.loudnessRangeLu), formatLu(before.loudnessRangeLu))}
</div>${targetStatus(report)}</section>`;
}

/** "eq" → "EQ", "multiband-compressor" → "Multiband compressor". */
export function stageName(kind: string): string {
  const words = kind.replace(/[-_]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').trim().toLowerCase();
  if (words === 'eq') return 'EQ';
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function stagesSection(stages: readonly ReportStage[]): SafeHtml {
  const columns: Column<ReportStage>[] = [
    { header: 'Stage', cell: (s) => html`<strong>${stageName(s.kind)}</strong>${s.enabled ? '' : html`<span class="tag">off</span>`}` },
    { header: 'What it does', cell: (s) => s.summary },
    { header: 'Why', cell: (s) => html`<span class="why">${s.why}</span>` },
  ];
  const body = stages.length ? table(columns, stages, { className: 'stack', rowClass: (s) => (s.enabled ? '' : 'off') }) : html`<p class="muted">No processing was needed.</p>`;
  return html`<section><h2>What was done, and why</h2>${body}</section>`;
}

function plotsSection(report: MasterReport): SafeHtml {
  const { spectrum, eq } = spectrumPlots(report);
  const stereo = stereoPlots(report);
  const g = report.gainReduction;
  const stereoBody = stereo
    ? html`<div class="plot-pair"><figure>${stereo.correlation}<figcaption>Correlation per band: 1 is mono, 0 unrelated, below 0 out of phase (it cancels on a mono speaker).</figcaption></figure>
<figure>${stereo.sideToMid}<figcaption>Side level relative to mid per band: higher is wider. Bass is usually kept narrow.</figcaption></figure></div>`
    : html`<p class="muted">Mono file: there is no stereo image to report.</p>`;
  return html`<section><h2>Tone</h2>
<figure>${spectrum}<figcaption>Third-octave spectrum of the mid signal ((L+R)/2), in dB relative to a full-scale sine. The dashed curve is the tonal balance aimed at, aligned to the mix level.</figcaption></figure>
<figure>${eq}<figcaption>The EQ applied: above 0 dB boosts, below cuts.${report.spectrum.eqSideDb ? ' Mid and side are equalised separately.' : ''}</figcaption></figure>
</section>
<section><h2>Loudness over time</h2>
<figure>${loudnessPlot(report)}<figcaption>Short-term loudness (3 s windows) through the song. The distance between quiet and loud sections is the movement of the song; mastering should keep it.</figcaption></figure>
</section>
<section><h2>Limiter</h2>
<figure>${gainReductionPlot(report)}<figcaption>How far the limiter turned the peaks down: maximum ${formatDb(g.maxDb)}, mean ${formatDb(g.meanDb)}. Brief dips are inaudible; long stretches of several dB flatten the punch.</figcaption></figure>
</section>
<section><h2>Stereo image per band</h2>${stereoBody}</section>`;
}

function platformsSection(platforms: readonly ReportPlatform[]): SafeHtml {
  if (!platforms.length) return html``;
  const columns: Column<ReportPlatform>[] = [
    { header: 'Platform', cell: (p) => p.name },
    { header: 'Playback gain', numeric: true, cell: (p) => (p.playbackGainDb === 0 ? 'none' : formatDb(p.playbackGainDb, 1, true)) },
    { header: 'Plays at', numeric: true, cell: (p) => formatLufs(p.playbackLufs) },
    { header: 'True peak on playback', numeric: true, cell: (p) => formatDbtp(p.truePeakAfterDbtp) },
  ];
  return html`<section><h2>On streaming platforms</h2><p class="muted">What each platform's loudness normalisation does to this master when it plays it.</p>${table(columns, platforms)}</section>`;
}

function deliverablesSection(deliverables: readonly ReportDeliverable[]): SafeHtml {
  const columns: Column<ReportDeliverable>[] = [
    { header: 'File', cell: (d) => html`<code>${d.file}</code>` },
    { header: 'Format', cell: (d) => d.format.toUpperCase() },
    { header: 'Rate', numeric: true, cell: (d) => formatSampleRate(d.sampleRate) },
    { header: 'Bits', numeric: true, cell: (d) => (d.bitDepth === null ? MISSING : String(d.bitDepth)) },
    { header: 'Loudness', numeric: true, cell: (d) => formatLufs(d.integratedLufs) },
    { header: 'True peak', numeric: true, cell: (d) => formatDbtp(d.truePeakDbtp) },
    { header: 'Ceiling', numeric: true, cell: (d) => formatDbtp(d.ceilingDbtp) },
    { header: 'OK', cell: (d) => checkMark(d.withinCeiling) },
    { header: 'Note', cell: (d) => d.note ?? '' },
  ];
  const body = deliverables.length ? table(columns, deliverables) : html`<p class="muted">No files were delivered.</p>`;
  return html`<section><h2>Delivered files</h2>${body}</section>`;
}

function notesSection(notes: readonly string[]): SafeHtml {
  if (!notes.length) return html``;
  return html`<section><h2>Notes</h2><ul class="notes">${notes.map((n) => html`<li>${n}</li>`)}</ul></section>`;
}

/** The report page for one mastered track. All text from the report is escaped. */
export function renderMasterReportHtml(report: MasterReport): string {
  const facts = [report.inputFile, formatClock(report.durationSeconds), formatSampleRate(report.sampleRate), `target: ${report.target.name}`];
  const body = html`<header><p class="kicker">Mastering report</p><h1>${report.title}</h1><p class="subtitle">${facts.join(' · ')}</p></header>
${headline(report)}
${stagesSection(report.stages)}
${plotsSection(report)}
${platformsSection(report.platforms)}
${deliverablesSection(report.deliverables)}
${notesSection(report.notes)}`;
  return renderPage(`${report.title} — mastering report`, body);
}
