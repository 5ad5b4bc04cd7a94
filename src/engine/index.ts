// The isomorphic engine: no node: imports, runs in the browser too.
export * from './audio.js';
export * from './analysis/index.js';
export * from './dsp/index.js';
export * from './mix/index.js';
export * from './master/targets.js';
export * from './audio-metadata.js';
export * from './master/api.js';
export * from './master/plan.js';
export * from './master/decide.js';
export * from './master/measure.js';
export * from './master/report.js';
export * from './master/chain.js';
export * from './master/stream-chain.js';
export * from './master/tonal-targets.js';
