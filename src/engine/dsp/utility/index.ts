// Utility processors: gain, pure delay (declared latency), and the delay line they build on; the shared
// WebAssembly heap of the SIMD kernels and the processor chain that works in one.
export * from './pure-delay.js';
export * from './delay-buffer.js';
export * from './gain.js';
export * from './kernel-heap.js';
export * from './heap-chain.js';
