// Tonal-balance target curves: third-octave levels (dB, 0 at 1 kHz) on the bands of analysis/bands.ts
// for a few genre families, each with its source and a don't-crush PLR floor, plus the free-text genre
// mapping and the level alignment of a target to a measured spectrum.
//
// Where the numbers come from. Two published long-term average spectrum (LTAS) studies of commercial
// recordings, as their findings are quoted by secondary sources (the primary AES papers were not
// reachable here, so no figure values are transcribed; only the slopes the sources state are used):
// - Pestana, Ma, Reiss, Barbosa, Black, "Spectral characteristics of popular commercial recordings
//   1950-2010", AES 135th Convention, paper 8960 (2013), p. 5: the mean LTAS of 772 chart hits decays
//   "around 5 dB per octave between 100 and 4000 Hz" (power density), with a low cut around 60 Hz and a
//   steeper fall above 4 kHz; hip-hop, rock, pop and electronic music carry more below 150 Hz and above
//   5 kHz than jazz and folk, which are relatively fuller in the mids; jazz has the least bass.
// - Elowsson, Friberg, "Long-term average spectrum in popular music and its relation to the level of
//   the percussion", AES 142nd Convention, paper 9762 (2017), 12 345 tracks fitted with quadratics:
//   the density slope steepens from -2.4 dB/octave at 200 Hz to -8.9 dB/octave at 6.4 kHz; more
//   percussion means relatively more below ~100 Hz and above ~2-4.5 kHz.
// The balanced curve is the quadratic those two Elowsson-Friberg slopes define, moved from density to
// third-octave band level (+3.01 dB/octave, a band's width grows with its frequency). Cross-check: its
// mean density slope over 89 Hz-4.5 kHz is -4.56 dB/octave (quoted: 4.5) and its density peaks at
// 56 Hz (Pestana: the low cut near 60 Hz). The other families tilt it with gentle shelves in the
// directions Pestana et al. describe; their sizes (2-4 dB) are our choice, not published values.
import type { BandLevels } from './api.js';
import { thirdOctaveBands } from '../analysis/bands.js';

export type TonalFamilyId = 'balanced' | 'bass-heavy' | 'bright' | 'warm';

export interface TonalTarget {
  id: TonalFamilyId;
  name: string;
  /** Nominal band centres (Hz), as analysis/bands.ts: 20 ... 20000. */
  bandsHz: number[];
  /** Target level per band (dB), 0 at 1 kHz; only differences between bands matter. */
  levelDb: number[];
  /** Smallest peak-to-loudness ratio (true peak minus integrated loudness, dB) mastering may leave. */
  plrFloorDb: number;
  plrFloorWhy: string;
  /** What the numbers come from, honestly. */
  source: string;
  /** What the curve means for a listener. */
  why: string;
}

/** Density slope at 1 kHz (dB/octave) and its change per octave, from the -2.4 (200 Hz) and -8.9 (6.4 kHz) slopes. */
const CURVATURE_DB_PER_OCTAVE2 = (-8.9 - -2.4) / Math.log2(6400 / 200);
const DENSITY_SLOPE_AT_1K = -2.4 + CURVATURE_DB_PER_OCTAVE2 * Math.log2(1000 / 200);
/** Third-octave bands are 23 % of their centre wide: band level = density + 10 log10(f) + const. */
const BANDWIDTH_DB_PER_OCTAVE = 10 * Math.log10(2);

/** The balanced curve at `frequencyHz`: band level (dB) relative to 1 kHz. */
export function balancedLevelDb(frequencyHz: number): number {
  const x = Math.log2(frequencyHz / 1000);
  return (DENSITY_SLOPE_AT_1K + BANDWIDTH_DB_PER_OCTAVE) * x + 0.5 * CURVATURE_DB_PER_OCTAVE2 * x * x;
}

/** Smooth shelves in dB on a log-frequency axis: half the gain at the corner. */
const lowShelfDb = (hz: number, cornerHz: number, gainDb: number) => gainDb / (1 + (hz / cornerHz) ** 2);
const highShelfDb = (hz: number, cornerHz: number, gainDb: number) => gainDb / (1 + (cornerHz / hz) ** 2);

const SOURCE_BALANCED = 'Quadratic LTAS of commercial popular music defined by the slopes Elowsson & Friberg report (AES 142, paper 9762, 2017: '
  + '-2.4 dB/oct at 200 Hz, -8.9 dB/oct at 6.4 kHz, power density), converted to third-octave band levels; consistent with Pestana et al. '
  + '(AES 135, paper 8960, 2013: ~5 dB/oct 100 Hz-4 kHz, low cut near 60 Hz). Slopes as quoted by secondary sources; no figure values transcribed.';
const SOURCE_SHELVES = 'The balanced curve (Elowsson & Friberg 2017 slopes) tilted in the direction Pestana et al. (AES 135, paper 8960, 2013) '
  + 'describe for this family; the shelf sizes are mixmaster\'s choice, not published values.';

interface FamilyDefinition {
  id: TonalFamilyId;
  name: string;
  shape: (hz: number) => number;
  plrFloorDb: number;
  plrFloorWhy: string;
  source: string;
  why: string;
}

const FAMILIES: FamilyDefinition[] = [
  {
    id: 'balanced', name: 'Balanced', shape: () => 0, plrFloorDb: 9,
    plrFloorWhy: 'below about 9 dB a mixed-genre master starts to lose its drum attack to the limiter',
    source: SOURCE_BALANCED,
    why: 'the average tonal balance of commercial records: full lows, a gentle fall through the mids, a softer top',
  },
  {
    id: 'bass-heavy', name: 'Bass-heavy (hip-hop, EDM)', shape: (hz) => lowShelfDb(hz, 90, 4) + highShelfDb(hz, 6000, 1), plrFloorDb: 8,
    plrFloorWhy: 'dense club and hip-hop masters live near 8 dB; lower, the kick loses its punch',
    source: `${SOURCE_SHELVES} Pestana et al.: hip-hop and electronic music carry more below 150 Hz (hip-hop down to 30 Hz) and above 5 kHz. Shelves: +4 dB below ~90 Hz, +1 dB above ~6 kHz.`,
    why: 'sub and kick carry the track: about 4 dB more below 90 Hz than the average record, a little more air',
  },
  {
    id: 'bright', name: 'Bright (modern pop, rock)', shape: (hz) => lowShelfDb(hz, 100, 1.5) + highShelfDb(hz, 5000, 2.5), plrFloorDb: 8,
    plrFloorWhy: 'dense pop and rock masters live near 8 dB; lower, the drums go flat and the guitars fizz',
    source: `${SOURCE_SHELVES} Pestana et al.: pop and rock carry more below 150 Hz and above 5 kHz than jazz and folk. Shelves: +1.5 dB below ~100 Hz, +2.5 dB above ~5 kHz.`,
    why: 'present and polished: a little more low end and about 2.5 dB more top than the average record',
  },
  {
    id: 'warm', name: 'Warm / acoustic (jazz, folk, classical)', shape: (hz) => lowShelfDb(hz, 70, -3) + highShelfDb(hz, 5000, -3), plrFloorDb: 12,
    plrFloorWhy: 'acoustic music lives on its dynamics: under about 12 dB the playing loses its light and shade',
    source: `${SOURCE_SHELVES} Pestana et al.: jazz and folk are relatively fuller in the mids, jazz has the least bass and a falling top. Shelves: -3 dB below ~70 Hz, -3 dB above ~5 kHz.`,
    why: 'natural instruments in a room: full mids, less sub and a softer top than a modern pop record',
  },
];

function buildTarget(family: FamilyDefinition): TonalTarget {
  const bands = thirdOctaveBands();
  const at = (hz: number) => balancedLevelDb(hz) + family.shape(hz);
  const reference = at(1000);
  return {
    id: family.id,
    name: family.name,
    bandsHz: bands.map((band) => band.nominalHz),
    levelDb: bands.map((band) => at(band.centerHz) - reference),
    plrFloorDb: family.plrFloorDb,
    plrFloorWhy: family.plrFloorWhy,
    source: family.source,
    why: family.why,
  };
}

export const TONAL_TARGETS: readonly TonalTarget[] = FAMILIES.map(buildTarget);

export function findTonalTarget(id: string): TonalTarget | undefined {
  return TONAL_TARGETS.find((target) => target.id === id);
}

/** Genre words per family, checked in this order (so "jazz rap" is bass-heavy and "folk rock" warm before bright). */
const GENRE_WORDS: [TonalFamilyId, RegExp][] = [
  ['bass-heavy', /hip ?hop|\brap\b|trap|drill|grime|\bedm\b|electronic|electronica|\bdance\b|house|techno|trance|dubstep|drum ?(and|n|&) ?bass|\bdnb\b|\bd&b\b|jungle|uk garage|garage(?! rock)|bass music|future bass|reggaeton|dancehall|\br ?(&|and|n) ?b\b|\brnb\b|afrobeats?|moombahton|phonk/],
  ['warm', /jazz|classical|orchestra|symphon|chamber|opera|choral|choir|baroque|folk|acoustic|singer[- ]?songwriter|bluegrass|blues|ambient|new age|soundtrack|film score|\bscore\b|piano|string quartet|world/],
  ['bright', /pop|rock|metal|punk|indie|alternative|\balt\b|emo|grunge|hardcore|shoegaze|country|k-?pop|j-?pop/],
];

/** Maps a free-text genre ("Hip-Hop", "modern pop", "R&B", "jazz") to a tonal family; unknown genres are balanced. */
export function genreFamily(genre: string): TonalFamilyId {
  const text = genre.toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (text === '') return 'balanced';
  for (const [family, words] of GENRE_WORDS) if (words.test(text)) return family;
  return 'balanced';
}

/** Bands whose energy sets the alignment: where every genre has content and the ear judges balance. */
export const ALIGN_LOW_HZ = 100;
export const ALIGN_HIGH_HZ = 8000;

/**
 * The target moved to the measured spectrum's level: the offset makes the target's energy over
 * 100 Hz-8 kHz equal the measured energy over the same bands (bands the measurement has). Bands the
 * measurement lacks (above Nyquist) are null; all-null when nothing was measured there.
 */
export function alignTargetToMeasured(target: { bandsHz: number[]; levelDb: number[] }, measuredMid: BandLevels): BandLevels {
  if (target.bandsHz.length !== measuredMid.bandsHz.length || target.bandsHz.some((hz, b) => hz !== measuredMid.bandsHz[b])) {
    throw new RangeError('alignTargetToMeasured: target and measurement must use the same bands');
  }
  let targetEnergy = 0;
  let measuredEnergy = 0;
  measuredMid.levelDb.forEach((db, b) => {
    const hz = target.bandsHz[b];
    if (db === null || hz < ALIGN_LOW_HZ || hz > ALIGN_HIGH_HZ) return;
    targetEnergy += 10 ** (target.levelDb[b] / 10);
    measuredEnergy += 10 ** (db / 10);
  });
  if (!(targetEnergy > 0 && measuredEnergy > 0)) return { bandsHz: [...target.bandsHz], levelDb: target.levelDb.map(() => null) };
  const offsetDb = 10 * Math.log10(measuredEnergy / targetEnergy);
  return {
    bandsHz: [...target.bandsHz],
    levelDb: target.levelDb.map((db, b) => (measuredMid.levelDb[b] === null ? null : db + offsetDb)),
  };
}
