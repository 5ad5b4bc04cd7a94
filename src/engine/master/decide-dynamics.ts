// Decides the dynamics stages of a master: de-essing only when sibilance jumps out, multiband only
// when the low end is out of control, gentle glue compression unless the mix is already dense, and
// punch (transient shaping) when the transients have been squashed. Pure functions.
import type { ProcessorParams } from '../dsp/registry.js';
import type { MasterMeasurements } from './api.js';
import type { Character } from './plan.js';

export interface StageDecision<P> {
  enabled: boolean;
  params: P;
  summary: string;
  why: string;
}

/** Sibilance that jumps this far (95th percentile over median, 10 ms windows of 5–10 kHz) is de-essed… */
export const SIBILANCE_PEAK_TO_MEDIAN_DB = 18;
/** …when the 5–10 kHz band is also strong against 1–4 kHz: a sparse ride cymbal or a trumpet's breath
 *  jumps as much (measured 20–23 dB on the corpus) but sits 12–30 dB under the mids; a sibilant lead vocal ~3 dB. */
export const SIBILANCE_MIN_RELATIVE_DB = -8;
/** A mix this dense (LRA and short-window crest both low) gets no glue: it is glued already. */
const DENSE_LRA_LU = 3;
const DENSE_CREST_DB = 8;
/** Below this median 50 ms crest, transients are squashed enough that a little attack helps. */
const SQUASHED_CREST_DB = 7;
/** A low band whose 50 ms crest exceeds the full band's by this much is spiky (boomy notes, uneven kick). */
const LOW_SPIKY_EXCESS_DB = 4;

/** Loud-passage RMS per channel from the loudest short-term loudness (BS.1770: stereo sums two channels, ~+3 dB). */
function loudRmsDb(m: MasterMeasurements): number | null {
  const st = m.base.maxShortTermLufs;
  if (st === null) return null;
  return st + 0.691 - 10 * Math.log10(Math.max(1, m.base.channels));
}

export function decideDeEss(m: MasterMeasurements, amount: number): StageDecision<ProcessorParams<'de-esser'>> {
  const jump = m.sibilance.peakToMedianDb;
  const params: ProcessorParams<'de-esser'> = { frequencyHz: 7000, detector: 'bandPass', detectorQ: 1, splitHz: 5000, ratio: 3, rangeDb: 3, attackSeconds: 0.001, releaseSeconds: 0.06, stereoLink: 1, thresholdDb: -30 };
  const relative = m.sibilance.relativeDb;
  if (jump === null || relative === null || jump < SIBILANCE_PEAK_TO_MEDIAN_DB || relative < SIBILANCE_MIN_RELATIVE_DB || amount <= 0 || m.base.sampleRate < 22000) {
    return {
      enabled: false, params, summary: 'off (not needed)',
      why: jump === null || relative === null ? 'No top-end content to de-ess.'
        : jump < SIBILANCE_PEAK_TO_MEDIAN_DB ? `Sibilance is under control (peaks ${jump.toFixed(1)} dB over the typical 5–10 kHz level; de-essing starts at ${SIBILANCE_PEAK_TO_MEDIAN_DB} dB).`
          : relative < SIBILANCE_MIN_RELATIVE_DB ? `The 5–10 kHz band has peaks (${jump.toFixed(1)} dB) but sits ${(-relative).toFixed(1)} dB under the mids: cymbals or breath, not harsh "s" sounds. No de-essing.`
            : 'Not at this sample rate.',
    };
  }
  const bandRms = loudRmsDb(m) === null ? -30 : (loudRmsDb(m) as number) + (m.sibilance.relativeDb ?? -10) - 6;
  const rangeDb = Math.min(6, 1.5 + (jump - SIBILANCE_PEAK_TO_MEDIAN_DB) * 0.25 + 2 * amount);
  params.thresholdDb = Math.max(-60, Math.min(-6, bandRms + 0.5 * (jump - SIBILANCE_PEAK_TO_MEDIAN_DB) + 6));
  params.rangeDb = Math.round(rangeDb * 10) / 10;
  return {
    enabled: true, params, summary: `split-band above 5 kHz, up to −${params.rangeDb} dB`,
    why: `Bursts in the 5–10 kHz band (sibilants, or hard hi-hats) jump ${jump.toFixed(1)} dB above its typical level: they would get sharper as the master gets louder. Only the band above 5 kHz is turned down, and only on those bursts.`,
  };
}

export function decideMultiband(m: MasterMeasurements, amount: number): StageDecision<ProcessorParams<'multiband-compressor'>> {
  const full = m.transients.shortCrestDb, low = m.transients.lowShortCrestDb;
  const params: ProcessorParams<'multiband-compressor'> = { frequenciesHz: [150], lookaheadSeconds: 0.003, bands: [{ ratio: 1 }, { ratio: 1 }] };
  if (full === null || low === null || low - full < LOW_SPIKY_EXCESS_DB || amount <= 0) {
    return { enabled: false, params, summary: 'off (not needed)', why: full === null || low === null ? 'Not enough low end to judge.' : `The low end moves with the rest of the mix (its 50 ms crest is ${(low - full).toFixed(1)} dB against the full band's; multiband starts at +${LOW_SPIKY_EXCESS_DB} dB): one band is enough.` };
  }
  const rms = loudRmsDb(m) ?? -20;
  const lowLevel = rms + (m.lowEnd.bassRelativeDb ?? -3);
  params.bands = [
    { thresholdDb: Math.max(-60, Math.round(lowLevel + 2)), ratio: 2 + amount, kneeDb: 6, attackSeconds: 0.02, releaseSeconds: 0.15, detector: 'rms', rmsWindowSeconds: 0.02, stereoLink: 1, rangeDb: 6 },
    { ratio: 1 },
  ];
  return {
    enabled: true, params, summary: `below 150 Hz: ${(2 + amount).toFixed(1)}:1 on the peaks`,
    why: `The low end is uneven (its peaks stand ${(low - full).toFixed(1)} dB more above its average than the full mix's): some bass notes or kicks jump out. Only the band below 150 Hz is evened out, so the rest keeps its dynamics.`,
  };
}

export function decideGlue(m: MasterMeasurements, amount: number, character: Character): StageDecision<ProcessorParams<'compressor'>> {
  const lra = m.base.loudnessRangeLu, crest = m.transients.shortCrestDb;
  const rms = loudRmsDb(m);
  const ratio = Math.round((1.4 + 0.8 * amount + (character === 'punchy' ? 0.3 : 0)) * 10) / 10;
  const params: ProcessorParams<'compressor'> = {
    thresholdDb: -20, ratio, kneeDb: 6, attackSeconds: character === 'punchy' ? 0.03 : 0.02, releaseSeconds: 0.2, autoRelease: true,
    detector: 'rms', rmsWindowSeconds: 0.05, stereoLink: 1, sidechainHpfHz: 90, makeupDb: 0, rangeDb: 4, lookaheadSeconds: 0,
  };
  if (rms === null || amount <= 0) return { enabled: false, params, summary: 'off', why: amount <= 0 ? 'Intensity 0: no glue compression.' : 'Silent input.' };
  if (lra !== null && crest !== null && lra < DENSE_LRA_LU && crest < DENSE_CREST_DB) {
    return { enabled: false, params, summary: 'off (already dense)', why: `The mix is already dense (loudness range ${lra.toFixed(1)} LU, transients ${crest.toFixed(1)} dB over the average): more compression would flatten it.` };
  }
  // Aim at about 1-2 dB of reduction on the loud passages: threshold just under their RMS.
  const depth = 2 + 3 * amount;
  params.thresholdDb = Math.max(-60, Math.round((rms - depth) * 10) / 10);
  const reduction = depth * (1 - 1 / ratio);
  return {
    enabled: true, params, summary: `${ratio}:1, threshold ${params.thresholdDb} dB, ~${reduction.toFixed(1)} dB on loud passages`,
    why: `Gentle bus compression (slow ${Math.round((params.attackSeconds ?? 0.02) * 1000)} ms attack lets the transients through, auto release, kick-proof 90 Hz sidechain filter) glues the mix and takes ~${reduction.toFixed(1)} dB off the loudest passages, so the limiter has less to do.`,
  };
}

export function decidePunch(m: MasterMeasurements, amount: number, character: Character): StageDecision<ProcessorParams<'transient-shaper'>> {
  const crest = m.transients.shortCrestDb;
  const params: ProcessorParams<'transient-shaper'> = { attackDb: 0, sustainDb: 0 };
  const wantsPunch = character === 'punchy' || (crest !== null && crest < SQUASHED_CREST_DB);
  if (crest === null || !wantsPunch || amount <= 0 || m.transients.onsetsPerSecond < 0.5) {
    return { enabled: false, params, summary: 'off (not needed)', why: crest === null ? 'No transients to shape.' : `Transients are intact (${crest.toFixed(1)} dB over the average in 50 ms windows).` };
  }
  params.attackDb = Math.round((1 + 2 * amount + (character === 'punchy' ? 1 : 0)) * 10) / 10;
  params.sustainDb = character === 'punchy' ? -0.5 : 0;
  return {
    enabled: true, params, summary: `attack +${params.attackDb} dB${params.sustainDb ? `, sustain ${params.sustainDb} dB` : ''}`,
    why: character === 'punchy'
      ? `The "punchy" character: the kick and snare hit harder (onsets +${params.attackDb} dB) before the limiter.`
      : `The transients are squashed (only ${crest.toFixed(1)} dB over the average in 50 ms windows): a little more attack brings the kick and snare forward again.`,
  };
}
