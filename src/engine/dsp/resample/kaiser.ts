// Kaiser-window FIR design helpers shared by the halfband oversampler and the sample-rate converter.
// Formulas: Kaiser 1974, as given in Oppenheim & Schafer, "Discrete-Time Signal Processing", 3rd ed., §7.5.3.

/** Zeroth-order modified Bessel function of the first kind, by its power series (converges for every x). */
export function besselI0(x: number): number {
  const half = x / 2;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500; k++) {
    term *= half / k;
    const squared = term * term;
    sum += squared;
    if (squared < sum * 1e-17) break;
  }
  return sum;
}

/** Kaiser beta for a stopband attenuation of `attenuationDb` (O&S eq. 7.62). */
export function kaiserBeta(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) return 0.5842 * Math.pow(attenuationDb - 21, 0.4) + 0.07886 * (attenuationDb - 21);
  return 0;
}

/** Kaiser window value at `t` in [-1, 1] (t = position / half-length); 0 outside. */
export function kaiserWindow(t: number, beta: number, i0Beta = besselI0(beta)): number {
  if (t < -1 || t > 1) return 0;
  return besselI0(beta * Math.sqrt(Math.max(0, 1 - t * t))) / i0Beta;
}

/** Estimated filter length (taps) for `attenuationDb` and a transition width in cycles/sample (O&S eq. 7.63). */
export function kaiserLength(attenuationDb: number, transitionCyclesPerSample: number): number {
  return Math.ceil((attenuationDb - 7.95) / (2.285 * 2 * Math.PI * transitionCyclesPerSample)) + 1;
}

/** sin(pi x) / (pi x), with sinc(0) = 1. */
export function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}
