import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc16, crc8 } from './flac-crc.js';

/** Bit by bit, straight from the polynomial x^16 + x^15 + x^2 + 1. */
function referenceCrc16(bytes: Uint8Array, from: number, to: number, crc = 0): number {
  for (let i = from; i < to; i++) {
    crc ^= bytes[i] << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

test('CRC-8 and CRC-16 match the standard check values of FLAC\'s polynomials', () => {
  const digits = new TextEncoder().encode('123456789');
  assert.equal(crc8(digits, 0, 9), 0xf4); // CRC-8/SMBUS: x^8 + x^2 + x + 1
  assert.equal(crc16(digits, 0, 9), 0xfee8); // CRC-16/UMTS: x^16 + x^15 + x^2 + 1
});

test('the eight-bytes-a-step CRC-16 agrees with the bitwise reference at every length, offset and starting value', () => {
  const bytes = Uint8Array.from({ length: 64 }, (_, i) => (i * 7919 + 13) & 0xff);
  for (let from = 0; from < 9; from++) {
    for (let to = from; to <= 64; to++) {
      assert.equal(crc16(bytes, from, to), referenceCrc16(bytes, from, to), `[${from}, ${to})`);
      assert.equal(crc16(bytes, from, to, 0xbeef), referenceCrc16(bytes, from, to, 0xbeef), `[${from}, ${to}) from 0xbeef`);
    }
  }
  // A split computation continues exactly.
  assert.equal(crc16(bytes, 21, 64, crc16(bytes, 0, 21)), crc16(bytes, 0, 64));
});
