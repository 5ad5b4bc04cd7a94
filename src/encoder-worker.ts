// Worker thread running one encoder (FLAC or MP3): the encoders are the costliest part of delivery, so
// they run beside the main thread, which reads, converts and writes the PCM files. Protocol:
// main → { kind: 'block', data, frames } | { kind: 'finish' } | { kind: 'abort' };
// worker → { kind: 'ack', data } (buffer handed back) | { kind: 'done', measured? } | { kind: 'error', message }.
// An MP3 with `check` is decoded and measured on another worker as LAME makes it (mp3-stream-check.ts): 'done' carries
// the measurements of the finished file.
import { parentPort, workerData } from 'node:worker_threads';
import { ackMessage } from './block-poster.js';
import type { AudioWriter } from './io/api.js';
import { createFlacWriter, type FlacWriterOptions } from './io/flac-write.js';
import { createMp3Writer, type Mp3WriterOptions } from './io/mp3-write.js';
import { Mp3StreamCheck } from './master/mp3-stream-check.js';
import type { Measurements } from './engine/analysis/analyze.js';

export type EncoderWorkerData =
  | { format: 'flac'; path: string; options: FlacWriterOptions }
  | { format: 'mp3'; path: string; options: Omit<Mp3WriterOptions, 'onAudio'>; check?: boolean };

const data = workerData as EncoderWorkerData;
let check: Mp3StreamCheck | null = null;
let framesWritten = 0;
async function openWriter(): Promise<AudioWriter> {
  if (data.format === 'flac') return createFlacWriter(data.path, data.options);
  if (data.check) check = new Mp3StreamCheck(data.options.sampleRate, data.options.channelCount);
  return createMp3Writer(data.path, { ...data.options, onAudio: check ? (frames) => check!.push(frames) : undefined });
}
const opening = openWriter();
let chain: Promise<unknown> = opening;
const fail = (error: unknown) => parentPort!.postMessage({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
opening.catch(fail);

parentPort!.on('message', (message: { kind: 'block'; data: Float32Array; frames: number } | { kind: 'finish' } | { kind: 'abort' }) => {
  chain = chain.then(async () => {
    const writer = await opening;
    if (message.kind === 'block') {
      const { frames } = message;
      const channels = Array.from({ length: data.options.channelCount }, (_, c) => message.data.subarray(c * frames, (c + 1) * frames));
      await writer.write(channels, frames);
      framesWritten += frames;
      parentPort!.postMessage(...ackMessage(message.data));
    } else if (message.kind === 'finish') {
      await writer.finish();
      const measured: Measurements | null = check ? await check.finish(data.path, framesWritten) : null;
      parentPort!.postMessage({ kind: 'done', measured });
    } else {
      await check?.terminate();
      await writer.abort();
      parentPort!.postMessage({ kind: 'done' });
    }
  }).catch(fail);
});
