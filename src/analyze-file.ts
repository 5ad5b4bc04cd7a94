// Node API: decode a file as a stream and run every meter over it. On files longer than a few
// seconds the true-peak and spectrum stage runs on a worker thread beside the main thread.
import { Analyzer, type AnalyzeOptions, type Measurements, type PeakSpectrumResult } from './engine/analysis/analyze.js';
import type { AudioFileInfo } from './io/api.js';
import { openAudio } from './io/decode.js';
import { BlockPoster } from './block-poster.js';
import { startTask, type TaskThread } from './worker-pool.js';
import type { DecisionMetersResult } from './engine/master/measure-decision.js';
import type { AnalysisWorkerData } from './analysis-worker.js';

export interface FileAnalysis extends Measurements {
  file: string;
  format: AudioFileInfo['format'];
  codec: string;
  bitsPerSample: number | null;
}

export interface AnalyzeFileOptions {
  series?: boolean;
  spectrum?: boolean;
  /** Use a worker thread for true peak and spectrum (default: when the file is longer than 5 s). */
  parallel?: boolean;
  /** Called with the fraction done (0..1) when the length is known. */
  onProgress?: (fraction: number) => void;
}

const PARALLEL_MIN_SECONDS = 5;
/** Blocks posted to the worker but not yet processed: bounds memory if the worker falls behind. */
const MAX_BLOCKS_IN_FLIGHT = 4;

export async function analyzeFile(path: string, options: AnalyzeFileOptions = {}): Promise<FileAnalysis> {
  const reader = await openAudio(path);
  const { info } = reader;
  const analyzeOptions: AnalyzeOptions = {
    sampleRate: info.sampleRate,
    channelLayout: info.channelLayout,
    series: options.series,
    spectrum: options.spectrum,
    expectedFrames: info.frames,
  };
  try {
    let done = 0;
    const measurements = await analyzeStream(reader.blocks(), analyzeOptions,
      (external) => new Analyzer({ ...analyzeOptions, externalPeakSpectrum: external }), {
        parallel: options.parallel,
        onBlock: (frames) => {
          done += frames;
          if (options.onProgress && info.frames) options.onProgress(done / info.frames);
        },
      });
    return { file: path, format: info.format, codec: info.codec, bitsPerSample: info.bitsPerSample ?? null, ...measurements };
  } finally {
    await reader.close();
  }
}

/** An analyzer whose true-peak and spectrum stage can run elsewhere (Analyzer, MasterAnalyzer). */
export interface SplittableAnalyzer<T> {
  push(channels: Float32Array[], frames: number): void;
  finish(external?: PeakSpectrumResult, decision?: DecisionMetersResult): T;
}

export interface StreamAnalysisOptions {
  /** Use the worker thread (default: when longer than a few seconds or of unknown length). */
  parallel?: boolean;
  onBlock?: (frames: number) => void;
  /** The worker also runs the mastering decision meters (measure-decision.ts). */
  workerDecisionMeters?: boolean;
  /**
   * The worker may wait for a busy pool's next free thread instead of starting one (worker-pool.ts
   * StartTaskOptions.wait): only when no other task needs this caller while it waits.
   */
  waitForThread?: boolean;
}

/**
 * Runs `blocks` through an analyzer; on material longer than a few seconds (or of unknown length,
 * unless `parallel` says otherwise) its true-peak and spectrum stage runs on a worker thread beside it.
 */
export async function analyzeStream<T>(
  blocks: AsyncIterable<Float32Array[]>, options: AnalyzeOptions, create: (externalPeakSpectrum: boolean) => SplittableAnalyzer<T>,
  { parallel, onBlock, workerDecisionMeters = false, waitForThread = false }: StreamAnalysisOptions = {},
): Promise<T> {
  const frames = options.expectedFrames ?? null;
  const useWorker = parallel ?? (frames === null || frames > PARALLEL_MIN_SECONDS * options.sampleRate);
  const worker = useWorker ? new PeakSpectrumWorker({ ...options, decisionMeters: workerDecisionMeters }, waitForThread) : null;
  try {
    const analyzer = create(worker !== null);
    for await (const block of blocks) {
      const count = block[0].length;
      if (worker) await worker.push(block, count);
      analyzer.push(block, count);
      onBlock?.(count);
    }
    if (!worker) return analyzer.finish();
    const { result, decision } = await worker.finish();
    return analyzer.finish(result, decision ?? undefined);
  } finally {
    await worker?.terminate();
  }
}

interface WorkerResult {
  result: PeakSpectrumResult;
  /** When asked for (the mastering analysis): the decision meters' result. */
  decision: DecisionMetersResult | null;
}

/** The main-thread side of analysis-worker.ts: blocks go over with back-pressure (block-poster.ts). */
class PeakSpectrumWorker {
  private readonly worker: TaskThread;
  private readonly poster: BlockPoster;
  private readonly result: Promise<WorkerResult>;

  constructor(options: AnalysisWorkerData, waitForThread: boolean) {
    this.worker = startTask('analysis', options, [], { wait: waitForThread });
    this.poster = new BlockPoster(this.worker, MAX_BLOCKS_IN_FLIGHT);
    this.result = new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        this.poster.fail(error);
        reject(error);
      };
      this.worker.on('message', (message: { kind: 'ack'; data: Float32Array } | ({ kind: 'result' } & WorkerResult) | { kind: 'error'; message: string }) => {
        if (message.kind === 'ack') this.poster.acknowledge(message.data);
        else if (message.kind === 'result') resolve({ result: message.result, decision: message.decision });
        else fail(new Error(`the analysis thread: ${message.message}`));
      });
      this.worker.on('error', fail);
      this.worker.on('exit', (code) => fail(new Error(`the analysis thread stopped (exit ${code})`)));
    });
    this.result.catch(() => undefined); // surfaced by push() or finish()
  }

  push(channels: Float32Array[], frames: number): Promise<void> {
    return this.poster.post(channels, frames);
  }

  finish(): Promise<WorkerResult> {
    this.worker.postMessage({ kind: 'finish' });
    return this.result;
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}
