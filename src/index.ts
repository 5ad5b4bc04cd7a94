// Node API of mixmaster: file I/O plus the isomorphic engine.
export * from './engine/index.js';
export * from './io/api.js';
export { AudioFileError, UsageError } from './io/errors.js';
export { openAudio, sniffFormat } from './io/decode.js';
export { createAtomicFile, writeFileAtomic } from './io/atomic.js';
export { createWavWriter } from './io/wav-write.js';
export { createFlacWriter } from './io/flac-write.js';
export { createMp3Writer } from './io/mp3-write.js';
export { analyzeFile, type FileAnalysis, type AnalyzeFileOptions } from './analyze-file.js';
export { renderMixParallel, streamMixParallel, type ParallelMixOptions } from './mix/parallel-render.js';
