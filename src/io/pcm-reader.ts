// The PCM block decoder behind the WAV and AIFF readers: reads interleaved integer or float bytes
// in big chunks and converts them to planar Float32 blocks.
import type { FileHandle } from 'node:fs/promises';
import { DEFAULT_BLOCK_FRAMES, type AudioFileInfo, type AudioReader } from './api.js';
import { readInto } from './bytes.js';
import { AudioFileError } from './errors.js';

/** Where and how a file's interleaved sample bytes lie. */
export interface PcmLayout {
  /** 'int' is two's complement scaled by 2^(container bits - 1) (exact round trips); 'uint8' is WAV's offset binary. */
  encoding: 'int' | 'uint8' | 'float';
  bytesPerSample: number;
  bigEndian: boolean;
  channelCount: number;
  dataOffsetBytes: number;
  frames: number;
}

const HOST_BIG_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;

/** A reader over `layout`'s sample bytes: one positional read per block into a reused buffer. */
export function createPcmReader(handle: FileHandle, info: AudioFileInfo, layout: PcmLayout): AudioReader {
  let closed = false;
  return {
    info,
    async close() {
      if (closed) return;
      closed = true;
      await handle.close();
    },
    async *blocks(blockFrames = DEFAULT_BLOCK_FRAMES) {
      if (!Number.isInteger(blockFrames) || blockFrames < 1) {
        throw new RangeError(`blockFrames must be a positive integer, got ${blockFrames}`);
      }
      const { channelCount, frames } = layout;
      const frameBytes = layout.bytesPerSample * channelCount;
      const capacityFrames = Math.min(blockFrames, frames);
      // Two read buffers: the next block is read (on libuv's thread pool) while this one decodes.
      const buffers = [new Uint8Array(capacityFrames * frameBytes), new Uint8Array(capacityFrames * frameBytes)];
      const decoders = buffers.map((bytes) => blockDecoder(layout, bytes));
      const outputs = Array.from({ length: channelCount }, () => new Float32Array(capacityFrames));
      const readBlock = (index: number, startFrame: number) => {
        const count = Math.min(capacityFrames, frames - startFrame);
        const read = readInto(handle, buffers[index], count * frameBytes, layout.dataOffsetBytes + startFrame * frameBytes);
        read.catch(() => undefined); // a consumer that drops the stream mid-way must not cause an unhandled rejection
        return read;
      };
      let pending: Promise<number> | null = readBlock(0, 0);
      try {
        for (let done = 0, index = 0; done < frames; done += capacityFrames, index ^= 1) {
          const count = Math.min(capacityFrames, frames - done);
          const gotBytes: number = await pending!;
          pending = done + count < frames ? readBlock(index ^ 1, done + count) : null;
          if (gotBytes < count * frameBytes) {
            // The file shrank after open (open-time checks already compared sizes).
            const present = done + Math.floor(gotBytes / frameBytes);
            throw new AudioFileError(info.path, `truncated: the header declares ${frames} frames but only ${present} are present`);
          }
          decoders[index](count, outputs);
          yield count === capacityFrames ? outputs : outputs.map((samples) => samples.subarray(0, count));
        }
      } finally {
        await pending?.catch(() => undefined); // never leave a read running on a handle about to close
      }
    },
  };
}

type BlockDecoder = (frames: number, out: Float32Array[]) => void;

/**
 * Interleaved bytes → planar float. One tight loop per sample type (a shared loop calling a
 * per-type function would go polymorphic and slow); typed-array views when byte order is native.
 */
function blockDecoder(layout: PcmLayout, bytes: Uint8Array): BlockDecoder {
  const { channelCount: step, bytesPerSample: size, encoding, bigEndian } = layout;
  const native = bigEndian === HOST_BIG_ENDIAN;
  const b = bytes;
  const view = new DataView(bytes.buffer);
  const le = !bigEndian;
  const s15 = 2 ** -15;
  const s31 = 2 ** -31;
  if (encoding === 'uint8') {
    return (frames, out) => {
      for (let c = 0; c < step; c++) for (let i = 0, j = c, o = out[c]; i < frames; i++, j += step) o[i] = (b[j] - 128) * 0.0078125;
    };
  }
  if (encoding === 'float' && !native) {
    return size === 4
      ? (frames, out) => {
        for (let c = 0; c < step; c++) for (let i = 0, j = c, o = out[c]; i < frames; i++, j += step) o[i] = view.getFloat32(j * 4, le);
      }
      : (frames, out) => {
        for (let c = 0; c < step; c++) for (let i = 0, j = c, o = out[c]; i < frames; i++, j += step) o[i] = view.getFloat64(j * 8, le);
      };
  }
  if (encoding === 'float' && size === 4) {
    const f32 = new Float32Array(bytes.buffer, 0, bytes.length >> 2);
    return (frames, out) => {
      for (let c = 0; c < step; c++) for (let i = 0, j = c, o = out[c]; i < frames; i++, j += step) o[i] = f32[j];
    };
  }
  if (encoding === 'float') {
    const f64 = new Float64Array(bytes.buffer, 0, bytes.length >> 3);
    return (frames, out) => {
      for (let c = 0; c < step; c++) for (let i = 0, j = c, o = out[c]; i < frames; i++, j += step) o[i] = f64[j];
    };
  }
  if (size === 1) {
    return (frames, out) => {
      for (let c = 0; c < step; c++) for (let i = 0, j = c, o = out[c]; i < frames; i++, j += step) o[i] = ((b[j] << 24) >> 24) * 0.0078125;
    };
  }
  if (size === 2 && native) {
    const i16 = new Int16Array(bytes.buffer, 0, bytes.length >> 1);
    if (step === 2 && !HOST_BIG_ENDIAN) {
      // Stereo is the common case: one 32-bit load per frame (left in the low half, right in the high
      // half), both channels in one pass: ~2x faster than two 16-bit loads per frame.
      const words = new Int32Array(bytes.buffer, 0, bytes.length >> 2);
      return (frames, out) => {
        const left = out[0], right = out[1];
        for (let i = 0; i < frames; i++) {
          const w = words[i];
          left[i] = ((w << 16) >> 16) * s15;
          right[i] = (w >> 16) * s15;
        }
      };
    }
    return (frames, out) => {
      for (let c = 0; c < step; c++) for (let i = 0, j = c, o = out[c]; i < frames; i++, j += step) o[i] = i16[j] * s15;
    };
  }
  if (size === 2) {
    // Left-justify into an int32 so the sign comes for free; x * 2^-31 is exact.
    const hi = bigEndian ? 0 : 1;
    const lo = 1 - hi;
    return (frames, out) => {
      for (let c = 0; c < step; c++) {
        for (let i = 0, k = c * 2, o = out[c]; i < frames; i++, k += step * 2) o[i] = ((b[k + hi] << 24) | (b[k + lo] << 16)) * s31;
      }
    };
  }
  if (size === 3 && step === 2 && !bigEndian && !HOST_BIG_ENDIAN) {
    // Stereo little-endian 24-bit (what we deliver and read back most): two frames are 12 bytes = three
    // 32-bit words, so each sample is two word loads and a shift instead of three byte loads (~2x faster).
    const words = new Uint32Array(bytes.buffer, 0, bytes.length >> 2);
    return (frames, out) => {
      const left = out[0], right = out[1];
      const pairs = frames >> 1;
      for (let p = 0, i = 0, w = 0; p < pairs; p++, i += 2, w += 3) {
        const w0 = words[w], w1 = words[w + 1], w2 = words[w + 2];
        // Each sample left-justified in an int32 (the sign comes for free), then * 2^-31 (exact).
        left[i] = (w0 << 8) * s31;
        right[i] = (((w0 >>> 24) << 8) | (w1 << 16)) * s31;
        left[i + 1] = (((w1 >>> 16) << 8) | (w2 << 24)) * s31;
        right[i + 1] = (w2 & ~0xff) * s31;
      }
      if (frames & 1) {
        const k = 12 * pairs, i = frames - 1;
        left[i] = ((b[k + 2] << 24) | (b[k + 1] << 16) | (b[k] << 8)) * s31;
        right[i] = ((b[k + 5] << 24) | (b[k + 4] << 16) | (b[k + 3] << 8)) * s31;
      }
    };
  }
  if (size === 3) {
    const hi = bigEndian ? 0 : 2;
    const lo = 2 - hi;
    return (frames, out) => {
      for (let c = 0; c < step; c++) {
        for (let i = 0, k = c * 3, o = out[c]; i < frames; i++, k += step * 3) {
          o[i] = ((b[k + hi] << 24) | (b[k + 1] << 16) | (b[k + lo] << 8)) * s31;
        }
      }
    };
  }
  if (!native) {
    return (frames, out) => {
      for (let c = 0; c < step; c++) for (let i = 0, j = c, o = out[c]; i < frames; i++, j += step) o[i] = view.getInt32(j * 4, le) * s31;
    };
  }
  const i32 = new Int32Array(bytes.buffer, 0, bytes.length >> 2);
  return (frames, out) => {
    for (let c = 0; c < step; c++) for (let i = 0, j = c, o = out[c]; i < frames; i++, j += step) o[i] = i32[j] * s31;
  };
}
