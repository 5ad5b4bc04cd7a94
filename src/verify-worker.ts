// Worker thread that measures one delivered file so the checks of several deliverables run beside each
// other and beside the main thread's own analysis. Two modes:
//  - { path }: decode the file and measure it (loudness, true peak, statistics);
//  - { mode: 'mp3-stream' }: MPEG frames arrive as LAME makes them ({ kind: 'bytes', data }), are
//    decoded and measured as a player hears the finished file; { kind: 'finish', frames } ends it.
import { parentPort, workerData } from 'node:worker_threads';
import { MPEGDecoder } from 'mpg123-decoder';
import { analyzeFile } from './analyze-file.js';
import { Analyzer } from './engine/analysis/analyze.js';
import { defaultChannelLayout } from './engine/audio.js';
import { LAME_ENCODER_DELAY } from './io/mp3-write.js';
import { MP3_DECODER_DELAY } from './io/mp3-read.js';
import { quietly } from './io/quietly.js';
import type { Mp3StreamCheckData } from './master/mp3-stream-check.js';

const port = parentPort!;
const data = workerData as { path: string } | Mp3StreamCheckData;
const fail = (error: unknown) => port.postMessage({ kind: 'error', message: error instanceof Error ? error.message : String(error) });

if ('path' in data) {
  analyzeFile(data.path, { spectrum: false, parallel: false }).then((measured) => port.postMessage({ kind: 'result', measured }), fail);
} else {
  void streamCheck(data).catch(fail);
}

/** Decoded samples held back until the length is known (LAME's padding is under 2 frames). */
const HOLD_FRAMES = 4096;

async function streamCheck({ sampleRate, channelCount }: Mp3StreamCheckData): Promise<void> {
  const decoder = new MPEGDecoder({ enableGapless: false });
  await decoder.ready;
  // The same analysis as the file check (analyzeFile without spectrum), so both read alike.
  const analyzer = new Analyzer({ sampleRate, channelLayout: defaultChannelLayout(channelCount), spectrum: false, expectedFrames: null });
  let toSkip = LAME_ENCODER_DELAY + MP3_DECODER_DELAY;
  let held: Float32Array[] = Array.from({ length: channelCount }, () => new Float32Array(0));
  let pushed = 0;
  const take = (channels: Float32Array[], start: number, end: number) => {
    // Everything but the last HOLD_FRAMES goes to the meters now.
    const all = held[0].length + end - start;
    const joined = channels.map((c, i) => {
      const out = new Float32Array(all);
      out.set(held[i]);
      out.set(c.subarray(start, end), held[i].length);
      return out;
    });
    const ready = Math.max(0, all - HOLD_FRAMES);
    if (ready > 0) analyzer.push(joined.map((c) => c.subarray(0, ready)), ready);
    pushed += ready;
    held = joined.map((c) => c.subarray(ready));
  };
  let chain = Promise.resolve();
  port.on('message', (message: { kind: 'bytes'; data: Uint8Array } | { kind: 'finish'; frames: number }) => {
    chain = chain.then(() => {
      if (message.kind === 'bytes') {
        const result = quietly(() => decoder.decode(message.data));
        if (result.errors.length > 0) throw new Error(`mpg123: ${result.errors[0].message}`);
        // mpg123 always outputs two channels; for mono both carry the same samples.
        const channels = channelCount === 1 ? [result.channelData[0]] : result.channelData;
        const start = Math.min(toSkip, result.samplesDecoded);
        toSkip -= start;
        if (result.samplesDecoded > start) take(channels, start, result.samplesDecoded);
      } else {
        const rest = message.frames - pushed;
        if (rest < 0 || rest > held[0].length) {
          throw new Error(`decoded ${pushed + held[0].length} samples, the file holds ${message.frames}`);
        }
        if (rest > 0) analyzer.push(held.map((c) => c.subarray(0, rest)), rest);
        decoder.free();
        port.postMessage({ kind: 'result', measured: analyzer.finish() });
      }
    }).catch(fail);
  });
}
