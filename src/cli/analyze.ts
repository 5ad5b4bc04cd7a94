// `mixmaster analyze FILE... [--json] [--series] [--no-spectrum]`
import { analyzeFile } from '../analyze-file.js';
import { AudioFileError, UsageError } from '../io/errors.js';
import { parseCommandArgs } from './args.js';
import { formatAnalysis, toJsonLine } from './format.js';
import { createProgress } from './progress.js';
import { reportError } from './report-error.js';

export const ANALYZE_HELP = `Usage: mixmaster analyze FILE... [--json] [--series] [--no-spectrum]

Measures each file: integrated loudness, loudness range, max momentary and short-term loudness
(BS.1770-4 / EBU R128), true peak (4x oversampled, BS.1770-4 Annex 2), sample peak, PLR, RMS,
crest factor, DC offset, clipped runs, head/tail silence, stereo correlation (whole and per
third-octave band), mono-sum loss and a third-octave spectrum from 20 Hz to 20 kHz.

Reads WAV (PCM/float, EXTENSIBLE, RF64/BW64), AIFF/AIFF-C, FLAC, MP3, Ogg Vorbis, Opus; M4A/AAC/ALAC
when ffmpeg is installed.

Options:
  --json          one JSON object per file, one per line (undefined quantities are null)
  --series        add momentary and short-term loudness every 10 ms ("series")
  --no-spectrum   skip the spectrum (faster)
  --debug         stack traces on errors

Exit status: 0 all files analysed, 2 a file was unreadable or the usage was wrong, 1 internal error.`;

export async function runAnalyze(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('analyze', args, {
    series: { type: 'boolean' },
    'no-spectrum': { type: 'boolean' },
  });
  if (positionals.length === 0) throw new UsageError("analyze: no input files (try 'mixmaster analyze --help')");
  let exitCode = 0;
  for (const file of positionals) {
    const progress = createProgress(`analyze ${file}`);
    try {
      const analysis = await analyzeFile(file, {
        series: values.series === true,
        spectrum: values['no-spectrum'] !== true,
        onProgress: progress.update,
      });
      progress.done();
      const output = values.json ? toJsonLine(analysis) : formatAnalysis(analysis);
      process.stdout.write(`${output}\n`);
    } catch (error) {
      progress.done();
      // Bad input is reported and the other files still get analysed.
      if (!(error instanceof AudioFileError)) throw error;
      exitCode = Math.max(exitCode, reportError(error, values.debug === true));
    }
  }
  return exitCode;
}
