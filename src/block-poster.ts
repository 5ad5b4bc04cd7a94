// The main-thread half of the block protocol our workers share (analysis, encoders): a block is copied
// into one planar buffer whose memory is handed over (transferred, not cloned), the worker hands each
// buffer back with its ack, and a few buffers circulate instead of one per block. At most
// `maxInFlight` blocks wait at the worker, which bounds memory when it falls behind. The planar
// helpers below are the layout both halves (and the chain stage's replies) use.
import type { Transferable } from 'node:worker_threads';

/** Where blocks go: a worker, or a task on a pooled thread (worker-pool.ts). */
export interface BlockReceiver {
  postMessage(message: unknown, transfer?: readonly Transferable[]): void;
}

export class BlockPoster {
  private inFlight = 0;
  private readonly spare: Float32Array[] = [];
  private waiters: (() => void)[] = [];
  private failure: Error | null = null;

  constructor(private readonly worker: BlockReceiver, private readonly maxInFlight: number) {}

  /** Waits for room, copies `frames` of `channels`, posts `{ kind: 'block', data, frames }`. */
  async post(channels: Float32Array[], frames: number): Promise<void> {
    while (this.inFlight >= this.maxInFlight && !this.failure) await new Promise<void>((wake) => this.waiters.push(wake));
    if (this.failure) throw this.failure;
    const data = packRecycled(this.spare, channels, frames);
    this.inFlight++;
    this.worker.postMessage({ kind: 'block', data, frames }, [data.buffer as ArrayBuffer]);
  }

  /** The worker handed a buffer back: one more block may go. */
  acknowledge(data: Float32Array): void {
    this.inFlight--;
    this.spare.push(data);
    this.waiters.shift()?.();
  }

  /** The worker failed: waiting posts give up, later posts throw. */
  fail(error: Error): void {
    this.failure ??= error;
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/** The worker-side reply to a block: the whole buffer goes back for reuse. */
export function ackMessage(data: Float32Array): [{ kind: 'ack'; data: Float32Array }, ArrayBuffer[]] {
  const whole = new Float32Array(data.buffer);
  return [{ kind: 'ack', data: whole }, [whole.buffer as ArrayBuffer]];
}

/** A planar block's channels: channel c of `frames` frames is data[c * frames, (c + 1) * frames). */
export function planarViews(data: Float32Array, channelCount: number, frames: number): Float32Array[] {
  return Array.from({ length: channelCount }, (_, c) => data.subarray(c * frames, (c + 1) * frames));
}

/**
 * packPlanar into a buffer taken from `spares` (one handed back earlier) when the last one there is big
 * enough, else into a new one: blocks that circulate do not churn the heap with 512 KB allocations.
 */
export function packRecycled(spares: Float32Array[], channels: Float32Array[], frames: number): Float32Array {
  const size = channels.length * frames;
  const spare = spares.pop();
  return packPlanar(channels, frames, spare !== undefined && spare.length >= size ? spare.subarray(0, size) : undefined);
}

/** Copies `frames` frames of `channels` into one planar block (`into`, or a new one). */
export function packPlanar<T extends Float32Array = Float32Array<ArrayBuffer>>(channels: Float32Array[], frames: number, into?: T): T {
  const block = into ?? (new Float32Array(channels.length * frames) as T);
  channels.forEach((channel, c) => block.set(channel.subarray(0, frames), c * frames));
  return block;
}
