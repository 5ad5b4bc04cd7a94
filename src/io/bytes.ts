// Small byte-level helpers shared by the container readers.
import type { FileHandle } from 'node:fs/promises';

/** Readers pull compressed files in chunks of this size. */
export const READ_CHUNK_BYTES = 1 << 20;

/** Text of a metadata field: UTF-8 when valid, else Latin-1; NUL padding and outer spaces trimmed. */
export function decodeText(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  const used = end === -1 ? bytes : bytes.subarray(0, end);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(used).trim();
  } catch {
    return new TextDecoder('latin1').decode(used).trim();
  }
}

/** Reads up to `length` bytes at `position` (fewer at the end of the file). */
export async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  const filled = await readInto(handle, bytes, length, position);
  return filled === length ? bytes : bytes.subarray(0, filled);
}

/** Fills bytes[0, length) from `position`; returns how many bytes the file had. */
export async function readInto(handle: FileHandle, bytes: Uint8Array, length: number, position: number): Promise<number> {
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(bytes, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

export function fourCC(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}


export const u16le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
export const u32le = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
export const u64le = (b: Uint8Array, at: number) => u32le(b, at) + u32le(b, at + 4) * 2 ** 32;

/** Size of a leading ID3v2 tag (0 if none): some taggers put one in front of FLAC and MP3 data. */
export function id3v2Size(head: Uint8Array): number {
  if (head.length < 10 || head[0] !== 0x49 || head[1] !== 0x44 || head[2] !== 0x33) return 0;
  const size = ((head[6] & 0x7f) << 21) | ((head[7] & 0x7f) << 14) | ((head[8] & 0x7f) << 7) | (head[9] & 0x7f);
  return 10 + size + ((head[5] & 0x10) ? 10 : 0);
}
