// A stereo chain of processors (a channel strip's inserts) sharing one KernelHeap: every processor
// keeps its buffers and states there and runs its kernels on the chain's block in place, so a block is
// copied into WebAssembly memory once and out once for the whole chain (each processor on its own copies
// it in and out itself). Post-chain sends (y += level · x, the mix bus feeds of a strip) accumulate into
// send buffers in the heap through the same memory. The output is bit-identical to the same processors
// run one after the other with process(), and the sends to the JS loops that add the output into them.
import { assertProcessorShape, type Processor } from '../api.js';
import { HeapChannels, KernelHeap } from './kernel-heap.js';
import { MIX_KERNEL_WASM_BASE64 } from './mix-kernel.wasm.js';

/** A processor that can work in place on stereo buffers of a KernelHeap it was made on. */
export interface HeapProcessor extends Processor {
  /** process() of the first `frames` (<= their capacity) of `buffers`, stereo buffers in the processor's heap, in place. */
  processHeap(buffers: HeapChannels, frames: number): void;
}

/** Makes a processor on `heap` (null: no WebAssembly SIMD here; make it without a heap). */
export type HeapProcessorMaker = (heap: KernelHeap | null) => Processor & Partial<HeapProcessor>;

/** Frames copied into the heap per pass. */
const BLOCK = 4096;
/** Bytes of the chain's heap: its block and sends, and room for a strip's processors. */
const DEFAULT_HEAP_BYTES = 4 << 20;

type AddScaled = (srcL: number, srcR: number, dstL: number, dstR: number, n: number, gain: number) => void;

export class HeapChain implements Processor {
  readonly latency: number;
  /** The processors, in order. */
  readonly processors: (Processor & Partial<HeapProcessor>)[];
  /**
   * Post-chain sends: send s adds levels[s] × the chain's output into sends[s] (stereo, 4096 frames;
   * every process() call adds into [0, frames)): in the heap, or Float32Arrays without one.
   */
  readonly sends: Float32Array[][];
  private readonly levels: number[];
  private readonly heap: KernelHeap | null;
  private readonly audio: HeapChannels | null = null;
  private readonly sendBuffers: HeapChannels[] = [];
  private readonly addScaled: AddScaled | null = null;

  constructor(sampleRate: number, makers: HeapProcessorMaker[], options: { sendLevels?: number[]; heapBytes?: number } = {}) {
    assertProcessorShape('heap chain', sampleRate, 2);
    this.levels = [...(options.sendLevels ?? [])];
    let heap = KernelHeap.create(options.heapBytes ?? DEFAULT_HEAP_BYTES, MIX_KERNEL_WASM_BASE64);
    const kernel = heap?.instantiate<{ addScaled: AddScaled }>(MIX_KERNEL_WASM_BASE64);
    if (!kernel) heap = null;
    this.heap = heap;
    if (heap && kernel) {
      this.audio = new HeapChannels(heap, 2, BLOCK);
      this.sendBuffers = this.levels.map(() => new HeapChannels(heap, 2, BLOCK));
      this.addScaled = kernel.addScaled;
    }
    this.processors = makers.map((make) => make(heap));
    this.sends = heap ? this.sendBuffers.map((b) => b.arrays) : this.levels.map(() => [new Float32Array(BLOCK), new Float32Array(BLOCK)]);
    this.latency = this.processors.reduce((sum, p) => sum + p.latency, 0);
  }

  /** True when every processor runs in the heap (else process() runs them one by one). */
  get inHeap(): boolean {
    return this.audio !== null && this.processors.every((p) => typeof p.processHeap === 'function');
  }

  /** Processes `frames` of `channels` in place (with sends: at most 4096 frames, added into sends[s][0, frames)). */
  process(channels: Float32Array[], frames: number): void {
    const processors = this.processors, audio = this.audio;
    if (this.levels.length > 0 && frames > BLOCK) throw new RangeError(`heap chain: at most ${BLOCK} frames per call with sends, got ${frames}`);
    if (audio === null || !this.inHeap) {
      for (let p = 0; p < processors.length; p++) processors[p].process(channels, frames);
      this.sendFromChannels(channels, frames);
      return;
    }
    const add = this.addScaled as AddScaled;
    for (let done = 0; done < frames; done += BLOCK) {
      const n = Math.min(BLOCK, frames - done);
      audio.load(channels, done, n);
      for (let p = 0; p < processors.length; p++) (processors[p] as HeapProcessor).processHeap(audio, n);
      for (let s = 0; s < this.levels.length; s++) {
        const to = this.sendBuffers[s];
        add(audio.at[0], audio.at[1], to.at[0] + 4 * done, to.at[1] + 4 * done, n, this.levels[s]);
      }
      audio.store(channels, done, n);
    }
  }

  /** The sends from JS arrays (the path without a heap): the loop the heap path's kernel reproduces. */
  private sendFromChannels(channels: Float32Array[], frames: number): void {
    for (let s = 0; s < this.levels.length; s++) {
      const level = this.levels[s];
      for (let c = 0; c < 2; c++) {
        const x = channels[c], y = this.sends[s][c];
        for (let i = 0; i < frames; i++) y[i] += level * x[i];
      }
    }
  }

  reset(): void {
    for (const p of this.processors) p.reset();
  }
}
