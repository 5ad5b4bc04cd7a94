// The two checks of a FLAC frame (RFC 9639 §9.1.8, §9.3): CRC-8 over the header, CRC-16 over the whole
// frame. Shared by the encoder and the decoder. No imports: runs in browsers too.

/** CRC8[b]: the CRC-8 (x^8 + x^2 + x + 1) of byte b. */
export const CRC8 = new Uint8Array(256);
/** CRC16[256·t + b]: the CRC-16 (x^16 + x^15 + x^2 + 1) of byte b followed by t zero bytes (t = 0–7), for up to 8 bytes a step. */
export const CRC16 = new Uint16Array(256 * 8);
for (let i = 0; i < 256; i++) {
  let c8 = i;
  for (let b = 0; b < 8; b++) c8 = c8 & 0x80 ? ((c8 << 1) ^ 0x07) & 0xff : (c8 << 1) & 0xff;
  CRC8[i] = c8;
  let c16 = i << 8;
  for (let b = 0; b < 8; b++) c16 = c16 & 0x8000 ? ((c16 << 1) ^ 0x8005) & 0xffff : (c16 << 1) & 0xffff;
  CRC16[i] = c16;
}
for (let t = 1; t < 8; t++) {
  for (let i = 0; i < 256; i++) {
    const c = CRC16[256 * (t - 1) + i];
    CRC16[256 * t + i] = ((c << 8) & 0xffff) ^ CRC16[c >>> 8];
  }
}

/** CRC-8 (initial 0) of bytes[from, to): the frame header's check. */
export function crc8(bytes: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) crc = CRC8[crc ^ bytes[i]];
  return crc;
}

/** CRC-16 of bytes[from, to), continuing from `crc` (0 to start): the whole frame's check. */
export function crc16(bytes: Uint8Array, from: number, to: number, crc = 0): number {
  const T = CRC16;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let i = from;
  for (; i + 8 <= to; i += 8) {
    // Two big-endian words: 2 loads instead of 8; the CRC so far folds into the first two bytes.
    const w = dv.getUint32(i) ^ (crc << 16);
    const v = dv.getUint32(i + 4);
    crc = T[1792 + (w >>> 24)] ^ T[1536 + ((w >>> 16) & 0xff)] ^ T[1280 + ((w >>> 8) & 0xff)] ^ T[1024 + (w & 0xff)]
      ^ T[768 + (v >>> 24)] ^ T[512 + ((v >>> 16) & 0xff)] ^ T[256 + ((v >>> 8) & 0xff)] ^ T[v & 0xff];
  }
  for (; i < to; i++) crc = ((crc << 8) & 0xffff) ^ T[(crc >>> 8) ^ bytes[i]];
  return crc;
}
