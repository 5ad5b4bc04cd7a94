// Worker threads kept for reuse. Starting a thread costs ~50 ms of CPU and loading our modules into it
// ~90 ms more, and what V8 compiled there is lost when it ends; a master job used nine. A task leases a
// pooled thread (pool-worker.ts) instead and talks to it over a MessageChannel of its own. When the
// task is ended (terminate()), the thread goes back to the pool if the task had finished (its module's
// runTask() had resolved: nothing of it is still running), else it is stopped, as a Worker would be.
// Idle threads are unref'd: they never keep the process alive.
import { EventEmitter } from 'node:events';
import { MessageChannel, type MessagePort, type Transferable, type Worker } from 'node:worker_threads';
import { startWorker } from './worker-start.js';

/** The task modules a pooled thread can run (pool-worker.ts maps them to files). */
export type TaskName = 'analysis' | 'chain' | 'encoder' | 'verify';

/** Idle threads kept beyond this are stopped (a master job runs up to five tasks at once, its checks beside the encoders). */
const MAX_IDLE = 4;

interface PooledThread {
  worker: Worker;
  alive: boolean;
  /** The task holding the thread, if any: the thread's 'error' and 'exit' go to it. */
  lease: TaskThread | null;
  /** Replies to 'end' by task id: whether the thread can be reused. */
  replies: Map<number, (reusable: boolean) => void>;
}

const idle: PooledThread[] = [];
let nextTaskId = 1;

function spawn(): PooledThread {
  const thread: PooledThread = { worker: startWorker('pool-worker', null), alive: true, lease: null, replies: new Map() };
  thread.worker.on('message', (message: { kind: 'ended'; id: number; reusable: boolean }) => thread.replies.get(message.id)?.(message.reusable));
  thread.worker.on('error', (error) => thread.lease?.emitThreadEvent('error', error));
  thread.worker.on('exit', (code) => {
    thread.alive = false;
    const at = idle.indexOf(thread);
    if (at >= 0) idle.splice(at, 1);
    for (const reply of thread.replies.values()) reply(false);
    thread.lease?.emitThreadEvent('exit', code);
  });
  return thread;
}

/** A task running on a pooled thread: the subset of Worker that our callers use. */
export class TaskThread {
  private readonly events = new EventEmitter();
  private ended = false;
  private transferred = false;

  /** The thread's id (Worker.threadId): tasks that show the same one ran on the same thread. */
  readonly threadId: number;

  constructor(private readonly thread: PooledThread, private readonly port: MessagePort, private readonly id: number) {
    this.threadId = thread.worker.threadId;
  }

  postMessage(message: unknown, transfer?: readonly Transferable[]): void {
    this.port.postMessage(message, transfer);
  }

  /** 'message': the task's replies; 'error' and 'exit': the thread failed or stopped while running the task. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each protocol types its own messages
  on(event: 'message', listener: (message: any) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'exit', listener: (code: number) => void): this;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: 'message' | 'error' | 'exit', listener: (value: any) => void): this {
    if (event === 'message') this.port.on('message', listener);
    else this.events.on(event, listener);
    return this;
  }

  /**
   * This side of the task's channel, to hand to another thread (in a transfer list): the task then talks
   * to that thread, and postMessage() and on('message') here no longer apply. 'error', 'exit' and
   * terminate() still do.
   */
  transferPort(): MessagePort {
    this.transferred = true;
    return this.port;
  }

  /** @internal (worker-pool.ts) */
  emitThreadEvent(event: 'error' | 'exit', value: unknown): void {
    this.events.emit(event, value);
  }

  /** Ends the task: its thread returns to the pool if the task had finished, else it is stopped. */
  async terminate(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    if (!this.transferred) this.port.close();
    const { thread } = this;
    thread.lease = null;
    if (!thread.alive) return;
    const reusable = await new Promise<boolean>((resolve) => {
      thread.replies.set(this.id, resolve);
      thread.worker.postMessage({ kind: 'end', id: this.id });
    });
    thread.replies.delete(this.id);
    if (reusable && thread.alive && idle.length < MAX_IDLE) {
      thread.worker.unref();
      idle.push(thread);
    } else if (thread.alive) {
      await thread.worker.terminate();
    }
  }
}

/** Runs task `name` with `data` (ports in it listed in `transfer`) on a pooled thread, starting one if none is idle. */
export function startTask(name: TaskName, data: unknown, transfer: Transferable[] = []): TaskThread {
  const thread = idle.pop() ?? spawn();
  thread.worker.ref();
  const { port1, port2 } = new MessageChannel();
  const id = nextTaskId++;
  const task = new TaskThread(thread, port1, id);
  thread.lease = task;
  thread.worker.postMessage({ kind: 'task', id, name, data, port: port2 }, [port2, ...transfer]);
  return task;
}

/** Threads idle in the pool now (for tests). */
export const idleThreadCount = (): number => idle.length;
