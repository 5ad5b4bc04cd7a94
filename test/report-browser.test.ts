// The mastering report pages in real Chromium: no console errors and no requests (self-contained),
// every plot drawn with a size and its lines inside the plot area, no overlapping labels, and a
// layout that fits a 1280 px desktop and a 390 px phone (only tables may scroll sideways).
// Screenshots land in /tmp/report*.png for a human look.
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Browser } from 'playwright-core';
import { renderAlbumReportHtml, renderMasterReportHtml, sampleAlbumReport, sampleMasterReport } from '../src/report/index.js';

const CHROMIUM = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim();

interface PageCheck {
  svgs: { width: number; height: number }[];
  /** Per plot: number of polyline points, and those outside its plot area. */
  plots: { title: string; points: number; outside: string[] }[];
  overlappingLabels: string[];
  overflowing: string[];
  scrollWidth: number;
  smallestTickPx: number;
  contrast: number;
}

/** Runs in the page: everything measured from the layout Chromium computed. */
const MEASURE = `(() => {
  const vw = window.innerWidth;
  const svgs = [...document.querySelectorAll('svg')].map((svg) => { const r = svg.getBoundingClientRect(); return { width: r.width, height: r.height }; });
  const plots = [...document.querySelectorAll('svg.plot')].map((svg) => {
    const area = svg.querySelector('.plot-area');
    const [x, y, w, h] = ['x', 'y', 'width', 'height'].map((a) => Number(area.getAttribute(a)));
    const outside = [];
    let points = 0;
    for (const line of svg.querySelectorAll('.series polyline')) {
      for (const point of line.getAttribute('points').trim().split(/\\s+/)) {
        const [px, py] = point.split(',').map(Number);
        points++;
        if (!(px >= x - 0.01 && px <= x + w + 0.01 && py >= y - 0.01 && py <= y + h + 0.01)) outside.push(point);
      }
    }
    return { title: svg.querySelector('title').textContent, points, outside: outside.slice(0, 5) };
  });
  const overlappingLabels = [];
  let smallestTickPx = Infinity;
  for (const svg of document.querySelectorAll('svg')) {
    const texts = [...svg.querySelectorAll(':scope > text, :scope > g text')].filter((t) => t.textContent.trim() && t.parentElement.tagName !== 'title')
      .map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
    for (const t of texts) smallestTickPx = Math.min(smallestTickPx, t.r.height);
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i].r, b = texts[j].r;
      const overlap = Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
      if (overlap > 2) overlappingLabels.push(texts[i].text + ' / ' + texts[j].text);
    }
  }
  // Anything wider than the viewport must sit inside a horizontally scrollable table wrapper.
  const overflowing = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left >= -0.5 && r.right <= vw + 0.5) continue;
    const scroller = el.closest('.table-wrap');
    if (scroller && scroller !== el && getComputedStyle(scroller).overflowX === 'auto' && scroller.getBoundingClientRect().right <= vw + 0.5) continue;
    overflowing.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className : '') + ' ' + Math.round(r.left) + '…' + Math.round(r.right));
  }
  const luminance = (css) => {
    const [r, g, b] = css.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map((v) => { const c = Number(v) / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const section = document.querySelector('section');
  const [fg, bg] = [luminance(getComputedStyle(section).color), luminance(getComputedStyle(section).backgroundColor)];
  return { svgs, plots, overlappingLabels, overflowing: overflowing.slice(0, 10), scrollWidth: document.documentElement.scrollWidth, smallestTickPx,
    contrast: (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05) };
})()`;

async function check(browser: Browser, html: string, widthPx: number, screenshot: string): Promise<PageCheck> {
  const page = await browser.newPage({ viewport: { width: widthPx, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => { if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text()); });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => { if (!request.url().startsWith('data:') && request.url() !== 'about:blank') requests.push(request.url()); });
  await page.setContent(html, { waitUntil: 'load' });
  const result = (await page.evaluate(MEASURE)) as PageCheck;
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.close();
  assert.deepEqual(errors, [], `console errors at ${widthPx} px`);
  assert.deepEqual(requests, [], 'the page loads nothing: it is self-contained');
  return result;
}

function assertLayout(result: PageCheck, widthPx: number, expectedSvgs: number) {
  assert.equal(result.svgs.length, expectedSvgs);
  for (const svg of result.svgs) assert.ok(svg.width > 100 && svg.height > 50, `every plot has a size: ${JSON.stringify(svg)}`);
  for (const plot of result.plots) assert.deepEqual(plot.outside, [], `${plot.title}: points outside the plot area`);
  assert.deepEqual(result.overlappingLabels, [], `labels overlap at ${widthPx} px`);
  assert.deepEqual(result.overflowing, [], `wider than the ${widthPx} px viewport`);
  assert.ok(result.scrollWidth <= widthPx, `the page scrolls sideways at ${widthPx} px: ${result.scrollWidth}`);
  assert.ok(result.contrast >= 7, `dark text on light paper (contrast ${result.contrast.toFixed(1)}:1, AAA is 7:1)`);
}

test('the master and album reports render cleanly in Chromium at 1280 px and 390 px', async (t) => {
  if (!CHROMIUM) {
    t.skip('chromium is not installed (npm test installs it with apt-get); the report pages were not checked in a browser');
    return;
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const master = renderMasterReportHtml(sampleMasterReport());
    const wide = await check(browser, master, 1280, '/tmp/report.png');
    assertLayout(wide, 1280, 6);
    for (const plot of wide.plots) assert.ok(plot.points >= 2, `${plot.title} draws its data`);
    assert.ok(wide.smallestTickPx >= 11, `labels are legible on a desktop: ${wide.smallestTickPx.toFixed(1)} px`);
    assertLayout(await check(browser, master, 390, '/tmp/report-390.png'), 390, 6);

    const hour = renderMasterReportHtml(sampleMasterReport({ durationSeconds: 3600, mono: true }));
    assertLayout(await check(browser, hour, 1280, '/tmp/report-hour-mono.png'), 1280, 4);

    // Degenerate data: nothing measured, nothing limited, one file.
    const empty = sampleMasterReport({ durationSeconds: 0, mono: true });
    empty.spectrum = { ...empty.spectrum, beforeDb: empty.spectrum.bandsHz.map(() => null), afterDb: empty.spectrum.bandsHz.map(() => null), targetDb: null };
    empty.gainReduction = { hopSeconds: 0.1, limiterDb: [], maxDb: 0, meanDb: 0 };
    empty.deliverables = empty.deliverables.slice(0, 1);
    assertLayout(await check(browser, renderMasterReportHtml(empty), 390, '/tmp/report-empty-390.png'), 390, 4);

    const album = renderAlbumReportHtml(sampleAlbumReport());
    assertLayout(await check(browser, album, 1280, '/tmp/report-album.png'), 1280, 1);
    assertLayout(await check(browser, album, 390, '/tmp/report-album-390.png'), 390, 1);
  } finally {
    await browser.close();
  }
});
