export * from './analyze.js';
export * from './bands.js';
export * from './channel-weights.js';
export * from './k-weighting.js';
export * from './loudness-meter.js';
export * from './signal-stats.js';
export * from './spectrum.js';
export * from './true-peak.js';
