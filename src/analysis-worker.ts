// Worker thread running the true-peak and spectrum stage while the main thread decodes and runs
// loudness and statistics: the two halves cost about the same, and the machine has two cores. For the
// mastering analysis it also runs the decision meters (envelope, clipping plateau), which balances
// the mastering analyzer's larger main-thread half.
import { parentPort, workerData } from 'node:worker_threads';
import { PeakSpectrumStage, type AnalyzeOptions } from './engine/analysis/analyze.js';
import { ackMessage } from './block-poster.js';
import { DecisionMeters } from './engine/master/measure-decision.js';

export type AnalysisWorkerData = AnalyzeOptions & { decisionMeters?: boolean };

export type WorkerRequest =
  | { kind: 'block'; data: Float32Array; frames: number }
  | { kind: 'finish' };

const options = workerData as AnalysisWorkerData;
const channelCount = options.channelLayout.length;
const stage = new PeakSpectrumStage(options);
const decision = options.decisionMeters ? new DecisionMeters(options.sampleRate, channelCount) : null;

parentPort!.on('message', (message: WorkerRequest) => {
  if (message.kind === 'block') {
    const { data, frames } = message;
    const channels = Array.from({ length: channelCount }, (_, c) => data.subarray(c * frames, (c + 1) * frames));
    stage.push(channels, frames);
    decision?.push(channels, frames);
    parentPort!.postMessage(...ackMessage(data)); // the whole buffer goes back for reuse
  } else {
    parentPort!.postMessage({ kind: 'result', result: stage.finish(), decision: decision?.finish() ?? null });
  }
});
