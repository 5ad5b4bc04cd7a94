// A FLAC decoder in plain TypeScript (RFC 9639), free of node: imports so it also runs in a browser.
// It decodes everything the format allows: CONSTANT, VERBATIM, FIXED (order 0–4) and LPC (order
// 1–32, any precision and shift) subframes, wasted bits, independent / left-side / side-right /
// mid-side channels, 1–8 channels of 4–32 bits, fixed and variable block sizes (also Flake's old
// variable-size streams that count samples in a fixed-size header), every block-size and sample-rate
// code, 4- and 5-bit Rice parameters with escaped partitions. Each frame header's CRC-8 and each
// frame's CRC-16 are checked, and the frame/sample numbers must follow on, so damage is an error
// naming the sample where it is, never wrong audio. (The STREAMINFO MD5 is not checked here: that is
// a hash over all the output, and the caller has the output; see FlacDecoder.)
//
// Speed (JavaScript pays ~1 ns for even the simplest loop step, so the hot loops are few and tight):
// - Samples live in Float64Arrays: every integer FLAC can hold (33-bit side channels of 32-bit audio
//   too) is exact there, and the LPC sum Σ c·x of up to 32 terms |c| ≤ 2^14, |x| ≤ 2^32 stays below
//   2^51, so float64 arithmetic is exact. Coefficients are pre-scaled by 2^-shift (exact: a power of
//   two), which makes every partial sum a multiple of 2^-shift below 2^53 · 2^-shift: the sum and its
//   floor are exact and `x >> shift` is Math.floor(sum). The residual is added inside the floor
//   (floor(p) + r = floor(p + r) for an integer r), which takes the add off the sample-to-sample
//   dependency chain. Orders up to 16 have unrolled loops, and the predictors of two channels are
//   undone in one loop: each sample waits for the one before it, so a second, independent chain
//   runs nearly free in the gaps (about 1.7x faster than one channel after the other).
// - Rice codes are read from a 32-bit window at the bit position (a big-endian DataView load plus one
//   byte): Math.clz32 gives the unary part, the same window (usually) the low bits, and the next one
//   or two codes too, branch-free (see rice()). The window may look past the partition, so the fast
//   loops run only while 9 bytes remain in the buffer; the rest, and unary runs of 32 zeros or more,
//   take a bounds-checked path.
// - The CRC-16 runs 8 bytes a step over tables of "byte followed by t zero bytes".
// - Channel decorrelation happens while converting to the caller's output (Float32 int / 2^(bits-1),
//   or integers), so the samples are touched once more, not twice.
import { crc16, crc8 } from './flac-crc.js';

/** The STREAMINFO metadata block's facts. */
export interface FlacStreamInfo {
  minBlockSize: number;
  maxBlockSize: number;
  minFrameSize: number;
  maxFrameSize: number;
  /** Hz; 0 = not audio / not stated. */
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 0 = unknown. */
  totalSamples: number;
  /** 16 bytes; all zero = not computed. */
  md5: Uint8Array;
}

/** STREAMINFO body length in bytes. */
const STREAMINFO_LENGTH = 34;

/** Parses a STREAMINFO body (34 bytes); null if it is too short or states impossible values. */
export function parseStreamInfo(s: Uint8Array): FlacStreamInfo | null {
  if (s.length < STREAMINFO_LENGTH) return null;
  const info: FlacStreamInfo = {
    minBlockSize: (s[0] << 8) | s[1],
    maxBlockSize: (s[2] << 8) | s[3],
    minFrameSize: (s[4] << 16) | (s[5] << 8) | s[6],
    maxFrameSize: (s[7] << 16) | (s[8] << 8) | s[9],
    sampleRate: (s[10] << 12) | (s[11] << 4) | (s[12] >> 4),
    channels: ((s[12] >> 1) & 7) + 1,
    bitsPerSample: (((s[12] & 1) << 4) | (s[13] >> 4)) + 1,
    totalSamples: (s[13] & 0x0f) * 2 ** 32 + (((s[14] << 24) | (s[15] << 16) | (s[16] << 8) | s[17]) >>> 0),
    md5: s.slice(18, 34),
  };
  return info.bitsPerSample < 4 ? null : info;
}

/** A problem with the audio data: `reason` in words, at the frame starting at `sample`. */
export class FlacError extends Error {
  constructor(readonly reason: string, readonly sample: number) {
    super(`corrupt FLAC frame near sample ${sample} (${reason})`);
    this.name = 'FlacError';
  }
}

// ---------------------------------------------------------------------------------------------
// Frame header

/** Channel assignment codes 8–10 (0–7: that many channels + 1, coded independently). */
export const LEFT_SIDE = 8;
export const SIDE_RIGHT = 9;
export const MID_SIDE = 10;

const SAMPLE_RATES = [0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000];
const SAMPLE_SIZES = [0, 8, 12, -1, 16, 20, 24, 32];

export interface FlacFrameHeader {
  /** Header length in bytes, CRC-8 included. */
  bytes: number;
  /** Blocking strategy bit: the coded number is a sample number (variable block size). */
  variable: boolean;
  /** The coded frame number (fixed block size) or sample number (variable). */
  number: number;
  blockSize: number;
  /** Hz; 0 = "see STREAMINFO". */
  sampleRate: number;
  channels: number;
  /** 0–7 independent, LEFT_SIDE, SIDE_RIGHT or MID_SIDE. */
  assignment: number;
  /** 0 = "see STREAMINFO". */
  bitsPerSample: number;
}

/**
 * The frame header at bytes[o]: the header, a reason why there is none, or undefined if bytes[o, end)
 * ends before the header does (a header is at most 16 bytes).
 */
export function parseFrameHeader(b: Uint8Array, o: number, end: number): FlacFrameHeader | string | undefined {
  const avail = end - o;
  if (avail < 2) return avail <= 0 || b[o] === 0xff ? undefined : 'no frame sync code where a frame should start';
  if (b[o] !== 0xff || (b[o + 1] & 0xfe) !== 0xf8) return 'no frame sync code where a frame should start';
  if (avail < 6) return undefined;
  const sizeCode = b[o + 2] >> 4;
  const rateCode = b[o + 2] & 15;
  const assignment = b[o + 3] >> 4;
  const sizeBits = SAMPLE_SIZES[(b[o + 3] >> 1) & 7];
  if (sizeCode === 0) return 'frame header: reserved block size code';
  if (rateCode === 15) return 'frame header: invalid sample rate code';
  if (assignment > MID_SIDE) return 'frame header: reserved channel assignment';
  if (sizeBits < 0) return 'frame header: reserved sample size code';
  if (b[o + 3] & 1) return 'frame header: reserved bit set';
  // The coded number: UTF-8 extended to 7 bytes (36 bits).
  const first = b[o + 4];
  const extra = first < 0x80 ? 0 : first < 0xc0 ? -1 : first < 0xe0 ? 1 : first < 0xf0 ? 2 : first < 0xf8 ? 3
    : first < 0xfc ? 4 : first < 0xfe ? 5 : first === 0xfe ? 6 : -1;
  if (extra < 0) return 'frame header: invalid coded number';
  let p = o + 5;
  const length = 5 + extra + (sizeCode === 6 ? 1 : sizeCode === 7 ? 2 : 0) + (rateCode === 12 ? 1 : rateCode >= 13 ? 2 : 0) + 1;
  if (avail < length) return undefined;
  let number = extra === 0 ? first : first & (0x3f >> extra);
  for (let k = 0; k < extra; k++, p++) {
    if ((b[p] & 0xc0) !== 0x80) return 'frame header: invalid coded number';
    number = number * 64 + (b[p] & 0x3f);
  }
  let blockSize: number;
  if (sizeCode === 1) blockSize = 192;
  else if (sizeCode <= 5) blockSize = 576 << (sizeCode - 2);
  else if (sizeCode === 6) blockSize = b[p++] + 1;
  else if (sizeCode === 7) { blockSize = ((b[p] << 8) | b[p + 1]) + 1; p += 2; }
  else blockSize = 256 << (sizeCode - 8);
  let sampleRate: number;
  if (rateCode < 12) sampleRate = SAMPLE_RATES[rateCode];
  else if (rateCode === 12) sampleRate = b[p++] * 1000;
  else { sampleRate = ((b[p] << 8) | b[p + 1]) * (rateCode === 14 ? 10 : 1); p += 2; }
  if (crc8(b, o, p) !== b[p]) return 'frame header CRC mismatch';
  return {
    bytes: p + 1 - o,
    variable: (b[o + 1] & 1) === 1,
    number,
    blockSize,
    sampleRate,
    channels: assignment < 8 ? assignment + 1 : 2,
    assignment,
    bitsPerSample: sizeBits,
  };
}

// ---------------------------------------------------------------------------------------------
// Frame decoder

/** A thrown problem inside a subframe; decodeFrame() adds the sample and decides corrupt vs short. */
class Bad {
  constructor(readonly reason: string) {}
}

/**
 * Decodes the frames of one stream in order. decodeFrame() takes the bytes of the next frame and
 * keeps its samples (exact integers, per channel, as coded: decorrelation happens on output);
 * toFloat32() / toInt32() hand them out. It checks what ties the frames together: consecutive frame
 * or sample numbers, one blocking strategy, and the channel count, sample size and sample rate of
 * STREAMINFO. It does not check the MD5 (a hash over all output; the caller can compute it from
 * toInt32() if it wants to pay for it).
 */
export class FlacDecoder {
  /** Samples of the last decoded frame, per coded channel (a side channel where the frame has one). */
  readonly samples: Float64Array[] = [];
  /** The last decoded frame's header. */
  header: FlacFrameHeader | null = null;
  /** Block size of the last decoded frame (0 before the first). */
  blockSize = 0;
  /** Sample number of the last decoded frame's first sample, counted from the stream's first frame. */
  firstSample = 0;
  /** Samples decoded so far: where the next frame starts. */
  nextSample = 0;
  /** Bits per sample of the stream. */
  readonly bitsPerSample: number;

  private variable = false;
  /** Flake ≤ 0.11 wrote sample numbers with the blocking-strategy bit clear. */
  private sampleNumbers = false;
  private frames = 0;
  private firstNumber = 0;

  // Bit reader: bytes, frame start in them, bit position from that start.
  private u8: Uint8Array = new Uint8Array(0);
  private dv: DataView = new DataView(new ArrayBuffer(0));
  private base = 0;
  private bp = 0;
  /** Per channel of the frame being decoded: predictor order (0 = none), coefficients, wasted bits. */
  private readonly orders = new Int32Array(8);
  private readonly coefs: Float64Array[] = Array.from({ length: 8 }, () => new Float64Array(32));
  private readonly wasted = new Int32Array(8);
  private readonly fixed = new Uint8Array(8);

  constructor(readonly info: FlacStreamInfo) {
    this.bitsPerSample = info.bitsPerSample;
  }

  /**
   * Decodes the frame at bytes[offset]. Returns its length in bytes, or 0 if bytes[offset, end) ends
   * before the frame does (then nothing changed: call again with more bytes). Throws FlacError if the
   * frame is damaged or does not belong to the stream. Bytes past `end` may be looked at but are not
   * used.
   */
  decodeFrame(bytes: Uint8Array, offset: number, end: number): number {
    const sample = this.nextSample;
    const h = parseFrameHeader(bytes, offset, end);
    if (h === undefined) return 0;
    if (typeof h === 'string') throw new FlacError(h, sample);
    this.checkHeader(h, sample);
    if (bytes !== this.u8) {
      this.u8 = bytes;
      this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    this.base = offset;
    this.bp = h.bytes * 8;
    const n = h.blockSize;
    const bits = this.bitsPerSample;
    const endBits = (end - offset) * 8;
    while (this.samples.length < h.channels) this.samples.push(new Float64Array(0));
    try {
      for (let c = 0; c < h.channels; c++) {
        if (this.samples[c].length < n) this.samples[c] = new Float64Array(Math.max(n, 4096));
        const side = (c === 1 && (h.assignment === LEFT_SIDE || h.assignment === MID_SIDE)) || (c === 0 && h.assignment === SIDE_RIGHT);
        this.subframe(c, n, side ? bits + 1 : bits);
        if (this.bp > endBits) return this.short(end - offset, h, sample);
      }
    } catch (error) {
      if (!(error instanceof Bad)) throw error;
      if (this.bp > endBits) return this.short(end - offset, h, sample);
      throw new FlacError(error.reason, sample);
    }
    const crcAt = offset + ((this.bp + 7) >>> 3);
    if (crcAt + 2 > end) return this.short(end - offset, h, sample);
    if (crc16(bytes, offset, crcAt) !== ((bytes[crcAt] << 8) | bytes[crcAt + 1])) throw new FlacError('frame CRC mismatch', sample);
    this.restore(h.channels, n);
    // The frame is good: it becomes the current one.
    if (this.frames === 0) this.firstNumber = h.number;
    this.frames++;
    this.header = h;
    this.blockSize = n;
    this.firstSample = sample;
    this.nextSample = sample + n;
    return crcAt + 2 - offset;
  }

  /** The frame did not fit in what we have: 0 ("more bytes, please"), unless it is already too long. */
  private short(have: number, h: FlacFrameHeader, sample: number): number {
    // Verbatim is at most 33 bits a sample; allow twice that (plus headers) before calling it damage.
    if (have > 4096 + h.channels * h.blockSize * 9) throw new FlacError('the frame runs on past any plausible length', sample);
    return 0;
  }

  private checkHeader(h: FlacFrameHeader, sample: number): void {
    const info = this.info;
    if (h.channels !== info.channels) throw new FlacError(`a frame has ${h.channels} channels, STREAMINFO says ${info.channels}`, sample);
    if (h.bitsPerSample !== 0 && h.bitsPerSample !== info.bitsPerSample) {
      throw new FlacError(`a frame has ${h.bitsPerSample}-bit samples, STREAMINFO says ${info.bitsPerSample}`, sample);
    }
    if (h.sampleRate !== 0 && info.sampleRate !== 0 && h.sampleRate !== info.sampleRate) {
      throw new FlacError(`a frame has sample rate ${h.sampleRate} Hz, STREAMINFO says ${info.sampleRate}`, sample);
    }
    if (this.frames === 0) {
      this.variable = h.variable;
      return;
    }
    if (h.variable !== this.variable) throw new FlacError('the blocking strategy changes mid-stream', sample);
    if (!this.variable && !this.sampleNumbers && this.frames === 1 && this.firstNumber === 0
      && h.number === sample && h.number !== 1 && info.minBlockSize !== info.maxBlockSize) {
      this.sampleNumbers = true; // Flake's old variable block size streams
    }
    const counted = this.variable || this.sampleNumbers;
    const expected = counted ? this.firstNumber + sample : this.firstNumber + this.frames;
    if (h.number !== expected) {
      throw new FlacError(`the frame header says ${counted ? 'sample' : 'frame'} ${h.number} where ${expected} should follow`, sample);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Bit reading (outside the Rice loop). Reads past the buffer see zero bits.

  /** The 32 bits from the bit position on, as a (signed) int32. */
  private peek(): number {
    const bp = this.bp;
    const i = this.base + (bp >>> 3);
    const sh = bp & 7;
    const u8 = this.u8;
    if (i + 5 <= u8.length) return (this.dv.getUint32(i) << sh) | (u8[i + 4] >>> (8 - sh));
    const at = (k: number) => (i + k < u8.length ? u8[i + k] : 0);
    return (((at(0) << 24) | (at(1) << 16) | (at(2) << 8) | at(3)) << sh) | (at(4) >>> (8 - sh));
  }

  /** n bits (1–32) as an unsigned number. */
  private bits(n: number): number {
    const w = this.peek();
    this.bp += n;
    return w >>> (32 - n);
  }

  /** n bits (1–33) as a two's complement number. */
  private signed(n: number): number {
    if (n <= 32) {
      const w = this.peek();
      this.bp += n;
      return w >> (32 - n);
    }
    const high = this.bits(1); // n = 33: a side channel of 32-bit audio
    const low = this.bits(32);
    return low - high * 2 ** 32;
  }

  /** A unary number: the count of zero bits before the next one bit. */
  private unary(): number {
    let count = 0;
    const limit = (this.u8.length - this.base) * 8 + 64;
    for (;;) {
      const w = this.peek();
      if (w !== 0) {
        const z = Math.clz32(w);
        this.bp += z + 1;
        return count + z;
      }
      count += 32;
      this.bp += 32;
      if (this.bp > limit) throw new Bad('a unary code runs past the data');
    }
  }

  // -------------------------------------------------------------------------------------------
  // Subframes

  /**
   * Reads channel c's subframe into samples[c]: the samples of CONSTANT and VERBATIM subframes, the
   * warm-up samples and residuals of predicted ones, whose predictor goes to orders[c] / coefs[c]
   * (pre-scaled; FIXED ones as integer coefficients) for restore() to undo.
   */
  private subframe(c: number, n: number, bps: number): void {
    const s = this.samples[c];
    this.orders[c] = 0;
    this.wasted[c] = 0;
    const head = this.bits(8);
    if (head & 0x80) throw new Bad('subframe header: padding bit set');
    const type = (head >> 1) & 0x3f;
    let wasted = 0;
    if (head & 1) {
      wasted = this.unary() + 1;
      bps -= wasted;
      if (bps <= 0) throw new Bad(`subframe header: ${wasted} wasted bits of ${bps + wasted}`);
    }
    if (type === 0) {
      s.fill(this.signed(bps), 0, n);
    } else if (type === 1) {
      for (let i = 0; i < n; i++) s[i] = this.signed(bps);
    } else if (type >= 8 && type <= 12) {
      const order = type - 8;
      if (order > n) throw new Bad(`fixed predictor order ${order} exceeds block size ${n}`);
      for (let i = 0; i < order; i++) s[i] = this.signed(bps);
      this.residual(s, n, order);
      this.orders[c] = order;
      this.fixed[c] = 1;
      this.coefs[c].set(FIXED_COEFS[order]);
    } else if (type >= 32) {
      const order = type - 31;
      if (order > n) throw new Bad(`LPC order ${order} exceeds block size ${n}`);
      for (let i = 0; i < order; i++) s[i] = this.signed(bps);
      const precision = this.bits(4) + 1;
      if (precision === 16) throw new Bad('LPC coefficient precision code 15 is invalid');
      const shift = this.signed(5);
      if (shift < 0) throw new Bad(`negative LPC shift ${shift}`);
      const scale = 2 ** -shift;
      const coefs = this.coefs[c];
      for (let j = 0; j < order; j++) coefs[j] = this.signed(precision) * scale;
      this.residual(s, n, order);
      this.orders[c] = order;
      this.fixed[c] = 0;
    } else {
      throw new Bad(`reserved subframe type ${type}`);
    }
    this.wasted[c] = wasted;
  }

  /**
   * Undoes the predictors of the frame's subframes and puts back wasted bits. Channels go in pairs
   * where both are predicted with order ≤ 16: one loop restoring two channels gives the processor
   * two independent dependency chains (each sample needs the one before it), nearly halving the time.
   */
  private restore(channels: number, n: number): void {
    const { samples, orders, coefs } = this;
    for (let c = 0; c < channels; c++) {
      if (c + 1 < channels && orders[c] > 0 && orders[c + 1] > 0 && orders[c] <= 16 && orders[c + 1] <= 16) {
        restorePair(samples[c], samples[c + 1], n, orders[c], orders[c + 1], coefs[c], coefs[c + 1]);
        c++;
      } else if (orders[c] > 0) {
        if (this.fixed[c]) restoreFixed(samples[c], n, orders[c]);
        else restoreLpc(samples[c], n, orders[c], coefs[c]);
      }
    }
    for (let c = 0; c < channels; c++) {
      if (this.wasted[c] > 0) {
        const s = samples[c];
        const k = 2 ** this.wasted[c];
        for (let i = 0; i < n; i++) s[i] *= k;
      }
    }
  }

  /** The coded residual of a FIXED or LPC subframe into s[order, n). */
  private residual(s: Float64Array, n: number, order: number): void {
    const method = this.bits(2);
    if (method > 1) throw new Bad(`reserved residual coding method ${method}`);
    const paramBits = method === 0 ? 4 : 5;
    const escape = method === 0 ? 15 : 31;
    const partitionOrder = this.bits(4);
    const size = n >> partitionOrder;
    if (size << partitionOrder !== n) throw new Bad(`partition order ${partitionOrder} does not divide block size ${n}`);
    if (size < order) throw new Bad(`partition order ${partitionOrder} leaves fewer samples than predictor order ${order}`);
    const partitions = 1 << partitionOrder;
    let o = order;
    for (let p = 0; p < partitions; p++) {
      const count = p === 0 ? size - order : size;
      const param = this.bits(paramBits);
      if (param !== escape) {
        this.rice(s, o, count, param);
      } else {
        const width = this.bits(5);
        if (width === 0) s.fill(0, o, o + count);
        else for (let i = o; i < o + count; i++) s[i] = this.signed(width);
      }
      o += count;
    }
  }

  /**
   * `count` Rice codes with parameter k (0–30) into s[o…]. Codes are read from the 32-bit window at
   * the bit position (a DataView load and one byte). The load sits on the dependency chain from one
   * code's position to the next, so a window yields up to 3 codes for k ≤ 8, 2 for k ≤ 12, and a
   * 64-bit window (two loads side by side) 2 for k ≤ 24, branch-free: all are computed and stored
   * (the loops stop short of the partition end, so s has room) and as many count as lie wholly in the
   * window. Other codes take one window each, a second one when the code is longer than 32 bits.
   * The fast loops run while 9 bytes remain in the buffer (a window reads 5 bytes, a second one up to
   * 4 further on); near the end of the buffer, and for unary parts of 32 zeros or more, the careful
   * path takes one code at a time. Each loop is a function of its own: JIT-compiled separately, none
   * deoptimizes the others when it first runs. (Tried and slower: 2–3 words in locals, where the
   * refill branch mispredicts; a loop taking codes while they fit, where its exit does.)
   */
  private rice(s: Float64Array, o: number, count: number, k: number): void {
    const end = o + count;
    while (o < end) {
      const from = o;
      if (k === 0) o = this.riceZero(s, o, end);
      else if (k <= 12) {
        if (k <= 8) o = this.riceThree(s, o, end, k);
        o = this.riceTwo(s, o, end, k);
        if (o < end) o = this.riceOne(s, o, o + 1, k); // the code the loops above stopped at
      } else {
        if (k <= 24) o = this.riceTwoWide(s, o, end, k);
        o = this.riceOne(s, o, k <= 24 && o < end ? o + 1 : end, k);
      }
      if (o === from) {
        // Near the end of the buffer, or a unary part of 32 zeros or more: the careful way.
        const u = this.unary() * 2 ** k + (k === 0 ? 0 : this.bits(k));
        s[o++] = u % 2 === 0 ? u / 2 : -(u + 1) / 2;
      }
    }
  }

  /** Rice codes with k = 0 (unary only), one a window, until a unary part of 32 zeros or more. */
  private riceZero(s: Float64Array, o: number, end: number): number {
    const u8 = this.u8;
    const dv = this.dv;
    const base = this.base;
    const safe = u8.length - 9;
    let bp = this.bp;
    for (; o < end; o++) {
      const i = base + (bp >>> 3);
      if (i > safe) break;
      const sh = bp & 7;
      const x = (dv.getUint32(i) << sh) | (u8[i + 4] >>> (8 - sh));
      if (x === 0) break;
      const u = Math.clz32(x);
      bp += u + 1;
      s[o] = (u >>> 1) ^ -(u & 1);
    }
    this.bp = bp;
    return o;
  }

  /** Rice codes with 1 ≤ k ≤ 8, three a window, until 3 short of the end or a code that fills the window. */
  private riceThree(s: Float64Array, o: number, end: number, k: number): number {
    const u8 = this.u8;
    const dv = this.dv;
    const base = this.base;
    const safe = u8.length - 9;
    const down = 32 - k;
    const k1 = k + 1;
    let bp = this.bp;
    while (o + 2 < end) {
      const i = base + (bp >>> 3);
      if (i > safe) break;
      const sh = bp & 7;
      const x = (dv.getUint32(i) << sh) | (u8[i + 4] >>> (8 - sh));
      const z1 = Math.clz32(x);
      if (z1 >= down) break;
      const n1 = z1 + k1;
      const u1 = (z1 << k) | ((x << z1 << 1) >>> down);
      const x2 = (x << (n1 - 1)) << 1;
      const z2 = Math.clz32(x2);
      const n2 = z2 + k1;
      const u2 = (z2 << k) | ((x2 << z2 << 1) >>> down);
      const x3 = (x2 << (n2 - 1)) << 1;
      const z3 = Math.clz32(x3);
      const n3 = z3 + k1;
      const u3 = (z3 << k) | ((x3 << z3 << 1) >>> down);
      const f2 = ((32 - n1 - n2) >>> 31) ^ 1; // 1 if the second code lies wholly in the window
      const f3 = f2 & (((32 - n1 - n2 - n3) >>> 31) ^ 1);
      s[o] = (u1 >>> 1) ^ -(u1 & 1);
      s[o + 1] = (u2 >>> 1) ^ -(u2 & 1);
      s[o + 2] = (u3 >>> 1) ^ -(u3 & 1);
      o += 1 + f2 + f3;
      bp += n1 + f2 * n2 + f3 * n3;
    }
    this.bp = bp;
    return o;
  }

  /** Rice codes with 1 ≤ k ≤ 12, two a window, until 2 short of the end or a code that fills the window. */
  private riceTwo(s: Float64Array, o: number, end: number, k: number): number {
    const u8 = this.u8;
    const dv = this.dv;
    const base = this.base;
    const safe = u8.length - 9;
    const down = 32 - k;
    const k1 = k + 1;
    let bp = this.bp;
    while (o + 1 < end) {
      const i = base + (bp >>> 3);
      if (i > safe) break;
      const sh = bp & 7;
      const x = (dv.getUint32(i) << sh) | (u8[i + 4] >>> (8 - sh));
      const z1 = Math.clz32(x);
      if (z1 >= down) break;
      const n1 = z1 + k1;
      const u1 = (z1 << k) | ((x << z1 << 1) >>> down);
      const x2 = (x << (n1 - 1)) << 1;
      const z2 = Math.clz32(x2);
      const n2 = z2 + k1;
      const u2 = (z2 << k) | ((x2 << z2 << 1) >>> down);
      const f2 = ((32 - n1 - n2) >>> 31) ^ 1;
      s[o] = (u1 >>> 1) ^ -(u1 & 1);
      s[o + 1] = (u2 >>> 1) ^ -(u2 & 1);
      o += 1 + f2;
      bp += n1 + f2 * n2;
    }
    this.bp = bp;
    return o;
  }

  /**
   * Rice codes with 13 ≤ k ≤ 24, two from a 64-bit window (two 32-bit ones, loaded side by side),
   * until 2 short of the end or a first code longer than 31 bits.
   */
  private riceTwoWide(s: Float64Array, o: number, end: number, k: number): number {
    const u8 = this.u8;
    const dv = this.dv;
    const base = this.base;
    const safe = u8.length - 9;
    const down = 32 - k;
    const k1 = k + 1;
    let bp = this.bp;
    while (o + 1 < end) {
      const i = base + (bp >>> 3);
      if (i > safe) break;
      const sh = bp & 7;
      const hi = (dv.getUint32(i) << sh) | (u8[i + 4] >>> (8 - sh));
      const lo = (dv.getUint32(i + 4) << sh) | (u8[i + 8] >>> (8 - sh));
      const z1 = Math.clz32(hi);
      const n1 = z1 + k1;
      if (n1 > 31) break;
      const u1 = (z1 << k) | ((hi << z1 << 1) >>> down);
      const x2 = (hi << n1) | (lo >>> (32 - n1));
      const z2 = Math.clz32(x2);
      const n2 = z2 + k1;
      const u2 = (z2 << k) | ((x2 << z2 << 1) >>> down);
      const f2 = ((32 - n2) >>> 31) ^ 1;
      s[o] = (u1 >>> 1) ^ -(u1 & 1);
      s[o + 1] = (u2 >>> 1) ^ -(u2 & 1);
      o += 1 + f2;
      bp += n1 + f2 * n2;
    }
    this.bp = bp;
    return o;
  }

  /** Rice codes with k ≥ 1, one a window (two for a code longer than 32 bits), until a unary part of 32+ zeros. */
  private riceOne(s: Float64Array, o: number, end: number, k: number): number {
    const u8 = this.u8;
    const dv = this.dv;
    const base = this.base;
    const safe = u8.length - 9;
    const down = 32 - k;
    let bp = this.bp;
    for (; o < end; o++) {
      const i = base + (bp >>> 3);
      if (i > safe) break;
      const sh = bp & 7;
      const x = (dv.getUint32(i) << sh) | (u8[i + 4] >>> (8 - sh));
      if (x === 0) break;
      const z = Math.clz32(x);
      let u: number;
      if (z < down) {
        // The unary part, its stop bit and the k low bits all lie in this window.
        u = (z << k) | ((x << z << 1) >>> down);
        bp += z + 1 + k;
      } else {
        bp += z + 1;
        const j = base + (bp >>> 3);
        const t = bp & 7;
        u = (z << k) | (((dv.getUint32(j) << t) | (u8[j + 4] >>> (8 - t))) >>> down);
        bp += k;
      }
      s[o] = (u >>> 1) ^ -(u & 1); // unfold: even → u/2, odd → -(u+1)/2
    }
    this.bp = bp;
    return o;
  }

  // -------------------------------------------------------------------------------------------
  // Output

  /**
   * Frames [from, from + count) of the last decoded frame into out[c][at…] as int / 2^(bits-1)
   * (exact for up to 25 bits), undoing stereo decorrelation on the way.
   */
  toFloat32(out: Float32Array[], at: number, from: number, count: number): void {
    const scale = 2 ** (1 - this.bitsPerSample);
    const ch = this.samples;
    const to = from + count;
    const assignment = this.header!.assignment;
    if (assignment < LEFT_SIDE) for (let c = 0; c <= assignment; c++) scaled(ch[c], out[c], at, from, to, scale);
    else if (assignment === LEFT_SIDE) leftSide(ch[0], ch[1], out[0], out[1], at, from, to, scale);
    else if (assignment === SIDE_RIGHT) sideRight(ch[0], ch[1], out[0], out[1], at, from, to, scale);
    else midSide(ch[0], ch[1], out[0], out[1], at, from, to, scale);
  }

  /** Frames [from, from + count) of the last decoded frame into out[c][at…] as integers. */
  toInt32(out: Int32Array[], at: number, from: number, count: number): void {
    const ch = this.samples;
    const to = from + count;
    const assignment = this.header!.assignment;
    for (let i = from, j = at; i < to; i++, j++) {
      if (assignment < LEFT_SIDE) {
        for (let c = 0; c <= assignment; c++) out[c][j] = ch[c][i];
        continue;
      }
      const a = ch[0][i];
      const b = ch[1][i];
      if (assignment === LEFT_SIDE) { out[0][j] = a; out[1][j] = a - b; }
      else if (assignment === SIDE_RIGHT) { out[0][j] = a + b; out[1][j] = b; }
      else { const l = a + (b + (b & 1)) * 0.5; out[0][j] = l; out[1][j] = l - b; }
    }
  }
}

function scaled(src: Float64Array, dst: Float32Array, at: number, from: number, to: number, scale: number): void {
  for (let i = from, j = at; i < to; i++, j++) dst[j] = src[i] * scale;
}

function leftSide(
  a: Float64Array, b: Float64Array, left: Float32Array, right: Float32Array, at: number, from: number, to: number, scale: number,
): void {
  for (let i = from, j = at; i < to; i++, j++) {
    const l = a[i];
    left[j] = l * scale;
    right[j] = (l - b[i]) * scale;
  }
}

function sideRight(
  a: Float64Array, b: Float64Array, left: Float32Array, right: Float32Array, at: number, from: number, to: number, scale: number,
): void {
  for (let i = from, j = at; i < to; i++, j++) {
    const r = b[i];
    left[j] = (a[i] + r) * scale;
    right[j] = r * scale;
  }
}

function midSide(
  a: Float64Array, b: Float64Array, left: Float32Array, right: Float32Array, at: number, from: number, to: number, scale: number,
): void {
  for (let i = from, j = at; i < to; i++, j++) {
    // mid·2 + (side & 1) = left + right, so left = mid + (side + (side & 1)) / 2, exactly.
    const side = b[i];
    const l = a[i] + (side + (side & 1)) * 0.5;
    left[j] = l * scale;
    right[j] = (l - side) * scale;
  }
}

// ---------------------------------------------------------------------------------------------
// Prediction

/** The fixed predictors as linear ones (shift 0). */
const FIXED_COEFS = [[], [1], [2, -1], [3, -3, 1], [4, -6, 4, -1]];

/** Undoes a fixed predictor in place: s[order, n) holds residuals, s[0, order) warm-up samples. */
function restoreFixed(s: Float64Array, n: number, order: number): void {
  if (order === 0) return;
  if (order === 1) {
    let x1 = s[0];
    for (let i = 1; i < n; i++) s[i] = x1 = s[i] + x1;
  } else if (order === 2) {
    let x1 = s[1], x2 = s[0];
    for (let i = 2; i < n; i++) {
      const v = s[i] + 2 * x1 - x2;
      s[i] = v; x2 = x1; x1 = v;
    }
  } else if (order === 3) {
    let x1 = s[2], x2 = s[1], x3 = s[0];
    for (let i = 3; i < n; i++) {
      const v = s[i] + 3 * (x1 - x2) + x3;
      s[i] = v; x3 = x2; x2 = x1; x1 = v;
    }
  } else {
    let x1 = s[3], x2 = s[2], x3 = s[1], x4 = s[0];
    for (let i = 4; i < n; i++) {
      const v = s[i] + 4 * (x1 + x3) - 6 * x2 - x4;
      s[i] = v; x4 = x3; x3 = x2; x2 = x1; x1 = v;
    }
  }
}

/**
 * Undoes a linear predictor in place: s[i] = residual + floor(Σ c[j]·s[i-1-j]) with c pre-scaled by
 * 2^-shift (exact, see the top of this file). Orders up to 16 run unrolled over 4, 8, 12 or 16 taps,
 * the coefficients past the order being zero; the first samples, which lack the history for the
 * unrolled taps, and orders above 16 take the plain loop.
 */
function restoreLpc(s: Float64Array, n: number, order: number, c: Float64Array): void {
  const taps = tapsFor(order);
  restorePlain(s, taps === 0 ? n : Math.min(taps, n), order, c);
  if (taps === 0 || n <= taps) return;
  for (let j = order; j < taps; j++) c[j] = 0;
  if (taps === 4) lpc4(s, n, c);
  else if (taps === 8) lpc8(s, n, c);
  else if (taps === 12) lpc12(s, n, c);
  else lpc16(s, n, c);
}

/** restoreLpc() from sample `taps` on, coefficients past the order zero: one function per loop, so that each is JIT-compiled on its own. */
function lpc4(s: Float64Array, n: number, c: Float64Array): void {
  const c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3];
  for (let i = 4; i < n; i++) {
    s[i] = Math.floor((c3 * s[i - 4] + c2 * s[i - 3]) + (c1 * s[i - 2] + s[i]) + c0 * s[i - 1]);
  }
}

function lpc8(s: Float64Array, n: number, c: Float64Array): void {
  const c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3];
  const c4 = c[4], c5 = c[5], c6 = c[6], c7 = c[7];
  for (let i = 8; i < n; i++) {
    s[i] = Math.floor(((c7 * s[i - 8] + c6 * s[i - 7]) + (c5 * s[i - 6] + c4 * s[i - 5]))
      + ((c3 * s[i - 4] + c2 * s[i - 3]) + (c1 * s[i - 2] + s[i])) + c0 * s[i - 1]);
  }
}

function lpc12(s: Float64Array, n: number, c: Float64Array): void {
  const c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3];
  const c4 = c[4], c5 = c[5], c6 = c[6], c7 = c[7];
  const c8 = c[8], c9 = c[9], c10 = c[10], c11 = c[11];
  for (let i = 12; i < n; i++) {
    s[i] = Math.floor(((c11 * s[i - 12] + c10 * s[i - 11]) + (c9 * s[i - 10] + c8 * s[i - 9]))
      + ((c7 * s[i - 8] + c6 * s[i - 7]) + (c5 * s[i - 6] + c4 * s[i - 5]))
      + ((c3 * s[i - 4] + c2 * s[i - 3]) + (c1 * s[i - 2] + s[i])) + c0 * s[i - 1]);
  }
}

function lpc16(s: Float64Array, n: number, c: Float64Array): void {
  const c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3];
  const c4 = c[4], c5 = c[5], c6 = c[6], c7 = c[7];
  const c8 = c[8], c9 = c[9], c10 = c[10], c11 = c[11];
  const c12 = c[12], c13 = c[13], c14 = c[14], c15 = c[15];
  for (let i = 16; i < n; i++) {
    s[i] = Math.floor(((c15 * s[i - 16] + c14 * s[i - 15]) + (c13 * s[i - 14] + c12 * s[i - 13]))
      + ((c11 * s[i - 12] + c10 * s[i - 11]) + (c9 * s[i - 10] + c8 * s[i - 9]))
      + ((c7 * s[i - 8] + c6 * s[i - 7]) + (c5 * s[i - 6] + c4 * s[i - 5]))
      + ((c3 * s[i - 4] + c2 * s[i - 3]) + (c1 * s[i - 2] + s[i])) + c0 * s[i - 1]);
  }
}

/** Unrolled loop length for an order: 4, 8, 12, 16, or 0 for the plain loop. */
function tapsFor(order: number): number {
  return order <= 4 ? 4 : order <= 8 ? 8 : order <= 12 ? 12 : order <= 16 ? 16 : 0;
}

/** The plain prediction loop over s[order, to). */
function restorePlain(s: Float64Array, to: number, order: number, c: Float64Array): void {
  for (let i = order; i < to; i++) {
    let sum = s[i];
    for (let j = 0; j < order; j++) sum += c[j] * s[i - 1 - j];
    s[i] = Math.floor(sum);
  }
}

/** restoreLpc() for two channels at once (orders ≤ 16), over the taps of the larger order. */
function restorePair(s: Float64Array, t: Float64Array, n: number, orderS: number, orderT: number, c: Float64Array, d: Float64Array): void {
  const taps = tapsFor(Math.max(orderS, orderT));
  const plainTo = Math.min(taps, n);
  restorePlain(s, plainTo, orderS, c);
  restorePlain(t, plainTo, orderT, d);
  if (n <= taps) return;
  for (let j = orderS; j < taps; j++) c[j] = 0;
  for (let j = orderT; j < taps; j++) d[j] = 0;
  if (taps === 4) pair4(s, t, n, c, d);
  else if (taps === 8) pair8(s, t, n, c, d);
  else if (taps === 12) pair12(s, t, n, c, d);
  else pair16(s, t, n, c, d);
}

/** restorePair() from sample `taps` on, one function per loop length. */
function pair4(s: Float64Array, t: Float64Array, n: number, c: Float64Array, d: Float64Array): void {
  const c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3];
  const d0 = d[0], d1 = d[1], d2 = d[2], d3 = d[3];
  for (let i = 4; i < n; i++) {
    s[i] = Math.floor((c3 * s[i - 4] + c2 * s[i - 3]) + (c1 * s[i - 2] + s[i]) + c0 * s[i - 1]);
    t[i] = Math.floor((d3 * t[i - 4] + d2 * t[i - 3]) + (d1 * t[i - 2] + t[i]) + d0 * t[i - 1]);
  }
}

function pair8(s: Float64Array, t: Float64Array, n: number, c: Float64Array, d: Float64Array): void {
  const c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3];
  const c4 = c[4], c5 = c[5], c6 = c[6], c7 = c[7];
  const d0 = d[0], d1 = d[1], d2 = d[2], d3 = d[3];
  const d4 = d[4], d5 = d[5], d6 = d[6], d7 = d[7];
  for (let i = 8; i < n; i++) {
    s[i] = Math.floor(((c7 * s[i - 8] + c6 * s[i - 7]) + (c5 * s[i - 6] + c4 * s[i - 5]))
      + ((c3 * s[i - 4] + c2 * s[i - 3]) + (c1 * s[i - 2] + s[i])) + c0 * s[i - 1]);
    t[i] = Math.floor(((d7 * t[i - 8] + d6 * t[i - 7]) + (d5 * t[i - 6] + d4 * t[i - 5]))
      + ((d3 * t[i - 4] + d2 * t[i - 3]) + (d1 * t[i - 2] + t[i])) + d0 * t[i - 1]);
  }
}

function pair12(s: Float64Array, t: Float64Array, n: number, c: Float64Array, d: Float64Array): void {
  const c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3];
  const c4 = c[4], c5 = c[5], c6 = c[6], c7 = c[7];
  const c8 = c[8], c9 = c[9], c10 = c[10], c11 = c[11];
  const d0 = d[0], d1 = d[1], d2 = d[2], d3 = d[3];
  const d4 = d[4], d5 = d[5], d6 = d[6], d7 = d[7];
  const d8 = d[8], d9 = d[9], d10 = d[10], d11 = d[11];
  for (let i = 12; i < n; i++) {
    s[i] = Math.floor(((c11 * s[i - 12] + c10 * s[i - 11]) + (c9 * s[i - 10] + c8 * s[i - 9]))
      + ((c7 * s[i - 8] + c6 * s[i - 7]) + (c5 * s[i - 6] + c4 * s[i - 5]))
      + ((c3 * s[i - 4] + c2 * s[i - 3]) + (c1 * s[i - 2] + s[i])) + c0 * s[i - 1]);
    t[i] = Math.floor(((d11 * t[i - 12] + d10 * t[i - 11]) + (d9 * t[i - 10] + d8 * t[i - 9]))
      + ((d7 * t[i - 8] + d6 * t[i - 7]) + (d5 * t[i - 6] + d4 * t[i - 5]))
      + ((d3 * t[i - 4] + d2 * t[i - 3]) + (d1 * t[i - 2] + t[i])) + d0 * t[i - 1]);
  }
}

function pair16(s: Float64Array, t: Float64Array, n: number, c: Float64Array, d: Float64Array): void {
  const c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3];
  const c4 = c[4], c5 = c[5], c6 = c[6], c7 = c[7];
  const c8 = c[8], c9 = c[9], c10 = c[10], c11 = c[11];
  const c12 = c[12], c13 = c[13], c14 = c[14], c15 = c[15];
  const d0 = d[0], d1 = d[1], d2 = d[2], d3 = d[3];
  const d4 = d[4], d5 = d[5], d6 = d[6], d7 = d[7];
  const d8 = d[8], d9 = d[9], d10 = d[10], d11 = d[11];
  const d12 = d[12], d13 = d[13], d14 = d[14], d15 = d[15];
  for (let i = 16; i < n; i++) {
    s[i] = Math.floor(((c15 * s[i - 16] + c14 * s[i - 15]) + (c13 * s[i - 14] + c12 * s[i - 13]))
      + ((c11 * s[i - 12] + c10 * s[i - 11]) + (c9 * s[i - 10] + c8 * s[i - 9]))
      + ((c7 * s[i - 8] + c6 * s[i - 7]) + (c5 * s[i - 6] + c4 * s[i - 5]))
      + ((c3 * s[i - 4] + c2 * s[i - 3]) + (c1 * s[i - 2] + s[i])) + c0 * s[i - 1]);
    t[i] = Math.floor(((d15 * t[i - 16] + d14 * t[i - 15]) + (d13 * t[i - 14] + d12 * t[i - 13]))
      + ((d11 * t[i - 12] + d10 * t[i - 11]) + (d9 * t[i - 10] + d8 * t[i - 9]))
      + ((d7 * t[i - 8] + d6 * t[i - 7]) + (d5 * t[i - 6] + d4 * t[i - 5]))
      + ((d3 * t[i - 4] + d2 * t[i - 3]) + (d1 * t[i - 2] + t[i])) + d0 * t[i - 1]);
  }
}

// ---------------------------------------------------------------------------------------------
// Whole streams

/** Where a native FLAC stream's audio starts, and its STREAMINFO (after an optional ID3v2 tag). */
export function parseFlacStart(bytes: Uint8Array): { info: FlacStreamInfo; audioOffset: number } {
  let at = 0;
  if (bytes.length >= 10 && bytes[0] === 0x49 && bytes[1] === 0x44 && bytes[2] === 0x33) {
    const size = ((bytes[6] & 0x7f) << 21) | ((bytes[7] & 0x7f) << 14) | ((bytes[8] & 0x7f) << 7) | (bytes[9] & 0x7f);
    at = 10 + size + ((bytes[5] & 0x10) ? 10 : 0);
  }
  if (bytes[at] !== 0x66 || bytes[at + 1] !== 0x4c || bytes[at + 2] !== 0x61 || bytes[at + 3] !== 0x43) {
    throw new Error('not a FLAC stream (no fLaC marker)');
  }
  at += 4;
  let info: FlacStreamInfo | null = null;
  for (let last = false; !last;) {
    if (at + 4 > bytes.length) throw new Error('truncated FLAC metadata');
    last = (bytes[at] & 0x80) !== 0;
    const type = bytes[at] & 0x7f;
    const length = (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
    if (at + 4 + length > bytes.length) throw new Error('truncated FLAC metadata');
    if (type === 0) info = parseStreamInfo(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  if (info === null) throw new Error('no valid STREAMINFO block');
  return { info, audioOffset: at };
}

/**
 * Decodes a whole native FLAC stream held in memory to planar Float32 (int / 2^(bits-1)). Throws
 * FlacError for damaged audio, Error for a missing/broken header or a stream cut short.
 */
export function decodeFlac(bytes: Uint8Array): { info: FlacStreamInfo; channels: Float32Array[] } {
  const { info, audioOffset } = parseFlacStart(bytes);
  const decoder = new FlacDecoder(info);
  let capacity = info.totalSamples || Math.max(1 << 16, (bytes.length - audioOffset) >> 1);
  let channels = Array.from({ length: info.channels }, () => new Float32Array(capacity));
  let at = audioOffset;
  while (at < bytes.length && (info.totalSamples === 0 || decoder.nextSample < info.totalSamples)) {
    const used = decoder.decodeFrame(bytes, at, bytes.length);
    if (used === 0) throw new Error(`truncated: the stream ends inside the frame at sample ${decoder.nextSample}`);
    at += used;
    const take = info.totalSamples === 0 ? decoder.blockSize : Math.min(decoder.blockSize, info.totalSamples - decoder.firstSample);
    if (decoder.firstSample + take > capacity) {
      capacity = Math.max(capacity * 2, decoder.firstSample + take);
      channels = channels.map((old) => { const grown = new Float32Array(capacity); grown.set(old); return grown; });
    }
    decoder.toFloat32(channels, decoder.firstSample, 0, take);
  }
  const frames = info.totalSamples === 0 ? decoder.nextSample : info.totalSamples;
  if (decoder.nextSample < frames) throw new Error(`truncated: the stream ends at sample ${decoder.nextSample} of ${frames}`);
  return { info, channels: channels.map((channel) => channel.subarray(0, frames)) };
}
