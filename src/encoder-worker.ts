// Worker thread running one encoder (FLAC or MP3): the encoders are the costliest part of delivery, so
// they run beside the main thread, which reads, converts and writes the PCM files. Protocol:
// main → { kind: 'block', data, frames } | { kind: 'finish' } | { kind: 'abort' };
// worker → { kind: 'ack', data } (buffer handed back) | { kind: 'done' } | { kind: 'error', message }.
import { parentPort, workerData } from 'node:worker_threads';
import { ackMessage } from './block-poster.js';
import type { AudioWriter } from './io/api.js';
import { createFlacWriter, type FlacWriterOptions } from './io/flac-write.js';
import { createMp3Writer, type Mp3WriterOptions } from './io/mp3-write.js';

export type EncoderWorkerData =
  | { format: 'flac'; path: string; options: FlacWriterOptions }
  | { format: 'mp3'; path: string; options: Mp3WriterOptions };

const data = workerData as EncoderWorkerData;
const opening: Promise<AudioWriter> = data.format === 'flac' ? createFlacWriter(data.path, data.options) : createMp3Writer(data.path, data.options);
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
      parentPort!.postMessage(...ackMessage(message.data));
    } else if (message.kind === 'finish') {
      await writer.finish();
      parentPort!.postMessage({ kind: 'done' });
    } else {
      await writer.abort();
      parentPort!.postMessage({ kind: 'done' });
    }
  }).catch(fail);
});
