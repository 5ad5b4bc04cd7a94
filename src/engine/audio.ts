// The Audio type shared by every stage of the spine, and the level conversions used everywhere.

/** Planar float32 audio; full scale = 1.0. */
export interface Audio {
  sampleRate: number;
  channels: Float32Array[];
}

/**
 * Speaker position of one channel, following the WAVE_FORMAT_EXTENSIBLE channel-mask order.
 * BS.1770 weights depend on it (surrounds 1.41, LFE excluded), so decoders keep it.
 */
export type ChannelLabel =
  | 'L' | 'R' | 'C' | 'LFE' | 'Lb' | 'Rb' | 'Lc' | 'Rc' | 'Cb' | 'Ls' | 'Rs'
  | 'Tc' | 'Tfl' | 'Tfc' | 'Tfr' | 'Tbl' | 'Tbc' | 'Tbr' | 'M' | 'unknown';

/** The layout a file with no explicit channel mask is assumed to have (SMPTE/WAV default order). */
export function defaultChannelLayout(channelCount: number): ChannelLabel[] {
  switch (channelCount) {
    case 1: return ['M'];
    case 2: return ['L', 'R'];
    case 3: return ['L', 'R', 'C'];
    case 4: return ['L', 'R', 'Ls', 'Rs'];
    case 5: return ['L', 'R', 'C', 'Ls', 'Rs'];
    case 6: return ['L', 'R', 'C', 'LFE', 'Ls', 'Rs'];
    case 7: return ['L', 'R', 'C', 'LFE', 'Cb', 'Ls', 'Rs'];
    case 8: return ['L', 'R', 'C', 'LFE', 'Lb', 'Rb', 'Ls', 'Rs'];
    default: return Array.from({ length: channelCount }, () => 'unknown' as const);
  }
}

export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 192000;
export const MAX_CHANNELS = 8;

/** dB (amplitude) to linear gain. */
export function dbToGain(db: number): number {
  return Math.pow(10, db / 20);
}

/** Linear amplitude to dB; 0 gives -Infinity. */
export function gainToDb(gain: number): number {
  return 20 * Math.log10(Math.abs(gain));
}

/** Mean-square power to dB; 0 gives -Infinity. */
export function powerToDb(power: number): number {
  return 10 * Math.log10(power);
}

/** -Infinity / NaN become null, so JSON reports say "undefined quantity" instead of lying. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Allocates `channelCount` zeroed channels of `frames` samples. */
export function allocateChannels(channelCount: number, frames: number): Float32Array[] {
  return Array.from({ length: channelCount }, () => new Float32Array(frames));
}
