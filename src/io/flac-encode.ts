// A FLAC encoder in plain TypeScript (RFC 9639), fast enough to replace libFLAC-wasm and free of
// node: imports so it also runs in a browser. It makes libFLAC -5's kind of choices:
// fixed 4096-sample blocks; stereo as left/right, left/side, side/right or mid/side, picked per frame
// from the fixed-predictor residual of all four; per subframe CONSTANT, VERBATIM, FIXED (order 0–4) or
// LPC (order up to 8 from a Tukey(0.5)-windowed autocorrelation and Levinson-Durbin, the order picked
// from the expected bits, coefficients quantized to 15 bits at 24-bit / 12 at 16-bit); the residual as
// partitioned Rice (partition order 0–6, parameters from each partition's mean, RICE2 when a parameter
// passes 14). Wasted low bits are shifted out.
//
// Speed: everything lives in typed arrays allocated once per encoder; prediction sums are float64
// (exact: a 25-bit sample times a 15-bit coefficient, summed 32 times, stays far below 2^53), and the
// bit writer keeps its pending bits in one int32. The MD5 of STREAMINFO is the caller's (WebCrypto has
// no streaming MD5, node:crypto does): pass it to streamInfo(), or leave it zero ("not computed").

/** STREAMINFO body length in bytes. */
export const STREAMINFO_BYTES = 34;

export interface FlacEncoderOptions {
  sampleRate: number;
  /** 1–8. */
  channels: number;
  /** 4–24. */
  bitsPerSample: number;
  /** Samples per frame (16–65535); default 4096. */
  blockSize?: number;
  /**
   * Effort 0–8, as the flac tool's levels (default 5): 0–2 fixed predictors only; 3–5 LPC up to
   * order 8 with the stereo mode estimated from the fixed residual; 6–8 LPC up to order 12 with every
   * stereo mode encoded and the smallest kept.
   */
  level?: number;
}

const CONSTANT = 0;
const VERBATIM = 1;
const FIXED = 2;
const LPC = 3;

/** Channel assignments of a stereo frame (the frame header's 4-bit code). */
const INDEPENDENT = -1;
const LEFT_SIDE = 8;
const SIDE_RIGHT = 9;
const MID_SIDE = 10;

/** Residual magnitudes are kept below this, so a folded residual fits an int32 (and libFLAC's decoder). */
const RESIDUAL_LIMIT = 2 ** 30;
const MAX_RICE_PARAM = 14;
const MAX_RICE2_PARAM = 30;
const MAX_SHIFT = 15;

const CRC8 = new Uint8Array(256);
const CRC16 = new Uint16Array(256 * 2);
for (let i = 0; i < 256; i++) {
  let c8 = i;
  for (let b = 0; b < 8; b++) c8 = c8 & 0x80 ? ((c8 << 1) ^ 0x07) & 0xff : (c8 << 1) & 0xff;
  CRC8[i] = c8;
  let c16 = i << 8;
  for (let b = 0; b < 8; b++) c16 = c16 & 0x8000 ? ((c16 << 1) ^ 0x8005) & 0xffff : (c16 << 1) & 0xffff;
  CRC16[i] = c16;
}
// Second table for two bytes at a time: CRC16[256 + i] is the CRC of byte i followed by a zero byte.
for (let i = 0; i < 256; i++) CRC16[256 + i] = ((CRC16[i] << 8) & 0xffff) ^ CRC16[CRC16[i] >>> 8];

export function crc8(bytes: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) crc = CRC8[crc ^ bytes[i]];
  return crc;
}

export function crc16(bytes: Uint8Array, from: number, to: number): number {
  let crc = 0;
  let i = from;
  for (; i + 1 < to; i += 2) {
    const x = crc ^ ((bytes[i] << 8) | bytes[i + 1]);
    crc = CRC16[256 + (x >>> 8)] ^ CRC16[x & 0xff];
  }
  if (i < to) crc = ((crc << 8) & 0xffff) ^ CRC16[(crc >>> 8) ^ bytes[i]];
  return crc;
}

/** A metadata block: the 4-byte header (last flag, type, 24-bit length) and its body. */
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

/** What one pass over a channel tells: fixed-predictor residual sums, wasted bits, constancy. */
class ChannelFacts {
  /** Sum of |residual| of fixed orders 0–4 over samples 4..n-1 (float64: can pass 2^32). */
  readonly sums = new Float64Array(5);
  bestOrder = 0;
  constant = false;
  wasted = 0;
  /** Estimated bits of the subframe (from the best fixed order). */
  estimate = 0;
}

/** One subframe's chosen coding, with its own buffers. */
class SubframePlan {
  type = VERBATIM;
  bps = 0;
  wasted = 0;
  order = 0;
  precision = 0;
  shift = 0;
  readonly coefs = new Int32Array(32);
  partitionOrder = 0;
  rice2 = false;
  bits = 0;
  /** The samples coded (after wasted bits are shifted out). */
  samples: Int32Array;
  readonly shifted: Int32Array;
  /** Folded residual of the chosen predictor, indexed by sample (entries below `order` unused). */
  residual: Int32Array;
  params: Int32Array;
  /** Scratch for the candidate being tried (swapped with residual/params when it wins). */
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
 * Streaming encoder: write() takes planar integer samples and returns the bytes of the frames
 * completed so far (a view valid until the next call); finish() returns the last, short frame.
 * The stream's header is "fLaC", then streamInfo() as the first metadata block (rewrite it when done:
 * total samples, frame sizes and the MD5 are known only then).
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

  /** Samples of the frame being filled, per channel. */
  private readonly pending: Int32Array[];
  private pendingFrames = 0;

  private readonly mid: Int32Array;
  private readonly side: Int32Array;
  private readonly facts: ChannelFacts[];
  private readonly plans: SubframePlan[];
  private readonly windowed: Float64Array;
  private readonly autoc = new Float64Array(33);
  private readonly lpcCoefs: Float64Array; // [order][j], order 1..max
  private readonly lpcError = new Float64Array(33);
  private readonly qCoefs = new Int32Array(32);
  private readonly partitionSums = new Float64Array(256);
  private readonly partitionParams = new Int32Array(256);
  private window: Float64Array = new Float64Array(0);
  private readonly sampleRateCode: number;
  private readonly sampleRateBits: number;
  private readonly sampleRateValue: number;
  private readonly bpsCode: number;

  // The bit writer: bytes so far, plus up to 7 pending bits in the low bits of `acc`.
  private buf: Uint8Array;
  private pos = 0;
  private acc = 0;
  private nbits = 0;

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

    this.pending = Array.from({ length: channels }, () => new Int32Array(blockSize));
    this.mid = new Int32Array(blockSize);
    this.side = new Int32Array(blockSize);
    const slots = Math.max(channels, 4);
    this.facts = Array.from({ length: slots }, () => new ChannelFacts());
    this.plans = Array.from({ length: slots }, () => new SubframePlan(blockSize));
    this.windowed = new Float64Array(blockSize + 33);
    this.lpcCoefs = new Float64Array(33 * 33);
    this.buf = new Uint8Array(this.frameBound(blockSize) * 2);

    const rateCodes: Record<number, number> = {
      88200: 1, 176400: 2, 192000: 3, 8000: 4, 16000: 5, 22050: 6, 24000: 7, 32000: 8, 44100: 9, 48000: 10, 96000: 11,
    };
    if (rateCodes[sampleRate] !== undefined) {
      [this.sampleRateCode, this.sampleRateBits, this.sampleRateValue] = [rateCodes[sampleRate], 0, 0];
    } else if (sampleRate % 1000 === 0 && sampleRate <= 255000) {
      [this.sampleRateCode, this.sampleRateBits, this.sampleRateValue] = [12, 8, sampleRate / 1000];
    } else if (sampleRate <= 65535) {
      [this.sampleRateCode, this.sampleRateBits, this.sampleRateValue] = [13, 16, sampleRate];
    } else if (sampleRate % 10 === 0) {
      [this.sampleRateCode, this.sampleRateBits, this.sampleRateValue] = [14, 16, sampleRate / 10];
    } else {
      [this.sampleRateCode, this.sampleRateBits, this.sampleRateValue] = [0, 0, 0]; // from STREAMINFO
    }
    const bpsCodes: Record<number, number> = { 8: 1, 12: 2, 16: 4, 20: 5, 24: 6 };
    this.bpsCode = bpsCodes[bitsPerSample] ?? 0;
  }

  /** Upper bound of one frame's bytes: verbatim subframes plus headers. */
  private frameBound(n: number): number {
    return 32 + Math.ceil((this.channels * (n * (this.bitsPerSample + 1) + 48 + this.bitsPerSample)) / 8);
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
    // Fill a partly filled block first.
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
    const views: Int32Array[] = new Array(this.channels);
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

  /** Encodes what is left (a last, shorter frame); returns its bytes. */
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

  /** STREAMINFO's 34-byte body as of now; `md5` (16 bytes) is left zero when not given. */
  streamInfo(md5?: Uint8Array): Uint8Array {
    const info = new Uint8Array(STREAMINFO_BYTES);
    const n = this.blockSize;
    info[0] = n >>> 8; info[1] = n & 0xff;
    info[2] = n >>> 8; info[3] = n & 0xff;
    const put24 = (at: number, v: number) => { info[at] = (v >>> 16) & 0xff; info[at + 1] = (v >>> 8) & 0xff; info[at + 2] = v & 0xff; };
    put24(4, this.minFrameSize);
    put24(7, this.maxFrameSize);
    // 20 bits rate, 3 bits channels-1, 5 bits bps-1, 36 bits total samples.
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
    if (this.buf.length - this.pos < bound) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, this.pos + bound));
      grown.set(this.buf.subarray(0, this.pos));
      this.buf = grown;
    }
    const bps = this.bitsPerSample;
    const limit = 2 ** (bps - 1);
    for (let c = 0; c < this.channels; c++) {
      const range = analyzeFixed(input[c], n, this.facts[c], bps);
      if (range < -limit || range >= limit) {
        throw new RangeError(`FLAC encoder: channel ${c + 1} has a sample (${range}) outside ${bps}-bit range, frame ${this.frameNumber}`);
      }
    }

    let assignment = INDEPENDENT;
    const plans = this.plans;
    const start = this.pos;
    if (this.channels === 2) {
      const left = input[0];
      const right = input[1];
      const mid = this.mid;
      const side = this.side;
      for (let i = 0; i < n; i++) {
        const l = left[i];
        const r = right[i];
        mid[i] = (l + r) >> 1;
        side[i] = l - r;
      }
      const facts = this.facts;
      analyzeFixed(mid, n, facts[2], bps);
      analyzeFixed(side, n, facts[3], bps + 1);
      let costL: number, costR: number, costM: number, costS: number;
      if (this.exhaustiveStereo) {
        costL = this.planSubframe(plans[0], left, n, bps, facts[0]);
        costR = this.planSubframe(plans[1], right, n, bps, facts[1]);
        costM = this.planSubframe(plans[2], mid, n, bps, facts[2]);
        costS = this.planSubframe(plans[3], side, n, bps + 1, facts[3]);
      } else {
        costL = facts[0].estimate;
        costR = facts[1].estimate;
        costM = facts[2].estimate;
        costS = facts[3].estimate;
      }
      // Mid/side first so that it wins ties (a mono signal in two channels).
      let best = costM + costS;
      assignment = MID_SIDE;
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
        this.planSubframe(plans[first], firstSamples, n, firstBps, facts[first]);
        this.planSubframe(plans[second], secondSamples, n, secondBps, facts[second]);
      }
      this.writeFrameHeader(n, assignment);
      this.writeSubframe(plans[first], firstSamples, n, firstBps);
      this.writeSubframe(plans[second], secondSamples, n, secondBps);
    } else {
      for (let c = 0; c < this.channels; c++) this.planSubframe(plans[c], input[c], n, bps, this.facts[c]);
      this.writeFrameHeader(n, assignment);
      for (let c = 0; c < this.channels; c++) this.writeSubframe(plans[c], input[c], n, bps);
    }
    // Zero-pad to a byte, then CRC-16 of the whole frame.
    if (this.nbits > 0) this.putBits(0, 8 - this.nbits);
    const crc = crc16(this.buf, start, this.pos);
    this.buf[this.pos++] = crc >>> 8;
    this.buf[this.pos++] = crc & 0xff;
    const size = this.pos - start;
    if (this.frameNumber === 0 || size < this.minFrameSize) this.minFrameSize = size;
    if (size > this.maxFrameSize) this.maxFrameSize = size;
    this.frameNumber++;
    this.totalSamples += n;
  }

  private writeFrameHeader(n: number, assignment: number): void {
    const buf = this.buf;
    const start = this.pos;
    let p = start;
    buf[p++] = 0xff;
    buf[p++] = 0xf8; // sync, reserved 0, fixed block size
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
    // Frame number, UTF-8 style.
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
  }

  // ---- choosing a subframe's coding ----

  /** Fills `plan` with the best coding of `x` found; returns its bits. */
  private planSubframe(plan: SubframePlan, x: Int32Array, n: number, bps: number, facts: ChannelFacts): number {
    plan.wasted = 0;
    plan.bps = bps;
    plan.samples = x;
    if (facts.constant) {
      plan.type = CONSTANT;
      return (plan.bits = 8 + bps);
    }
    let shiftScale = 1;
    if (facts.wasted > 0) {
      const w = facts.wasted;
      const s = plan.shifted;
      for (let i = 0; i < n; i++) s[i] = x[i] >> w;
      plan.samples = x = s;
      plan.wasted = w;
      plan.bps = bps = bps - w;
      shiftScale = 2 ** -w;
    }
    const header = 8 + plan.wasted;
    const verbatim = header + n * bps;
    plan.type = VERBATIM;
    plan.bits = verbatim;
    if (n < 8) return plan.bits;

    // Fixed predictor of the order with the least absolute residual.
    const order = Math.min(facts.bestOrder, n - 1);
    fixedResidual(x, n, order, plan.spareResidual);
    const fixedBits = header + order * bps + this.planRice(plan.spareResidual, n, order, plan.spareParams);
    if (fixedBits < plan.bits) {
      plan.swap();
      plan.type = FIXED;
      plan.order = order;
      plan.bits = fixedBits;
      plan.partitionOrder = this.chosenPartitionOrder;
      plan.rice2 = this.chosenRice2;
    }

    // LPC.
    const maxOrder = Math.min(this.maxLpcOrder, n >> 2);
    if (maxOrder > 0 && facts.sums[0] * shiftScale > n) {
      const lpcBits = this.tryLpc(plan, x, n, bps, maxOrder);
      if (lpcBits < plan.bits) {
        plan.swap();
        plan.type = LPC;
        plan.bits = lpcBits;
        plan.partitionOrder = this.chosenPartitionOrder;
        plan.rice2 = this.chosenRice2;
        plan.order = this.lpcOrder;
        plan.precision = this.lpcPrecision;
        plan.shift = this.lpcShift;
        plan.coefs.set(this.qCoefs.subarray(0, plan.order));
      }
    }
    return plan.bits;
  }

  private lpcOrder = 0;
  private lpcPrecision = 0;
  private lpcShift = 0;

  /**
   * Computes the LPC candidate into plan.spareResidual/spareParams; returns its bits (Infinity when no
   * usable predictor). On success lpcOrder/lpcPrecision/lpcShift and qCoefs hold it.
   */
  private tryLpc(plan: SubframePlan, x: Int32Array, n: number, bps: number, maxOrder: number): number {
    if (this.window.length !== n) this.window = tukeyWindow(n, 0.5);
    const w = this.window;
    const d = this.windowed;
    for (let i = 0; i < n; i++) d[i] = x[i] * w[i];
    for (let i = n; i < n + maxOrder + 1; i++) d[i] = 0;
    const R = this.autoc;
    autocorrelate(d, n, maxOrder, R);
    if (!(R[0] > 0)) return Infinity;
    const orders = levinson(R, maxOrder, this.lpcCoefs, this.lpcError);
    if (orders === 0) return Infinity;

    const precision = this.bitsPerSample <= 16 ? (n <= 1152 ? 10 : n <= 2304 ? 11 : n <= 4608 ? 12 : 13) : n <= 384 ? 13 : n <= 1152 ? 14 : 15;
    // Order by the expected bits: 0.5·log2(error/(2n)) per residual sample plus the order's overhead.
    let bestOrder = 1;
    let bestBits = Infinity;
    for (let p = 1; p <= orders; p++) {
      const e = this.lpcError[p];
      const perSample = e > 0 ? Math.max(0, 0.5 * Math.log2((0.5 * e) / n)) : 0;
      const bits = perSample * (n - p) + p * (precision + bps);
      if (bits < bestBits) {
        bestBits = bits;
        bestOrder = p;
      }
    }
    const order = bestOrder;
    const shift = quantizeCoefficients(this.lpcCoefs, order, precision, this.qCoefs);
    if (shift < 0) return Infinity;
    if (!lpcResidual(x, n, order, this.qCoefs, shift, plan.spareResidual)) return Infinity;
    const bits = 8 + plan.wasted + order * bps + 4 + 5 + order * precision + this.planRice(plan.spareResidual, n, order, plan.spareParams);
    this.lpcOrder = order;
    this.lpcPrecision = precision;
    this.lpcShift = shift;
    return bits;
  }

  private chosenPartitionOrder = 0;
  private chosenRice2 = false;

  /**
   * Picks the partition order and Rice parameters for a folded residual (samples order..n-1);
   * writes the parameters to `params`, returns the estimated bits of the residual section.
   */
  private planRice(u: Int32Array, n: number, order: number, params: Int32Array): number {
    let maxP = 0;
    while (maxP < this.maxPartitionOrder && n % (2 << maxP) === 0 && n >> (maxP + 1) > order) maxP++;
    const sums = this.partitionSums;
    const parts = 1 << maxP;
    const size = n >> maxP;
    for (let j = 0, i = 0; j < parts; j++) {
      const end = (j + 1) * size;
      let s = 0;
      if (j === 0) i = order;
      for (; i < end; i++) s += u[i];
      sums[j] = s;
    }
    let bestBits = Infinity;
    const chosen = this.partitionParams;
    for (let p = maxP; p >= 0; p--) {
      const count = 1 << p;
      const partSize = n >> p;
      let bits = 0;
      let maxK = 0;
      for (let j = 0; j < count; j++) {
        const samples = j === 0 ? partSize - order : partSize;
        const s = sums[j];
        // Rice bits ≈ samples·(k+1) + s/2^k − samples/2 (the floor of each quotient), best near 2^k = s·ln2/samples.
        let k = 0;
        let b = samples + s;
        if (s > samples) {
          const target = (s * 0.6931471805599453) / samples;
          let k0 = target >= 1 ? 31 - Math.clz32(target) : 0;
          if (k0 > MAX_RICE2_PARAM - 1) k0 = MAX_RICE2_PARAM - 1;
          const b0 = k0 === 0 ? samples + s : samples * (k0 + 0.5) + s * 2 ** -k0;
          const b1 = samples * (k0 + 1.5) + s * 2 ** -(k0 + 1);
          if (b1 < b0) { k = k0 + 1; b = b1; } else { k = k0; b = b0; }
        }
        params[j] = k;
        if (k > maxK) maxK = k;
        bits += b;
      }
      const rice2 = maxK > MAX_RICE_PARAM;
      bits += 6 + count * (rice2 ? 5 : 4);
      if (bits < bestBits) {
        bestBits = bits;
        this.chosenPartitionOrder = p;
        this.chosenRice2 = rice2;
        chosen.set(params.subarray(0, count));
      }
      // Merge neighbours for the next lower order.
      for (let j = 0; j < count >> 1; j++) sums[j] = sums[2 * j] + sums[2 * j + 1];
    }
    params.set(chosen.subarray(0, 1 << this.chosenPartitionOrder));
    return bestBits;
  }

  // ---- writing ----

  private writeSubframe(plan: SubframePlan, original: Int32Array, n: number, bps: number): void {
    const mark = this.pos;
    const markAcc = this.acc;
    const markBits = this.nbits;
    this.writeSubframeAs(plan, n);
    // The plan's size was estimated; never let a coded subframe outgrow VERBATIM.
    const written = (this.pos - mark) * 8 + this.nbits - markBits;
    if (plan.type !== VERBATIM && plan.type !== CONSTANT && written > 8 + n * bps) {
      this.pos = mark;
      this.acc = markAcc;
      this.nbits = markBits;
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
    const typeBits = plan.type === CONSTANT ? 0 : plan.type === VERBATIM ? 1 : plan.type === FIXED ? 8 | plan.order : 32 | (plan.order - 1);
    this.putBits((typeBits << 1) | (plan.wasted > 0 ? 1 : 0), 8);
    if (plan.wasted > 0) {
      // Unary: wasted-1 zeros then a one.
      this.putZeros(plan.wasted - 1);
      this.putBits(1, 1);
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
    this.writeResidual(plan, n);
  }

  private writeResidual(plan: SubframePlan, n: number): void {
    const p = plan.partitionOrder;
    const paramBits = plan.rice2 ? 5 : 4;
    this.putBits(plan.rice2 ? 1 : 0, 2);
    this.putBits(p, 4);
    const parts = 1 << p;
    const size = n >> p;
    const u = plan.residual;
    const params = plan.params;
    for (let j = 0; j < parts; j++) {
      const k = params[j];
      this.putBits(k, paramBits);
      const from = j === 0 ? plan.order : j * size;
      this.writeRice(u, from, (j + 1) * size, k);
    }
  }

  /** Rice codes u[from..to) with parameter k: the quotient in unary (zeros, then a one), then k low bits. */
  private writeRice(u: Int32Array, from: number, to: number, k: number): void {
    const buf = this.buf;
    let pos = this.pos;
    let acc = this.acc;
    let nbits = this.nbits;
    const mask = (1 << k) - 1;
    const marker = 1 << k;
    for (let i = from; i < to; i++) {
      const v = u[i];
      const q = v >>> k;
      const length = q + 1 + k;
      if (length <= 24) {
        acc = (acc << length) | marker | (v & mask);
        nbits += length;
      } else {
        // Long codes: zeros in pieces, then the one and the low bits in pieces.
        let zeros = q;
        while (zeros > 0) {
          const z = zeros > 16 ? 16 : zeros;
          acc <<= z;
          nbits += z;
          zeros -= z;
          while (nbits >= 8) { nbits -= 8; buf[pos++] = acc >>> nbits; }
        }
        if (k < 16) {
          acc = (acc << (k + 1)) | marker | (v & mask);
          nbits += k + 1;
        } else {
          const low = v & mask;
          acc = (acc << (k - 15)) | (1 << (k - 16)) | (low >>> 16);
          nbits += k - 15;
          while (nbits >= 8) { nbits -= 8; buf[pos++] = acc >>> nbits; }
          acc = (acc << 16) | (low & 0xffff);
          nbits += 16;
        }
      }
      while (nbits >= 8) { nbits -= 8; buf[pos++] = acc >>> nbits; }
    }
    this.pos = pos;
    this.acc = acc;
    this.nbits = nbits;
  }

  /** Writes the low `count` bits of `value` (count 0–32). */
  private putBits(value: number, count: number): void {
    if (count > 24) {
      this.putBits(value >> 16, count - 16);
      this.putBits(value & 0xffff, 16);
      return;
    }
    if (count === 0) return;
    let acc = (this.acc << count) | (value & ((1 << count) - 1));
    let nbits = this.nbits + count;
    const buf = this.buf;
    let pos = this.pos;
    while (nbits >= 8) { nbits -= 8; buf[pos++] = acc >>> nbits; }
    this.acc = acc;
    this.nbits = nbits;
    this.pos = pos;
  }

  private putZeros(count: number): void {
    while (count > 0) {
      const z = count > 16 ? 16 : count;
      this.putBits(0, z);
      count -= z;
    }
  }
}

/**
 * Sums of |fixed residual| for orders 0–4 over samples 4..n-1, wasted bits, constancy and the bits
 * the best fixed order would take; returns the sample farthest from zero (for a range check).
 */
function analyzeFixed(x: Int32Array, n: number, facts: ChannelFacts, bps: number): number {
  const sums = facts.sums;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0;
  let or = 0;
  let min = 0;
  let max = 0;
  for (let i = 0; i < n && i < 4; i++) {
    const v = x[i];
    or |= v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n > 4) {
    let a = x[3], b = x[2], c = x[1], d = x[0];
    // Running differences: d1 = x[i]-x[i-1], d2 = d1-d1', ...
    let p1 = a - b;
    let p2 = p1 - (b - c);
    let p3 = p2 - ((b - c) - (c - d));
    for (let i = 4; i < n; i++) {
      const v = x[i];
      or |= v;
      if (v < min) min = v;
      else if (v > max) max = v;
      const e1 = v - a;
      const e2 = e1 - p1;
      const e3 = e2 - p2;
      const e4 = e3 - p3;
      s0 += v < 0 ? -v : v;
      s1 += e1 < 0 ? -e1 : e1;
      s2 += e2 < 0 ? -e2 : e2;
      s3 += e3 < 0 ? -e3 : e3;
      s4 += e4 < 0 ? -e4 : e4;
      a = v;
      p1 = e1;
      p2 = e2;
      p3 = e3;
    }
  } else {
    for (let i = 0; i < n; i++) s0 += Math.abs(x[i]);
    s1 = s2 = s3 = s4 = Infinity;
  }
  sums[0] = s0; sums[1] = s1; sums[2] = s2; sums[3] = s3; sums[4] = s4;
  let constant = n > 0;
  if (n > 4) constant = s1 === 0 && x[0] === x[4] && x[1] === x[4] && x[2] === x[4] && x[3] === x[4];
  else for (let i = 1; i < n; i++) if (x[i] !== x[0]) constant = false;
  facts.constant = constant;
  facts.wasted = or === 0 ? 0 : Math.min(31 - Math.clz32(or & -or), bps - 1);
  let best = 0;
  for (let k = 1; k <= 4; k++) if (sums[k] < sums[best]) best = k;
  facts.bestOrder = best;
  if (constant) facts.estimate = 8 + bps;
  else {
    const count = Math.max(1, n - 4);
    const folded = (2 * sums[best]) / 2 ** facts.wasted;
    facts.estimate = Math.min(n * (bps - facts.wasted), riceEstimate(folded, count) * (n / count) + best * bps);
  }
  return -min > max ? min : max;
}

/** Bits of Rice-coding `count` values summing (folded) to `sum` with the best parameter. */
function riceEstimate(sum: number, count: number): number {
  if (sum <= count) return count + sum;
  const k = Math.max(0, Math.log2((sum * 0.6931471805599453) / count));
  const k0 = Math.floor(k);
  return Math.min(count * (k0 + 0.5) + sum * 2 ** -k0, count * (k0 + 1.5) + sum * 2 ** -(k0 + 1));
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

/** Tukey window: cosine tapers over `alpha`/2 of the length at each end, flat between. */
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

/** R[lag] = Σ d[i]·d[i+lag] for lag 0..maxOrder (d zero-padded past n). */
function autocorrelate(d: Float64Array, n: number, maxOrder: number, R: Float64Array): void {
  if (maxOrder === 8) {
    let r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0, r6 = 0, r7 = 0, r8 = 0;
    for (let i = 0; i < n; i++) {
      const v = d[i];
      r0 += v * v;
      r1 += v * d[i + 1];
      r2 += v * d[i + 2];
      r3 += v * d[i + 3];
      r4 += v * d[i + 4];
      r5 += v * d[i + 5];
      r6 += v * d[i + 6];
      r7 += v * d[i + 7];
      r8 += v * d[i + 8];
    }
    R[0] = r0; R[1] = r1; R[2] = r2; R[3] = r3; R[4] = r4; R[5] = r5; R[6] = r6; R[7] = r7; R[8] = r8;
    return;
  }
  for (let lag = 0; lag <= maxOrder; lag++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[i] * d[i + lag];
    R[lag] = s;
  }
}

/**
 * Levinson-Durbin: predictors a (x̂[i] = Σ a[j]·x[i-1-j]) of every order 1..maxOrder into
 * coefs[order·33 + j], their prediction error into error[order]. Returns the highest order solved.
 */
const levinsonA = new Float64Array(33);
const levinsonPrevious = new Float64Array(33);

function levinson(R: Float64Array, maxOrder: number, coefs: Float64Array, error: Float64Array): number {
  const a = levinsonA.fill(0);
  const previous = levinsonPrevious;
  let e = R[0] * (1 + 1e-10);
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
 * Quantizes the order-`order` predictor to `precision`-bit signed integers with a common shift,
 * carrying each rounding error into the next coefficient. Returns the shift, or −1 if none fits.
 */
function quantizeCoefficients(coefs: Float64Array, order: number, precision: number, out: Int32Array): number {
  const base = order * 33;
  let cmax = 0;
  for (let j = 0; j < order; j++) cmax = Math.max(cmax, Math.abs(coefs[base + j]));
  if (!(cmax > 0) || !Number.isFinite(cmax)) return -1;
  const qmax = (1 << (precision - 1)) - 1;
  const qmin = -(1 << (precision - 1));
  // Largest shift with cmax·2^shift ≤ qmax.
  let shift = Math.floor(Math.log2(qmax / cmax));
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
 * Folded residual of the quantized predictor for samples order..n-1: x[i] − ⌊Σ q[j]·x[i-1-j] / 2^shift⌋,
 * the sum in float64 (exact here). Returns false when a residual would not fit the limit.
 */
function lpcResidual(x: Int32Array, n: number, order: number, q: Int32Array, shift: number, out: Int32Array): boolean {
  const inv = 2 ** -shift;
  const head = Math.min(n, 8);
  let bad = false;
  for (let i = order; i < head; i++) {
    let s = 0;
    for (let j = 0; j < order; j++) s += q[j] * x[i - 1 - j];
    const r = x[i] - Math.floor(s * inv);
    if (r >= RESIDUAL_LIMIT || r <= -RESIDUAL_LIMIT) bad = true;
    out[i] = (r << 1) ^ (r >> 31);
  }
  if (order <= 8) {
    const c0 = q[0], c1 = order > 1 ? q[1] : 0, c2 = order > 2 ? q[2] : 0, c3 = order > 3 ? q[3] : 0;
    const c4 = order > 4 ? q[4] : 0, c5 = order > 5 ? q[5] : 0, c6 = order > 6 ? q[6] : 0, c7 = order > 7 ? q[7] : 0;
    if (n > 8) {
      let x1 = x[7], x2 = x[6], x3 = x[5], x4 = x[4], x5 = x[3], x6 = x[2], x7 = x[1], x8 = x[0];
      for (let i = 8; i < n; i++) {
        const v = x[i];
        const s = c0 * x1 + c1 * x2 + c2 * x3 + c3 * x4 + c4 * x5 + c5 * x6 + c6 * x7 + c7 * x8;
        const r = v - Math.floor(s * inv);
        if (r >= RESIDUAL_LIMIT || r <= -RESIDUAL_LIMIT) bad = true;
        out[i] = (r << 1) ^ (r >> 31);
        x8 = x7; x7 = x6; x6 = x5; x5 = x4; x4 = x3; x3 = x2; x2 = x1; x1 = v;
      }
    }
  } else {
    for (let i = Math.max(order, 8); i < n; i++) {
      let s = 0;
      for (let j = 0; j < order; j++) s += q[j] * x[i - 1 - j];
      const r = x[i] - Math.floor(s * inv);
      if (r >= RESIDUAL_LIMIT || r <= -RESIDUAL_LIMIT) bad = true;
      out[i] = (r << 1) ^ (r >> 31);
    }
  }
  return !bad;
}

/**
 * A whole FLAC stream in one call: "fLaC", STREAMINFO (with `md5` if given) and the frames.
 * For tests and small in-memory jobs; large ones stream through FlacEncoder.
 */
export function encodeFlac(channels: Int32Array[], options: FlacEncoderOptions & { md5?: Uint8Array }): Uint8Array {
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
