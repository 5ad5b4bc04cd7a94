// A pooled worker thread (worker-pool.ts): runs one task at a time, each talking over a MessagePort of
// its own, and its modules stay loaded and compiled for the next task.
// main → { kind: 'task', id, name, data, port } | { kind: 'end', id } | { kind: 'preload', name }
// thread → { kind: 'ended', id, reusable }: reusable when the task's runTask() had resolved.
import { parentPort, type MessagePort } from 'node:worker_threads';
import type { TaskName } from './worker-pool.js';

/** A task module: runTask() resolves once the task has posted its last message and nothing of it runs on. */
interface TaskModule {
  runTask(port: MessagePort, data: never): Promise<void>;
}

const modules: Record<TaskName, () => Promise<TaskModule>> = {
  analysis: () => import('./analysis-worker.js'),
  chain: () => import('./chain-worker.js'),
  encoder: () => import('./encoder-worker.js'),
  verify: () => import('./verify-worker.js'),
};

type Request = { kind: 'task'; id: number; name: TaskName; data: unknown; port: MessagePort } | { kind: 'end'; id: number } | { kind: 'preload'; name: TaskName };

let current: { id: number; port: MessagePort; finished: boolean } | null = null;

parentPort!.on('message', (message: Request) => {
  if (message.kind === 'preload') {
    // Load (and so compile) a task's modules ahead of its first task; a failure surfaces when that task runs.
    modules[message.name]().catch(() => undefined);
  } else if (message.kind === 'task') {
    const task = { id: message.id, port: message.port, finished: false };
    current = task;
    modules[message.name]()
      .then((module) => module.runTask(message.port, message.data as never))
      .then(() => { task.finished = true; }, (error: unknown) => {
        message.port.postMessage({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
      });
  } else {
    const task = current?.id === message.id ? current : null;
    task?.port.close();
    if (task) current = null;
    parentPort!.postMessage({ kind: 'ended', id: message.id, reusable: task?.finished ?? false });
  }
});
