// Feed-forward compressor (Giannoulis, Massberg & Reiss, JAES 2012): level detector (peak or RMS) →
// quadratic soft-knee gain computer → attack/release smoothing of the gain reduction in the log
// domain → make-up gain. Options: program-dependent release, look-ahead, stereo link, external
// sidechain with a high-pass. Levels and reductions are kept in log2 units (1 = 6.02 dB).
// Work goes in chunks: detector levels → gains → audio, each a tight loop; the gain computer is
// branch-free (noise around the knee would mispredict every comparison) and runs only in chunks
// whose loudest sample reaches the knee. A stereo compressor works in a KernelHeap (its own, or that
// of the processor it is part of): the block is copied in once, and the chunks whose channels share
// one envelope with no parameter gliding (the usual case) go through the gain kernel's compressRun in
// one call per block, the same arithmetic as the JS path (gain-kernel.wat); other chunks take the JS
// path on the heap's buffers.
import { assertProcessorShape, type GainReductionMeter, type ParametricProcessor, type SidechainProcessor } from '../api.js';
import { Smoother } from '../smoothing.js';
import { createBiquadKernel } from '../filters/biquad-kernel.js';
import { HeapChannels, KernelHeap } from '../utility/kernel-heap.js';
import { ballistics, MeanSquareDetector, onePoleCoefficient, ReductionEnvelope, type Ballistics } from './envelope.js';
import { DB_PER_LOG2, fastExp2 as sharedFastExp2, LOG2_PER_DB, max2 as sharedMax2 } from './fast-math.js';
import { compressorSlope, MIN_KNEE, softKneeCurve } from './gain-computer.js';
import { GAIN_KERNEL, GainKernel } from './gain-kernel.js';
import { LookaheadGain } from './lookahead.js';
import { SidechainKey } from './sidechain.js';
import { COMPRESSOR_DEFAULTS, makeupLog2, validateCompressorParams, type CompressorParams } from './compressor-params.js';

// Module-local bindings of the per-sample helpers: hot loops call these directly, never through a
// module binding (which some loaders compile to a getter call per use).
const fastExp2 = sharedFastExp2;
const max2 = sharedMax2;

export * from './compressor-params.js';

/** Frames per pass through the scratch buffers (detector signal, levels, gains). */
const CHUNK = 256;
/** Envelopes within this (log2 units) count as equal when the channels go back to one shared envelope. */
const ALIGNED = 1e-7;
/** log2 units; more than FAST_LOG2_MAX_ERROR plus fastExp2's error. */
const KNEE_START_MARGIN = 1e-4;
/** rangeDb: Infinity is held as this many dB. */
const UNLIMITED_DB = 1e4;
/** Frames a stereo compressor copies into its heap per pass (process() on longer blocks goes piece by piece). */
const HEAP_BLOCK = 4096;
/** Bytes of compress()'s parameter block (gain-kernel.wat) and the f64 / i32 indices used here. */
const PARAM_BYTES = 256;
const P_KNEE_START = 0, P_SCALE = 1, P_W = 2, P_INV = 3, P_OFFSET = 4, P_SLOPE = 5, P_RANGE = 6, P_MAKEUP = 7, P_MAKEUP_LINEAR = 8;
const P_RELEASE = 9, P_ATTACK = 10, P_SLOW_ATTACK = 11, P_SLOW_RELEASE = 12, P_RMS_POLE = 13, P_RMS_ONE_MINUS_POLE = 14;
const P_LARGEST = 15, P_PEAK = 16, P_SLOW = 17, P_VALUE = 18, P_RMS_LEFT = 20, P_RMS_RIGHT = 21;
/** The envelope's other chain (ReductionEnvelope.peakBefore, valueBefore) and its last target (bytes 208, 216, 224). */
const P_PEAK_BEFORE = 26, P_VALUE_BEFORE = 27, P_LAST_TARGET = 28;
const I_LEVELS = 44, I_GAINS = 45, I_FLAGS = 46, I_LATENCY = 47, I_POSITION = 48, I_LINE_LEFT = 49, I_LINE_RIGHT = 50;

/** Targets of the smoothed parameters, in the order of the smoothers (log2 units; slope = 1 − 1/ratio). */
const smoothedValues = (p: CompressorParams) => [
  p.thresholdDb * LOG2_PER_DB, p.kneeDb * LOG2_PER_DB, compressorSlope(p.ratio), Math.min(p.rangeDb, UNLIMITED_DB) * LOG2_PER_DB, makeupLog2(p), p.stereoLink,
];

export class Compressor implements ParametricProcessor<CompressorParams>, SidechainProcessor, GainReductionMeter {
  readonly latency: number;
  gainReductionDb = 0;
  maxGainReductionDb = 0;
  private current: CompressorParams;
  private ballistics: Ballistics;
  private readonly envelopes: ReductionEnvelope[];
  private rms: MeanSquareDetector[] | null = null;
  private readonly key: SidechainKey;
  // Smoothed parameters in log2 units (slope = 1 − 1/ratio); `smoothing` while any of them moves.
  private readonly threshold: Smoother;
  private readonly knee: Smoother;
  private readonly slope: Smoother;
  private readonly range: Smoother;
  private readonly makeup: Smoother;
  private readonly link: Smoother;
  private readonly smoothers: Smoother[];
  private smoothing = false;
  // Derived per-sample constants: detector value where the knee starts (|x| or mean square), the
  // detector's log scale (1 peak, ½ mean square), 2^make-up.
  private kneeStart = 0;
  private levelScale = 1;
  private makeupLinear = 1;
  /** True while every channel follows envelopes[0] (stereo link 1 and the envelopes aligned). */
  private shared: boolean;
  private readonly output: LookaheadGain;
  private readonly levels: Float64Array[];
  private readonly loudest: Float64Array;
  private readonly gains: Float32Array[];
  /**
   * The SIMD kernel for the gain computer and the gains (bit-identical to softKneeCurve and fastExp2),
   * with the buffers above in its memory at these byte addresses; null: the JS functions.
   */
  private readonly kernel: GainKernel | null;
  private readonly levelsAt: number[] = [];
  private readonly loudestAt: number = 0;
  private readonly gainsAt: number[] = [];
  private readonly makeupsAt: number = 0;
  /** Make-up and stereo link per frame of the chunk while parameters glide. */
  private readonly makeups: Float64Array;
  private readonly links = new Float64Array(CHUNK);
  private blockReduction = 0;
  /** Frames since reset, modulo CHUNK. */
  private phase = 0;
  /**
   * Stereo on a heap: compress()'s parameter block (f64 and i32 views) and, for process(), the block's
   * audio in the heap; null otherwise (the JS path throughout).
   */
  private readonly fused: { f64: Float64Array; i32: Int32Array; at: number; audio: HeapChannels | null } | null = null;

  /**
   * `heap`: a KernelHeap to work in, shared with the processor this compressor is part of (which then
   * calls processInHeap()); it needs heapBytes(…) free. Without one, a stereo compressor makes its own.
   */
  constructor(private readonly sampleRate: number, private readonly channelCount: number, params: Partial<CompressorParams> = {}, heap?: KernelHeap | null) {
    assertProcessorShape('compressor', sampleRate, channelCount);
    const p = (this.current = { ...COMPRESSOR_DEFAULTS, ...params });
    validateCompressorParams(p, sampleRate);
    this.latency = Math.round(p.lookaheadSeconds * sampleRate);
    const perChannel = <T>(make: () => T) => Array.from({ length: channelCount }, make);
    const standalone = !heap;
    if (channelCount === 2 && !heap) heap = KernelHeap.create(Compressor.heapBytes(sampleRate, channelCount, p.lookaheadSeconds, true), GAIN_KERNEL);
    if (channelCount !== 2) heap = null;
    this.kernel = GainKernel.create(channelCount + 2, channelCount, CHUNK, heap);
    const kernel = this.kernel;
    const onHeap = heap && kernel ? heap : undefined;
    this.output = new LookaheadGain(channelCount, this.latency, onHeap);
    this.key = new SidechainKey(sampleRate, channelCount, onHeap ? HEAP_BLOCK : CHUNK, p.sidechainHpfHz, onHeap, onHeap ? createBiquadKernel(onHeap) : null);
    if (onHeap) {
      const block = onHeap.f64(PARAM_BYTES / 8);
      const f64 = block.array, i32 = new Int32Array(f64.buffer, block.at, PARAM_BYTES / 4);
      this.fused = { f64, i32, at: block.at, audio: standalone ? new HeapChannels(onHeap, channelCount, HEAP_BLOCK) : null };
    }
    if (kernel) {
      const levels = perChannel(() => kernel.f64(CHUNK)), loudest = kernel.f64(CHUNK), makeups = kernel.f64(CHUNK), gains = perChannel(() => kernel.f32(CHUNK));
      this.levels = levels.map((b) => b.array); this.levelsAt = levels.map((b) => b.at);
      this.loudest = loudest.array; this.loudestAt = loudest.at;
      this.makeups = makeups.array; this.makeupsAt = makeups.at;
      this.gains = gains.map((b) => b.array); this.gainsAt = gains.map((b) => b.at);
    } else {
      this.levels = perChannel(() => new Float64Array(CHUNK));
      this.loudest = new Float64Array(CHUNK);
      this.makeups = new Float64Array(CHUNK);
      this.gains = perChannel(() => new Float32Array(CHUNK));
    }
    this.envelopes = perChannel(() => new ReductionEnvelope());
    [this.threshold, this.knee, this.slope, this.range, this.makeup, this.link] = this.smoothers = smoothedValues(p).map((v) => new Smoother(sampleRate, v));
    this.ballistics = ballistics(sampleRate, p.attackSeconds, p.releaseSeconds, p.autoRelease);
    this.shared = p.stereoLink === 1;
    if (this.fused !== null) {
      const i32 = this.fused.i32;
      i32[I_LEVELS] = this.loudestAt;
      i32[I_GAINS] = this.gainsAt[0];
      i32[I_LATENCY] = this.latency;
      if (this.latency > 0) { i32[I_LINE_LEFT] = this.output.linesAt[0]; i32[I_LINE_RIGHT] = this.output.linesAt[1]; }
      this.writeBallistics();
    }
    this.configure(p);
  }

  /** Heap bytes a compressor takes (`standalone`: plus its block buffers, when it is not part of another processor). */
  static heapBytes(sampleRate: number, channelCount: number, lookaheadSeconds: number, standalone = false): number {
    return PARAM_BYTES + KernelHeap.bytes(channelCount + 2, CHUNK, 8) + KernelHeap.bytes(channelCount, CHUNK, 4)
      + LookaheadGain.heapBytes(channelCount, Math.round(lookaheadSeconds * sampleRate)) + SidechainKey.heapBytes(channelCount, HEAP_BLOCK)
      + (standalone ? HeapChannels.bytes(channelCount, HEAP_BLOCK) : 0);
  }

  get params(): Readonly<CompressorParams> {
    return this.current;
  }

  /** The heap processInHeap() works in (null: no kernel path, or not stereo). */
  get heap(): KernelHeap | null {
    return this.fused !== null && this.kernel !== null ? this.kernel.heap : null;
  }

  set(params: Partial<CompressorParams>): void {
    const next = { ...this.current, ...params };
    validateCompressorParams(next, this.sampleRate);
    if (Math.round(next.lookaheadSeconds * this.sampleRate) !== this.latency) {
      throw new RangeError('compressor: lookaheadSeconds is fixed at construction (it sets the latency)');
    }
    const previous = this.current;
    this.current = next;
    smoothedValues(next).forEach((v, i) => this.smoothers[i].setTarget(v));
    this.smoothing = true;
    if (next.attackSeconds !== previous.attackSeconds || next.releaseSeconds !== previous.releaseSeconds || next.autoRelease !== previous.autoRelease) {
      this.ballistics = ballistics(this.sampleRate, next.attackSeconds, next.releaseSeconds, next.autoRelease);
      this.writeBallistics();
    }
    this.configure(next);
  }

  process(channels: Float32Array[], frames: number): void {
    const audio = this.fused?.audio;
    if (audio) {
      // The block through the heap, piece by piece: copy in, the chunks in place, copy out.
      this.blockReduction = 0;
      for (let done = 0; done < frames; done += HEAP_BLOCK) {
        const n = Math.min(HEAP_BLOCK, frames - done);
        audio.load(channels, done, n);
        this.runInHeap(audio, 0, null, 0, n);
        audio.store(channels, done, n);
      }
      this.meter();
      return;
    }
    this.blockReduction = 0;
    for (let start = 0, n = 0; start < frames; start += n) {
      n = this.chunkLength(frames - start);
      if (this.key.transparent) this.run(channels, start, n, channels, start);
      else this.run(channels, start, n, this.key.prepare(channels, start, n), 0);
    }
    this.meter();
  }

  processWithSidechain(channels: Float32Array[], sidechain: Float32Array[], frames: number): void {
    if (sidechain.length === 0) throw new RangeError('compressor: the sidechain has no channels');
    const direct = this.key.transparent && sidechain.length === this.channelCount;
    this.blockReduction = 0;
    for (let start = 0, n = 0; start < frames; start += n) {
      n = this.chunkLength(frames - start);
      if (direct) this.run(channels, start, n, sidechain, start);
      else this.run(channels, start, n, this.key.prepare(sidechain, start, n), 0);
    }
    this.meter();
  }

  /**
   * For a processor sharing this compressor's heap: compresses `out` (stereo heap buffers) frames
   * [outOffset, outOffset + n) in place, detecting on `detect` from `detectOffset` (an external
   * sidechain, as processWithSidechain()) or, when null, on `out` itself (as process()). Updates the
   * gain-reduction meter like process().
   */
  processInHeap(out: HeapChannels, outOffset: number, detect: HeapChannels | null, detectOffset: number, n: number): void {
    this.blockReduction = 0;
    this.runInHeap(out, outOffset, detect, detectOffset, n);
    this.meter();
  }

  /** HeapProcessor (utility/heap-chain.ts): process() of the first `frames` of stereo buffers in this compressor's heap. */
  processHeap(buffers: HeapChannels, frames: number): void {
    if (this.fused === null) this.process(buffers.arrays, frames);
    else this.processInHeap(buffers, 0, null, 0, frames);
  }

  reset(): void {
    for (const e of this.envelopes) e.reset();
    if (this.rms) for (const r of this.rms) r.reset();
    this.key.reset();
    this.output.reset();
    this.phase = 0;
    smoothedValues(this.current).forEach((v, i) => this.smoothers[i].jump(v));
    this.smoothing = false;
    this.shared = this.current.stereoLink === 1;
    this.updateDerived();
    this.gainReductionDb = 0;
    this.maxGainReductionDb = 0;
  }

  private configure(p: CompressorParams): void {
    if (p.detector === 'rms') {
      const old = this.rms;
      if (old === null || old[0].windowSeconds !== p.rmsWindowSeconds) {
        this.rms = Array.from({ length: this.channelCount }, (_, c) => new MeanSquareDetector(this.sampleRate, p.rmsWindowSeconds, old ? old[c].value : 0));
      }
    } else this.rms = null;
    this.key.setHighPass(p.sidechainHpfHz);
    if (this.fused !== null) {
      const f64 = this.fused.f64, pole = onePoleCoefficient(this.sampleRate, p.rmsWindowSeconds);
      f64[P_RMS_POLE] = pole;
      f64[P_RMS_ONE_MINUS_POLE] = 1 - pole;
      this.fused.i32[I_FLAGS] = (this.rms !== null ? 1 : 0) | (this.ballistics.autoRelease ? 2 : 0);
    }
    this.updateDerived();
  }

  private writeBallistics(): void {
    if (this.fused === null) return;
    const f64 = this.fused.f64, b = this.ballistics;
    f64[P_RELEASE] = b.release; f64[P_ATTACK] = b.attack; f64[P_SLOW_ATTACK] = b.slowAttack; f64[P_SLOW_RELEASE] = b.slowRelease;
  }

  /**
   * `frames` of `out` from outOffset in place, detected on `detect` (or `out`): chunks through run()
   * until the channels share one settled envelope, then the rest of the frames in the kernel.
   */
  private runInHeap(out: HeapChannels, outOffset: number, detect: HeapChannels | null, detectOffset: number, frames: number): void {
    const fused = this.fused!, f64 = fused.f64, i32 = fused.i32, kernel = this.kernel!;
    const key = this.key, external = detect !== null;
    const direct = key.transparent && (!external || detect.arrays.length === this.channelCount);
    for (let s = 0, n = 0; s < frames; s += n) {
      const start = outOffset + s;
      const source = external ? detect : out, sourceStart = external ? detectOffset + s : start;
      if (!this.smoothing && this.shared && !this.link.smoothing && this.link.current === 1) {
        // The rest of the block is one run of chunks sharing one settled envelope (nothing changes that
        // within a block): detector signal for all of it, then compressRun(): the JS state in, then back.
        const rest = frames - s;
        let detL = source.at[0] + 4 * sourceStart, detR = source.at[1] + 4 * sourceStart;
        if (!direct) {
          if (source.arrays.length !== 2 || rest > key.scratch[0].length || !key.prepareInHeap(detL, detR, rest)) {
            n = this.runChunk(out, start, source, sourceStart, direct, frames - s);
            continue;
          }
          detL = key.scratch[0].byteOffset; detR = key.scratch[1].byteOffset;
        }
        const envelope = this.envelopes[0], rms = this.rms;
        f64[P_LARGEST] = this.blockReduction;
        f64[P_PEAK] = envelope.peak; f64[P_SLOW] = envelope.slow; f64[P_VALUE] = envelope.value;
        f64[P_PEAK_BEFORE] = envelope.peakBefore; f64[P_VALUE_BEFORE] = envelope.valueBefore; f64[P_LAST_TARGET] = envelope.lastTarget;
        if (rms !== null) { f64[P_RMS_LEFT] = rms[0].value; f64[P_RMS_RIGHT] = rms[1].value; }
        i32[I_POSITION] = this.output.position;
        kernel.compressRun(fused.at, detL, detR, out.at[0] + 4 * start, out.at[1] + 4 * start, rest, CHUNK - this.phase);
        this.blockReduction = f64[P_LARGEST];
        envelope.peak = f64[P_PEAK]; envelope.slow = f64[P_SLOW]; envelope.value = f64[P_VALUE];
        envelope.peakBefore = f64[P_PEAK_BEFORE]; envelope.valueBefore = f64[P_VALUE_BEFORE]; envelope.lastTarget = f64[P_LAST_TARGET];
        if (rms !== null) { rms[0].value = f64[P_RMS_LEFT]; rms[1].value = f64[P_RMS_RIGHT]; }
        this.output.position = i32[I_POSITION];
        this.phase = (this.phase + rest) % CHUNK;
        return;
      }
      n = this.runChunk(out, start, source, sourceStart, direct, frames - s);
    }
  }

  /** One chunk (chunkLength() of the `remaining` frames) of runInHeap through run(), from `start`; returns its length. */
  private runChunk(out: HeapChannels, start: number, source: HeapChannels, sourceStart: number, direct: boolean, remaining: number): number {
    const n = this.chunkLength(remaining);
    if (direct) this.run(out.arrays, start, n, source.arrays, sourceStart);
    else this.run(out.arrays, start, n, this.key.prepare(source.arrays, sourceStart, n), 0);
    return n;
  }

  /** Recomputes the per-sample constants from the smoothers' current values. */
  private updateDerived(): void {
    // The skip test's knee start sits KNEE_START_MARGIN below the true one, so every detector value
    // at or below it gets exactly 0 from softKneeCurve despite fastLog2's error: skipping a quiet
    // chunk is then exactly equivalent to computing it.
    const kneeStart = this.threshold.current - 0.5 * this.knee.current - KNEE_START_MARGIN;
    this.levelScale = this.rms === null ? 1 : 0.5;
    this.kneeStart = fastExp2(kneeStart / this.levelScale);
    this.makeupLinear = fastExp2(this.makeup.current);
    if (this.fused !== null) {
      const f64 = this.fused.f64, knee = this.knee.current, w = knee > MIN_KNEE ? knee : MIN_KNEE;
      f64[P_KNEE_START] = this.kneeStart; f64[P_SCALE] = this.levelScale;
      f64[P_W] = w; f64[P_INV] = 0.5 / w; f64[P_OFFSET] = 0.5 * w - this.threshold.current;
      f64[P_SLOPE] = this.slope.current; f64[P_RANGE] = this.range.current;
      f64[P_MAKEUP] = this.makeup.current; f64[P_MAKEUP_LINEAR] = this.makeupLinear;
    }
  }

  private advanceSmoothers(): void {
    let moving = false;
    for (let k = 0; k < this.smoothers.length; k++) { const smoother = this.smoothers[k]; smoother.next(); moving ||= smoother.smoothing; }
    this.updateDerived();
    this.smoothing = moving;
  }

  /**
   * Frames of the next internal chunk: chunks end at multiples of CHUNK frames since reset, so the
   * one per-chunk decision that is not exactly equivalent sample by sample (channels going back to
   * one shared envelope) falls on the same frame whatever the host's block sizes.
   */
  private chunkLength(remaining: number): number {
    if (this.phase === 0 && !this.shared) this.tryToShare();
    const n = Math.min(CHUNK - this.phase, remaining);
    this.phase = (this.phase + n) % CHUNK;
    return n;
  }

  /** Back to one envelope once the link is 1 again and the channels' envelopes have met. */
  private tryToShare(): void {
    if (this.link.current !== 1 || this.link.smoothing) return;
    const env = this.envelopes;
    for (let c = 1; c < this.channelCount; c++) if (!env[c].alignedWith(env[0], ALIGNED)) return;
    this.shared = true;
  }

  private meter(): void {
    this.gainReductionDb = this.blockReduction * DB_PER_LOG2;
    if (this.gainReductionDb > this.maxGainReductionDb) this.maxGainReductionDb = this.gainReductionDb;
  }

  /** One chunk (≤ CHUNK frames): detector levels, then gains, then the (delayed) audio times the gains. */
  private run(out: Float32Array[], start: number, n: number, detect: Float32Array[], detectStart: number): void {
    const shared = this.shared && !this.link.smoothing && this.link.current === 1;
    const peak = this.detectLevels(detect, detectStart, n, !shared);
    const unity = shared ? this.sharedGains(n, peak) : this.channelGains(n);
    this.output.apply(out, start, n, this.gains, shared, unity);
  }

  /**
   * Detector values of one chunk: shared, the loudest channel's into `loudest` (returns the chunk's
   * maximum, so quiet chunks can skip the gain computer); per channel, each into `levels[c]`.
   */
  private detectLevels(detect: Float32Array[], offset: number, n: number, perChannel: boolean): number {
    const rms = this.rms, loudest = this.loudest, count = this.channelCount;
    if (!perChannel && count === 2) {
      // Stereo, shared: both channels in one loop (the same values as the loop below).
      const a = detect[0], b = detect[1];
      if (rms !== null) rms[0].runPairMax(rms[1], a, b, offset, n, loudest);
      else for (let i = 0; i < n; i++) loudest[i] = max2(Math.abs(a[offset + i]), Math.abs(b[offset + i]));
    } else for (let c = 0; c < count; c++) {
      const x = detect[c], level = perChannel || rms !== null ? this.levels[c] : loudest;
      if (rms !== null) rms[c].run(x, offset, n, level);
      else if (level !== loudest || c === 0) for (let i = 0; i < n; i++) level[i] = Math.abs(x[offset + i]);
      else for (let i = 0; i < n; i++) loudest[i] = max2(loudest[i], Math.abs(x[offset + i]));
      if (rms !== null && !perChannel) {
        if (c === 0) loudest.set(level);
        else for (let i = 0; i < n; i++) loudest[i] = max2(loudest[i], level[i]);
      }
    }
    if (perChannel) return Infinity;
    // A running maximum rarely changes, so this branch predicts well (unlike max2's dependency chain).
    let peak = 0;
    for (let i = 0; i < n; i++) if (loudest[i] > peak) peak = loudest[i];
    return peak;
  }

  /** Reduction curve over buffer `which` (a channel's levels, or -1: loudest) [from, to), in place, with the smoothers' current values. */
  private curve(which: number, from: number, to: number): void {
    const kernel = this.kernel;
    if (kernel !== null) {
      kernel.curve(which < 0 ? this.loudestAt : this.levelsAt[which], from, to, this.levelScale, this.threshold.current, this.knee.current, this.slope.current, this.range.current);
      return;
    }
    const levels = which < 0 ? this.loudest : this.levels[which];
    softKneeCurve(levels, levels, from, to, this.levelScale, this.threshold.current, this.knee.current, this.slope.current, this.range.current);
  }

  /**
   * Reduction targets into each buffer of `targets` (in place over the levels) for n frames; while
   * parameters glide, one frame at a time, recording the make-up and link of every frame.
   */
  private targets(n: number, shared: boolean): void {
    const loudest = this.loudest, levels = this.levels, count = this.channelCount;
    if (!this.smoothing) {
      if (shared) { this.curve(-1, 0, n); return; }
      for (let c = 0; c < count; c++) this.curve(c, 0, n);
      const link = this.link.current;
      if (link > 0) this.blend(n, link);
      return;
    }
    for (let i = 0; i < n; i++) {
      this.advanceSmoothers();
      this.makeups[i] = this.makeup.current;
      if (shared) this.curve(-1, i, i + 1);
      else for (let c = 0; c < count; c++) this.curve(c, i, i + 1);
      this.links[i] = this.link.current;
    }
    if (!shared) this.blend(n, -1);
  }

  /**
   * Stereo link: each channel's target = link·(largest reduction of any channel) + (1 − link)·own
   * (the gain computer is monotonic, so the largest reduction is the loudest channel's). link < 0:
   * the per-frame values recorded in `links`.
   */
  private blend(n: number, link: number): void {
    const levels = this.levels, loudest = this.loudest, count = this.channelCount, links = this.links;
    for (let i = 0; i < n; i++) loudest[i] = levels[0][i];
    for (let c = 1; c < count; c++) { const own = levels[c]; for (let i = 0; i < n; i++) loudest[i] = max2(loudest[i], own[i]); }
    for (let c = 0; c < count; c++) {
      const own = levels[c];
      if (link >= 0) for (let i = 0; i < n; i++) own[i] = link * loudest[i] + (1 - link) * own[i];
      else for (let i = 0; i < n; i++) own[i] = links[i] * loudest[i] + (1 - links[i]) * own[i];
    }
  }

  /**
   * gains[i] = 2^(make-up − reduction[i]); returns the largest reduction seen in the block so far
   * (a running maximum: a branch that rarely changes direction, cheaper than max2's dependency chain).
   */
  private toGains(which: number, c: number, n: number, gliding: boolean, largest: number): number {
    const kernel = this.kernel;
    if (kernel !== null) {
      return kernel.gains(which < 0 ? this.loudestAt : this.levelsAt[which], gliding ? this.makeupsAt : 0, this.gainsAt[c], n, this.makeup.current, largest);
    }
    const reduction = which < 0 ? this.loudest : this.levels[which], gains = this.gains[c];
    if (gliding) {
      const makeups = this.makeups;
      for (let i = 0; i < n; i++) { const y = reduction[i]; if (y > largest) largest = y; gains[i] = fastExp2(makeups[i] - y); }
    } else {
      const makeup = this.makeup.current;
      for (let i = 0; i < n; i++) { const y = reduction[i]; if (y > largest) largest = y; gains[i] = fastExp2(makeup - y); }
    }
    return largest;
  }

  /** Stereo link 1: one envelope and one gain curve for every channel. Returns true if every gain is 1. */
  private sharedGains(n: number, peak: number): boolean {
    const envelope = this.envelopes[0], gains = this.gains[0];
    const gliding = this.smoothing;
    // Below the knee, or ratio 1 (slope 0): every target is exactly 0, so the curve need not run.
    if (!gliding && (peak <= this.kneeStart || this.slope.current === 0)) {
      if (envelope.idle) {
        gains.fill(this.makeupLinear, 0, n);
        return this.makeupLinear === 1;
      }
      this.loudest.fill(0, 0, n);
    } else this.targets(n, true);
    envelope.run(this.loudest, n, this.ballistics);
    this.blockReduction = this.toGains(-1, 0, n, gliding, this.blockReduction);
    return false;
  }

  /** Per-channel envelopes; the target blends the loudest channel's reduction with the channel's own. */
  private channelGains(n: number): boolean {
    const env = this.envelopes, count = this.channelCount;
    if (this.shared) { for (let c = 1; c < count; c++) env[c].copyFrom(env[0]); this.shared = false; }
    const gliding = this.smoothing;
    this.targets(n, false);
    for (let c = 0; c < count; c++) {
      env[c].run(this.levels[c], n, this.ballistics);
      this.blockReduction = this.toGains(c, c, n, gliding, this.blockReduction);
    }
    return false;
  }
}

export const createCompressor = (sampleRate: number, channelCount: number, params?: Partial<CompressorParams>) => new Compressor(sampleRate, channelCount, params);
