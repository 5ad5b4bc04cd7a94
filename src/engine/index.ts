// The isomorphic engine: no node: imports, runs in the browser too.
export * from './audio.js';
export * from './analysis/index.js';
export * from './dsp/index.js';
export * from './mix/index.js';
export * from './master/targets.js';
