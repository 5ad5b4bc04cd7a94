// Worker thread that measures one delivered file (decode, loudness, true peak, statistics) so the
// checks of several deliverables run beside each other and beside the main thread's own analysis.
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeFile } from './analyze-file.js';

const { path } = workerData as { path: string };
analyzeFile(path, { spectrum: false, parallel: false }).then(
  (measured) => parentPort!.postMessage({ kind: 'result', measured }),
  (error: Error) => parentPort!.postMessage({ kind: 'error', message: error.message }),
);
