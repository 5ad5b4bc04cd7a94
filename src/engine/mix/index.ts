export * from './api.js';
export * from './automation.js';
export * from './graph.js';
export * from './latency.js';
export * from './renderer.js';
export * from './processors.js';
