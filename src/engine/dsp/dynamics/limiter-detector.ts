// True-peak detector of the limiter: for every input frame k, the largest |value| the band-limited
// signal reaches in (k - 1, k + 1), over all channels (stereo-linked), reported `latency` frames late.
// Three estimates, the largest wins:
//  - the samples themselves;
//  - a 4x oversampled copy (the draft oversampler's halfbands, in f32: limiter-upsampler.ts), with a
//    parabola through each local maximum of |x| (recovers the peak between 4x points to within 0.05 dB
//    up to 0.45 fs; plain 4x misses 0.7 dB);
//  - the BS.1770-4 Annex 2 interpolator itself (the meter that judges the output: its ripple reads up
//    to +0.19 dB above the ideal peak at some frequencies, so it is tracked exactly, not approximated:
//    the meter kernel's own f32 values, limiter-bs1770.ts);
// plus the envelope of the content above 0.45 fs, which the 4x halfbands under-read (limiter-nyquist.ts).
// The whole chunk (4x halfbands + parabolas, BS.1770 windows, interval ring, near-Nyquist envelope) runs
// in one WebAssembly SIMD kernel where available (limiter-detector-kernel.wat), bit-identical to the JS
// path kept as fallback. Given the limiter's limit, the kernel skips what provably stays under it: a
// quiet chunk's estimates (all but its last frames, which the next chunk reads) and, in other chunks,
// the parabolas of low 4x groups; the limiter's gains are the same (see process()).
import { oversamplerStageDesign } from '../resample/oversampler.js';
import { DetectorUpsamplerF32, detectorStageCoefficients } from './limiter-upsampler.js';
import { instantiateKernel } from '../../wasm.js';
import { TRUE_PEAK_PHASES } from '../../analysis/true-peak.js';
import { BS1770_DELAY, BS1770_TAPS, Bs1770WindowPeaks } from './limiter-bs1770.js';
import { LIMITER_DETECTOR_KERNEL_WASM_BASE64 } from './limiter-detector-kernel.wasm.js';
import { NYQUIST_BAND_COEFFICIENTS, NYQUIST_DC_GUARD, NyquistBandEnvelope, nyquistRelease } from './limiter-nyquist.js';

const FACTOR = 4;
const HISTORY = BS1770_TAPS - 1;

/** |value| at the middle point b with neighbours a and c, raised by the parabola through the three at a local maximum. */
function refine(a: number, b: number, c: number): number {
  if (b < a || b < c) return b;
  const curvature = 2 * b - a - c;
  return curvature > 0 ? b + ((a - c) * (a - c)) / (8 * curvature) : b;
}

/** Ring of per-interval maxima: slot k holds the peak found in [k, k + 1). */
export class IntervalPeaks {
  /** Read-only outside this class (the detector's hot loops update slots inline, as add() does). */
  readonly ring: Float64Array;
  readonly mask: number;

  constructor(span: number) {
    let size = 1;
    while (size < span + 4) size *= 2;
    this.ring = new Float64Array(size);
    this.mask = size - 1;
  }

  /** Intervals before -1 (filter pre-ringing before the first frame) are ignored. */
  add(interval: number, value: number): void {
    if (interval < -1) return;
    const slot = interval & this.mask;
    if (value > this.ring[slot]) this.ring[slot] = value;
  }

  /** max(slot k - 1, slot k), then frees slot k - 1 (it is never needed again). */
  take(interval: number): number {
    const before = (interval - 1) & this.mask;
    const here = interval & this.mask;
    const peak = this.ring[before] > this.ring[here] ? this.ring[before] : this.ring[here];
    this.ring[before] = 0;
    return peak;
  }

  reset(): void {
    this.ring.fill(0);
  }
}

type Exports = {
  init(coef1: number, coef2: number, m1: number, m2: number, wide: number, groups: number, scratch: number, ring: number, mask: number, shift: number, consts: number): void;
  channel(win: number, frames: number, frame: number, stage1: number, stage2: number, state: number, lead: number, groups: number, skipBelow: number, skipGroups: number): void;
  channelQuiet(win: number, frames: number, frame: number, stage1: number, stage2: number, state: number, lead: number, tail: number): void;
  absMax(src: number, count: number): number;
  maxOf(src: number, count: number): number;
  nyquist(xa: number, xb: number, state: number, frames: number, sign: number, out: number): void;
  take(frame: number, frames: number, latency: number, env: number, out: number): void;
};

/**
 * The whole detector chunk in wasm (limiter-detector-kernel.wat): BS.1770 windows, both halfband stages of
 * the draft 4x oversampler, the parabolas, the interval ring and the near-Nyquist envelope, bit-identical
 * to the JS path (Bs1770WindowPeaks, DetectorUpsamplerF32, refineJs, IntervalPeaks, NyquistBandEnvelope).
 */
class DetectorKernel {
  /** Per channel: where the caller writes the chunk (f32, maxFrames). */
  readonly inputs: Float32Array[];
  /** Results of the last run(). */
  readonly output: Float64Array;
  private readonly exports: Exports;
  private readonly memory: WebAssembly.Memory;
  private readonly windows: number[] = [];
  private readonly stage1: number[] = [];
  private readonly stage2: number[] = [];
  private readonly states: number[] = [];
  private readonly nyquistStates: number[] = [];
  private readonly env: number;
  private readonly out: number;
  private readonly envView: Float64Array;
  private readonly layoutEnd: number;
  private readonly stateStart: number;

  static create(sampleRate: number, channelCount: number, maxFrames: number, latency: number, shift: number): DetectorKernel | null {
    const first = oversamplerStageDesign(1, 'draft');
    const second = oversamplerStageDesign(2, 'draft');
    const align = (bytes: number) => 16 * Math.ceil(bytes / 16);
    let at = 0;
    const take = (bytes: number) => { const here = at; at += align(bytes); return here; };
    const consts = take(12 * 8);
    const coef1 = take((first.m + 1) * 4);
    const coef2 = take((second.m + 1) * 4);
    const stateStart = at;
    const perChannel = Array.from({ length: channelCount }, () => ({
      window: take((HISTORY + maxFrames) * 4),
      stage1: take((2 * first.m + 1 + maxFrames) * 4),
      stage2: take((2 * second.m + 1 + 2 * maxFrames) * 4),
      state: take(16),
    }));
    const nyquistStates = Array.from({ length: Math.ceil(channelCount / 2) }, () => take(80));
    let ringSize = 1;
    while (ringSize < latency + maxFrames + 2 + 4) ringSize *= 2;
    const ring = take(ringSize * 8);
    const layoutEnd = at;
    const wide = take(4 * maxFrames * 4);
    const groups = take((maxFrames + 2) * 8);
    const scratch = take(maxFrames * 8);
    const env = take(maxFrames * 8);
    const out = take(maxFrames * 8);
    const instance = instantiateKernel(LIMITER_DETECTOR_KERNEL_WASM_BASE64, at);
    if (!instance) return null;
    const buffer = instance.memory.buffer;
    new Float32Array(buffer, coef1, first.m + 1).set(detectorStageCoefficients(1));
    new Float32Array(buffer, coef2, second.m + 1).set(detectorStageCoefficients(2));
    new Float64Array(buffer, consts, 12).set([...NYQUIST_BAND_COEFFICIENTS, nyquistRelease(sampleRate), NYQUIST_DC_GUARD]);
    const exports = instance.exports as unknown as Exports;
    exports.init(coef1, coef2, first.m, second.m, wide, groups, scratch, ring, ringSize - 1, shift, consts);
    return new DetectorKernel(exports, instance.memory, perChannel, nyquistStates, maxFrames, { env, out, stateStart, layoutEnd });
  }

  private constructor(exports: Exports, memory: WebAssembly.Memory, perChannel: { window: number; stage1: number; stage2: number; state: number }[],
    nyquistStates: number[], maxFrames: number, at: { env: number; out: number; stateStart: number; layoutEnd: number }) {
    this.exports = exports;
    this.memory = memory;
    for (const channel of perChannel) {
      this.windows.push(channel.window);
      this.stage1.push(channel.stage1);
      this.stage2.push(channel.stage2);
      this.states.push(channel.state);
    }
    this.nyquistStates = nyquistStates;
    this.inputs = this.windows.map((window) => new Float32Array(memory.buffer, window + HISTORY * 4, maxFrames));
    this.env = at.env;
    this.out = at.out;
    this.envView = new Float64Array(memory.buffer, at.env, maxFrames);
    this.stateStart = at.stateStart;
    this.layoutEnd = at.layoutEnd;
    this.output = new Float64Array(memory.buffer, at.out, maxFrames);
  }

  /** The near-Nyquist envelope of the chunk already in `inputs` (at absolute frame `frame`); returns its largest value. */
  envelope(frame: number, frames: number): number {
    const { exports, windows, envView } = this;
    const channelCount = windows.length;
    envView.fill(0, 0, frames);
    const sign = (frame & 1) === 0 ? 1 : -1;
    for (let c = 0; c < channelCount; c += 2) {
      const other = c + 1 < channelCount ? c + 1 : c;
      exports.nyquist(windows[c] + HISTORY * 4, windows[other] + HISTORY * 4, this.nyquistStates[c >> 1], frames, sign, this.env);
    }
    return exports.maxOf(this.env, frames);
  }

  /** The largest |x| of channel c's chunk in `inputs` (NaN if it holds a NaN). */
  absMax(c: number, frames: number): number {
    return this.exports.absMax(this.windows[c] + HISTORY * 4, frames);
  }

  /**
   * The estimates of the chunk in `inputs` into the interval ring, then `output` (envelope() first). With
   * `quietTail` > 0 only the intervals of the last quietTail frames are estimated (channelQuiet); else
   * of the first `skipGroups` 4x groups, those whose points stay under `skipBelow` skip their parabolas.
   */
  run(frame: number, frames: number, lead: number, groups: number, latency: number, quietTail: number, skipBelow: number, skipGroups: number): void {
    const { exports, windows } = this;
    const channelCount = windows.length;
    for (let c = 0; c < channelCount; c++) {
      if (quietTail > 0) exports.channelQuiet(windows[c], frames, frame, this.stage1[c], this.stage2[c], this.states[c], lead, quietTail);
      else exports.channel(windows[c], frames, frame, this.stage1[c], this.stage2[c], this.states[c], lead, groups, skipBelow, skipGroups);
    }
    exports.take(frame, frames, latency, this.env, this.out);
  }

  reset(): void {
    new Uint8Array(this.memory.buffer, this.stateStart, this.layoutEnd - this.stateStart).fill(0);
  }
}

/** A parabola through three points at most b, at its local maximum b, peaks at most b / 8 higher. */
const PARABOLA_GAIN = 1.125;
let boundGain = 0;

/**
 * The largest factor from max |x| over an estimate's reach to the estimate: the L1 norm of a BS.1770
 * phase, or of a phase of the 4x cascade (its impulse response, measured once) times PARABOLA_GAIN,
 * plus 0.1 % for rounding (the f32 cascade's is below 3e-6 of its sum of |terms|).
 */
function quietBoundGain(): number {
  if (boundGain > 0) return boundGain;
  const bs = Math.max(...TRUE_PEAK_PHASES.map((phase) => phase.reduce((sum, tap) => sum + Math.abs(tap), 0)));
  const frames = 256;
  const impulse = new Float32Array(frames);
  impulse[frames / 2] = 1;
  const wide = new Float32Array(frames * FACTOR);
  new DetectorUpsamplerF32(1, frames).upsample([impulse], frames, [wide]);
  const phases = new Float64Array(FACTOR);
  for (let j = 0; j < wide.length; j++) phases[j % FACTOR] += Math.abs(wide[j]);
  boundGain = Math.max(bs, PARABOLA_GAIN * Math.max(...phases), 1) * 1.001;
  return boundGain;
}

export class TruePeakDetector {
  /** Frames between an input frame and its peak estimate. */
  readonly latency: number;
  /**
   * Per channel, where process() reads its input fastest (in the kernel's memory when it runs): a caller
   * that writes its chunk here and passes these arrays to process() saves a copy.
   */
  readonly inputs: Float32Array[];
  /** Where process() writes its estimates fastest (the kernel's output when it runs): pass it as `out` to save a copy. */
  readonly output: Float64Array;
  private readonly upsampler: DetectorUpsamplerF32;
  private readonly wide: Float32Array[];
  /** Per channel: 11 samples of history, then the chunk (BS.1770 windows), and their peaks. */
  private readonly windows: Bs1770WindowPeaks;
  private readonly peaks: IntervalPeaks;
  /** Per channel: the last two |4x values| (for the parabola at the previous point). */
  private readonly before: Float64Array;
  private readonly topOffset: number;
  private readonly nyquist: NyquistBandEnvelope;
  private readonly nyquistEnvelope: Float64Array;
  private readonly kernel: DetectorKernel | null;
  /** 4x groups per chunk of n frames: lead group, whole groups, rest (see refineJs). */
  private readonly lead: number;
  private frame = 0;
  /** Quiet chunks (see process()): frames estimated at the end of one; frames of history an estimate reaches back. */
  private readonly quietTail: number;
  private readonly quietReach: number;
  /** No estimate exceeds this times the largest |x| within its reach (BS.1770 phases, 4x cascade + parabola). */
  private readonly quietGain: number;
  /** Largest |x| of the previous chunk, and its length (0: unknown). */
  private previousPeak = 0;
  private previousFrames = 0;
  /** Chunks estimated by their last frames only (for tests and benchmarks). */
  quietChunks = 0;

  constructor(sampleRate: number, private readonly channelCount: number, maxFrames: number, options: { wasm?: boolean } = {}) {
    this.before = new Float64Array(2 * channelCount);
    this.nyquist = new NyquistBandEnvelope(sampleRate, channelCount);
    this.nyquistEnvelope = new Float64Array(maxFrames);
    this.upsampler = new DetectorUpsamplerF32(channelCount, maxFrames);
    const up = this.upsampler.latencyFrames;
    // 4x point J shows time (J - up) / 4; its parabola is known when J + 1 arrives, i.e. at input (J + 1) >> 2.
    this.latency = Math.max(1 + Math.floor(up / FACTOR), BS1770_DELAY);
    this.topOffset = -1 - up;
    this.wide = Array.from({ length: channelCount }, () => new Float32Array(maxFrames * FACTOR));
    this.peaks = new IntervalPeaks(this.latency + maxFrames + 2);
    this.lead = -this.topOffset & 3;
    this.kernel = options.wasm === false ? null : DetectorKernel.create(sampleRate, channelCount, maxFrames, this.latency, this.topOffset >> 2);
    // The next chunk reads intervals from (its first frame) - latency - 1 on: a quiet chunk estimates its
    // last latency + 2 frames. Its skipped estimates depend on x back to stage 1's span plus stage 2's
    // (halved) and the parabola's two points.
    const second = oversamplerStageDesign(2, 'draft');
    this.quietTail = this.latency + 2;
    this.quietReach = 2 * oversamplerStageDesign(1, 'draft').m + 1 + second.m + 3;
    this.quietGain = quietBoundGain();
    // The JS path's windows (the whole-chunk kernel computes its own).
    this.windows = new Bs1770WindowPeaks(channelCount, maxFrames);
    this.inputs = this.kernel?.inputs ?? Array.from({ length: channelCount }, () => new Float32Array(maxFrames));
    this.output = this.kernel?.output ?? new Float64Array(maxFrames);
  }

  /**
   * Feeds `frames` (<= maxFrames) frames; out[i] = the linked peak around frame (input frame i) - latency.
   * `quietLimit` > 0 (the limiter's smallest limit over the chunk): when the samples within reach bound
   * every estimate this chunk would report (its BS.1770 windows, 4x points and parabolas, plus the
   * envelope) at or below it, those estimates are skipped and may read lower, still at or below it; only
   * the last frames, which the next chunk reports, are estimated. In other chunks, 4x groups this chunk
   * reports whose points stay low enough skip their parabolas the same way. The limiter's gain is the
   * same: it acts only on what exceeds its limit.
   */
  process(input: Float32Array[], frames: number, out: Float64Array, quietLimit = 0): void {
    const { peaks, frame } = this;
    const kernel = this.kernel;
    if (kernel !== null) {
      for (let c = 0; c < this.channelCount; c++) {
        const x = input[c];
        const into = kernel.inputs[c];
        if (x !== into) for (let i = 0; i < frames; i++) into[i] = x[i];
      }
      const total = frames * FACTOR;
      const lead = Math.min(total, this.lead);
      const groups = (lead > 0 ? 1 : 0) + ((total - lead) >> 2) + (((total - lead) & 3) > 0 ? 1 : 0);
      const envelope = kernel.envelope(frame, frames);
      let quiet = false;
      if (quietLimit > 0) {
        // NaN-safe maxima (!(a <= b)): a NaN sample makes the bound NaN, and the chunk is not quiet.
        let peak = 0;
        for (let c = 0; c < this.channelCount; c++) {
          const m = kernel.absMax(c, frames);
          if (!(m <= peak)) peak = m;
        }
        let reach = this.previousFrames >= this.quietReach ? this.previousPeak : Infinity;
        if (!(peak <= reach)) reach = peak;
        // Large enough chunk for the tail's stages, past the first intervals (none before -1 comes up).
        quiet = frames >= 2 * this.quietTail && frame > this.latency + BS1770_DELAY
          && reach * this.quietGain + envelope <= quietLimit;
        this.previousPeak = peak;
        this.previousFrames = frames;
      } else {
        this.previousFrames = 0;
      }
      if (quiet) this.quietChunks++;
      // Not quiet: the 4x groups whose intervals this chunk reports (not the next) may still skip their
      // parabolas where the points are low enough: a parabola peaks at most 1.125 x its middle point.
      const skipBelow = quietLimit > 0 ? (quietLimit - envelope) / (PARABOLA_GAIN * 1.001) : 0;
      const skipGroups = Math.max(0, frames - this.latency - 1 - (this.topOffset >> 2));
      kernel.run(frame, frames, lead, groups, this.latency, quiet ? this.quietTail : 0, skipBelow, skipGroups);
      const result = kernel.output;
      if (out !== result) {
        if (frames === result.length && out.length === frames) out.set(result);
        else for (let i = 0; i < frames; i++) out[i] = result[i];
      }
      this.frame = frame + frames;
      return;
    }
    this.upsampler.upsample(input, frames, this.wide);
    for (let c = 0; c < this.channelCount; c++) {
      const x = input[c];
      const window = this.windows.windows[c];
      for (let i = 0; i < frames; i++) window[HISTORY + i] = x[i];
      const scratch = this.windows.run(c, frames);
      window.copyWithin(0, frames, frames + HISTORY);
      // peaks.add(frame + i, |x[i]|) and peaks.add(frame + i - BS1770_DELAY, scratch[i]), inline.
      const ring = peaks.ring;
      const mask = peaks.mask;
      for (let i = 0; i < frames; i++) {
        const v = x[i];
        const a = v < 0 ? -v : v;
        const slot = (frame + i) & mask;
        if (a > ring[slot]) ring[slot] = a;
      }
      const from = Math.max(0, -1 - (frame - BS1770_DELAY)); // intervals before -1 are ignored
      for (let i = from; i < frames; i++) {
        const slot = (frame + i - BS1770_DELAY) & mask;
        const b = scratch[i];
        if (b > ring[slot]) ring[slot] = b;
      }

      const offset = this.topOffset;
      const total = frames * FACTOR;
      const lead = Math.min(total, -offset & 3);
      this.refineJs(c, frames, offset, total, lead);
    }
    // Plus what may hide above 0.45 fs, as seen up to now (the envelope holds it for 2 ms).
    this.nyquist.process(input, frames, this.nyquistEnvelope);
    for (let i = 0; i < frames; i++) out[i] = peaks.take(frame + i - this.latency) + this.nyquistEnvelope[i];
    this.frame = frame + frames;
  }

  /** JS path of the 4x estimates (no wasm): parabola refinement of this.wide[c], into the interval peaks. */
  private refineJs(c: number, frames: number, offset: number, total: number, lead: number): void {
    const { peaks, frame } = this;
    const w = this.wide[c];
    let p2 = this.before[2 * c];
    let p1 = this.before[2 * c + 1];
    // Point j - 1 is judged when point j arrives. Its interval, floor((4 frame + j - 1 - up) / 4), changes
    // every 4 points: handle the points before the first boundary, then whole groups, then the rest.
    let running = 0;
    let j = 0;
    for (; j < lead; j++) {
      const v = Math.abs(w[j]);
      const e = refine(p2, p1, v);
      if (e > running) running = e;
      p2 = p1;
      p1 = v;
    }
    if (lead > 0) peaks.add(frame + ((offset) >> 2), running);
    for (; j + 3 < total; j += 4) {
      const v0 = Math.abs(w[j]);
      const v1 = Math.abs(w[j + 1]);
      const v2 = Math.abs(w[j + 2]);
      const v3 = Math.abs(w[j + 3]);
      const e0 = refine(p2, p1, v0);
      const e1 = refine(p1, v0, v1);
      const e2 = refine(v0, v1, v2);
      const e3 = refine(v1, v2, v3);
      const m01 = e0 > e1 ? e0 : e1;
      const m23 = e2 > e3 ? e2 : e3;
      peaks.add(frame + ((j + offset) >> 2), m01 > m23 ? m01 : m23);
      p2 = v2;
      p1 = v3;
    }
    if (j < total) {
      const interval = frame + ((j + offset) >> 2);
      running = 0;
      for (; j < total; j++) {
        const v = Math.abs(w[j]);
        const e = refine(p2, p1, v);
        if (e > running) running = e;
        p2 = p1;
        p1 = v;
      }
      peaks.add(interval, running);
    }
    this.before[2 * c] = p2;
    this.before[2 * c + 1] = p1;
  }

  reset(): void {
    this.upsampler.reset();
    this.kernel?.reset();
    this.previousPeak = 0;
    this.previousFrames = 0;
    this.nyquist.reset();
    this.windows.reset();
    this.peaks.reset();
    this.before.fill(0);
    this.frame = 0;
  }
}
