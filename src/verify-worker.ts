// Worker thread that measures one delivered file so the checks of several deliverables run beside each
// other and beside the main thread's own analysis. Two modes:
//  - { path }: decode the file and measure it (loudness, true peak, statistics);
//  - { mode: 'mp3-stream' }: MPEG frames arrive as LAME makes them ({ kind: 'bytes', data }) and are
//    decoded and measured as a player hears the finished file; { kind: 'finish', path, frames } ends it
//    (mp3-stream-check.ts, mp3-stream-decoder.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeFile } from './analyze-file.js';
import type { Mp3StreamCheckData } from './master/mp3-stream-check.js';

const port = parentPort!;
const data = workerData as { path: string } | Mp3StreamCheckData;
const fail = (error: unknown) => port.postMessage({ kind: 'error', message: error instanceof Error ? error.message : String(error) });

if ('path' in data) {
  analyzeFile(data.path, { spectrum: false, parallel: false }).then((measured) => port.postMessage({ kind: 'result', measured }), fail);
} else {
  // Loaded only here: a file check needs neither mpg123 up front nor the stream decoder.
  const decoding = import('./master/mp3-stream-decoder.js').then(({ Mp3StreamDecoder }) => Mp3StreamDecoder.create(data.sampleRate, data.channelCount, data.decoder));
  let chain: Promise<unknown> = decoding;
  port.on('message', (message: { kind: 'bytes'; data: Uint8Array } | { kind: 'finish'; path: string; frames: number }) => {
    chain = chain.then(async () => {
      const decoder = await decoding;
      if (message.kind === 'bytes') decoder.push(message.data);
      else port.postMessage({ kind: 'result', measured: await decoder.finish(message.path, message.frames) });
    }).catch(fail);
  });
}
