// Plausible, deterministic report data (a pop song mastered for Spotify, and a five-track album) for
// tests and demos until real mastering data flows. The shapes follow real measurements: a mix with
// muddy low mids, a song form in its short-term loudness, limiter reduction on the loud sections.
import type { AlbumReport, LoudnessSummary, MasterReport, ReportDeliverable, ReportPlatform } from '../engine/master/api.js';
import { findTarget, previewPlayback } from '../engine/master/targets.js';

/** Seeded PRNG (mulberry32): the same sample every run, so tests and screenshots are stable. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const THIRD_OCTAVE_HZ = [20, 25, 31.5, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000,
  1250, 1600, 2000, 2500, 3150, 4000, 5000, 6300, 8000, 10000, 12500, 16000, 20000];

const octavesFrom = (hz: number, centreHz: number) => Math.log2(hz / centreHz);
/** Bell of `gainDb` at `centreHz`, about one octave wide (a Gaussian in log-frequency). */
const bell = (hz: number, centreHz: number, gainDb: number, octaves = 0.8) => gainDb * Math.exp(-0.5 * (octavesFrom(hz, centreHz) / (octaves / 2)) ** 2);
/** Shelf reaching `gainDb` above `cornerHz` (positive `octaves`) or below it (negative). */
const shelf = (hz: number, cornerHz: number, gainDb: number, octaves = 1) => gainDb / (1 + Math.exp(-4 * octavesFrom(hz, cornerHz) / octaves));
const round = (value: number, decimals: number) => Number(value.toFixed(decimals));

export interface SampleOptions {
  title?: string;
  durationSeconds?: number;
  /** Spacing of the loudness and gain-reduction series (s). */
  hopSeconds?: number;
  mono?: boolean;
  seed?: number;
}

function summary(values: Partial<LoudnessSummary>): LoudnessSummary {
  return { integratedLufs: null, loudnessRangeLu: null, truePeakDbtp: null, samplePeakDbfs: null, plrDb: null, maxShortTermLufs: null, correlation: null, sideToMidDb: null, ...values };
}

/** Short-term loudness of a song form: intro, verse, chorus, verse, chorus, bridge, last chorus, fading outro. */
function songShortTerm(durationSeconds: number, hopSeconds: number, next: () => number): (number | null)[] {
  const form: [number, number][] = [[0, -25], [0.08, -19.5], [0.25, -15.5], [0.4, -19], [0.55, -15], [0.7, -21.5], [0.78, -14.5], [0.93, -22]];
  const count = Math.max(0, Math.round(durationSeconds / hopSeconds));
  const values: (number | null)[] = new Array(count);
  let wander = 0;
  for (let i = 0; i < count; i++) {
    const t = (i + 1) * hopSeconds;
    // The 3 s window is not full yet: the meter has no value (null), as the analysis reports it.
    if (t < 3) {
      values[i] = null;
      continue;
    }
    const position = t / durationSeconds;
    let level = form[0]![1];
    for (const [start, lufs] of form) if (position >= start) level = lufs;
    wander = 0.995 * wander + 0.08 * (next() - 0.5);
    const fade = position > 0.96 ? -40 * (position - 0.96) / 0.04 : 0;
    values[i] = round(level + 4 * wander + 0.4 * Math.sin(t * 1.3) + fade, 2);
  }
  return values;
}

export function sampleMasterReport(options: SampleOptions = {}): MasterReport {
  const next = random(options.seed ?? 7);
  const durationSeconds = options.durationSeconds ?? 212.4;
  const hopSeconds = options.hopSeconds ?? 0.1;
  const mono = options.mono ?? false;
  const gainDb = 4.6;

  const beforeDb = THIRD_OCTAVE_HZ.map((hz) => round(-24 - 3.4 * Math.max(0, octavesFrom(hz, 200)) + shelf(hz, 40, 10) - 10
    + bell(hz, 250, 3) - bell(hz, 3000, 1.2) - shelf(hz, 14000, 8) + 0.8 * (next() - 0.5), 2));
  const targetDb = THIRD_OCTAVE_HZ.map((hz) => round(-24.5 - 3.2 * Math.max(0, octavesFrom(hz, 200)) + shelf(hz, 40, 10) - 10 - shelf(hz, 15000, 6), 2));
  const eqMidDb = THIRD_OCTAVE_HZ.map((hz) => round(bell(hz, 250, -2) + shelf(hz, 10000, 1.5) - shelf(hz, 25, 12, -0.5), 2));
  const eqSideDb = THIRD_OCTAVE_HZ.map((hz) => round(shelf(hz, 8000, 1) - 4 + shelf(hz, 120, 4, 0.6), 2));
  // After = before + EQ + gain, with the limiter taking a little of the densest bands back.
  const afterDb = beforeDb.map((db, i) => round(db! + eqMidDb[i]! + gainDb - 0.6 * Math.max(0, Math.log2(THIRD_OCTAVE_HZ[i]! / 60)) / 8, 2));

  const beforeShortTerm = songShortTerm(durationSeconds, hopSeconds, next);
  const afterShortTerm = beforeShortTerm.map((v) => (v === null ? null : round(v + gainDb - 0.5 * Math.max(0, v + gainDb + 16), 2)));
  const limiterDb = afterShortTerm.map((v) => (v === null ? 0 : round(Math.max(0, 0.8 * (v + 15.5)) + (next() < 0.02 ? 1.5 * next() : 0.15 * next()), 2)));
  const maxDb = limiterDb.reduce((a, b) => Math.max(a, b), 0);
  const meanDb = limiterDb.length ? limiterDb.reduce((a, b) => a + b, 0) / limiterDb.length : 0;

  const before = summary({ integratedLufs: -18.4, loudnessRangeLu: 7.9, truePeakDbtp: -0.12, samplePeakDbfs: -0.2, plrDb: 18.28, maxShortTermLufs: -13.1,
    correlation: mono ? null : 0.62, sideToMidDb: mono ? null : -11.4 });
  const after = summary({ integratedLufs: -14.0, loudnessRangeLu: 6.4, truePeakDbtp: -1.02, samplePeakDbfs: -1.3, plrDb: 12.98, maxShortTermLufs: -10.2,
    correlation: mono ? null : 0.71, sideToMidDb: mono ? null : -12.6 });

  const platformIds = ['spotify', 'apple-music', 'youtube', 'amazon-music', 'tidal', 'deezer', 'soundcloud', 'ebu-r128'];
  const platforms: ReportPlatform[] = platformIds.map((id) => {
    const target = findTarget(id)!;
    const preview = previewPlayback(target, after.integratedLufs!, after.truePeakDbtp!);
    return { id, name: target.name, playbackGainDb: preview.playbackGainDb, truePeakAfterDbtp: preview.truePeakAfterDbtp, playbackLufs: preview.playbackLufs };
  });
  const deliverables: ReportDeliverable[] = [
    { file: 'master.wav', format: 'wav', sampleRate: 48000, bitDepth: 24, integratedLufs: -14.0, truePeakDbtp: -1.02, ceilingDbtp: -1, withinCeiling: true, note: null },
    { file: 'master-16bit.wav', format: 'wav', sampleRate: 44100, bitDepth: 16, integratedLufs: -14.0, truePeakDbtp: -1.04, ceilingDbtp: -1, withinCeiling: true, note: 'TPDF dither' },
    { file: 'master.flac', format: 'flac', sampleRate: 44100, bitDepth: 16, integratedLufs: -14.0, truePeakDbtp: -1.04, ceilingDbtp: -1, withinCeiling: true, note: null },
    { file: 'master.mp3', format: 'mp3', sampleRate: 44100, bitDepth: null, integratedLufs: -14.1, truePeakDbtp: -0.93, ceilingDbtp: -1, withinCeiling: true,
      note: '320 kb/s CBR; within the 0.3 dB lossy allowance' },
  ];

  const bands = THIRD_OCTAVE_HZ.slice(4, 29); // 50 Hz … 12.5 kHz: where per-band stereo is meaningful
  const stereo = mono ? null : {
    bandsHz: bands,
    beforeCorrelation: bands.map((hz) => round(0.92 - 0.22 * Math.max(0, octavesFrom(hz, 60)) / 4 - (hz < 160 ? 0.2 : 0) + 0.06 * (next() - 0.5), 3)),
    afterCorrelation: bands.map((hz) => round(hz < 120 ? 0.99 : 0.9 - 0.2 * octavesFrom(hz, 120) / 6.7 + 0.05 * (next() - 0.5), 3)),
    beforeSideToMidDb: bands.map((hz) => round(-19 + 1.4 * octavesFrom(hz, 50) + (hz < 160 ? 4 : 0), 2)),
    afterSideToMidDb: bands.map((hz) => round(-19 + 1.4 * octavesFrom(hz, 50) - shelf(hz, 120, 14, -0.4) + shelf(hz, 8000, 1), 2)),
  };

  return {
    schema: 'mixmaster.master-report',
    version: 1,
    title: options.title ?? 'Golden Hour (final mix v3)',
    inputFile: 'golden-hour_mix-v3.wav',
    durationSeconds,
    sampleRate: 48000,
    target: { id: 'spotify', name: 'Spotify', integratedLufs: -14, ceilingDbtp: -1, plrFloorDb: 8, reachedLufs: -14.0,
      why: 'Spotify plays every track at −14 LUFS: mastering to it avoids a turn-down and leaves 1 dB of true-peak headroom for the codec.' },
    before,
    after,
    stages: [
      { kind: 'eq', enabled: true, summary: '−2.0 dB at 250 Hz (Q 1.0), +1.5 dB high shelf at 10 kHz, high-pass 25 Hz',
        why: 'The low mids sit 2.6 dB above the target curve around 250 Hz (muddy); the top end is 1.4 dB under it.' },
      { kind: 'compressor', enabled: true, summary: '2:1 glue, 30 ms attack, about 1.5 dB of reduction in the choruses',
        why: 'Verses and choruses differ by 5 LU; light glue holds the band together and keeps the chorus lift.' },
      { kind: 'saturation', enabled: false, summary: 'off', why: 'Transients are already dense (short crest 9 dB); saturation would dull them.' },
      ...(mono ? [] : [{ kind: 'stereo', enabled: true, summary: 'bass mono below 120 Hz, width 105 %',
        why: 'Correlation below 120 Hz is 0.71: the bass moves between speakers, which weakens it on club systems and vinyl.' }]),
      { kind: 'limiter', enabled: true, summary: `+${gainDb.toFixed(1)} dB into a true-peak limiter, ceiling −1.0 dBTP`,
        why: `Reaching −14 LUFS needs 4.4 LU more; the limiter catches the peaks (max ${maxDb.toFixed(1)} dB of reduction).` },
      { kind: 'dither', enabled: true, summary: 'TPDF dither on the 16-bit files', why: 'Truncating to 16 bits without dither leaves distortion in fades and reverb tails.' },
    ],
    spectrum: { bandsHz: THIRD_OCTAVE_HZ, beforeDb, afterDb, targetDb, eqMidDb, eqSideDb: mono ? null : eqSideDb },
    loudnessOverTime: { hopSeconds, beforeShortTermLufs: beforeShortTerm, afterShortTermLufs: afterShortTerm },
    gainReduction: { hopSeconds, limiterDb, maxDb: round(maxDb, 2), meanDb: round(meanDb, 2) },
    stereo,
    platforms,
    deliverables,
    notes: [
      'The mix clips in 3 places (14 samples at 1:02, 2:11 and 2:58); mastering cannot restore those peaks. A mix without clipping would master cleaner.',
      'The MP3 was limited 0.2 dB lower once, so its true peak stays under −1 dBTP after encoding.',
    ],
  };
}

const TRACKS: [string, string, number, number, number, number][] = [
  // folder, title, before LUFS, after LUFS, LRA after, true peak after
  ['01-first-light', 'First Light', -19.6, -14.6, 6.1, -1.1],
  ['02-golden-hour', 'Golden Hour', -18.4, -14.0, 6.4, -1.02],
  ['03-night-and-day', 'Night & Day <live>', -21.3, -15.8, 8.9, -1.3],
  ['04-runaway', 'Runaway', -17.2, -13.4, 5.2, -1.0],
  ['05-letters', 'Letters (piano ballad)', -23.5, -17.6, 10.8, -2.4],
];

export function sampleAlbumReport(): AlbumReport {
  return {
    schema: 'mixmaster.album-report',
    version: 1,
    title: 'Golden Hour — the album',
    target: { id: 'spotify', name: 'Spotify', integratedLufs: -14, ceilingDbtp: -1 },
    albumBeforeLufs: -19.3,
    albumAfterLufs: -14.5,
    why: 'One gain strategy for the whole album: the loudest song is set to −13.4 LUFS and every other track keeps its distance to it, so the ballad stays quieter than the single, as in the mix.',
    tracks: TRACKS.map(([folder, title, beforeLufs, afterLufs, lraAfter, peakAfter]) => ({
      folder,
      title,
      before: summary({ integratedLufs: beforeLufs, loudnessRangeLu: round(lraAfter + 1.4, 1), truePeakDbtp: -0.2, plrDb: round(-0.2 - beforeLufs, 2) }),
      after: summary({ integratedLufs: afterLufs, loudnessRangeLu: lraAfter, truePeakDbtp: peakAfter, plrDb: round(peakAfter - afterLufs, 2) }),
      targetLufs: round(afterLufs, 1),
    })),
    notes: ['Letters stays 3.1 LU under the album: a quiet ballad after a loud single is what the mix intended.'],
  };
}
