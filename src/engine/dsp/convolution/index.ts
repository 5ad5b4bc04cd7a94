// FFT convolution: uniformly partitioned overlap-save stages, the (optionally two-stage) convolver
// processor, and generated reverb impulse responses.
export * from './uniform-partition.js';
export * from './partitioned-convolver.js';
export * from './reverb-impulse.js';
