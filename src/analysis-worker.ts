// Task (on a pooled worker thread, worker-pool.ts) running the true-peak and spectrum stage while the
// main thread decodes and runs loudness and statistics: the two halves cost about the same, and the
// machine has two cores. For the mastering analysis it also runs the decision meters (envelope,
// clipping plateau), which balances the mastering analyzer's larger main-thread half.
// main → { kind: 'block', data, frames } | { kind: 'finish' };
// task → { kind: 'ack', data } (buffer handed back) | { kind: 'result', result, decision } | { kind: 'error', message }.
import type { MessagePort } from 'node:worker_threads';
import { PeakSpectrumStage, type AnalyzeOptions } from './engine/analysis/analyze.js';
import { ackMessage, planarViews } from './block-poster.js';
import { DecisionMeters } from './engine/master/measure-decision.js';

export type AnalysisWorkerData = AnalyzeOptions & { decisionMeters?: boolean };

export type WorkerRequest =
  | { kind: 'block'; data: Float32Array; frames: number }
  | { kind: 'finish' };

/** Resolves after the result (or an error) is posted. */
export function runTask(port: MessagePort, options: AnalysisWorkerData): Promise<void> {
  return new Promise((resolve) => {
    const channelCount = options.channelLayout.length;
    let over = false;
    const fail = (error: unknown) => {
      over = true;
      port.postMessage({ kind: 'error', message: (error as Error).message });
      resolve();
    };
    let stage: PeakSpectrumStage, decision: DecisionMeters | null;
    try {
      stage = new PeakSpectrumStage(options);
      decision = options.decisionMeters ? new DecisionMeters(options.sampleRate, channelCount) : null;
    } catch (error) {
      fail(error);
      return;
    }
    port.on('message', (message: WorkerRequest) => {
      if (over) return;
      try {
        if (message.kind === 'block') {
          const { data, frames } = message;
          const channels = planarViews(data, channelCount, frames);
          stage.push(channels, frames);
          decision?.push(channels, frames);
          port.postMessage(...ackMessage(data)); // the whole buffer goes back for reuse
        } else {
          over = true;
          port.postMessage({ kind: 'result', result: stage.finish(), decision: decision?.finish() ?? null });
          resolve();
        }
      } catch (error) {
        fail(error);
      }
    });
  });
}
