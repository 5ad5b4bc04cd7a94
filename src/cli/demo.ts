// `mixmaster demo`: makes the bundled example song (synthesised, so nothing large is shipped),
// then runs the main job on it: today that is mastering (mixing comes next).
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { analyzeFile } from '../analyze-file.js';
import { createWavWriter } from '../io/wav-write.js';
import { parseCommandArgs } from './args.js';
import { synthesizeDemoSong } from './demo-song.js';
import { formatAnalysis, toJsonLine } from './format.js';
import { runMasterJob } from '../master/master-job.js';
import { formatMasterResult, summarizeMaster } from './master.js';

export const DEMO_HELP = `Usage: mixmaster demo [--out DIR] [--json]

Writes the bundled example song (16 s, 44.1 kHz, 24-bit WAV, synthesised) to DIR (default: the
package's examples/ folder), analyzes it, and masters it for Spotify into DIR/demo-master/ (master.wav,
master-16bit.wav, master.flac, master.mp3, plan.json, report.json, report.html).`;

const SAMPLE_RATE = 44100;

export async function runDemo(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('demo', args, { out: { type: 'string' } });
  const outDir = typeof values.out === 'string' ? values.out : join(packageRoot(), 'examples');
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, 'demo-song.wav');
  const exists = await stat(path).then(() => true, () => false);
  if (!exists) {
    const channels = synthesizeDemoSong(SAMPLE_RATE);
    const writer = await createWavWriter(path, {
      sampleRate: SAMPLE_RATE, channelCount: 2, encoding: { kind: 'int', bits: 24 },
      metadata: { title: 'mixmaster demo song', artist: 'mixmaster' },
    });
    await writer.write(channels, channels[0].length);
    await writer.finish();
  }
  const analysis = await analyzeFile(path);
  if (!values.json) process.stdout.write(`Example song: ${path}\n\n${formatAnalysis(analysis)}\n\nMastering it for Spotify (-14 LUFS, -1 dBTP)…\n`);
  const masterDir = join(outDir, 'demo-master');
  const result = await runMasterJob({
    inputs: [path], outDir: masterDir, referencePath: null, planPath: null, album: false, stemsDir: null,
    intent: {
      target: 'spotify', intensity: 50, character: 'clean', widthPercent: 100, genre: 'pop', reference: null,
      loudnessLufs: null, ceilingDbtp: null, stereoOut: false, metadata: { title: 'mixmaster demo song', artist: 'mixmaster' },
    },
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ song: JSON.parse(toJsonLine(analysis)), master: summarizeMaster(result) })}\n`);
  } else {
    process.stdout.write(`${formatMasterResult(result)}\n\nDeliverables: ${masterDir}\nReport:       ${join(masterDir, 'report.html')}\n`);
  }
  return 0;
}

/** The folder holding mixmaster's package.json, wherever the bundle or source runs from. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
