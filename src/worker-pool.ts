// Worker threads kept for reuse. Starting a thread costs ~50 ms of CPU and loading our modules into it
// ~90 ms more, and what V8 compiled there is lost when it ends; a master job used nine. A task leases a
// pooled thread (pool-worker.ts) instead and talks to it over a MessageChannel of its own. When the
// task is ended (terminate()), the thread goes back to the pool if the task had finished (its module's
// runTask() had resolved: nothing of it is still running), else it is stopped, as a Worker would be.
// Idle threads are unref'd: they never keep the process alive.
// Each new thread also compiles our hot code again (a master job's V8 compiler threads spent ~1.5 s of
// CPU), so a task goes preferably to an idle thread that ran the same kind of task before, and a task
// that may wait (startTask's `wait`: it only answers a request, nothing streams to or from it while
// other tasks depend on it) waits for a thread to come free rather than starting one past POOL_CAP.
import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, type Transferable, type Worker } from 'node:worker_threads';
import { startWorker } from './worker-start.js';

/** The task modules a pooled thread can run (pool-worker.ts maps them to files). */
export type TaskName = 'analysis' | 'chain' | 'encoder' | 'verify';

/** Idle threads kept beyond this are stopped (a master job runs up to five tasks at once, its checks beside the encoders). */
const MAX_IDLE = 4;
/**
 * Live threads beyond which a task that may wait does (a master job streams to three at once while it
 * delivers: the FLAC and MP3 encoders and the MP3 check; more threads than cores + 1 only share them).
 */
export const POOL_CAP = Math.max(3, availableParallelism() + 1);

interface PooledThread {
  worker: Worker;
  alive: boolean;
  /** The task holding the thread, if any: the thread's 'error' and 'exit' go to it. */
  lease: TaskThread | null;
  /** Replies to 'end' by task id: whether the thread can be reused. */
  replies: Map<number, (reusable: boolean) => void>;
  /** Kinds of task the thread has run: their code is loaded and compiled there. */
  ran: Set<TaskName>;
}

const idle: PooledThread[] = [];
/** Tasks waiting for a thread, oldest first. */
const waiting: TaskThread[] = [];
let liveThreads = 0;
let nextTaskId = 1;

function spawn(): PooledThread {
  const thread: PooledThread = { worker: startWorker('pool-worker', null), alive: true, lease: null, replies: new Map(), ran: new Set() };
  liveThreads++;
  thread.worker.on('message', (message: { kind: 'ended'; id: number; reusable: boolean }) => thread.replies.get(message.id)?.(message.reusable));
  thread.worker.on('error', (error) => thread.lease?.emitThreadEvent('error', error));
  thread.worker.on('exit', (code) => {
    thread.alive = false;
    liveThreads--;
    const at = idle.indexOf(thread);
    if (at >= 0) idle.splice(at, 1);
    for (const reply of thread.replies.values()) reply(false);
    thread.lease?.emitThreadEvent('exit', code);
    // A slot came free: a waiting task may start a thread of its own now.
    const next = waiting.shift();
    if (next) next.assign(idle.pop() ?? spawn());
  });
  return thread;
}

/** The idle thread that most recently ran a task of this kind, else the most recently idle one; removed from `idle`. */
function takeIdle(name: TaskName): PooledThread | undefined {
  for (let i = idle.length - 1; i >= 0; i--) {
    if (idle[i].ran.has(name)) return idle.splice(i, 1)[0];
  }
  return idle.pop();
}

/** A thread is free again: the oldest waiting task gets it, else it idles (up to MAX_IDLE) or stops. */
async function release(thread: PooledThread, reusable: boolean): Promise<void> {
  if (!(reusable && thread.alive)) {
    if (thread.alive) await thread.worker.terminate(); // its 'exit' hands the slot to a waiting task
    return;
  }
  const next = waiting.shift();
  if (next) next.assign(thread);
  else if (idle.length < MAX_IDLE) {
    thread.worker.unref();
    idle.push(thread);
  } else {
    await thread.worker.terminate();
  }
}

/** A task running on a pooled thread: the subset of Worker that our callers use. */
export class TaskThread {
  private readonly events = new EventEmitter();
  private ended = false;
  private transferred = false;
  /** Null while the task waits for a thread. */
  private thread: PooledThread | null = null;
  private readonly port: MessagePort;
  /** The thread's side of the channel, until the task is sent there. */
  private threadPort: MessagePort | null;

  /** @internal (startTask) */
  constructor(private readonly name: TaskName, private readonly data: unknown, private readonly transfer: Transferable[], private readonly id: number) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.threadPort = port2;
  }

  /** The thread's id (Worker.threadId), -1 while waiting for one: tasks that show the same one ran on the same thread. */
  get threadId(): number {
    return this.thread?.worker.threadId ?? -1;
  }

  /** @internal (worker-pool.ts) Sends the task to `thread`; messages posted meanwhile went into the channel and follow it. */
  assign(thread: PooledThread): void {
    this.thread = thread;
    thread.lease = this;
    thread.ran.add(this.name);
    thread.worker.ref();
    const port = this.threadPort!;
    this.threadPort = null;
    thread.worker.postMessage({ kind: 'task', id: this.id, name: this.name, data: this.data, port }, [port, ...this.transfer]);
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
    if (!thread) {
      // Still waiting: it never ran.
      waiting.splice(waiting.indexOf(this), 1);
      this.threadPort?.close();
      return;
    }
    thread.lease = null;
    if (!thread.alive) return;
    const reusable = await new Promise<boolean>((resolve) => {
      thread.replies.set(this.id, resolve);
      thread.worker.postMessage({ kind: 'end', id: this.id });
    });
    thread.replies.delete(this.id);
    await release(thread, reusable);
  }
}

export interface StartTaskOptions {
  /**
   * The task may wait for a thread to come free instead of starting one when POOL_CAP threads are
   * running. Only for tasks nothing else waits on while they wait (a request answered once, or a
   * stream whose only partner is the caller): never for one of a pair of streaming tasks.
   */
  wait?: boolean;
}

/**
 * Runs task `name` with `data` (ports in it listed in `transfer`) on a pooled thread: an idle one
 * (one that ran this kind of task before if there is one), else a new one, or (with `wait`, at the
 * cap) the next that comes free. Messages may be posted at once either way.
 */
export function startTask(name: TaskName, data: unknown, transfer: Transferable[] = [], options: StartTaskOptions = {}): TaskThread {
  const task = new TaskThread(name, data, transfer, nextTaskId++);
  const thread = takeIdle(name);
  if (thread) task.assign(thread);
  else if (options.wait && liveThreads >= POOL_CAP) waiting.push(task);
  else task.assign(spawn());
  return task;
}

/**
 * Starts a thread now and has it load task `name`'s modules, then leaves it idle for the first task of
 * that kind. A command that will need threads calls this before it loads its own modules: the main
 * thread spends ~0.2 s of one core on those while the other core idles, and the thread boots there
 * instead of on the critical path of the first task. Returns the thread's id; at POOL_CAP, starts
 * nothing and returns -1.
 */
export function prestartThread(name: TaskName): number {
  if (liveThreads >= POOL_CAP) return -1;
  const thread = spawn();
  thread.ran.add(name);
  thread.worker.postMessage({ kind: 'preload', name });
  thread.worker.unref();
  idle.push(thread);
  return thread.worker.threadId;
}

/** Threads idle in the pool now, and tasks waiting for one (for tests). */
export const idleThreadCount = (): number => idle.length;
export const waitingTaskCount = (): number => waiting.length;
