// One WebAssembly memory shared by the SIMD kernels a processor (and the processors inside it) run on:
// kernels that import "env" "memory" are instantiated on it, and the processors place their buffers,
// filter states and coefficients in it, so a chunk of audio goes through several kernels (filters,
// dynamics) without leaving the memory. Allocation is a bump pointer over a size fixed at creation
// (growing the memory would detach every view handed out); everything is allocated at construction.
// Returns null where WebAssembly SIMD is unavailable: every user keeps its JS path.
import { compileKernel } from '../../wasm.js';

const PAGE_BYTES = 65536;
/** Buffers start on 16-byte boundaries (v128 loads and stores). */
const ALIGN = 16;

/** A buffer in the heap: the typed array and its byte address (for the kernels). */
export interface HeapBuffer<T extends Float32Array | Float64Array> {
  readonly array: T;
  readonly at: number;
}

export class KernelHeap {
  readonly memory: WebAssembly.Memory;
  private next = ALIGN;
  private readonly size: number;

  private constructor(bytes: number) {
    this.size = Math.max(1, Math.ceil(bytes / PAGE_BYTES)) * PAGE_BYTES;
    this.memory = new WebAssembly.Memory({ initial: this.size / PAGE_BYTES });
  }

  /** A heap of at least `bytes` (plus the 16 bytes kept free at address 0), or null when `kernel` cannot run here. */
  static create(bytes: number, kernel: string): KernelHeap | null {
    if (compileKernel(kernel) === null) return null;
    try {
      return new KernelHeap(bytes + ALIGN);
    } catch {
      return null;
    }
  }

  /** Bytes that `count` buffers of `frames` elements of `bytesPerElement` take, alignment included. */
  static bytes(count: number, frames: number, bytesPerElement: 4 | 8): number {
    return count * ALIGN * Math.ceil((frames * bytesPerElement) / ALIGN);
  }

  /** The exports of a kernel (imports "env" "memory") on this memory, or null. */
  instantiate<T>(kernel: string): T | null {
    const module = compileKernel(kernel);
    if (module === null) return null;
    try {
      return new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as T;
    } catch {
      return null;
    }
  }

  /** Bytes still free. */
  get free(): number {
    return this.size - this.next;
  }

  private take(bytes: number): number {
    const at = this.next;
    const end = at + ALIGN * Math.ceil(bytes / ALIGN);
    if (end > this.size) throw new RangeError(`kernel heap: out of memory (${bytes} bytes wanted, ${this.size - at} free)`);
    this.next = end;
    return at;
  }

  f64(length: number): HeapBuffer<Float64Array> {
    const at = this.take(8 * length);
    return { array: new Float64Array(this.memory.buffer, at, length), at };
  }

  f32(length: number): HeapBuffer<Float32Array> {
    const at = this.take(4 * length);
    return { array: new Float32Array(this.memory.buffer, at, length), at };
  }

  i32(length: number): { readonly array: Int32Array; readonly at: number } {
    const at = this.take(4 * length);
    return { array: new Int32Array(this.memory.buffer, at, length), at };
  }
}

/**
 * Planar audio buffers in a heap (`capacity` frames per channel) and the copies between them and a
 * processor's channels: whole-array copies (memcpy) when the caller's arrays hold exactly the frames,
 * element loops otherwise. Copying out uses a view of the heap of the block's length, made on first use
 * of each length and kept (at most `capacity` of them, so steady processing allocates nothing).
 */
export class HeapChannels {
  readonly buffers: HeapBuffer<Float32Array>[];
  readonly arrays: Float32Array[];
  readonly at: number[];
  private readonly views: (Float32Array | undefined)[][];

  constructor(private readonly heap: KernelHeap, channelCount: number, readonly capacity: number) {
    this.buffers = Array.from({ length: channelCount }, () => heap.f32(capacity));
    this.arrays = this.buffers.map((b) => b.array);
    this.at = this.buffers.map((b) => b.at);
    this.views = this.buffers.map(() => []);
  }

  static bytes(channelCount: number, capacity: number): number {
    return KernelHeap.bytes(channelCount, capacity, 4);
  }

  /** channels[c][offset, offset + frames) into the buffers from index 0 (frames <= capacity). */
  load(channels: Float32Array[], offset: number, frames: number): void {
    const arrays = this.arrays;
    for (let c = 0; c < arrays.length; c++) {
      const x = channels[c], to = arrays[c];
      if (offset === 0 && x.length === frames) to.set(x);
      else for (let i = 0; i < frames; i++) to[i] = x[offset + i];
    }
  }

  /** The buffers' first `frames` into channels[c][offset, offset + frames). */
  store(channels: Float32Array[], offset: number, frames: number): void {
    const arrays = this.arrays;
    for (let c = 0; c < arrays.length; c++) {
      const x = channels[c];
      if (frames >= 64) {
        const views = this.views[c];
        let view = views[frames];
        if (view === undefined) view = views[frames] = new Float32Array(this.heap.memory.buffer, this.at[c], frames);
        x.set(view, offset);
      } else {
        const from = arrays[c];
        for (let i = 0; i < frames; i++) x[offset + i] = from[i];
      }
    }
  }
}
