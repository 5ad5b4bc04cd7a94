// Delivery targets: integrated loudness and true-peak ceiling per platform, each with its source
// (../shared/design/mastering-research.md §3), and how each platform's normalisation will play a master.

export type NormalisationRule =
  /** Gain both ways, but positive gain only as far as the true peak stays at or below the ceiling (Spotify). */
  | 'both-ways-peak-limited'
  /** Turns loud masters down, never up (YouTube, and the safe reading of services with unclear rules). */
  | 'down-only'
  /** No normalisation: the master plays as delivered (CD, club, unnormalised services). */
  | 'none';

export interface DeliveryTarget {
  id: string;
  name: string;
  /** Integrated loudness the master is aimed at (LUFS); null where loudness is a creative choice (CD/club). */
  integratedLufs: number | null;
  /** True-peak ceiling for the master (dBTP). */
  truePeakCeilingDbtp: number;
  /** Level the platform normalises playback to (LUFS); null when it does not normalise. */
  playbackLufs: number | null;
  rule: NormalisationRule;
  /** Ceiling the platform's positive gain respects (dBTP), for 'both-ways-peak-limited'. */
  playbackPeakLimitDbtp?: number;
  source: string;
  note?: string;
}

export const DELIVERY_TARGETS: readonly DeliveryTarget[] = [
  { id: 'spotify', name: 'Spotify', integratedLufs: -14, truePeakCeilingDbtp: -1, playbackLufs: -14, rule: 'both-ways-peak-limited', playbackPeakLimitDbtp: -1,
    source: 'Spotify for Artists, "Loudness normalization" (support.spotify.com/us/artists/article/loudness-normalization)',
    note: 'positive gain only while 1 dB of true-peak headroom remains' },
  { id: 'spotify-loud', name: 'Spotify (Loud)', integratedLufs: -11, truePeakCeilingDbtp: -2, playbackLufs: -11, rule: 'both-ways-peak-limited', playbackPeakLimitDbtp: -1,
    source: 'Spotify for Artists, "Loudness normalization": Loud mode −11 LUFS; keep below −2 dBTP when louder than −14 LUFS' },
  { id: 'apple-music', name: 'Apple Music', integratedLufs: -16, truePeakCeilingDbtp: -1, playbackLufs: -16, rule: 'down-only',
    source: 'Apple Sound Check at −16 LUFS (production-expert.com, "Apple choose −16 LUFS"); AES TD1008',
    note: 'modelled as turn-down only: Sound Check does not raise quiet masters into clipping' },
  { id: 'youtube', name: 'YouTube', integratedLufs: -14, truePeakCeilingDbtp: -1, playbackLufs: -14, rule: 'down-only',
    source: 'YouTube −14 LUFS, turn-down only (velveteen.fm platform chart; forasoft.com)' },
  { id: 'amazon-music', name: 'Amazon Music', integratedLufs: -14, truePeakCeilingDbtp: -2, playbackLufs: -14, rule: 'down-only',
    source: 'Amazon Music −14 LUFS, −2 dBTP (velveteen.fm; blog.wavedisco.com)', note: 'sources disagree; the stricter peak is used' },
  { id: 'tidal', name: 'Tidal', integratedLufs: -14, truePeakCeilingDbtp: -1, playbackLufs: -14, rule: 'down-only',
    source: 'Tidal −14 LUFS, album normalisation (velveteen.fm; ryanschwabe.com)' },
  { id: 'deezer', name: 'Deezer', integratedLufs: -15, truePeakCeilingDbtp: -1, playbackLufs: -15, rule: 'down-only',
    source: 'Deezer −15 LUFS, track normalisation (production-expert.com; blog.wavedisco.com)' },
  { id: 'soundcloud', name: 'SoundCloud', integratedLufs: -14, truePeakCeilingDbtp: -1, playbackLufs: null, rule: 'none',
    source: 'SoundCloud: conflicting reports (−14 per production-expert.com, −10 per wavedisco, historically none)', note: 'treated as unnormalised' },
  { id: 'cd', name: 'CD / club', integratedLufs: null, truePeakCeilingDbtp: -0.3, playbackLufs: null, rule: 'none',
    source: 'No normalisation; ceiling −0.3 dBFS with dither (iZotope Ozone 7 manual, p. 64); commercial masters typically −9…−6 LUFS',
    note: 'loudness is a creative choice, limited by the PLR floor' },
  { id: 'ebu-r128', name: 'EBU R128 broadcast', integratedLufs: -23, truePeakCeilingDbtp: -1, playbackLufs: -23, rule: 'none',
    source: 'EBU R128 (2023): −23 LUFS ±0.5 LU, max −1 dBTP' },
  { id: 'aes-td1008', name: 'AES TD1008 streaming', integratedLufs: -16, truePeakCeilingDbtp: -1, playbackLufs: -16, rule: 'down-only',
    source: 'AES TD1008 (2021): music −16 LUFS track-normalised, max −1 dBTP (versed.com.au; indierecordingdepot.com)' },
];

/** A master is on target within this many LU of it: the job re-limits until it is, and reports say so. */
export const LOUDNESS_TOLERANCE_LU = 0.1;

export function findTarget(id: string): DeliveryTarget | undefined {
  return DELIVERY_TARGETS.find((target) => target.id === id);
}

export interface PlaybackPreview {
  targetId: string;
  /** Gain the platform applies on playback (dB). */
  playbackGainDb: number;
  /** The master's true peak after that gain (dBTP). */
  truePeakAfterDbtp: number;
  /** Loudness the listener hears (LUFS). */
  playbackLufs: number;
}

/** What each platform's normalisation will do to a master measured at `integratedLufs` / `truePeakDbtp`. */
export function previewPlayback(target: DeliveryTarget, integratedLufs: number, truePeakDbtp: number): PlaybackPreview {
  let gain = 0;
  if (target.playbackLufs !== null && target.rule !== 'none') {
    gain = target.playbackLufs - integratedLufs;
    if (gain > 0 && target.rule === 'down-only') gain = 0;
    if (gain > 0 && target.rule === 'both-ways-peak-limited') {
      gain = Math.min(gain, Math.max(0, (target.playbackPeakLimitDbtp ?? -1) - truePeakDbtp));
    }
  }
  return { targetId: target.id, playbackGainDb: gain, truePeakAfterDbtp: truePeakDbtp + gain, playbackLufs: integratedLufs + gain };
}
