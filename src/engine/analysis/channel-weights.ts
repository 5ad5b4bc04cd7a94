// BS.1770-4 channel weights G_i: 1.0 for front channels, 1.41 (+1.5 dB) for surrounds, LFE excluded.
import type { ChannelLabel } from '../audio.js';

const SURROUND: ReadonlySet<ChannelLabel> = new Set(['Ls', 'Rs', 'Lb', 'Rb', 'Cb']);

export function bs1770ChannelWeight(label: ChannelLabel): number {
  if (label === 'LFE') return 0;
  return SURROUND.has(label) ? 1.41 : 1.0;
}
