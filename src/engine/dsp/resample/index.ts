// Resampling: the halfband oversampler (2x/4x/8x, for nonlinear stages and true-peak detection) and the
// sample-rate converter for any rate pair, with the Kaiser-window design helpers they share.
export * from './kaiser.js';
export * from './halfband.js';
export * from './oversampler.js';
export * from './src-design.js';
export * from './sample-rate-converter.js';
