// Worker thread running the true-peak and spectrum stage while the main thread decodes and runs
// loudness and statistics: the two halves cost about the same, and the machine has two cores.
import { parentPort, workerData } from 'node:worker_threads';
import { PeakSpectrumStage, type AnalyzeOptions } from './engine/analysis/analyze.js';
import { ackMessage } from './block-poster.js';

export type WorkerRequest =
  | { kind: 'block'; data: Float32Array; frames: number }
  | { kind: 'finish' };

const options = workerData as AnalyzeOptions;
const channelCount = options.channelLayout.length;
const stage = new PeakSpectrumStage(options);

parentPort!.on('message', (message: WorkerRequest) => {
  if (message.kind === 'block') {
    const { data, frames } = message;
    const channels = Array.from({ length: channelCount }, (_, c) => data.subarray(c * frames, (c + 1) * frames));
    stage.push(channels, frames);
    parentPort!.postMessage(...ackMessage(data)); // the whole buffer goes back for reuse
  } else {
    parentPort!.postMessage({ kind: 'result', result: stage.finish() });
  }
});
