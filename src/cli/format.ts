// Human-readable and JSON renderings of an analysis.
import type { FileAnalysis } from '../analyze-file.js';

/** JSON with numbers trimmed to 6 significant digits (meters are not more exact than that). */
export function toJsonLine(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v));
}

const fixed = (value: number | null, digits: number, unit: string) =>
  value === null ? '-' : `${value.toFixed(digits)} ${unit}`;

export function formatAnalysis(a: FileAnalysis): string {
  const minutes = Math.floor(a.durationSeconds / 60);
  const seconds = (a.durationSeconds - minutes * 60).toFixed(3).padStart(6, '0');
  const rows: [string, string][] = [
    ['format', `${a.codec}, ${a.sampleRate} Hz, ${a.channels} ch (${a.channelLayout.join(' ')})`],
    ['duration', `${minutes}:${seconds} (${a.frames} frames)`],
    ['integrated loudness', fixed(a.integratedLufs, 1, 'LUFS')],
    ['loudness range', fixed(a.loudnessRangeLu, 1, 'LU')],
    ['true peak', fixed(a.truePeakDbtp, 2, 'dBTP')],
    ['sample peak', fixed(a.samplePeakDbfs, 2, 'dBFS')],
    ['max momentary', fixed(a.maxMomentaryLufs, 1, 'LUFS')],
    ['max short-term', fixed(a.maxShortTermLufs, 1, 'LUFS')],
    ['PLR', fixed(a.plrDb, 1, 'dB')],
    ['RMS', fixed(a.rmsDbfs, 1, 'dBFS')],
    ['crest factor', fixed(a.crestDb, 1, 'dB')],
    ['DC offset', a.dcOffset === 0 ? '0' : `${(a.dcOffset * 100).toFixed(4)} %`],
    ['clipped samples', a.clippedSamples === 0 ? 'none' : `${a.clippedSamples} in ${a.clippedRuns} runs`],
    ['silence head/tail', `${a.headSilenceSeconds.toFixed(2)} s / ${a.tailSilenceSeconds.toFixed(2)} s`],
  ];
  if (a.channels >= 2) {
    rows.push(['stereo correlation', a.correlation === null ? '-' : a.correlation.toFixed(2)]);
    rows.push(['mono-sum loss', fixed(a.monoLossDb, 1, 'dB')]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [a.file, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)];
  if (a.spectrum) {
    const cells = a.spectrum.bandsHz.map((hz, i) => {
      const level = a.spectrum!.levelDb[i];
      const label = hz >= 1000 ? `${hz / 1000}k` : `${hz}`;
      return `${label.padStart(5)} ${level === null ? '    -' : level.toFixed(1).padStart(5)}`;
    });
    lines.push('  third-octave spectrum (dB re full-scale sine):');
    for (let i = 0; i < cells.length; i += 8) lines.push(`    ${cells.slice(i, i + 8).join('  ')}`);
  }
  return lines.join('\n');
}
