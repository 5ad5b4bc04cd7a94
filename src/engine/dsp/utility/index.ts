// Utility processors: gain, pure delay (declared latency), and the delay line they build on.
export * from './pure-delay.js';
export * from './delay-buffer.js';
export * from './gain.js';
