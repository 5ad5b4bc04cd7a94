// Mutes the wasm decoders' own console logging: we report each problem once, naming the file.

/**
 * Runs a synchronous decoder call with console.error muted: the wasm decoders log every error
 * themselves, but we report it once, as an AudioFileError naming the file.
 */
export function quietly<T>(call: () => T): T {
  const saved = console.error;
  console.error = () => {};
  try {
    return call();
  } finally {
    console.error = saved;
  }
}
