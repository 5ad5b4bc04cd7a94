// Task (on a pooled worker thread, worker-pool.ts) running one encoder (FLAC or MP3): the encoders are
// the costliest part of delivery, so they run beside the main thread, which reads, converts and writes
// the PCM files. Protocol:
// main → { kind: 'block', data, frames } | { kind: 'finish' } | { kind: 'abort' };
// task → { kind: 'ack', data } (buffer handed back) | { kind: 'done', measured? } | { kind: 'error', message }.
// An MP3 with a `checkPort` (the port of a check task main started: mp3-stream-check.ts) has its frames
// decoded and measured there as LAME makes them: 'done' carries the measurements of the finished file.
import type { MessagePort } from 'node:worker_threads';
import { ackMessage, planarViews } from './block-poster.js';
import type { AudioWriter } from './io/api.js';
import { createFlacWriter, type FlacWriterOptions } from './io/flac-write.js';
import { createMp3Writer, type Mp3WriterOptions } from './io/mp3-write.js';
import { Mp3StreamCheck } from './master/mp3-stream-check.js';
import type { Measurements } from './engine/analysis/analyze.js';

export type EncoderWorkerData =
  | { format: 'flac'; path: string; options: FlacWriterOptions }
  | { format: 'mp3'; path: string; options: Omit<Mp3WriterOptions, 'onAudio'>; checkPort?: MessagePort };

type Request = { kind: 'block'; data: Float32Array; frames: number } | { kind: 'finish' } | { kind: 'abort' };

/** Resolves after 'done' or an error is posted (the writer finished or aborted). */
export function runTask(port: MessagePort, data: EncoderWorkerData): Promise<void> {
  return new Promise((resolve) => {
    let check: Mp3StreamCheck | null = null;
    let framesWritten = 0;
    let over = false;
    const openWriter = async (): Promise<AudioWriter> => {
      if (data.format === 'flac') return createFlacWriter(data.path, data.options);
      if (data.checkPort) check = new Mp3StreamCheck(data.checkPort);
      return createMp3Writer(data.path, { ...data.options, onAudio: check ? (frames) => check!.push(frames) : undefined });
    };
    const opening = openWriter();
    let chain: Promise<unknown> = opening;
    const fail = async (error: unknown) => {
      if (over) return;
      over = true;
      port.postMessage({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
      try {
        await check?.terminate();
        await (await opening.catch(() => null))?.abort();
      } catch {
        // the error posted above is the one to report
      }
      resolve();
    };
    opening.catch(fail);
    port.on('message', (message: Request) => {
      chain = chain.then(async () => {
        if (over) return;
        const writer = await opening;
        if (message.kind === 'block') {
          const { frames } = message;
          await writer.write(planarViews(message.data, data.options.channelCount, frames), frames);
          framesWritten += frames;
          port.postMessage(...ackMessage(message.data));
        } else if (message.kind === 'finish') {
          await writer.finish();
          const measured: Measurements | null = check ? await (check as Mp3StreamCheck).finish(data.path, framesWritten) : null;
          over = true;
          port.postMessage({ kind: 'done', measured });
          resolve();
        } else {
          over = true;
          await check?.terminate();
          await writer.abort();
          port.postMessage({ kind: 'done' });
          resolve();
        }
      }).catch(fail);
    });
  });
}
