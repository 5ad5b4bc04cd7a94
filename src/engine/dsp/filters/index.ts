// The filter family: RBJ biquads, Butterworth slopes, Linkwitz-Riley crossovers, tilt, dynamic and linear-phase EQ.
export * from './biquad.js';
export * from './equalizer.js';
export * from './sections.js';
export * from './butterworth.js';
export * from './crossover.js';
export * from './tilt.js';
export * from './dynamic-eq.js';
export * from './linear-phase-eq.js';
