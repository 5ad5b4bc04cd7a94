import { assert, test } from '../../test/support/node-test.js';
import type { MasterReport } from '../engine/master/api.js';
import { renderMasterReportHtml, stageName } from './master-html.js';
import { sampleMasterReport } from './sample-report.js';

const svgs = (page: string) => page.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
const seriesCount = (svg: string) => (svg.match(/<g class="series"/g) ?? []).length;
const titleOf = (svg: string) => /<title>([^<]*)<\/title>/.exec(svg)![1]!;
/** Like assert.match, without printing a 100 kB page when it fails. */
const has = (text: string, pattern: RegExp, message?: string) => assert.ok(pattern.test(text), message ?? `expected ${pattern}`);
const polylinePointCounts = (page: string) => [...page.matchAll(/<polyline points="([^"]*)"/g)].map((m) => m[1]!.split(' ').length);

test('the page has one SVG per plot, each with its series: spectrum, EQ, loudness, limiter, correlation, side/mid', () => {
  const page = renderMasterReportHtml(sampleMasterReport());
  const plots = svgs(page);
  assert.deepEqual(plots.map((svg) => [titleOf(svg).split(' ').slice(0, 3).join(' '), seriesCount(svg)]), [
    ['Third-octave spectrum of', 3],
    ['Equalisation applied to', 2],
    ['Short-term loudness over', 2],
    ['Limiter gain reduction', 1],
    ['Stereo correlation per', 2],
    ['Side to mid', 2],
  ]);
  has(plots[0]!, /stroke-dasharray="7 5"/, 'the target curve is dashed');
  has(plots[2]!, /class="reference-label"[^>]*>target −14.0\u00a0LUFS</, 'the target loudness line is labelled');
  has(plots[3]!, />max \d+\.\d\u00a0dB</);
  has(plots[3]!, />mean \d+\.\d\u00a0dB</);
});

test('the headline reads before → after with units and says the target was reached', () => {
  const page = renderMasterReportHtml(sampleMasterReport());
  has(page, /<div class="value">−14.0\u00a0LUFS<\/div><div class="was">before −18.4\u00a0LUFS<\/div>/);
  has(page, /<div class="value">−1.02\u00a0dBTP<\/div>/);
  has(page, /Target reached: −14.0\u00a0LUFS for Spotify/);
  for (const stage of sampleMasterReport().stages) assert.ok(page.includes(stage.why.replace(/&/g, '&amp;')), `the why of ${stage.kind}`);
  assert.equal((page.match(/<tr>|<tr class/g) ?? []).length, 1 + 6 + 1 + 8 + 1 + 4, 'header + rows of stages, platforms, deliverables');
});

test('a missed target or a true peak over the ceiling is flagged with the reason', () => {
  const report = sampleMasterReport();
  report.target.reachedLufs = -16.2;
  report.target.why = 'The PLR floor of 8 dB stopped the limiter at −16.2 LUFS.';
  report.after.truePeakDbtp = -0.8;
  const page = renderMasterReportHtml(report);
  has(page, /class="status status-warn"/);
  has(page, /Target not reached: −16.2\u00a0LUFS of −14.0\u00a0LUFS for Spotify \(−2.2\u00a0LU from the aim\)/);
  has(page, /above the −1.00\u00a0dBTP ceiling/);
  has(page, /The PLR floor of 8 dB stopped/);
});

test('user text is escaped everywhere: title, file names, notes, stage texts', () => {
  const evil = '<script>alert(1)</script> & "Q"';
  const report = sampleMasterReport({ title: evil });
  report.inputFile = evil;
  report.notes = [evil];
  report.stages[0]!.why = evil;
  report.deliverables[0]!.file = evil;
  const page = renderMasterReportHtml(report);
  assert.equal(page.match(/<script/gi), null);
  assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Q&quot;'));
  has(page, /<title>&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;Q&quot; — mastering report<\/title>/);
});

test('the page is self-contained: no scripts, no external URLs, a policy forbidding both', () => {
  const page = renderMasterReportHtml(sampleMasterReport());
  assert.deepEqual(page.match(/<script|<link|<img|<iframe|@import|url\(/gi), null);
  const urls = page.match(/https?:\/\/[^\s"')]+/g) ?? [];
  assert.deepEqual([...new Set(urls)], ['http://www.w3.org/2000/svg'], 'only the SVG namespace, which is never fetched');
  assert.ok(page.includes('Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;'));
});

test('mono: no stereo plots and no side EQ, and the page says why', () => {
  const page = renderMasterReportHtml(sampleMasterReport({ mono: true }));
  const plots = svgs(page);
  assert.equal(plots.length, 4);
  assert.equal(seriesCount(plots[1]!), 1, 'EQ on mid only');
  has(page, /Mono file: there is no stereo image to report/);
});

test('degenerate data renders: empty series, an all-null spectrum, no target curve, a single deliverable, nothing to note', () => {
  const report: MasterReport = sampleMasterReport({ durationSeconds: 0 });
  report.spectrum = { ...report.spectrum, beforeDb: report.spectrum.bandsHz.map(() => null), afterDb: report.spectrum.bandsHz.map(() => null), targetDb: null };
  report.gainReduction = { hopSeconds: 0.1, limiterDb: [], maxDb: 0, meanDb: 0 };
  report.deliverables = report.deliverables.slice(0, 1);
  report.platforms = [];
  report.notes = [];
  report.before = { ...report.before, integratedLufs: null, truePeakDbtp: null, plrDb: null };
  const page = renderMasterReportHtml(report);
  assert.equal(report.loudnessOverTime.beforeShortTermLufs.length, 0);
  has(page, /no spectrum measured/);
  has(page, /no loudness measured/);
  has(page, /the limiter did not run/);
  has(page, /before —<\/div>/, 'a missing value is a dash');
  assert.deepEqual(page.match(/NaN|Infinity|undefined/g), null);
  assert.equal(seriesCount(svgs(page)[0]!), 2, 'no target curve series when there is none');
  assert.deepEqual(page.match(/<h2>Notes<\/h2>|On streaming platforms/g), null);
});

test('a 60-minute song stays under 1 MB with every polyline decimated to at most 1500 points', () => {
  const report = sampleMasterReport({ durationSeconds: 3600, hopSeconds: 0.1 });
  assert.equal(report.loudnessOverTime.afterShortTermLufs.length, 36000);
  const page = renderMasterReportHtml(report);
  assert.ok(page.length < 1_000_000, `${page.length} bytes`);
  const counts = polylinePointCounts(page);
  assert.ok(Math.max(...counts) <= 1500, `${Math.max(...counts)} points`);
  has(page, /1:00:00/, 'the time axis reaches an hour');
});

test('stage kinds read as words', () => {
  assert.equal(stageName('eq'), 'EQ');
  assert.equal(stageName('multiband-compressor'), 'Multiband compressor');
  assert.equal(stageName('deEsser'), 'De esser');
});
