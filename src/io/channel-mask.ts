// WAVE_FORMAT_EXTENSIBLE channel masks (also used by FLAC's WAVEFORMATEXTENSIBLE_CHANNEL_MASK tag).
import type { ChannelLabel } from '../engine/audio.js';

/** Speaker bits of WAVE_FORMAT_EXTENSIBLE's dwChannelMask, lowest bit first. */
export const MASK_LABELS: readonly ChannelLabel[] = [
  'L', 'R', 'C', 'LFE', 'Lb', 'Rb', 'Lc', 'Rc', 'Cb', 'Ls', 'Rs', 'Tc', 'Tfl', 'Tfc', 'Tfr', 'Tbl', 'Tbc', 'Tbr',
];

/** Labels for the set bits of a channel mask, in bit order; channels beyond the mask are 'unknown'. */
export function maskToLayout(mask: number, channelCount: number): ChannelLabel[] {
  const labels: ChannelLabel[] = [];
  for (let bit = 0; bit < MASK_LABELS.length && labels.length < channelCount; bit++) {
    if ((mask >>> bit) & 1) labels.push(MASK_LABELS[bit]);
  }
  while (labels.length < channelCount) labels.push('unknown');
  return labels;
}
