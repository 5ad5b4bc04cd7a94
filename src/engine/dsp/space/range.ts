// Parameter range checks shared by the space and color processors: a bad value is a RangeError that
// names the processor, the parameter and its unit range, never a silent clamp.

export function requireRange(processor: string, name: string, value: number, min: number, max: number): void {
  if (!(value >= min && value <= max)) throw new RangeError(`${processor}: ${name} must be ${min}..${max}, got ${value}`);
}

/** The stereo effects model a pair of channels (or one): more is a layout error, not a silent guess. */
export function requireMonoOrStereo(processor: string, channelCount: number): void {
  if (channelCount > 2) throw new RangeError(`${processor}: works on 1 or 2 channels, got ${channelCount}`);
}
