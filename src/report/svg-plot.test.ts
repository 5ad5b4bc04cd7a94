import { assert, test } from '../../test/support/node-test.js';
import { linearAxis, logFrequencyAxis, timeAxis } from './scale.js';
import { renderPlot, seriesToPixelRuns, type PlotOptions } from './svg-plot.js';

function plotArea(svg: string) {
  const m = /<rect class="plot-area" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(svg)!;
  const [x, y, w, h] = m.slice(1).map(Number) as [number, number, number, number];
  return { left: x, top: y, right: x + w, bottom: y + h };
}

/** The polylines of each series group, as arrays of [x, y]. */
function seriesPolylines(svg: string): Map<string, [number, number][][]> {
  const result = new Map<string, [number, number][][]>();
  for (const group of svg.matchAll(/<g class="series" data-label="([^"]*)">(.*?)<\/g>/g)) {
    const lines = [...group[2]!.matchAll(/<polyline points="([^"]*)"/g)].map((m) => m[1]!.split(' ').map((p) => p.split(',').map(Number) as [number, number]));
    result.set(group[1]!, lines);
  }
  return result;
}

const base = (overrides: Partial<PlotOptions>): PlotOptions => ({
  title: 'test', x: linearAxis(0, 10, 'x'), y: linearAxis(-10, 0, 'dB'), series: [], ...overrides,
});

test('null gaps split a series into separate polylines; a lone value is drawn as a dot', () => {
  const svg = renderPlot(base({ series: [{ label: 'a', color: '#000', xs: (i) => i, ys: [-1, -2, null, -3, -4, -5, null, null, -6] }] })).value;
  const lines = seriesPolylines(svg).get('a')!;
  assert.equal(lines.length, 3);
  assert.deepEqual(lines.map((l) => l.length), [2, 3, 2]);
  assert.deepEqual(lines[2]![0], lines[2]![1], 'the dot is a zero-length line (round cap)');
});

test('every point lies inside the plot area, values beyond the axis are clamped to its edge', () => {
  const svg = renderPlot(base({ series: [{ label: 'a', color: '#000', xs: [0, 5, 10], ys: [-30, -5, 12] }] })).value;
  const area = plotArea(svg);
  const points = seriesPolylines(svg).get('a')!.flat();
  for (const [x, y] of points) assert.ok(x >= area.left && x <= area.right && y >= area.top && y <= area.bottom, `${x},${y}`);
  assert.equal(points[0]![1], area.bottom);
  assert.equal(points[2]![1], area.top);
  assert.ok(Math.abs(points[1]![1] - (area.top + area.bottom) / 2) < 0.1, '−5 dB is half way up a −10…0 axis');
});

test('a 1 kHz point lands where the axis puts 1 kHz, within 0.5 px', () => {
  const area = { left: 58, right: 704, top: 30, bottom: 236 };
  const [[point]] = seriesToPixelRuns({ label: 'a', color: '#000', xs: [1000], ys: [-20] }, logFrequencyAxis(), linearAxis(-40, 0, 'dB'), area);
  assert.ok(Math.abs(point![0] - (58 + 646 * Math.log10(50) / 3)) < 0.5);
  assert.ok(Math.abs(point![1] - 133) < 0.5);
});

test('an hour of 100 ms values becomes at most 1500 points per series, and the loudest moment survives', () => {
  const ys = Array.from({ length: 36000 }, (_, i) => (i === 20000 ? -3 : -14 + Math.sin(i / 40)));
  const svg = renderPlot(base({ x: timeAxis(3600), y: linearAxis(-20, 0, 'LUFS'), series: [{ label: 'a', color: '#000', xs: (i) => (i + 1) * 0.1, ys }] })).value;
  const points = seriesPolylines(svg).get('a')!.flat();
  assert.ok(points.length <= 1500 && points.length > 700, `${points.length} points`);
  const area = plotArea(svg);
  const topmost = Math.min(...points.map(([, y]) => y));
  assert.ok(Math.abs(topmost - (area.top + (area.bottom - area.top) * 3 / 20)) < 0.2, 'the −3 LUFS spike is drawn');
});

test('a plot without data says so and draws no polyline; labels and titles are escaped', () => {
  const svg = renderPlot(base({ title: '<T>', series: [{ label: 'a & <b>', color: '#000', xs: [1, 2], ys: [null, null] }], emptyText: 'nothing here' })).value;
  assert.equal(seriesPolylines(svg).get('a &amp; &lt;b&gt;')!.length, 0);
  assert.match(svg, />nothing here</);
  assert.match(svg, /aria-label="&lt;T&gt;"/);
  assert.doesNotMatch(svg, /<T>|<b>/);
});

test('the legend lists every series and the reference lines marked for it; references outside the axis are left out', () => {
  const markup = renderPlot(base({
    series: [{ label: 'Before', color: '#888', xs: [0, 10], ys: [-5, -6] }, { label: 'After', color: '#00f', xs: [0, 10], ys: [-3, -4], dash: '7 5' }],
    references: [{ y: -8, label: 'target', color: '#f00', inLegend: true }, { y: -50, label: 'off the chart', color: '#f00' }],
  })).value;
  const legend = /<div class="plot-legend"[^>]*>(.*?)<\/div>/.exec(markup)![1]!;
  assert.deepEqual([...legend.matchAll(/<\/span>([^<]*)<\/span>/g)].map((m) => m[1]), ['Before', 'After', 'target']);
  assert.match(legend, /border-top:2px dashed #00f/, 'a dashed series has a dashed swatch');
  assert.ok(markup.indexOf('plot-legend') < markup.indexOf('<svg'), 'the legend comes above the plot');
  assert.doesNotMatch(markup, /off the chart/);
});

test('reference labels that would collide are put at opposite ends of the plot', () => {
  const svg = renderPlot(base({ series: [{ label: 'a', color: '#000', xs: [0, 10], ys: [-1, -2] }], references: [{ y: -5, label: 'max', color: '#000' }, { y: -5.3, label: 'mean', color: '#000' }] })).value;
  const anchors = [...svg.matchAll(/<text class="reference-label"[^>]*text-anchor="(\w+)"[^>]*>(\w+)</g)].map((m) => `${m[2]}:${m[1]}`);
  assert.deepEqual(anchors, ['max:end', 'mean:start']);
});

test('x tick labels never overlap, however narrow the plot', () => {
  const svg = renderPlot(base({ x: logFrequencyAxis(), widthPx: 260, series: [] })).value;
  const xAxis = /<g class="x-axis">(.*?)<\/g>/.exec(svg)![1]!;
  const labels = [...xAxis.matchAll(/<text class="tick" x="([\d.]+)"[^>]*>([^<]*)</g)].map((m) => ({ x: Number(m[1]), w: m[2]!.length * 7.44 }));
  assert.ok(labels.length >= 4, `${labels.length} labels`);
  for (let i = 1; i < labels.length; i++) assert.ok(labels[i]!.x - labels[i]!.w / 2 > labels[i - 1]!.x + labels[i - 1]!.w / 2);
});
