// WebAssembly SIMD kernel for the frequency-domain multiply-accumulate of the partitioned convolver
// (see fdl-mac.wat). createFdlMac returns null where WebAssembly or its SIMD proposal is unavailable
// (or the kernel is switched off for testing), and UniformPartitionStage falls back to its f64 JS path.

import { FDL_MAC_WASM_BASE64 } from './fdl-mac.wasm.js';
import { compileKernel } from '../../wasm.js';

export interface FdlMac {
  /** f32 view of the whole kernel memory (spectra live here, laid out by the caller). */
  readonly heap: Float32Array;
  /** i32 view of the same memory (the pair list). */
  readonly words: Int32Array;
  /** acc = sum of X_i * H_i over `count` (x, h) byte-address pairs at byte `pairs`; planes of `plane` bytes. */
  mac(pairs: number, count: number, plane: number, acc: number): void;
  /** Radix-2 stages half = 4 .. n/2 of an in-place f32 FFT on split planes (see fdl-mac.wat). */
  fft(re: number, im: number, n: number, tw: number): void;
  /** dst = first two radix-2 stages of bit-reversed src (rev: n i32 byte offsets), see fdl-mac.wat. */
  permute(srcRe: number, srcIm: number, dstRe: number, dstIm: number, rev: number, n: number): void;
  /** The packed spectrum of two real channels into their half spectra (see fdl-mac.wat). */
  unpack(re: number, im: number, n: number, s0: number, s1: number, plane: number, two: number): void;
  /** Two half spectra into one packed, conjugated spectrum for the inverse (see fdl-mac.wat). */
  pack(a0: number, a1: number, two: number, pre: number, pim: number, b: number, plane: number): void;
  /** dst = src · s, denormal-flushed (count a multiple of 4). */
  scale(src: number, dst: number, count: number, s: number): void;
}

const PAGE_BYTES = 65536;
let enabled = true;

/** Switches the kernel off (or back on) for stages built afterwards: tests use it to cover the JS path. */
export function setFdlMacEnabled(on: boolean): void {
  enabled = on;
}

const compile = (): WebAssembly.Module | null => compileKernel(FDL_MAC_WASM_BASE64);

/** A kernel with its own zeroed memory of at least `bytes` bytes, or null. */
export function createFdlMac(bytes: number): FdlMac | null {
  if (!enabled) return null;
  const module = compile();
  if (!module) return null;
  let exports: { memory: WebAssembly.Memory } & Omit<FdlMac, 'heap' | 'words'>;
  try {
    exports = new WebAssembly.Instance(module, {}).exports as unknown as typeof exports;
    const needed = Math.ceil(bytes / PAGE_BYTES);
    const have = exports.memory.buffer.byteLength / PAGE_BYTES;
    if (needed > have) exports.memory.grow(needed - have);
  } catch {
    return null;
  }
  // Memory never grows again, so these views stay attached.
  const buffer = exports.memory.buffer;
  const { mac, fft, permute, unpack, pack, scale } = exports;
  return { heap: new Float32Array(buffer), words: new Int32Array(buffer), mac, fft, permute, unpack, pack, scale };
}
