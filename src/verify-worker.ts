// Task (on a pooled worker thread, worker-pool.ts) that measures one delivered file, so the checks of
// several deliverables run beside each other and beside the main thread's own analysis. Two modes:
//  - { path }: decode the file and measure it (loudness, true peak, statistics);
//  - { path, samePcmAs }: decode both files and compare: { kind: 'result', difference } (null: the same samples);
//  - { mode: 'mp3-stream' }: MPEG frames arrive as LAME makes them ({ kind: 'bytes', data }) and are
//    decoded and measured as a player hears the finished file; { kind: 'finish', path, frames } ends it
//    (mp3-stream-check.ts, mp3-stream-decoder.ts). Its port is usually the encoder task's, not main's.
// task → { kind: 'result', measured } | { kind: 'error', message }.
import type { MessagePort } from 'node:worker_threads';
import { analyzeFile } from './analyze-file.js';
import { pcmDifference } from './master/same-pcm.js';
import type { Mp3StreamCheckData } from './master/mp3-stream-check.js';

/** Resolves after the result (or an error) is posted and the decoder is freed. */
export async function runTask(port: MessagePort, data: { path: string; samePcmAs?: string } | Mp3StreamCheckData): Promise<void> {
  const fail = (error: unknown) => port.postMessage({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
  if ('path' in data) {
    try {
      const reply = data.samePcmAs !== undefined
        ? { difference: await pcmDifference(data.path, data.samePcmAs) }
        : { measured: await analyzeFile(data.path, { spectrum: false, parallel: false }) };
      port.postMessage({ kind: 'result', ...reply });
    } catch (error) {
      fail(error);
    }
    return;
  }
  // Loaded only here: a file check needs neither mpg123 up front nor the stream decoder.
  const { Mp3StreamDecoder } = await import('./master/mp3-stream-decoder.js');
  const decoding = Mp3StreamDecoder.create(data.sampleRate, data.channelCount, data.decoder);
  decoding.catch(() => undefined); // reported below
  await new Promise<void>((resolve) => {
    let chain: Promise<unknown> = decoding;
    let finishing = false, failed = false;
    port.on('message', (message: { kind: 'bytes'; data: Uint8Array } | { kind: 'finish'; path: string; frames: number }) => {
      chain = chain.then(async () => {
        if (failed) return;
        const decoder = await decoding;
        if (message.kind === 'bytes') {
          decoder.push(message.data);
        } else {
          finishing = true; // finish() frees the decoder either way
          port.postMessage({ kind: 'result', measured: await decoder.finish(message.path, message.frames) });
          resolve();
        }
      }).catch(async (error: unknown) => {
        if (failed) return;
        failed = true;
        fail(error);
        if (!finishing) (await decoding.catch(() => null))?.free();
        resolve();
      });
    });
  });
}
