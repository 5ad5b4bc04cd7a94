// The DSP engine's processors and shared pieces, by family.
export * from './api.js';
export * from './smoothing.js';
export * from './fft.js';
export * from './dither.js';
export * from './utility/index.js';
export * from './filters/index.js';
export * from './convolution/index.js';
export * from './dynamics/index.js';
export * from './color/index.js';
export * from './space/index.js';
export * from './stereo/index.js';
export * from './resample/index.js';
export * from './registry.js';
