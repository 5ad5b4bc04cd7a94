// Synchronous instantiation of the engine's small SIMD kernels (every .wat under src/engine): each is
// compiled by scripts/build-wasm.mjs into a base64 constant; the Module is compiled once per kernel and
// every caller gets its own Instance (own memory). Returns null where WebAssembly SIMD is unavailable,
// so every user keeps a JS fallback with the same arithmetic (same operations, same order: bit-identical).

const PAGE_BYTES = 65536;
const modules = new Map<string, WebAssembly.Module | null>();

/** The compiled module for a base64 kernel (cached), or null where WebAssembly SIMD is unavailable. */
export function compileKernel(base64: string): WebAssembly.Module | null {
  const cached = modules.get(base64);
  if (cached !== undefined) return cached;
  let module: WebAssembly.Module | null = null;
  if (typeof WebAssembly === 'object' && typeof atob === 'function') {
    try {
      const binary = atob(base64);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      module = new WebAssembly.Module(bytes); // throws without SIMD support
    } catch {
      module = null;
    }
  }
  modules.set(base64, module);
  return module;
}

/** A new instance of the kernel with at least `bytes` of memory, or null (no WebAssembly SIMD). */
export function instantiateKernel(base64: string, bytes: number): { exports: WebAssembly.Exports; memory: WebAssembly.Memory } | null {
  const module = compileKernel(base64);
  if (!module) return null;
  try {
    const instance = new WebAssembly.Instance(module, {});
    const memory = instance.exports.memory as WebAssembly.Memory;
    const needed = Math.ceil(bytes / PAGE_BYTES);
    const have = memory.buffer.byteLength / PAGE_BYTES;
    if (needed > have) memory.grow(needed - have);
    return { exports: instance.exports, memory };
  } catch {
    return null;
  }
}
