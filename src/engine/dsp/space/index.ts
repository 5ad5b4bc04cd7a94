// The space family: algorithmic (FDN) reverb, stereo / ping-pong delay with tempo sync, chorus.
// (The building blocks — delay line, all-pass, FDN core, LFO — stay internal to the family.)
export * from './fdn-reverb.js';
export * from './delay.js';
export * from './chorus.js';
export * from './tempo.js';
export * from './convolution-reverb.js';
