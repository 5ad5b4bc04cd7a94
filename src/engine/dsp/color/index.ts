// The color family: oversampled saturation (tanh, tube, hard) and the tape stage.
export * from './saturation.js';
export * from './tape.js';
export { SATURATION_MODES } from './shapers.js';
