// Codec safety: a delivered file is measured as a listener's player will read it, decoded from disk at
// its own sample rate, after SRC, dither and (for MP3) encoding. Lossy files get an allowance over the
// ceiling (the plan's `lossyAllowanceDb`), PCM files none.
import { join } from 'node:path';
import { startTask } from '../worker-pool.js';
import type { Measurements } from '../engine/analysis/analyze.js';
import type { ReportDeliverable } from '../engine/master/api.js';
import { DELIVERABLE_FILES, type DeliverableKind } from './deliver.js';

export async function verifyDeliverable(folder: string, kind: DeliverableKind, ceilingDbtp: number, lossyAllowanceDb: number): Promise<ReportDeliverable> {
  return deliverableCheck(kind, await measureOnWorker(join(folder, DELIVERABLE_FILES[kind])), ceilingDbtp, lossyAllowanceDb);
}

/** Decodes and measures a file on a pooled worker thread (src/verify-worker.ts), so several checks run at once. */
export function measureOnWorker(path: string): Promise<Measurements> {
  return verifyTask<{ measured: Measurements }>(path, { path }).then((reply) => reply.measured);
}

/** Decodes both files on a pooled worker thread: null when they hold the same samples, else the first difference. */
export function pcmDifferenceOnWorker(path: string, samePcmAs: string): Promise<string | null> {
  return verifyTask<{ difference: string | null }>(path, { path, samePcmAs }).then((reply) => reply.difference);
}

function verifyTask<T>(path: string, data: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    // A request answered once: it may wait for a busy pool's next free thread (see POOL_CAP).
    const worker = startTask('verify', data, [], { wait: true });
    let settled = false;
    const settle = (fn: () => void) => { if (!settled) { settled = true; fn(); void worker.terminate(); } };
    worker.on('message', (message: ({ kind: 'result' } & T) | { kind: 'error'; message: string }) => {
      settle(() => (message.kind === 'result' ? resolve(message) : reject(new Error(`checking ${path}: ${message.message}`))));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`checking ${path}: the worker stopped (exit ${code})`))));
  });
}

/** The check of one delivered file from its measurements. */
export function deliverableCheck(kind: DeliverableKind, measured: Measurements, ceilingDbtp: number, lossyAllowanceDb: number): ReportDeliverable {
  const file = DELIVERABLE_FILES[kind];
  const allowed = kind === 'mp3' ? ceilingDbtp + lossyAllowanceDb : ceilingDbtp;
  const truePeak = measured.truePeakDbtp;
  return {
    file,
    format: kind === 'mp3' ? 'mp3' : kind === 'flac24' ? 'flac' : 'wav',
    sampleRate: measured.sampleRate,
    bitDepth: kind === 'mp3' ? null : kind === 'wav16' ? 16 : 24,
    integratedLufs: measured.integratedLufs === null ? null : Math.round(measured.integratedLufs * 100) / 100,
    truePeakDbtp: truePeak === null ? null : Math.round(truePeak * 100) / 100,
    ceilingDbtp: allowed,
    // Rounding to 0.01 dB in the report must not turn a pass into an apparent fail or back.
    withinCeiling: truePeak === null || truePeak <= allowed + 1e-9,
    note: null,
  };
}
