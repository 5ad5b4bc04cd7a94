import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idleThreadCount, startTask, type TaskThread } from './worker-pool.js';
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
