// Closes a reader's file and frees its wasm decoder (if it has one) exactly once. Registered in `live`
// so that a reader's close() also releases a stream its consumer abandoned mid-way.
import type { FileHandle } from 'node:fs/promises';

export interface WasmDecoder {
  ready: Promise<unknown>;
  free(): void;
}

export function decoderRelease(handle: FileHandle, decoder: WasmDecoder | null, live: Set<() => void>): () => void {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    live.delete(release);
    void handle.close();
    decoder?.ready.then(() => decoder.free(), () => {});
  };
  live.add(release);
  return release;
}
