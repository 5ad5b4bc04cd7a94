// Mastering reports as self-contained HTML (inline CSS and SVG, no scripts, no node: imports), so the
// command line writes the same page the web studio shows.
export { renderMasterReportHtml } from './master-html.js';
export { renderAlbumReportHtml } from './album-html.js';
export { sampleMasterReport, sampleAlbumReport, type SampleOptions } from './sample-report.js';
export { renderPlot, renderPlotSvg, MAX_POINTS_PER_SERIES, type PlotOptions, type PlotSeries, type ReferenceLine } from './svg-plot.js';
export { renderLegend, type LegendEntry } from './legend.js';
export { renderBarChart, renderBarChartSvg, type BarChartOptions } from './bar-chart.js';
export { fittedAxis, linearAxis, logFrequencyAxis, mapToPixels, timeAxis, type Axis } from './scale.js';
export { escapeHtml } from './html.js';
