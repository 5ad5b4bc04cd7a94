import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idleThreadCount, POOL_CAP, prestartThread, startTask, waitingTaskCount, type TaskThread } from './worker-pool.js';
import type { ChainWorkerData } from './chain-worker.js';

const GAIN: ChainWorkerData = { sampleRate: 48000, channelCount: 1, stages: [{ processor: 'gain', params: { gainDb: -6.0206 } }] };

/** Sends one block through a chain task and finishes it; resolves with the processed samples. */
function runChain(task: TaskThread, input: Float32Array): Promise<Float32Array> {
  return new Promise((resolve, reject) => {
    const out: number[] = [];
    task.on('message', (message: { kind: string; data?: Float32Array; message?: string }) => {
      if (message.kind === 'out') out.push(...message.data!);
      else if (message.kind === 'done') resolve(Float32Array.from(out));
      else if (message.kind === 'error') reject(new Error(message.message));
    });
    task.on('error', reject);
    const copy = input.slice();
    task.postMessage({ kind: 'block', data: copy, frames: copy.length }, [copy.buffer]);
    task.postMessage({ kind: 'finish' });
  });
}

test('a prestarted thread idles in the pool, and the first task of its kind runs on it', async () => {
  const before = idleThreadCount();
  const id = prestartThread('chain');
  assert.notEqual(id, -1, 'a thread was started (the pool is empty: this test runs first)');
  assert.equal(idleThreadCount(), before + 1, 'the new thread waits idle');
  const task = startTask('chain', GAIN);
  assert.equal(task.threadId, id, 'the task of that kind takes the prestarted thread');
  const input = Float32Array.from({ length: 256 }, (_, i) => Math.cos(i / 7));
  const out = await runChain(task, input);
  await task.terminate();
  assert.ok(Math.abs(out[10] - 0.5 * input[10]) < 1e-5, 'it ran the chain');
});

test('a finished task gives its thread back: the next task runs on the same thread, with the same results', async () => {
  const input = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 10));
  const first = startTask('chain', GAIN);
  const firstOut = await runChain(first, input);
  await first.terminate();
  const idleAfterFirst = idleThreadCount();
  assert.ok(idleAfterFirst >= 1, 'the thread went back to the pool');

  const second = startTask('chain', GAIN);
  assert.equal(second.threadId, first.threadId, 'the pooled thread is reused');
  assert.equal(idleThreadCount(), idleAfterFirst - 1);
  const secondOut = await runChain(second, input);
  await second.terminate();
  assert.deepEqual(secondOut, firstOut, 'a reused thread renders exactly as a fresh one');
  // -6.0206 dB is a factor 0.5 to within 1e-5: the chain really ran.
  assert.ok(Math.abs(firstOut[100] - 0.5 * input[100]) < 1e-5, `${firstOut[100]} vs ${0.5 * input[100]}`);
});

test('a task ended before it finished has its thread stopped, not reused', async () => {
  const task = startTask('chain', GAIN);
  // Wait until it runs ('ready'), then end it without 'finish'.
  await new Promise<void>((resolve) => task.on('message', (message: { kind: string }) => { if (message.kind === 'ready') resolve(); }));
  const before = idleThreadCount();
  await task.terminate();
  assert.equal(idleThreadCount(), before, 'the unfinished task\'s thread is not in the pool');
  const next = startTask('chain', GAIN);
  assert.notEqual(next.threadId, task.threadId, 'a later task gets another thread');
  await runChain(next, new Float32Array(64));
  await next.terminate();
});

test('a task that fails says so in one message, and its thread is reused afterwards', async () => {
  const bad = startTask('chain', { ...GAIN, stages: [{ processor: 'no-such-processor' as never, params: {} }] });
  const message = await new Promise<{ kind: string; message: string }>((resolve) => bad.on('message', resolve));
  assert.equal(message.kind, 'error');
  assert.match(message.message, /no-such-processor/);
  await bad.terminate();
  const next = startTask('chain', GAIN);
  assert.equal(next.threadId, bad.threadId, 'the failed task had finished: its thread is reused');
  await runChain(next, new Float32Array(64));
  await next.terminate();
});

/** Starts a chain task and resolves once it runs (it then holds its thread until finished or ended). */
async function runningChain(): Promise<TaskThread> {
  const task = startTask('chain', GAIN);
  await new Promise<void>((resolve) => task.on('message', (message: { kind: string }) => { if (message.kind === 'ready') resolve(); }));
  return task;
}

test('a task goes to an idle thread that ran its kind before', async () => {
  // Two threads: one last ran 'chain', the other 'verify' (a request for a file that is not there).
  const chain = await runningChain();
  const verify = startTask('verify', { path: '/nonexistent/mixmaster-pool-test.wav' });
  const reply = await new Promise<{ kind: string }>((resolve) => verify.on('message', resolve));
  assert.equal(reply.kind, 'error', 'the verify task answered');
  await verify.terminate();
  await runChain(chain, new Float32Array(64)); // lets the chain task finish...
  await chain.terminate(); // ...so its thread goes back to the pool, after the verify thread
  // The chain thread is the most recently idle; a verify task still goes to the verify thread.
  const again = startTask('verify', { path: '/nonexistent/mixmaster-pool-test.wav' });
  assert.equal(again.threadId, verify.threadId, 'verify went back to the thread that ran verify');
  await new Promise((resolve) => again.on('message', resolve));
  await again.terminate();
  const chainAgain = startTask('chain', GAIN);
  assert.equal(chainAgain.threadId, chain.threadId, 'chain went back to the thread that ran chain');
  await runChain(chainAgain, new Float32Array(64));
  await chainAgain.terminate();
});

test('at the cap, a task that may wait gets the next thread to come free, and what was posted meanwhile reaches it', async () => {
  const busy: TaskThread[] = [];
  while (busy.length < POOL_CAP || idleThreadCount() > 0) busy.push(await runningChain());
  const waiter = startTask('chain', GAIN, [], { wait: true });
  assert.equal(waiter.threadId, -1, 'no thread yet');
  assert.equal(waitingTaskCount(), 1);
  const input = Float32Array.from({ length: 500 }, (_, i) => Math.cos(i / 7));
  const output = runChain(waiter, input); // posted now, delivered when it runs

  // A task that must not wait still starts a thread of its own at the cap.
  const eager = startTask('chain', GAIN);
  assert.ok(eager.threadId > 0 && !busy.some((task) => task.threadId === eager.threadId), 'a new thread past the cap');
  await runChain(eager, new Float32Array(8));

  // Ending a finished task hands its thread to the waiting one (not to the idle list).
  const freed = busy.pop()!;
  await runChain(freed, new Float32Array(8));
  await freed.terminate();
  assert.equal(waitingTaskCount(), 0);
  assert.equal(waiter.threadId, freed.threadId, 'the waiting task runs on the freed thread');
  const samples = await output;
  assert.equal(samples.length, input.length);
  assert.ok(Math.abs(samples[123] - 0.5 * input[123]) < 1e-5, 'it processed the block posted while it waited');
  await waiter.terminate();
  await eager.terminate();
  for (const task of busy) await task.terminate();
});

test('a waiting task that is ended never runs and leaves the queue', async () => {
  const busy: TaskThread[] = [];
  while (busy.length < POOL_CAP || idleThreadCount() > 0) busy.push(await runningChain());
  const waiter = startTask('chain', GAIN, [], { wait: true });
  let heard = false;
  waiter.on('message', () => { heard = true; });
  assert.equal(waitingTaskCount(), 1);
  await waiter.terminate();
  assert.equal(waitingTaskCount(), 0);
  const freed = busy.pop()!;
  await runChain(freed, new Float32Array(8));
  await freed.terminate();
  assert.equal(heard, false, 'the ended task never ran');
  assert.ok(idleThreadCount() >= 1, 'the freed thread went back to the pool instead');
  for (const task of busy) await task.terminate();
});
