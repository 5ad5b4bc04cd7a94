// Mid/side matrix. Convention 'half' (the default): M = (L + R)/2, S = (L − R)/2, inverse L = M + S,
// R = M − S, so a centred mono source x gives M = x, S = 0 (unity on M; Blumlein/Gerzon sum-and-difference).
// Convention 'sqrt2': M = (L + R)/√2, S = (L − R)/√2 and the same matrix back (orthonormal: preserves power).
// Round trip: with 'half', PCM-derived samples (multiples of 2^-23 in [−1, 1], i.e. up to 24-bit) return
// bit-exact; any float32 returns within 1.5 ulp of max(|L|, |R|). 'sqrt2' rounds through the irrational
// scale and returns within a few ulp.
import { assertProcessorShape, type Processor } from '../api.js';

export type MidSideConvention = 'half' | 'sqrt2';

const SQRT1_2 = Math.SQRT1_2;

/** Writes M and S for `frames` samples; outputs may alias the inputs (mid = left, side = right works in place). */
export function encodeMidSide(
  left: Float32Array, right: Float32Array, mid: Float32Array, side: Float32Array, frames: number, convention: MidSideConvention = 'half',
): void {
  const k = convention === 'half' ? 0.5 : SQRT1_2;
  for (let i = 0; i < frames; i++) {
    const l = left[i];
    const r = right[i];
    mid[i] = (l + r) * k;
    side[i] = (l - r) * k;
  }
}

/** Writes L and R back from M and S; outputs may alias the inputs. */
export function decodeMidSide(
  mid: Float32Array, side: Float32Array, left: Float32Array, right: Float32Array, frames: number, convention: MidSideConvention = 'half',
): void {
  const k = convention === 'half' ? 1 : SQRT1_2;
  for (let i = 0; i < frames; i++) {
    const m = mid[i];
    const s = side[i];
    left[i] = (m + s) * k;
    right[i] = (m - s) * k;
  }
}

function assertStereo(name: string, sampleRate: number, channelCount: number): void {
  assertProcessorShape(name, sampleRate, channelCount);
  if (channelCount !== 2) throw new RangeError(`${name}: needs a stereo pair, channel count must be 2, got ${channelCount}`);
}

export interface MidSideParams {
  convention: MidSideConvention;
}

export const MID_SIDE_DEFAULTS: MidSideParams = { convention: 'half' };

/** In place: channel 0 L → M, channel 1 R → S. */
export class MidSideEncoder implements Processor {
  readonly latency = 0;
  readonly convention: MidSideConvention;

  constructor(sampleRate: number, channelCount: number, params: Partial<MidSideParams> = {}) {
    assertStereo('mid-side encoder', sampleRate, channelCount);
    this.convention = { ...MID_SIDE_DEFAULTS, ...params }.convention;
  }

  process(channels: Float32Array[], frames: number): void {
    encodeMidSide(channels[0], channels[1], channels[0], channels[1], frames, this.convention);
  }

  reset(): void {}
}

/** In place: channel 0 M → L, channel 1 S → R. */
export class MidSideDecoder implements Processor {
  readonly latency = 0;
  readonly convention: MidSideConvention;

  constructor(sampleRate: number, channelCount: number, params: Partial<MidSideParams> = {}) {
    assertStereo('mid-side decoder', sampleRate, channelCount);
    this.convention = { ...MID_SIDE_DEFAULTS, ...params }.convention;
  }

  process(channels: Float32Array[], frames: number): void {
    decodeMidSide(channels[0], channels[1], channels[0], channels[1], frames, this.convention);
  }

  reset(): void {}
}

export const createMidSideEncoder = (sampleRate: number, channelCount: number, params?: Partial<MidSideParams>) => new MidSideEncoder(sampleRate, channelCount, params);
export const createMidSideDecoder = (sampleRate: number, channelCount: number, params?: Partial<MidSideParams>) => new MidSideDecoder(sampleRate, channelCount, params);
