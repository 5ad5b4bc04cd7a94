// A FLAC encoder in plain TypeScript (RFC 9639), fast enough to replace libFLAC-wasm and free of
// node: imports so it also runs in a browser. At the default level it makes libFLAC -5's kind of
// choices: fixed 4096-sample blocks; stereo as left/right, left/side, side/right or mid/side, picked
// per frame from the estimated bits of all four; per subframe CONSTANT, VERBATIM, FIXED (order 0–4)
// or LPC (order up to 8 from a Tukey(0.5)-windowed autocorrelation and Levinson-Durbin, the order
// picked by expected bits, coefficients quantized to 15 bits at 24-bit / 12 at 16-bit, libFLAC's
// precisions); the residual as partitioned Rice (partition order 0–6, parameters from each
// partition's mean, RICE2 when a parameter passes 14). Wasted low bits are shifted out. Sizes come
// within about 1 % of flac 1.4.2 -5 on music (which itself goes up to LPC order 12 at ≤ 48 kHz).
//
// Speed (JavaScript pays ~1 ns for even the simplest loop step, so passes over the samples are few,
// fused and branch-free): one pass per stereo frame finds mid/side, the range, wasted bits and the
// order-2 fixed residual of all four channels (which decides the stereo mode); per coded channel one
// pass windows and autocorrelates, one computes the LPC residual together with the partition sums
// the Rice parameters come from, one writes the bits (and the frame's CRC-16, a 32-bit word at a
// time). Prediction sums are float64 with the coefficients pre-scaled by 2^-shift: every term is a
// multiple of 2^-shift below 2^43, so the sum and its floor are exact. Buffers are typed arrays
// allocated once per encoder.
// The MD5 of STREAMINFO is the caller's (WebCrypto has no streaming MD5, node:crypto does): pass it to
// streamInfo(), or leave it zero ("not computed").
import { FlacLpcKernel } from './flac-lpc-kernel.js';
import { CRC16, crc16, crc8 } from './flac-crc.js';

/** STREAMINFO body length in bytes. */
export const STREAMINFO_BYTES = 34;
/** The vendor string for VORBIS_COMMENT blocks of streams this encoder writes. */
export const FLAC_VENDOR = 'mixmaster FLAC encoder 1';

export interface FlacEncoderOptions {
  sampleRate: number;
  /** 1–8. */
  channels: number;
  /** 4–24. */
  bitsPerSample: number;
  /** Samples per frame (16–65535); default 4096. */
  blockSize?: number;
  /**
   * Effort 0–8 as the flac tool's levels (default 5): 0–2 fixed predictors only; 3–5 LPC up to order 8
   * with the stereo mode estimated; 6–8 LPC up to order 12 with every stereo mode encoded and the
   * smallest kept.
   */
  level?: number;
  /** false: never use the WebAssembly LPC kernel (tests compare both paths). */
  wasm?: boolean;
}

const CONSTANT = 0;
const VERBATIM = 1;
const FIXED = 2;
const LPC = 3;

/** Channel assignment codes of a frame header (independent channels: channel count − 1). */
const INDEPENDENT = -1;
const LEFT_SIDE = 8;
const SIDE_RIGHT = 9;
const MID_SIDE = 10;

/** Residuals stay below this in magnitude, so a folded residual fits an int32 (as decoders require). */
const RESIDUAL_LIMIT = 2 ** 30;
const MAX_RICE_PARAM = 14;
const MAX_RICE2_PARAM = 30;
const MAX_SHIFT = 15;
const LN2 = Math.LN2;

/** 2^-k for k = 0–40. */
const POW2_NEG = Float64Array.from({ length: 41 }, (_, k) => 2 ** -k);


/** A metadata block: the 4-byte header (last-block flag, type, 24-bit length), then the body. */
export function metadataBlock(type: number, body: Uint8Array, last: boolean): Uint8Array {
  if (body.length >= 1 << 24) throw new Error('FLAC metadata block larger than 16 MiB');
  const block = new Uint8Array(4 + body.length);
  block[0] = (last ? 0x80 : 0) | type;
  block[1] = (body.length >>> 16) & 0xff;
  block[2] = (body.length >>> 8) & 0xff;
  block[3] = body.length & 0xff;
  block.set(body, 4);
  return block;
}

/** One subframe's chosen coding, with its own buffers. */
class SubframePlan {
  type = VERBATIM;
  /** Bits per sample as coded (the channel's, less wasted bits). */
  bps = 0;
  wasted = 0;
  order = 0;
  precision = 0;
  shift = 0;
  readonly coefs = new Int32Array(32);
  partitionOrder = 0;
  rice2 = false;
  /** Estimated size in bits. */
  bits = 0;
  /** The samples coded (after wasted bits are shifted out). */
  samples: Int32Array;
  readonly shifted: Int32Array;
  /** Folded residual of the chosen predictor, indexed by sample (entries below `order` unused). */
  residual: Int32Array;
  params: Int32Array;
  /** The candidate being tried; swapped with residual/params when it wins. */
  spareResidual: Int32Array;
  spareParams: Int32Array;

  constructor(blockSize: number) {
    this.samples = this.shifted = new Int32Array(blockSize);
    this.residual = new Int32Array(blockSize);
    this.spareResidual = new Int32Array(blockSize);
    this.params = new Int32Array(256);
    this.spareParams = new Int32Array(256);
  }

  swap(): void {
    const r = this.residual;
    this.residual = this.spareResidual;
    this.spareResidual = r;
    const p = this.params;
    this.params = this.spareParams;
    this.spareParams = p;
  }
}

/**
 * Streaming encoder: write() takes planar integer samples and returns the bytes of the frames it
 * completed (a view into the encoder's buffer, valid until the next call); finish() returns the last,
 * shorter frame. A stream is "fLaC", streamInfo() as the first metadata block, any other metadata
 * blocks, then these bytes; STREAMINFO is final only after finish() (total samples, frame sizes, MD5).
 */
export class FlacEncoder {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  readonly blockSize: number;
  readonly level: number;
  totalSamples = 0;
  minFrameSize = 0;
  maxFrameSize = 0;
  private frameNumber = 0;
  private finished = false;

  private readonly maxLpcOrder: number;
  private readonly maxPartitionOrder: number;
  private readonly exhaustiveStereo: boolean;
  private readonly precision: number;

  /** Samples of the block being filled, per channel. */
  private readonly pending: Int32Array[];
  private pendingFrames = 0;

  private readonly mid: Int32Array;
  private readonly side: Int32Array;
  /** Per channel slot (L, R, M, S or channel c): sum of |order-2 fixed residual|, OR of samples. */
  private readonly sum2 = new Float64Array(8);
  private readonly ors = new Int32Array(8);
  private readonly plans: SubframePlan[];
  private readonly autoc = new Float64Array(33);
  private readonly lpcCoefs = new Float64Array(33 * 33);
  private readonly lpcError = new Float64Array(33);
  private readonly qCoefs = new Int32Array(32);
  private readonly fixedSums = new Float64Array(5);
  private readonly partitionSums = new Float64Array(256);
  private readonly chosenParams = new Int32Array(256);
  private window: Float64Array = new Float64Array(0);
  /** The LPC sample loops in wasm (flac-lpc-kernel.ts), or null. */
  private readonly kernel: FlacLpcKernel | null;
  private windowTaper = 0;
  /** Σ w² of the window: the windowed autocorrelation's share of the signal's energy, times n. */
  private windowEnergy = 0;
  private readonly sampleRateCode: number;
  private readonly sampleRateBits: number;
  private readonly sampleRateValue: number;
  private readonly bpsCode: number;

  // Results of the last planRice()/tryLpc() call.
  private chosenPartitionOrder = 0;
  private chosenRice2 = false;
  private lpcOrder = 0;
  private lpcShift = 0;
  /** The LPC's prediction error over the signal's energy (near 1: the signal is nearly white). */
  private lpcResidue = 1;

  // The bit writer: bytes so far (whole 32-bit words, stored big-endian), the bits of the word being
  // filled in the low 32 − `free` bits of `acc` (bits above them are stale and shifted out), and the
  // running CRC-16 of the frame's bytes, updated a word at a time.
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  private acc = 0;
  private free = 32;
  private crc = 0;

  constructor(options: FlacEncoderOptions) {
    const { sampleRate, channels, bitsPerSample } = options;
    const blockSize = options.blockSize ?? 4096;
    const level = options.level ?? 5;
    if (!Number.isInteger(channels) || channels < 1 || channels > 8) throw new Error(`FLAC takes 1–8 channels, not ${channels}`);
    if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 655350) throw new Error(`FLAC cannot store a sample rate of ${sampleRate} Hz`);
    if (!Number.isInteger(bitsPerSample) || bitsPerSample < 4 || bitsPerSample > 24) throw new Error(`this FLAC encoder writes 4–24 bits, not ${bitsPerSample}`);
    if (!Number.isInteger(blockSize) || blockSize < 16 || blockSize > 65535) throw new Error(`FLAC block size must be 16–65535, not ${blockSize}`);
    if (!Number.isInteger(level) || level < 0 || level > 8) throw new Error(`FLAC compression level must be 0–8, not ${level}`);
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.bitsPerSample = bitsPerSample;
    this.blockSize = blockSize;
    this.level = level;
    this.maxLpcOrder = level <= 2 ? 0 : level <= 5 ? 8 : 12;
    this.maxPartitionOrder = level <= 2 ? 4 : 6;
    this.exhaustiveStereo = level >= 6;
    // libFLAC's coefficient precision for the stream's depth and block size.
    const n = blockSize;
    this.precision = bitsPerSample < 16 ? Math.max(5, 2 + (bitsPerSample >> 1))
      : bitsPerSample === 16 ? (n <= 192 ? 7 : n <= 384 ? 8 : n <= 576 ? 9 : n <= 1152 ? 10 : n <= 2304 ? 11 : n <= 4608 ? 12 : 13)
        : n <= 384 ? 13 : n <= 1152 ? 14 : 15;

    this.kernel = options.wasm === false ? null : FlacLpcKernel.create(blockSize);
    this.pending = Array.from({ length: channels }, () => new Int32Array(blockSize));
    this.mid = new Int32Array(blockSize);
    this.side = new Int32Array(blockSize);
    this.plans = Array.from({ length: Math.max(channels, 4) }, () => new SubframePlan(blockSize));
    this.buf = new Uint8Array(this.frameBound(blockSize) * 2);
    this.view = new DataView(this.buf.buffer);

    const rateCodes: Record<number, number> = {
      88200: 1, 176400: 2, 192000: 3, 8000: 4, 16000: 5, 22050: 6, 24000: 7, 32000: 8, 44100: 9, 48000: 10, 96000: 11,
    };
    let code = 0, bits = 0, value = 0; // code 0: "see STREAMINFO"
    if (rateCodes[sampleRate] !== undefined) code = rateCodes[sampleRate];
    else if (sampleRate % 1000 === 0 && sampleRate <= 255000) [code, bits, value] = [12, 8, sampleRate / 1000];
    else if (sampleRate <= 65535) [code, bits, value] = [13, 16, sampleRate];
    else if (sampleRate % 10 === 0) [code, bits, value] = [14, 16, sampleRate / 10];
    this.sampleRateCode = code;
    this.sampleRateBits = bits;
    this.sampleRateValue = value;
    const bpsCodes: Record<number, number> = { 8: 1, 12: 2, 16: 4, 20: 5, 24: 6 };
    this.bpsCode = bpsCodes[bitsPerSample] ?? 0;
  }

  /**
   * Upper bound of one frame's bytes. A subframe is written as planned before it is compared with
   * VERBATIM, and the plan's estimate is below VERBATIM (the side channel's: one bit a sample wider)
   * but may undershoot the Rice bits by half a bit a sample: so bps + 2 bits a sample, plus headers.
   */
  private frameBound(n: number): number {
    return 32 + Math.ceil((this.channels * (n * (this.bitsPerSample + 2) + 64 + 2 * this.bitsPerSample)) / 8);
  }

  /**
   * Encodes `frames` samples of each channel (integers within the bit depth). Returns the bytes of
   * the frames completed, a view into the encoder's buffer that the next call overwrites.
   */
  write(channels: Int32Array[], frames: number): Uint8Array {
    if (this.finished) throw new Error('FLAC encoder already finished');
    if (channels.length !== this.channels) throw new Error(`FLAC encoder expects ${this.channels} channels, got ${channels.length}`);
    if (!Number.isInteger(frames) || frames < 0 || channels.some((c) => c.length < frames)) throw new Error(`FLAC encoder: bad frame count ${frames}`);
    this.pos = 0;
    const n = this.blockSize;
    let offset = 0;
    if (this.pendingFrames > 0) {
      const take = Math.min(n - this.pendingFrames, frames);
      for (let c = 0; c < this.channels; c++) this.pending[c].set(channels[c].subarray(0, take), this.pendingFrames);
      this.pendingFrames += take;
      offset = take;
      if (this.pendingFrames === n) {
        this.encodeFrame(this.pending, n);
        this.pendingFrames = 0;
      }
    }
    // Whole blocks straight from the input.
    const views = this.pending.slice(); // (a packed array like `pending`, so encodeFrame sees one kind)
    while (frames - offset >= n) {
      for (let c = 0; c < this.channels; c++) views[c] = channels[c].subarray(offset, offset + n);
      this.encodeFrame(views, n);
      offset += n;
    }
    if (offset < frames) {
      for (let c = 0; c < this.channels; c++) this.pending[c].set(channels[c].subarray(offset, frames), 0);
      this.pendingFrames = frames - offset;
    }
    return this.buf.subarray(0, this.pos);
  }

  /** Encodes what is left (a last, shorter frame) and returns its bytes. */
  finish(): Uint8Array {
    if (this.finished) throw new Error('FLAC encoder already finished');
    this.finished = true;
    this.pos = 0;
    if (this.pendingFrames > 0) {
      this.encodeFrame(this.pending, this.pendingFrames);
      this.pendingFrames = 0;
    }
    return this.buf.subarray(0, this.pos);
  }

  /** STREAMINFO's 34-byte body as of now; `md5` (16 bytes) stays zero when not given. */
  streamInfo(md5?: Uint8Array): Uint8Array {
    const info = new Uint8Array(STREAMINFO_BYTES);
    const n = this.blockSize;
    info[0] = n >>> 8; info[1] = n & 0xff; // min block size (the last block does not count)
    info[2] = n >>> 8; info[3] = n & 0xff; // max block size
    const put24 = (at: number, v: number) => { info[at] = (v >>> 16) & 0xff; info[at + 1] = (v >>> 8) & 0xff; info[at + 2] = v & 0xff; };
    put24(4, this.minFrameSize);
    put24(7, this.maxFrameSize);
    // 20 bits sample rate, 3 bits channels − 1, 5 bits bits per sample − 1, 36 bits total samples.
    const rate = this.sampleRate;
    info[10] = (rate >>> 12) & 0xff;
    info[11] = (rate >>> 4) & 0xff;
    info[12] = ((rate & 0xf) << 4) | ((this.channels - 1) << 1) | ((this.bitsPerSample - 1) >>> 4);
    const high = Math.floor(this.totalSamples / 2 ** 32);
    if (high >= 16) throw new Error('more than 2^36 samples do not fit STREAMINFO');
    info[13] = (((this.bitsPerSample - 1) & 0xf) << 4) | high;
    const low = this.totalSamples >>> 0;
    info[14] = low >>> 24; info[15] = (low >>> 16) & 0xff; info[16] = (low >>> 8) & 0xff; info[17] = low & 0xff;
    if (md5) {
      if (md5.length !== 16) throw new Error('an MD5 has 16 bytes');
      info.set(md5, 18);
    }
    return info;
  }

  // ---- frames ----

  private encodeFrame(input: Int32Array[], n: number): void {
    const bound = this.frameBound(n);
    if (this.buf.length - this.pos < bound + 8) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, this.pos + bound + 8));
      grown.set(this.buf.subarray(0, this.pos));
      this.buf = grown;
      this.view = new DataView(grown.buffer);
    }
    const bps = this.bitsPerSample;
    const plans = this.plans;
    const sum2 = this.sum2;
    const ors = this.ors;
    const start = this.pos;
    if (this.channels === 2) {
      const left = input[0];
      const right = input[1];
      const mid = this.mid;
      const side = this.side;
      const outside = stereoPass(left, right, mid, side, n, bps, sum2, ors);
      if (outside !== 0) this.rangeError(input, n);
      let costL: number, costR: number, costM: number, costS: number;
      if (this.exhaustiveStereo) {
        costL = this.planSubframe(plans[0], left, n, bps, sum2[0], ors[0]);
        costR = this.planSubframe(plans[1], right, n, bps, sum2[1], ors[1]);
        costM = this.planSubframe(plans[2], mid, n, bps, sum2[2], ors[2]);
        costS = this.planSubframe(plans[3], side, n, bps + 1, sum2[3], ors[3]);
      } else {
        costL = estimateBits(left, n, bps, sum2[0], ors[0]);
        costR = estimateBits(right, n, bps, sum2[1], ors[1]);
        costM = estimateBits(mid, n, bps, sum2[2], ors[2]);
        costS = estimateBits(side, n, bps + 1, sum2[3], ors[3]);
      }
      // Mid/side first, so that it wins ties (the same signal in both channels).
      let assignment = MID_SIDE;
      let best = costM + costS;
      if (costL + costS < best) { best = costL + costS; assignment = LEFT_SIDE; }
      if (costS + costR < best) { best = costS + costR; assignment = SIDE_RIGHT; }
      if (costL + costR < best) assignment = INDEPENDENT;
      const first = assignment === MID_SIDE ? 2 : assignment === SIDE_RIGHT ? 3 : 0;
      const second = assignment === MID_SIDE || assignment === LEFT_SIDE ? 3 : 1;
      const firstSamples = first === 0 ? left : first === 2 ? mid : side;
      const secondSamples = second === 1 ? right : side;
      const firstBps = first === 3 ? bps + 1 : bps;
      const secondBps = second === 3 ? bps + 1 : bps;
      if (!this.exhaustiveStereo) {
        this.planSubframe(plans[first], firstSamples, n, firstBps, sum2[first], ors[first]);
        this.planSubframe(plans[second], secondSamples, n, secondBps, sum2[second], ors[second]);
      }
      this.writeFrameHeader(n, assignment);
      this.writeSubframe(plans[first], firstSamples, n, firstBps);
      this.writeSubframe(plans[second], secondSamples, n, secondBps);
    } else {
      for (let c = 0; c < this.channels; c++) {
        if (channelPass(input[c], n, bps, sum2, ors, c) !== 0) this.rangeError(input, n);
        this.planSubframe(plans[c], input[c], n, bps, sum2[c], ors[c]);
      }
      this.writeFrameHeader(n, INDEPENDENT);
      for (let c = 0; c < this.channels; c++) this.writeSubframe(plans[c], input[c], n, bps);
    }
    // Zero bits to a byte boundary, then the CRC-16 of the whole frame.
    this.flushBytes();
    const crc = this.crc;
    this.buf[this.pos++] = crc >>> 8;
    this.buf[this.pos++] = crc & 0xff;
    const size = this.pos - start;
    if (this.frameNumber === 0 || size < this.minFrameSize) this.minFrameSize = size;
    if (size > this.maxFrameSize) this.maxFrameSize = size;
    this.frameNumber++;
    this.totalSamples += n;
  }

  private rangeError(input: Int32Array[], n: number): never {
    const limit = 2 ** (this.bitsPerSample - 1);
    for (let c = 0; c < input.length; c++) {
      for (let i = 0; i < n; i++) {
        const v = input[c][i];
        if (!(v >= -limit && v < limit)) {
          throw new RangeError(`FLAC encoder: sample ${v} outside ${this.bitsPerSample}-bit range (channel ${c + 1}, sample ${this.totalSamples + i})`);
        }
      }
    }
    throw new RangeError('FLAC encoder: sample outside range');
  }

  private writeFrameHeader(n: number, assignment: number): void {
    const buf = this.buf;
    const start = this.pos;
    let p = start;
    buf[p++] = 0xff;
    buf[p++] = 0xf8; // sync code, reserved 0, fixed block size
    let sizeCode: number;
    let sizeBits = 0;
    if (n === 192) sizeCode = 1;
    else if (n === 576 || n === 1152 || n === 2304 || n === 4608) sizeCode = 2 + Math.log2(n / 576);
    else if (n >= 256 && n <= 32768 && (n & (n - 1)) === 0) sizeCode = 8 + Math.log2(n / 256);
    else if (n <= 256) { sizeCode = 6; sizeBits = 8; }
    else { sizeCode = 7; sizeBits = 16; }
    buf[p++] = (sizeCode << 4) | this.sampleRateCode;
    const channelCode = assignment === INDEPENDENT ? this.channels - 1 : assignment;
    buf[p++] = (channelCode << 4) | (this.bpsCode << 1);
    // The frame number, coded like UTF-8.
    const f = this.frameNumber;
    if (f < 0x80) buf[p++] = f;
    else {
      const length = f < 0x800 ? 2 : f < 0x10000 ? 3 : f < 0x200000 ? 4 : f < 0x4000000 ? 5 : 6;
      buf[p++] = ((0xff00 >> length) & 0xff) | (f >>> (6 * (length - 1)));
      for (let k = length - 2; k >= 0; k--) buf[p++] = 0x80 | ((f >>> (6 * k)) & 0x3f);
    }
    if (sizeBits === 8) buf[p++] = n - 1;
    else if (sizeBits === 16) { buf[p++] = (n - 1) >>> 8; buf[p++] = (n - 1) & 0xff; }
    if (this.sampleRateBits === 8) buf[p++] = this.sampleRateValue;
    else if (this.sampleRateBits === 16) { buf[p++] = this.sampleRateValue >>> 8; buf[p++] = this.sampleRateValue & 0xff; }
    buf[p] = crc8(buf, start, p);
    this.pos = p + 1;
    this.crc = crc16(buf, start, this.pos);
    this.acc = 0;
    this.free = 32;
  }

  // ---- choosing a subframe's coding ----

  /** Fills `plan` with the best coding of `x` found and returns its estimated bits. */
  private planSubframe(plan: SubframePlan, x: Int32Array, n: number, bps: number, sum2: number, or: number): number {
    plan.wasted = 0;
    plan.bps = bps;
    plan.samples = x;
    if (isConstant(x, n, sum2)) {
      plan.type = CONSTANT;
      return (plan.bits = 8 + bps);
    }
    const wasted = wastedBits(or, bps);
    if (wasted > 0) {
      const s = plan.shifted;
      for (let i = 0; i < n; i++) s[i] = x[i] >> wasted;
      plan.samples = x = s;
      plan.wasted = wasted;
      plan.bps = bps = bps - wasted;
      sum2 /= 2 ** wasted;
    }
    const header = 8 + wasted;
    plan.type = VERBATIM;
    plan.bits = header + n * bps;
    if (n < 16) return plan.bits;

    // LPC first: for music it nearly always wins.
    let lpcBits = Infinity;
    const maxOrder = Math.min(this.maxLpcOrder, n >> 2);
    this.lpcResidue = 1;
    if (maxOrder > 0) lpcBits = this.tryLpc(plan, x, n, bps, maxOrder);
    if (lpcBits < plan.bits) {
      plan.swap();
      plan.type = LPC;
      plan.bits = lpcBits;
      plan.order = this.lpcOrder;
      plan.precision = this.precision;
      plan.shift = this.lpcShift;
      plan.partitionOrder = this.chosenPartitionOrder;
      plan.rice2 = this.chosenRice2;
      plan.coefs.set(this.qCoefs.subarray(0, plan.order));
    }
    // A fixed predictor, when its order-2 residual suggests it could compete, or the signal is so nearly
    // white that LPC gains little (and its floored prediction of small values costs more than it
    // gains: then fixed order 0 or 1 wins), or there is no LPC.
    const fixedGuess = header + 2 * bps + 6 + riceEstimate(2 * sum2, n - 2);
    if (fixedGuess < plan.bits * 1.05 || this.lpcResidue > 0.3 || maxOrder === 0) {
      const order = bestFixedOrder(x, n, this.fixedSums);
      fixedResidual(x, n, order, plan.spareResidual);
      const p = this.maxPartitionFor(n, order);
      foldedPartitionSums(plan.spareResidual, n, order, p, this.partitionSums);
      const fixedBits = header + order * bps + this.planRice(n, order, p, plan.spareParams);
      if (fixedBits < plan.bits) {
        plan.swap();
        plan.type = FIXED;
        plan.order = order;
        plan.bits = fixedBits;
        plan.partitionOrder = this.chosenPartitionOrder;
        plan.rice2 = this.chosenRice2;
      }
    }
    return plan.bits;
  }

  /** The highest partition order allowed: n divisible by 2^p and more than `order` samples a partition. */
  private maxPartitionFor(n: number, order: number): number {
    let p = 0;
    while (p < this.maxPartitionOrder && n % (2 << p) === 0 && n >> (p + 1) > order) p++;
    return p;
  }

  /**
   * The LPC candidate into plan.spareResidual/spareParams; returns its estimated bits (Infinity when
   * there is no usable predictor). lpcOrder, lpcShift and qCoefs then describe it.
   */
  private tryLpc(plan: SubframePlan, x: Int32Array, n: number, bps: number, maxOrder: number): number {
    if (this.window.length !== n) {
      this.window = tukeyWindow(n, 0.5);
      this.windowTaper = taperLength(this.window);
      this.windowEnergy = this.window.reduce((sum, w) => sum + w * w, 0);
    }
    const R = this.autoc;
    // The kernel takes the usual case (LPC up to order 8); its results are the JS path's, bit for bit.
    const kernel = maxOrder === 8 ? this.kernel : null;
    if (kernel) {
      kernel.load(x, n);
      kernel.autocorrelate(this.window, R);
    } else {
      autocorrelate(x, this.window, this.windowTaper, n, maxOrder, R);
    }
    if (!(R[0] > 0)) return Infinity;
    const orders = levinson(R, maxOrder, this.lpcCoefs, this.lpcError);
    if (orders === 0) return Infinity;
    const precision = this.precision;
    // The order by expected bits: Rice-coding n − p Laplacian residuals of the variance the prediction
    // error implies (error / Σw²), whose mean folded value is √2·σ, plus the order's overhead.
    let order = 1;
    let bestBits = Infinity;
    for (let p = 1; p <= orders; p++) {
      const e = Math.max(0, this.lpcError[p]);
      const count = n - p;
      const bits = riceEstimate(count * Math.SQRT2 * Math.sqrt(e / this.windowEnergy), count) + p * (precision + bps);
      if (bits < bestBits) {
        bestBits = bits;
        order = p;
      }
    }
    this.lpcResidue = this.lpcError[order] / R[0];
    const shift = quantizeCoefficients(this.lpcCoefs, order, precision, this.qCoefs);
    if (shift < 0) return Infinity;
    const p = this.maxPartitionFor(n, order);
    const residualOk = kernel
      ? kernel.residual(n, order, this.qCoefs, shift, plan.spareResidual, p, this.partitionSums) < RESIDUAL_LIMIT
        || lpcResidualChecked(x, n, order, this.qCoefs, shift, plan.spareResidual, p, this.partitionSums)
      : lpcResidual(x, n, order, this.qCoefs, shift, plan.spareResidual, p, this.partitionSums);
    if (!residualOk) return Infinity;
    this.lpcOrder = order;
    this.lpcShift = shift;
    return 8 + plan.wasted + order * bps + 4 + 5 + order * precision + this.planRice(n, order, p, plan.spareParams);
  }

  /**
   * Picks the partition order (≤ maxP) and Rice parameters from the folded sums of the 2^maxP finest
   * partitions in partitionSums (consumed); writes the parameters to `params` and returns the
   * estimated bits of the residual section. Sets chosenPartitionOrder / chosenRice2.
   */
  private planRice(n: number, order: number, maxP: number, params: Int32Array): number {
    const sums = this.partitionSums;
    const chosen = this.chosenParams;
    let bestBits = Infinity;
    for (let p = maxP; p >= 0; p--) {
      const count = 1 << p;
      const size = n >> p;
      let bits = 6 + count * 4;
      let maxK = 0;
      for (let j = 0; j < count; j++) {
        const samples = j === 0 ? size - order : size;
        const s = sums[j];
        // Bits ≈ samples·(k + 1) + s/2^k − samples/2 (each quotient's floor), least near 2^k = s·ln2/samples.
        let k = 0;
        let b = samples + s;
        if (s > samples) {
          const target = (s * LN2) / samples;
          let k0 = target >= 1 ? 31 - Math.clz32(target) : 0;
          if (k0 > MAX_RICE2_PARAM - 1) k0 = MAX_RICE2_PARAM - 1;
          const b0 = k0 === 0 ? samples + s : samples * (k0 + 0.5) + s * POW2_NEG[k0];
          const b1 = samples * (k0 + 1.5) + s * POW2_NEG[k0 + 1];
          if (b1 < b0) { k = k0 + 1; b = b1; } else { k = k0; b = b0; }
        }
        params[j] = k;
        if (k > maxK) maxK = k;
        bits += b;
      }
      const rice2 = maxK > MAX_RICE_PARAM;
      if (rice2) bits += count;
      if (bits < bestBits) {
        bestBits = bits;
        this.chosenPartitionOrder = p;
        this.chosenRice2 = rice2;
        for (let j = 0; j < count; j++) chosen[j] = params[j];
      }
      for (let j = 0; j < count >> 1; j++) sums[j] = sums[2 * j] + sums[2 * j + 1];
    }
    for (let j = 0, count = 1 << this.chosenPartitionOrder; j < count; j++) params[j] = chosen[j];
    return bestBits;
  }

  // ---- writing ----

  private writeSubframe(plan: SubframePlan, original: Int32Array, n: number, bps: number): void {
    const mark = this.pos;
    const markAcc = this.acc;
    const markFree = this.free;
    const markCrc = this.crc;
    this.writeSubframeAs(plan, n);
    // Sizes were estimated: a coded subframe must never come out larger than VERBATIM.
    const written = (this.pos - mark) * 8 + markFree - this.free;
    if (plan.type !== VERBATIM && plan.type !== CONSTANT && written > 8 + n * bps) {
      this.pos = mark;
      this.acc = markAcc;
      this.free = markFree;
      this.crc = markCrc;
      plan.type = VERBATIM;
      plan.samples = original;
      plan.wasted = 0;
      plan.bps = bps;
      this.writeSubframeAs(plan, n);
    }
  }

  private writeSubframeAs(plan: SubframePlan, n: number): void {
    const x = plan.samples;
    const bps = plan.bps;
    const type = plan.type === CONSTANT ? 0 : plan.type === VERBATIM ? 1 : plan.type === FIXED ? 8 | plan.order : 32 | (plan.order - 1);
    this.putBits((type << 1) | (plan.wasted > 0 ? 1 : 0), 8);
    if (plan.wasted > 0) {
      for (let z = plan.wasted - 1; z > 0; z -= Math.min(z, 16)) this.putBits(0, Math.min(z, 16));
      this.putBits(1, 1); // unary wasted − 1
    }
    if (plan.type === CONSTANT) {
      this.putBits(x[0], bps);
      return;
    }
    if (plan.type === VERBATIM) {
      for (let i = 0; i < n; i++) this.putBits(x[i], bps);
      return;
    }
    for (let i = 0; i < plan.order; i++) this.putBits(x[i], bps);
    if (plan.type === LPC) {
      this.putBits(plan.precision - 1, 4);
      this.putBits(plan.shift, 5);
      for (let i = 0; i < plan.order; i++) this.putBits(plan.coefs[i], plan.precision);
    }
    const p = plan.partitionOrder;
    this.putBits(plan.rice2 ? 1 : 0, 2);
    this.putBits(p, 4);
    const paramBits = plan.rice2 ? 5 : 4;
    const size = n >> p;
    for (let j = 0, parts = 1 << p; j < parts; j++) {
      const k = plan.params[j];
      this.putBits(k, paramBits);
      this.writeRice(plan.residual, j === 0 ? plan.order : j * size, (j + 1) * size, k);
    }
  }

  /** Rice codes u[from, to) with parameter k: the quotient in unary (zeros, then a one), then k low bits. */
  private writeRice(u: Int32Array, from: number, to: number, k: number): void {
    const view = this.view;
    let pos = this.pos;
    let acc = this.acc;
    let free = this.free;
    let crc = this.crc;
    const mask = (1 << k) - 1;
    const marker = 1 << k;
    const limit = 30 - k; // codes up to 31 bits take one step
    for (let i = from; i < to; i++) {
      const v = u[i];
      const q = v >>> k;
      if (q <= limit) {
        const length = q + 1 + k;
        const code = marker | (v & mask);
        if (length < free) {
          acc = (acc << length) | code;
          free -= length;
        } else {
          const rest = length - free;
          const word = (acc << free) | (code >>> rest);
          view.setInt32(pos, word);
          pos += 4;
          const x = crc ^ (word >>> 16);
          crc = CRC16[768 + (x >>> 8)] ^ CRC16[512 + (x & 0xff)] ^ CRC16[256 + ((word >>> 8) & 0xff)] ^ CRC16[word & 0xff];
          acc = code;
          free = 32 - rest;
        }
      } else {
        this.pos = pos;
        this.acc = acc;
        this.free = free;
        this.crc = crc;
        this.putZeros(q);
        if (k < 24) this.putBits(code(v, k), k + 1);
        else {
          this.putBits(1, 1);
          this.putBits(v >>> 12, k - 12);
          this.putBits(v, 12);
        }
        pos = this.pos;
        acc = this.acc;
        free = this.free;
        crc = this.crc;
      }
    }
    this.pos = pos;
    this.acc = acc;
    this.free = free;
    this.crc = crc;
  }

  /** Writes the low `count` bits of `value` (count 0–32). */
  private putBits(value: number, count: number): void {
    if (count > 24) {
      this.putBits(value >> 16, count - 16);
      this.putBits(value & 0xffff, 16);
      return;
    }
    const v = value & ((1 << count) - 1);
    if (count < this.free) {
      this.acc = (this.acc << count) | v;
      this.free -= count;
    } else {
      const rest = count - this.free;
      this.putWord((this.acc << this.free) | (v >>> rest));
      this.acc = v;
      this.free = 32 - rest;
    }
  }

  private putZeros(count: number): void {
    for (; count > 16; count -= 16) this.putBits(0, 16);
    this.putBits(0, count);
  }

  private putWord(word: number): void {
    this.view.setInt32(this.pos, word);
    this.pos += 4;
    const x = this.crc ^ (word >>> 16);
    this.crc = CRC16[768 + (x >>> 8)] ^ CRC16[512 + (x & 0xff)] ^ CRC16[256 + ((word >>> 8) & 0xff)] ^ CRC16[word & 0xff];
  }

  /** Pads with zero bits to a byte boundary and stores the pending whole bytes. */
  private flushBytes(): void {
    const pending = 32 - this.free;
    if (pending & 7) this.putBits(0, 8 - (pending & 7));
    const bytes = (32 - this.free) >>> 3;
    for (let b = bytes - 1; b >= 0; b--) {
      const byte = (this.acc >>> (8 * b)) & 0xff;
      this.buf[this.pos++] = byte;
      this.crc = ((this.crc << 8) & 0xffff) ^ CRC16[(this.crc >>> 8) ^ byte];
    }
    this.acc = 0;
    this.free = 32;
  }
}

/** A Rice code's marker bit and k low bits. */
function code(v: number, k: number): number {
  return (1 << k) | (v & ((1 << k) - 1));
}

// ---- sample passes (plain functions over typed arrays, so that V8 optimizes each on its own) ----

/**
 * Mid (⌊(l+r)/2⌋) and side (l−r) into their arrays; per slot L, R, M, S the sum of |order-2 fixed
 * residual| over samples 2..n-1 and the OR of all samples. Returns non-zero when a sample of l or r
 * lies outside the bit depth.
 */
function stereoPass(
  left: Int32Array, right: Int32Array, mid: Int32Array, side: Int32Array, n: number, bps: number,
  sum2: Float64Array, ors: Int32Array,
): number {
  const offset = 1 << (bps - 1);
  let orL = 0, orR = 0, orM = 0, orS = 0, outside = 0;
  // Sums start as -0 (a float: V8 then never compiles them as small integers that later overflow).
  let sl = -0, sr = -0, sm = -0, ss = -0;
  let l1 = left[0], r1 = right[0]; // x[i−1] (for i = 0 a stand-in, see below)
  // Two samples a step; the order-2 residual only at the second (half the samples estimate the sum
  // well enough to choose the stereo mode), branch-free (residual signs are random).
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const la = left[i], ra = right[i], lb = left[i + 1], rb = right[i + 1];
    const ma = (la + ra) >> 1, sa = la - ra, mb = (lb + rb) >> 1, sb = lb - rb;
    mid[i] = ma; side[i] = sa; mid[i + 1] = mb; side[i + 1] = sb;
    orL |= la | lb; orR |= ra | rb; orM |= ma | mb; orS |= sa | sb;
    outside |= (la + offset) | (ra + offset) | (lb + offset) | (rb + offset);
    const dl = lb - 2 * la + l1;
    const dr = rb - 2 * ra + r1;
    sl += Math.abs(dl);
    sr += Math.abs(dr);
    sm += Math.abs(dl + dr);
    ss += Math.abs(dl - dr);
    l1 = lb; r1 = rb;
  }
  if (i < n) {
    const l = left[i], r = right[i], m = (l + r) >> 1, s = l - r;
    mid[i] = m; side[i] = s;
    orL |= l; orR |= r; orM |= m; orS |= s;
    outside |= (l + offset) | (r + offset);
  }
  // The first step used x[0] for x[−1], its "residual" is x1 − x0: take it out, and double the rest.
  if (n > 1) {
    const dl = left[1] - left[0];
    const dr = right[1] - right[0];
    sl -= Math.abs(dl); sr -= Math.abs(dr); sm -= Math.abs(dl + dr); ss -= Math.abs(dl - dr);
  }
  sum2[0] = 2 * sl; sum2[1] = 2 * sr; sum2[2] = sm; sum2[3] = 2 * ss;
  ors[0] = orL; ors[1] = orR; ors[2] = orM; ors[3] = orS;
  return outside >>> bps;
}

/** stereoPass for one channel into slot `slot`. */
function channelPass(x: Int32Array, n: number, bps: number, sum2: Float64Array, ors: Int32Array, slot: number): number {
  const offset = 1 << (bps - 1);
  let x2 = x[0], x1 = n > 1 ? x[1] : x2, sum = -0, or = x2 | x1, outside = (x2 + offset) | (x1 + offset);
  for (let i = 2; i < n; i++) {
    const v = x[i];
    or |= v;
    outside |= v + offset;
    sum += Math.abs(v - 2 * x1 + x2);
    x2 = x1;
    x1 = v;
  }
  sum2[slot] = sum;
  ors[slot] = or;
  return outside >>> bps;
}

function isConstant(x: Int32Array, n: number, sum2: number): boolean {
  // No order-2 residual means a straight line; constant if the first two samples agree too.
  return n === 1 || (sum2 === 0 && x[0] === x[1]);
}

/** Low zero bits common to all samples (at most bps − 1). */
function wastedBits(or: number, bps: number): number {
  return or === 0 ? 0 : Math.min(31 - Math.clz32(or & -or), bps - 1);
}

/** A subframe's bits as guessed from its order-2 fixed residual (to choose the stereo mode). */
function estimateBits(x: Int32Array, n: number, bps: number, sum2: number, or: number): number {
  if (isConstant(x, n, sum2)) return 8 + bps;
  const wasted = wastedBits(or, bps);
  const depth = bps - wasted;
  return Math.min(n * depth, riceEstimate((2 * sum2) / 2 ** wasted, Math.max(1, n - 2)) + 2 * depth) + 8;
}

/** Bits of Rice-coding `count` values whose folded sum is `sum`, with the best single parameter. */
function riceEstimate(sum: number, count: number): number {
  if (sum <= count) return count + sum;
  const k0 = Math.floor(Math.log2((sum * LN2) / count));
  return Math.min(count * (k0 + 0.5) + sum * 2 ** -k0, count * (k0 + 1.5) + sum * 2 ** -(k0 + 1));
}

/** The fixed order 0–4 with the least sum of |residual| over samples 4..n-1. */
function bestFixedOrder(x: Int32Array, n: number, sums: Float64Array): number {
  let s0 = -0, s1 = -0, s2 = -0, s3 = -0, s4 = -0;
  let a = x[3], p1 = x[3] - x[2], p2 = p1 - (x[2] - x[1]), p3 = p2 - (x[2] - 2 * x[1] + x[0]);
  for (let i = 4; i < n; i++) {
    const v = x[i];
    const e1 = v - a;
    const e2 = e1 - p1;
    const e3 = e2 - p2;
    const e4 = e3 - p3;
    s0 += Math.abs(v);
    s1 += Math.abs(e1);
    s2 += Math.abs(e2);
    s3 += Math.abs(e3);
    s4 += Math.abs(e4);
    a = v; p1 = e1; p2 = e2; p3 = e3;
  }
  sums[0] = s0; sums[1] = s1; sums[2] = s2; sums[3] = s3; sums[4] = s4;
  let best = 0;
  for (let k = 1; k <= 4; k++) if (sums[k] < sums[best]) best = k;
  return best;
}

/** Folded residual (2r for r ≥ 0, −2r−1 below) of fixed predictor `order`, for samples order..n-1. */
function fixedResidual(x: Int32Array, n: number, order: number, out: Int32Array): void {
  switch (order) {
    case 0:
      for (let i = 0; i < n; i++) { const r = x[i]; out[i] = (r << 1) ^ (r >> 31); }
      break;
    case 1:
      for (let i = 1; i < n; i++) { const r = x[i] - x[i - 1]; out[i] = (r << 1) ^ (r >> 31); }
      break;
    case 2:
      for (let i = 2; i < n; i++) { const r = x[i] - 2 * x[i - 1] + x[i - 2]; out[i] = (r << 1) ^ (r >> 31); }
      break;
    case 3:
      for (let i = 3; i < n; i++) { const r = x[i] - 3 * (x[i - 1] - x[i - 2]) - x[i - 3]; out[i] = (r << 1) ^ (r >> 31); }
      break;
    default:
      for (let i = 4; i < n; i++) {
        const r = x[i] - 4 * (x[i - 1] + x[i - 3]) + 6 * x[i - 2] + x[i - 4];
        out[i] = (r << 1) ^ (r >> 31);
      }
  }
}

/** Sums of u[order..n) over the 2^p partitions of n. */
function foldedPartitionSums(u: Int32Array, n: number, order: number, p: number, sums: Float64Array): void {
  const size = n >> p;
  for (let j = 0, parts = 1 << p; j < parts; j++) {
    let s = 0;
    for (let i = j === 0 ? order : j * size, end = (j + 1) * size; i < end; i++) s += u[i];
    sums[j] = s;
  }
}

/** Tukey window: cosine tapers over alpha/2 of the length at each end, flat between. */
export function tukeyWindow(n: number, alpha: number): Float64Array {
  const w = new Float64Array(n).fill(1);
  const taper = Math.floor((alpha * n) / 2);
  for (let i = 0; i < taper; i++) {
    const v = 0.5 - 0.5 * Math.cos((Math.PI * (i + 0.5)) / taper);
    w[i] = v;
    w[n - 1 - i] = v;
  }
  return w;
}

/** Samples at the start of a symmetric window before it reaches 1. */
function taperLength(w: Float64Array): number {
  let i = 0;
  while (i < w.length >> 1 && w[i] !== 1) i++;
  return i;
}

const windowedScratch = { data: new Float64Array(0) };

/** R[lag] = Σ d[i]·d[i−lag] of the windowed samples d = x·w, lags 0..maxOrder; w is 1 from `taper` to n − taper. */
function autocorrelate(x: Int32Array, w: Float64Array, taper: number, n: number, maxOrder: number, R: Float64Array): void {
  if (maxOrder === 8) {
    let r0 = -0, r1 = -0, r2 = -0, r3 = -0, r4 = -0, r5 = -0, r6 = -0, r7 = -0, r8 = -0;
    let d1 = -0, d2 = -0, d3 = -0, d4 = -0, d5 = -0, d6 = -0, d7 = -0, d8 = -0;
    // Three stretches: the window's rising taper, its flat middle (no multiply), the falling taper.
    const flatFrom = taper;
    const flatTo = n - taper;
    for (let part = 0; part < 3; part++) {
      const from = part === 0 ? 0 : part === 1 ? flatFrom : flatTo;
      const to = part === 0 ? flatFrom : part === 1 ? flatTo : n;
      if (part === 1) {
        for (let i = from; i < to; i++) {
          const v = x[i];
          r0 += v * v; r1 += v * d1; r2 += v * d2; r3 += v * d3; r4 += v * d4;
          r5 += v * d5; r6 += v * d6; r7 += v * d7; r8 += v * d8;
          d8 = d7; d7 = d6; d6 = d5; d5 = d4; d4 = d3; d3 = d2; d2 = d1; d1 = v;
        }
      } else {
        for (let i = from; i < to; i++) {
          const v = x[i] * w[i];
          r0 += v * v; r1 += v * d1; r2 += v * d2; r3 += v * d3; r4 += v * d4;
          r5 += v * d5; r6 += v * d6; r7 += v * d7; r8 += v * d8;
          d8 = d7; d7 = d6; d6 = d5; d5 = d4; d4 = d3; d3 = d2; d2 = d1; d1 = v;
        }
      }
    }
    R[0] = r0; R[1] = r1; R[2] = r2; R[3] = r3; R[4] = r4; R[5] = r5; R[6] = r6; R[7] = r7; R[8] = r8;
    return;
  }
  if (windowedScratch.data.length < n) windowedScratch.data = new Float64Array(n);
  const d = windowedScratch.data;
  for (let i = 0; i < n; i++) d[i] = x[i] * w[i];
  for (let lag = 0; lag <= maxOrder; lag++) {
    let s = 0;
    for (let i = lag; i < n; i++) s += d[i] * d[i - lag];
    R[lag] = s;
  }
}

const levinsonA = new Float64Array(33);
const levinsonPrevious = new Float64Array(33);

/**
 * Levinson-Durbin: the predictor x̂[i] = Σ a[j]·x[i−1−j] of every order 1..maxOrder into
 * coefs[order·33 + j] and its prediction error into error[order]. Returns the highest order solved.
 */
function levinson(R: Float64Array, maxOrder: number, coefs: Float64Array, error: Float64Array): number {
  const a = levinsonA.fill(0);
  const previous = levinsonPrevious;
  let e = R[0];
  for (let m = 1; m <= maxOrder; m++) {
    let acc = R[m];
    for (let j = 1; j < m; j++) acc -= a[j] * R[m - j];
    const k = acc / e;
    if (!Number.isFinite(k) || Math.abs(k) >= 1) return m - 1;
    previous.set(a);
    a[m] = k;
    for (let j = 1; j < m; j++) a[j] = previous[j] - k * previous[m - j];
    e *= 1 - k * k;
    for (let j = 0; j < m; j++) coefs[m * 33 + j] = a[j + 1];
    error[m] = e;
    if (!(e > 0)) return m;
  }
  return maxOrder;
}

/**
 * Quantizes the predictor of `order` to `precision`-bit signed integers with one shift, carrying
 * each rounding error into the next coefficient. Returns the shift, or −1 if none fits.
 */
function quantizeCoefficients(coefs: Float64Array, order: number, precision: number, out: Int32Array): number {
  const base = order * 33;
  let cmax = 0;
  for (let j = 0; j < order; j++) cmax = Math.max(cmax, Math.abs(coefs[base + j]));
  if (!(cmax > 0) || !Number.isFinite(cmax)) return -1;
  const qmax = (1 << (precision - 1)) - 1;
  const qmin = -(1 << (precision - 1));
  let shift = Math.floor(Math.log2(qmax / cmax)); // the largest with cmax·2^shift ≤ qmax
  if (shift > MAX_SHIFT) shift = MAX_SHIFT;
  if (shift < 0) return -1;
  const scale = 2 ** shift;
  let carry = 0;
  for (let j = 0; j < order; j++) {
    carry += coefs[base + j] * scale;
    let q = Math.round(carry);
    if (q > qmax) q = qmax;
    else if (q < qmin) q = qmin;
    carry -= q;
    out[j] = q;
  }
  return shift;
}

/**
 * Folded residual x[i] − ⌊Σ q[j]·x[i−1−j] / 2^shift⌋ for samples order..n-1, and per partition of the
 * 2^p the folded sum (as 2·Σ|r|, within half a count of it) into `sums`. Returns false when a residual
 * could pass RESIDUAL_LIMIT.
 */
function lpcResidual(
  x: Int32Array, n: number, order: number, q: Int32Array, shift: number, out: Int32Array, p: number, sums: Float64Array,
): boolean {
  if (order > 8) return lpcResidualChecked(x, n, order, q, shift, out, p, sums);
  const scale = 2 ** -shift;
  const size = n >> p;
  const parts = 1 << p;
  // Orders up to 8 share one unrolled loop (missing taps weigh zero), the coefficients pre-scaled by
  // 2^-shift (exact: each product is a multiple of 2^-shift far below 2^53, and so is their sum).
  const c0 = q[0] * scale;
  const c1 = order > 1 ? q[1] * scale : 0;
  const c2 = order > 2 ? q[2] * scale : 0;
  const c3 = order > 3 ? q[3] * scale : 0;
  const c4 = order > 4 ? q[4] * scale : 0;
  const c5 = order > 5 ? q[5] * scale : 0;
  const c6 = order > 6 ? q[6] * scale : 0;
  const c7 = order > 7 ? q[7] * scale : 0;
  // History before sample `order` (taps beyond the order weigh zero, so any value does).
  let x1 = order > 0 ? x[order - 1] : 0, x2 = order > 1 ? x[order - 2] : 0, x3 = order > 2 ? x[order - 3] : 0;
  let x4 = order > 3 ? x[order - 4] : 0, x5 = order > 4 ? x[order - 5] : 0, x6 = order > 5 ? x[order - 6] : 0;
  let x7 = order > 6 ? x[order - 7] : 0, x8 = order > 7 ? x[order - 8] : 0;
  let largest = 0;
  for (let j = 0; j < parts; j++) {
    let sum = -0;
    for (let i = j === 0 ? order : j * size, end = (j + 1) * size; i < end; i++) {
      const v = x[i];
      const r = v - Math.floor(((c0 * x1 + c1 * x2) + (c2 * x3 + c3 * x4)) + ((c4 * x5 + c5 * x6) + (c6 * x7 + c7 * x8)));
      sum += Math.abs(r);
      const ri = r | 0; // exact unless r is huge, and then the partition's sum says so
      out[i] = (ri << 1) ^ (ri >> 31);
      x8 = x7; x7 = x6; x6 = x5; x5 = x4; x4 = x3; x3 = x2; x2 = x1; x1 = v;
    }
    sums[j] = 2 * sum;
    if (sum > largest) largest = sum;
  }
  // Every |r| is at most its partition's Σ|r|.
  return largest < RESIDUAL_LIMIT || lpcResidualChecked(x, n, order, q, shift, out, p, sums);
}

/** lpcResidual for any order, checking every residual against RESIDUAL_LIMIT. */
function lpcResidualChecked(
  x: Int32Array, n: number, order: number, q: Int32Array, shift: number, out: Int32Array, p: number, sums: Float64Array,
): boolean {
  const scale = 2 ** -shift;
  const size = n >> p;
  for (let j = 0, parts = 1 << p; j < parts; j++) {
    let sum = 0;
    for (let i = j === 0 ? order : j * size, end = (j + 1) * size; i < end; i++) {
      let s = 0;
      for (let t = 0; t < order; t++) s += q[t] * x[i - 1 - t];
      const r = x[i] - Math.floor(s * scale);
      if (!(r < RESIDUAL_LIMIT && r > -RESIDUAL_LIMIT)) return false;
      const u = (r << 1) ^ (r >> 31);
      out[i] = u;
      sum += u;
    }
    sums[j] = sum;
  }
  return true;
}

/**
 * A whole FLAC stream in one call: "fLaC", STREAMINFO (with `md5` if given), the frames.
 * For tests and small in-memory jobs; long ones stream through FlacEncoder.
 */
export function encodeFlac(channels: Int32Array[], options: Omit<FlacEncoderOptions, 'channels'> & { md5?: Uint8Array }): Uint8Array {
  const encoder = new FlacEncoder({ ...options, channels: channels.length });
  const frames = channels.length > 0 ? channels[0].length : 0;
  const parts: Uint8Array[] = [];
  if (frames > 0) parts.push(encoder.write(channels, frames).slice());
  parts.push(encoder.finish().slice());
  const header = metadataBlock(0, encoder.streamInfo(options.md5), true);
  const out = new Uint8Array(4 + header.length + parts.reduce((s, p) => s + p.length, 0));
  out.set([0x66, 0x4c, 0x61, 0x43]);
  out.set(header, 4);
  let offset = 4 + header.length;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
