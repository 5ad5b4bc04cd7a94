// The DSP engine's processors and shared pieces, by family.
export * from './api.js';
export * from './smoothing.js';
export * from './fft.js';
export * from './dither.js';
export * from './utility/gain.js';
