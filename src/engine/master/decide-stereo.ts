// Decides width with mono safety: bass mono below a cutoff when the low end carries side energy, and
// side gain per band that widens only where the image is correlated enough to take it (a band that is
// already wide or out of phase is never widened). Pure function. The result is a side-only curve for
// a linear-phase mid/side EQ: no crossover phase turns, and the renderer fuses it with the tonal EQ.
import type { ProcessorParams } from '../dsp/registry.js';
import type { MasterMeasurements } from './api.js';
import type { StageDecision } from './decide-dynamics.js';

/** Band edges of the width stage (Hz): bass | low-mids | mids | highs; bands blend over ±1/3 octave. */
const SPLITS_HZ = [120, 1500, 6000];
/** Side energy below 120 Hz above this (relative to mid) is worth folding to mono. */
const BASS_SIDE_LIMIT_DB = -20;
/** Bands less correlated than this are not widened… */
const WIDEN_MIN_CORRELATION = 0.3;
/** …and bands this far out of phase are narrowed for mono safety (unrelated channels read about 0). */
const NARROW_BELOW_CORRELATION = -0.1;

function bandCorrelation(m: MasterMeasurements, lowHz: number, highHz: number): number | null {
  const spectrum = m.base.spectrum;
  if (!spectrum) return null;
  let sum = 0, weight = 0;
  spectrum.bandsHz.forEach((hz, b) => {
    const c = spectrum.correlation[b], level = spectrum.levelDb[b];
    if (hz < lowHz || hz >= highHz || c === null || level === null) return;
    const w = Math.pow(10, level / 10);
    sum += c * w;
    weight += w;
  });
  return weight > 0 ? sum / weight : null;
}

/** Deepest side cut of bass mono (dB): the curve limit of the EQ. */
const MONO_DB = -48;
const BLEND_OCTAVES = 1 / 3;

/** Side gain curve (1/12 octave, 20 Hz-20 kHz) for per-band widths in percent (0 % = mono = MONO_DB). */
export function widthSideCurve(widthsPercent: number[], splitsHz: number[] = SPLITS_HZ): { frequencyHz: number; gainDb: number }[] {
  const gainDb = (percent: number) => (percent <= 0 ? MONO_DB : Math.max(MONO_DB, 20 * Math.log10(percent / 100)));
  const points: { frequencyHz: number; gainDb: number }[] = [];
  for (let i = 0; i <= 120; i++) {
    const hz = 20 * Math.pow(2, i / 12);
    // Band weights blend linearly in log frequency across each split (±1/3 octave).
    let band = 0;
    for (const split of splitsHz) band += Math.min(1, Math.max(0, 0.5 + Math.log2(hz / split) / (2 * BLEND_OCTAVES)));
    const low = Math.floor(band), t = band - low;
    const value = t === 0 ? gainDb(widthsPercent[low]) : (1 - t) * gainDb(widthsPercent[low]) + t * gainDb(widthsPercent[Math.min(low + 1, widthsPercent.length - 1)]);
    points.push({ frequencyHz: hz, gainDb: Math.round(value * 1000) / 1000 || 0 }); // no -0 in the plan
  }
  return points;
}

export interface WidthDecision extends StageDecision<ProcessorParams<'mid-side-eq'>> {
  widthsPercent: number[];
}

export function decideWidth(m: MasterMeasurements, widthPercent: number, openCharacter: boolean): WidthDecision {
  const params = { frequenciesHz: SPLITS_HZ, widthsPercent: [100, 100, 100, 100] };
  const flat = (): ProcessorParams<'mid-side-eq'> => ({ midCurve: [{ frequencyHz: 1000, gainDb: 0 }], sideCurve: [{ frequencyHz: 1000, gainDb: 0 }] });
  if (!m.side) return { enabled: false, params: flat(), widthsPercent: params.widthsPercent, summary: 'mono', why: 'Mono input: there is no stereo image to shape.' };
  const reasons: string[] = [];
  const bassSide = m.lowEnd.sideToMidBelow120HzDb;
  if (bassSide !== null && bassSide > BASS_SIDE_LIMIT_DB) {
    params.widthsPercent[0] = 0;
    reasons.push(`the bass below 120 Hz carries side energy (${bassSide.toFixed(1)} dB under the mid): folded to mono so it hits the same on a club system, a phone speaker and vinyl`);
  }
  const regions = ['low-mids', 'mids', 'highs'];
  for (let band = 1; band < 4; band++) {
    const correlation = bandCorrelation(m, SPLITS_HZ[band - 1], SPLITS_HZ[band] ?? 20000);
    let wanted = widthPercent + (openCharacter && band === 3 ? 15 : 0) + (openCharacter && band === 2 ? 5 : 0);
    if (correlation !== null && correlation < NARROW_BELOW_CORRELATION) {
      wanted = Math.min(wanted, 80);
      reasons.push(`the ${regions[band - 1]} are partly out of phase (correlation ${correlation.toFixed(2)}): narrowed to 80 % so nothing cancels in mono`);
    } else if (wanted > 100 && (correlation === null || correlation < WIDEN_MIN_CORRELATION)) {
      wanted = 100;
      reasons.push(`the ${regions[band - 1]} are already wide (correlation ${correlation === null ? 'unknown' : correlation.toFixed(2)}): not widened, to stay mono-safe`);
    } else if (wanted !== 100) {
      reasons.push(`the ${regions[band - 1]} ${wanted > 100 ? 'widened' : 'narrowed'} to ${wanted} %${correlation === null ? '' : ` (correlation ${correlation.toFixed(2)} allows it)`}`);
    }
    params.widthsPercent[band] = wanted;
  }
  const enabled = params.widthsPercent.some((w) => w !== 100);
  const summary = enabled ? `bass ${params.widthsPercent[0]} %, low-mids ${params.widthsPercent[1]} %, mids ${params.widthsPercent[2]} %, highs ${params.widthsPercent[3]} % (side level; splits ${SPLITS_HZ.join(', ')} Hz)` : 'unchanged';
  const why = enabled ? `${reasons.join('; ')}.` : 'The stereo image is mono-safe and the width was not asked to change.';
  const curve: ProcessorParams<'mid-side-eq'> = { midCurve: [{ frequencyHz: 1000, gainDb: 0 }], sideCurve: enabled ? widthSideCurve(params.widthsPercent) : flat().sideCurve };
  return { enabled, params: curve, widthsPercent: params.widthsPercent, summary, why: why.charAt(0).toUpperCase() + why.slice(1) };
}
