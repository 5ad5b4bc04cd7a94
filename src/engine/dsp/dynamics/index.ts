// The dynamics family: compressor, gate/expander, transient shaper, de-esser, multiband compressor,
// and the shared pieces (detectors and ballistics, static curves, sidechain key, look-ahead output,
// fast log2/exp2).
export * from './fast-math.js';
export * from './envelope.js';
export * from './gain-computer.js';
export * from './sidechain.js';
export * from './lookahead.js';
export * from './compressor.js';
export * from './gate.js';
export * from './transient-shaper.js';
export * from './de-esser.js';
export * from './multiband-compressor.js';
export * from './limiter.js';
