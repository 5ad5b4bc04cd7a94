// True peak per BS.1770-4 Annex 2: 4x oversampling with the standard's 48-tap, 4-phase FIR,
// streaming per channel. Chunks that cannot beat the running maximum are skipped: an interpolated
// value is bounded by (sum of |taps| of its phase) x (largest |sample| under the filter).
// The interpolation runs in a WebAssembly SIMD kernel (true-peak-kernel.ts) where available, else in JS.

import { createTruePeakKernel, SCAN_CHUNK, type TruePeakKernel } from './true-peak-kernel.js';

// BS.1770-4 Annex 2 polyphase taps; tap k multiplies x[n - k]. Phase 3 = phase 0 reversed, 2 = 1 reversed.
const PHASE_0 = [0.0017089843750, 0.0109863281250, -0.0196533203125, 0.0332031250000, -0.0594482421875, 0.1373291015625,
  0.9721679687500, -0.1022949218750, 0.0476074218750, -0.0266113281250, 0.0148925781250, -0.0083007812500];
const PHASE_1 = [-0.0291748046875, 0.0292968750000, -0.0517578125000, 0.0891113281250, -0.1665039062500, 0.4650878906250,
  0.7797851562500, -0.2003173828125, 0.1015625000000, -0.0582275390625, 0.0330810546875, -0.0189208984375];
export const TRUE_PEAK_PHASES: readonly (readonly number[])[] = [PHASE_0, PHASE_1, [...PHASE_1].reverse(), [...PHASE_0].reverse()];
const TAPS = 12;
const HISTORY = TAPS - 1;
/** Outputs per skip decision (the kernel's SCAN_CHUNK). */
const CHUNK = SCAN_CHUNK;
/** Largest gain any phase can apply to a window of samples bounded by 1. */
const MAX_PHASE_L1 = Math.max(...TRUE_PEAK_PHASES.map((phase) => phase.reduce((sum, tap) => sum + Math.abs(tap), 0)));

// One kernel serves every meter: calls are synchronous and keep no state between them.
let sharedKernel: TruePeakKernel | null | undefined;
function getSharedKernel(): TruePeakKernel | null {
  if (sharedKernel === undefined) sharedKernel = createTruePeakKernel();
  return sharedKernel;
}

export interface TruePeakMeterOptions {
  /** Use the WebAssembly SIMD kernel when available (default true); false forces the JS path. */
  wasm?: boolean;
}

export class TruePeakMeter {
  readonly channelCount: number;
  private readonly history: Float32Array[];
  private readonly kernel: TruePeakKernel | null;
  /** Linear true peak per channel (includes the sample peak, since phase 0 is not exactly the identity). */
  readonly peaks: Float64Array;

  constructor(channelCount: number, options: TruePeakMeterOptions = {}) {
    this.channelCount = channelCount;
    this.kernel = options.wasm === false ? null : getSharedKernel();
    this.history = Array.from({ length: channelCount }, () => new Float32Array(HISTORY));
    this.peaks = new Float64Array(channelCount);
  }

  push(channels: Float32Array[], frames: number): void {
    for (let c = 0; c < this.channelCount; c++) this.pushChannel(c, channels[c], frames);
  }

  /** Whether the WebAssembly kernel does the interpolation (else the JS path). */
  get usesWasm(): boolean {
    return this.kernel !== null;
  }

  private pushChannel(channel: number, samples: Float32Array, frames: number): void {
    const { kernel } = this;
    const history = this.history[channel];
    let peak = this.peaks[channel];
    // The kernel runs the same chunked scan as scanPeak, in one call per block (true-peak-kernel.wat scan).
    peak = kernel ? kernel.scan(samples, frames, history, peak, MAX_PHASE_L1) : scanPeak(samples, frames, history, peak);
    // Keep the last HISTORY input samples, newest first (descending, so old values are read before overwritten).
    for (let k = HISTORY - 1; k >= 0; k--) {
      const index = frames - 1 - k;
      history[k] = index >= 0 ? samples[index] : history[k - frames];
    }
    this.peaks[channel] = peak;
  }

  /** Linear true peak over all channels. */
  maxPeak(): number {
    let max = 0;
    for (const p of this.peaks) if (p > max) max = p;
    return max;
  }

  reset(): void {
    for (const h of this.history) h.fill(0);
    this.peaks.fill(0);
  }
}

/**
 * The running peak after samples[0, frames) (history: the HISTORY samples before, newest first), in
 * chunks of CHUNK outputs: the chunk's sample peak under the filter raises the peak, and the chunk is
 * interpolated only if that sample peak times MAX_PHASE_L1 could beat the peak so far.
 */
function scanPeak(samples: Float32Array, frames: number, history: Float32Array, peakIn: number): number {
  let peak = peakIn;
  for (let start = 0; start < frames; start += CHUNK) {
    const end = Math.min(frames, start + CHUNK);
    let localMax = 0;
    for (let i = start; i < end; i++) {
      const a = Math.abs(samples[i]);
      if (a > localMax) localMax = a;
    }
    // Samples still inside the filter from before this chunk.
    for (let k = 0; k < HISTORY; k++) {
      const a = Math.abs(start - 1 - k >= 0 ? samples[start - 1 - k] : history[k - start]);
      if (a > localMax) localMax = a;
    }
    if (localMax > peak) peak = localMax;
    if (localMax * MAX_PHASE_L1 > peak) peak = interpolatedPeak(samples, start, end, history, peak);
  }
  return peak;
}

/**
 * Max of `peakIn` and |interpolated value| over [start, end), in f64 (the JS path, and the reference for
 * the wasm kernel). x[i] for i < start comes from `samples` when i >= 0, else from history[-1 - i]
 * (history[0] = the sample before samples[0], newest first).
 * Taps unrolled so V8 keeps the window in registers.
 */
export function interpolatedPeak(samples: Float32Array, start: number, end: number, history: Float32Array, peakIn: number): number {
  const read = (index: number) => (index >= 0 ? samples[index] : history[-1 - index]);
  let x1 = read(start - 1), x2 = read(start - 2), x3 = read(start - 3), x4 = read(start - 4), x5 = read(start - 5);
  let x6 = read(start - 6), x7 = read(start - 7), x8 = read(start - 8), x9 = read(start - 9), x10 = read(start - 10);
  let x11 = read(start - 11);
  let peak = peakIn;
  for (let i = start; i < end; i++) {
    const x0 = samples[i];
    const p0 = 0.0017089843750 * x0 + 0.0109863281250 * x1 - 0.0196533203125 * x2 + 0.0332031250000 * x3
      - 0.0594482421875 * x4 + 0.1373291015625 * x5 + 0.9721679687500 * x6 - 0.1022949218750 * x7
      + 0.0476074218750 * x8 - 0.0266113281250 * x9 + 0.0148925781250 * x10 - 0.0083007812500 * x11;
    const p1 = -0.0291748046875 * x0 + 0.0292968750000 * x1 - 0.0517578125000 * x2 + 0.0891113281250 * x3
      - 0.1665039062500 * x4 + 0.4650878906250 * x5 + 0.7797851562500 * x6 - 0.2003173828125 * x7
      + 0.1015625000000 * x8 - 0.0582275390625 * x9 + 0.0330810546875 * x10 - 0.0189208984375 * x11;
    const p2 = -0.0189208984375 * x0 + 0.0330810546875 * x1 - 0.0582275390625 * x2 + 0.1015625000000 * x3
      - 0.2003173828125 * x4 + 0.7797851562500 * x5 + 0.4650878906250 * x6 - 0.1665039062500 * x7
      + 0.0891113281250 * x8 - 0.0517578125000 * x9 + 0.0292968750000 * x10 - 0.0291748046875 * x11;
    const p3 = -0.0083007812500 * x0 + 0.0148925781250 * x1 - 0.0266113281250 * x2 + 0.0476074218750 * x3
      - 0.1022949218750 * x4 + 0.9721679687500 * x5 + 0.1373291015625 * x6 - 0.0594482421875 * x7
      + 0.0332031250000 * x8 - 0.0196533203125 * x9 + 0.0109863281250 * x10 + 0.0017089843750 * x11;
    const m = Math.max(Math.abs(p0), Math.abs(p1), Math.abs(p2), Math.abs(p3));
    if (m > peak) peak = m;
    x11 = x10; x10 = x9; x9 = x8; x8 = x7; x7 = x6; x6 = x5; x5 = x4; x4 = x3; x3 = x2; x2 = x1; x1 = x0;
  }
  return peak;
}
