// Stereo width by side gain (M/S, 'half' convention: M = (L+R)/2, S = (L−R)/2), with optional bass mono:
// S alone passes a Linkwitz-Riley 4th-order high-pass at bassMonoHz, so below the cutoff the output is
// mono (S ≥ 24 dB down under half the cutoff) while M stays untouched, bit for bit.
//
// Phase: M is not filtered, so above the cutoff S carries the LR4 high-pass phase relative to M:
// +180° at the cutoff, ≈ +87° at 2× (magnitude −0.53 dB), ≈ +33° at 5×, ≈ +16° at 10×, → 0 higher up.
// Sources panned off-centre therefore leak slightly into the opposite side around 1–4× the cutoff.
// Side magnitude is within 0.5 dB of the setting from ≈ 2.1× the cutoff upward.
import { assertProcessorShape, type ParametricProcessor } from '../api.js';
import { Smoother } from '../smoothing.js';
import { Lr4Highpass } from './lr4-highpass.js';

export interface WidthParams {
  /** Side gain in percent: 0 = mono, 100 = unchanged, 200 = side doubled (clamped to 0–200). */
  widthPercent: number;
  /** Side high-pass cutoff for bass mono, Hz; 0 turns bass mono off. */
  bassMonoHz: number;
}

export const WIDTH_DEFAULTS: WidthParams = { widthPercent: 100, bassMonoHz: 0 };

const MAX_WIDTH_PERCENT = 200;
const clampWidth = (percent: number) => Math.min(MAX_WIDTH_PERCENT, Math.max(0, percent)) / 100;

export class Width implements ParametricProcessor<WidthParams> {
  readonly latency = 0;
  private current: WidthParams;
  private readonly side: Smoother;
  /** Bass mono engaged (1) or not (0); crossfades the filtered and unfiltered side when switched. */
  private readonly engaged: Smoother;
  /** ln(cutoff) so cutoff ramps move evenly in octaves. */
  private readonly logCutoff: Smoother;
  private readonly highpass: Lr4Highpass;

  constructor(private readonly sampleRate: number, channelCount: number, params: Partial<WidthParams> = {}) {
    assertProcessorShape('width', sampleRate, channelCount);
    if (channelCount !== 2) throw new RangeError(`width: needs a stereo pair, channel count must be 2, got ${channelCount}`);
    this.current = this.validated({ ...WIDTH_DEFAULTS, ...params });
    const cutoff = this.current.bassMonoHz > 0 ? this.current.bassMonoHz : 100;
    this.side = new Smoother(sampleRate, clampWidth(this.current.widthPercent));
    this.engaged = new Smoother(sampleRate, this.current.bassMonoHz > 0 ? 1 : 0);
    this.logCutoff = new Smoother(sampleRate, Math.log(cutoff));
    this.highpass = new Lr4Highpass(sampleRate, cutoff);
  }

  private validated(params: WidthParams): WidthParams {
    const hz = params.bassMonoHz;
    if (!(hz === 0 || (hz >= 10 && hz <= 0.4 * this.sampleRate))) {
      throw new RangeError(`width: bassMonoHz must be 0 (off) or 10 Hz – 0.4·fs, got ${hz}`);
    }
    if (!Number.isFinite(params.widthPercent)) throw new RangeError(`width: widthPercent must be finite, got ${params.widthPercent}`);
    return params;
  }

  get params(): Readonly<WidthParams> {
    return this.current;
  }

  set(params: Partial<WidthParams>): void {
    this.current = this.validated({ ...this.current, ...params });
    this.side.setTarget(clampWidth(this.current.widthPercent));
    this.engaged.setTarget(this.current.bassMonoHz > 0 ? 1 : 0);
    if (this.current.bassMonoHz > 0) {
      // From fully off, start at the new cutoff; between two cutoffs, glide.
      const off = this.engaged.current === 0;
      if (off) this.logCutoff.jump(Math.log(this.current.bassMonoHz));
      else this.logCutoff.setTarget(Math.log(this.current.bassMonoHz));
      if (off) this.highpass.setCutoff(this.sampleRate, this.current.bassMonoHz);
    }
  }

  process(channels: Float32Array[], frames: number): void {
    const left = channels[0];
    const right = channels[1];
    const steady = !this.side.smoothing && !this.engaged.smoothing && !this.logCutoff.smoothing;
    if (steady && this.engaged.current === 0) {
      const g = this.side.current;
      if (g === 1) return; // unchanged, bit-exact
      for (let i = 0; i < frames; i++) {
        const m = (left[i] + right[i]) * 0.5;
        const s = (left[i] - right[i]) * 0.5 * g;
        left[i] = m + s;
        right[i] = m - s;
      }
      return;
    }
    if (steady) {
      const g = this.side.current;
      const hp = this.highpass;
      for (let i = 0; i < frames; i++) {
        const m = (left[i] + right[i]) * 0.5;
        const s = hp.next((left[i] - right[i]) * 0.5) * g;
        left[i] = m + s;
        right[i] = m - s;
      }
      return;
    }
    for (let i = 0; i < frames; i++) {
      const g = this.side.next();
      const engaged = this.engaged.next();
      const cutoffMoving = this.logCutoff.smoothing;
      const logCutoff = this.logCutoff.next();
      if (cutoffMoving) this.highpass.setCutoff(this.sampleRate, Math.exp(logCutoff));
      const m = (left[i] + right[i]) * 0.5;
      let s = (left[i] - right[i]) * 0.5;
      if (engaged > 0) s += engaged * (this.highpass.next(s) - s);
      else this.highpass.reset(); // fully disengaged: restart from silence when switched on again
      s *= g;
      left[i] = m + s;
      right[i] = m - s;
    }
  }

  reset(): void {
    this.side.jump(clampWidth(this.current.widthPercent));
    this.engaged.jump(this.current.bassMonoHz > 0 ? 1 : 0);
    this.logCutoff.jump(Math.log(this.current.bassMonoHz > 0 ? this.current.bassMonoHz : 100));
    this.highpass.setCutoff(this.sampleRate, Math.exp(this.logCutoff.current));
    this.highpass.reset();
  }
}

export const createWidth = (sampleRate: number, channelCount: number, params?: Partial<WidthParams>) => new Width(sampleRate, channelCount, params);
