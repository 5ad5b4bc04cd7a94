// Node API: decode a file as a stream and run every meter over it.
import { Analyzer, type Measurements } from './engine/analysis/analyze.js';
import type { AudioFileInfo } from './io/api.js';
import { openAudio } from './io/decode.js';

export interface FileAnalysis extends Measurements {
  file: string;
  format: AudioFileInfo['format'];
  codec: string;
  bitsPerSample: number | null;
}

export interface AnalyzeFileOptions {
  series?: boolean;
  spectrum?: boolean;
  /** Called with the fraction done (0..1) when the length is known. */
  onProgress?: (fraction: number) => void;
}

export async function analyzeFile(path: string, options: AnalyzeFileOptions = {}): Promise<FileAnalysis> {
  const reader = await openAudio(path);
  try {
    const { info } = reader;
    const analyzer = new Analyzer({
      sampleRate: info.sampleRate,
      channelLayout: info.channelLayout,
      series: options.series,
      spectrum: options.spectrum,
      expectedFrames: info.frames,
    });
    let done = 0;
    for await (const block of reader.blocks()) {
      const frames = block[0].length;
      analyzer.push(block, frames);
      done += frames;
      if (options.onProgress && info.frames) options.onProgress(done / info.frames);
    }
    const measurements = analyzer.finish();
    return {
      file: path,
      format: info.format,
      codec: info.codec,
      bitsPerSample: info.bitsPerSample ?? null,
      ...measurements,
    };
  } finally {
    await reader.close();
  }
}
