// The stereo family: pan laws, balance, M/S, width with bass mono, per-band width, polarity, channel delay.
export * from './balance.js';
export * from './band-width.js';
export * from './channel-delay.js';
export * from './lr4-highpass.js';
export * from './mid-side.js';
export * from './pan.js';
export * from './polarity.js';
export * from './width.js';
export * from './mid-side-eq.js';
