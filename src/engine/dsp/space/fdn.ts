// The 16-line feedback delay network core of FdnReverb (Jot & Chaigne 1991): per-line absorption
// shelves, a Hadamard feedback matrix, optional slow modulation, two orthogonal output taps.
// Runs in chunks no longer than the shortest line, so each step is a simple loop over one line;
// every sample still sees exactly the arithmetic of a sample-by-sample loop (block-size invariant).
import { Smoother } from '../smoothing.js';
import { flush as sharedFlush } from './delay-line.js';
import { QuadratureOscillator } from './quadrature-oscillator.js';
import { absorption, FDN_LINES, fdnLineLengths, fdnMaxLineLength, MIN_SIZE } from './fdn-design.js';

// Module-local bindings of per-sample helpers: hot loops call them directly, never through a module
// binding (which some loaders compile to a getter call per use).
const flush = sharedFlush;

export const FDN_CHUNK = 64;
export const MAX_MODULATION_SECONDS = 0.002;
const GLIDE_SECONDS = 0.05;

export interface FdnDesign {
  size: number;
  decaySeconds: number;
  hfDecayRatio: number;
  dampingHz: number;
  modulationRateHz: number;
  modulationDepthSeconds: number;
}

// The output taps are two rows of the feedback Hadamard (so they come out of its butterflies for free):
// orthogonal, equal energy, uncorrelated left and right tails.
const TAP_LEFT = 6;
const TAP_RIGHT = 9;

interface Coefficients { length: Float64Array; b0: Float64Array; b1: Float64Array; a1: number }
const coefficients = (): Coefficients => ({ length: new Float64Array(FDN_LINES), b0: new Float64Array(FDN_LINES), b1: new Float64Array(FDN_LINES), a1: 0 });

export class Fdn {
  /** Longest chunk process() accepts (shortest line minus the modulation depth). */
  readonly maxChunk: number;
  private readonly buffer: Float32Array;
  private readonly lineSize: number;
  private readonly mask: number;
  private write = 0;
  private readonly state = new Float64Array(FDN_LINES);
  private readonly v = new Float64Array(FDN_LINES * FDN_CHUNK);
  // Coefficients glide from `from` to `to` (one smoother, value to - (to - from)·(1 - s), exact at s = 1).
  private readonly from = coefficients();
  private readonly to = coefficients();
  private readonly blend: Smoother;
  private readonly remaining = new Float64Array(FDN_CHUNK);
  private readonly depth: Smoother;
  private readonly rate: Smoother;
  private readonly lfoSin = new Float64Array(FDN_CHUNK);
  private readonly lfoCos = new Float64Array(FDN_CHUNK);
  private readonly phaseCos = Float64Array.from({ length: FDN_LINES }, (_, j) => Math.cos((2 * Math.PI * j) / FDN_LINES));
  private readonly phaseSin = Float64Array.from({ length: FDN_LINES }, (_, j) => Math.sin((2 * Math.PI * j) / FDN_LINES));
  private readonly lfo: QuadratureOscillator;

  constructor(private readonly sampleRate: number, design: FdnDesign) {
    const maxDepth = Math.ceil(MAX_MODULATION_SECONDS * sampleRate);
    let size = 4;
    while (size < fdnMaxLineLength(sampleRate) + maxDepth + 4) size *= 2;
    this.lineSize = size;
    this.mask = size - 1;
    this.buffer = new Float32Array(size * FDN_LINES);
    const shortest = Math.min(...fdnLineLengths(sampleRate, MIN_SIZE));
    this.maxChunk = Math.max(1, Math.min(FDN_CHUNK, shortest - maxDepth - 2));
    this.lfo = new QuadratureOscillator(sampleRate);
    this.blend = new Smoother(sampleRate, 1, GLIDE_SECONDS);
    this.depth = new Smoother(sampleRate, 0);
    this.rate = new Smoother(sampleRate, 0);
    this.configure(design, true);
  }

  /** New design: glides there over ~50 ms, or jumps (construction, reset). */
  configure(design: FdnDesign, jump: boolean): void {
    const { from, to } = this;
    const left = 1 - this.blend.current;
    for (let j = 0; j < FDN_LINES; j++) {
      from.length[j] = to.length[j] - (to.length[j] - from.length[j]) * left;
      from.b0[j] = to.b0[j] - (to.b0[j] - from.b0[j]) * left;
      from.b1[j] = to.b1[j] - (to.b1[j] - from.b1[j]) * left;
    }
    from.a1 = to.a1 - (to.a1 - from.a1) * left;
    fdnLineLengths(this.sampleRate, design.size, to.length);
    for (let j = 0; j < FDN_LINES; j++) {
      const c = absorption(to.length[j], this.sampleRate, design.decaySeconds, design.hfDecayRatio, design.dampingHz);
      to.b0[j] = c.b0;
      to.b1[j] = c.b1;
      to.a1 = c.a1;
    }
    const depth = design.modulationDepthSeconds * this.sampleRate;
    if (jump) {
      this.blend.jump(1);
      this.depth.jump(depth);
      this.rate.jump(design.modulationRateHz);
    } else {
      this.blend.jump(0);
      this.blend.setTarget(1);
      this.depth.setTarget(depth);
      this.rate.setTarget(design.modulationRateHz);
    }
  }

  clear(): void {
    this.buffer.fill(0);
    this.state.fill(0);
    this.write = 0;
    this.lfo.reset();
  }

  /** The slow LFO (advanced only while modulation is on), scaled by the modulation depth. */
  private modulation(frames: number): boolean {
    let active = false;
    for (let k = 0; k < frames; k++) {
      const depth = this.depth.next();
      if (depth === 0) { this.lfoSin[k] = 0; this.lfoCos[k] = 0; continue; }
      active = true;
      this.lfo.next(this.rate.next());
      this.lfoSin[k] = this.lfo.sin * depth;
      this.lfoCos[k] = this.lfo.cos * depth;
    }
    return active;
  }

  /**
   * `frames` <= maxChunk samples: inputL feeds lines 0-7, inputR lines 8-15; the two taps (rows 6 and
   * 9 of the unscaled Hadamard of the absorbed line outputs) are written to outL/outR.
   */
  process(inputL: Float64Array, inputR: Float64Array, outL: Float64Array, outR: Float64Array, frames: number): void {
    const { buffer, mask, lineSize, state, v, to, from, remaining } = this;
    const gliding = this.blend.smoothing;
    if (gliding) for (let k = 0; k < frames; k++) remaining[k] = 1 - this.blend.next();
    const modulated = this.modulation(frames);
    const w = this.write;

    // Read each line and absorb (transposed direct form II first-order shelf).
    for (let j = 0; j < FDN_LINES; j++) {
      const offset = j * lineSize;
      const row = j * FDN_CHUNK;
      let s = state[j];
      if (!gliding && !modulated) {
        const b0 = to.b0[j], b1 = to.b1[j], a1 = to.a1, n = to.length[j];
        for (let k = 0; k < frames; k++) {
          const y = buffer[offset + ((w + k - n) & mask)];
          const f = b0 * y + s;
          s = flush(b1 * y - a1 * f);
          v[row + k] = f;
        }
      } else {
        const dLength = to.length[j] - from.length[j], dB0 = to.b0[j] - from.b0[j], dB1 = to.b1[j] - from.b1[j];
        const dA1 = to.a1 - from.a1;
        const pc = this.phaseCos[j], ps = this.phaseSin[j];
        for (let k = 0; k < frames; k++) {
          const left = gliding ? remaining[k] : 0;
          const delay = to.length[j] - dLength * left + this.lfoSin[k] * pc + this.lfoCos[k] * ps;
          const n = Math.floor(delay);
          const index = offset + ((w + k - n) & mask);
          const a = buffer[index];
          const y = a + (delay - n) * (buffer[offset + ((w + k - n - 1) & mask)] - a);
          const f = (to.b0[j] - dB0 * left) * y + s;
          s = flush((to.b1[j] - dB1 * left) * y - (to.a1 - dA1 * left) * f);
          v[row + k] = f;
        }
      }
      state[j] = s;
    }

    // Hadamard feedback (fast Walsh-Hadamard, orthogonal with the 1/4 scale), then write the lines.
    for (let half = 1; half < FDN_LINES; half <<= 1) {
      for (let start = 0; start < FDN_LINES; start += half << 1) {
        for (let i = start; i < start + half; i++) {
          const ra = i * FDN_CHUNK;
          const rb = (i + half) * FDN_CHUNK;
          for (let k = 0; k < frames; k++) {
            const a = v[ra + k];
            const b = v[rb + k];
            v[ra + k] = a + b;
            v[rb + k] = a - b;
          }
        }
      }
    }
    for (let k = 0; k < frames; k++) {
      outL[k] = v[TAP_LEFT * FDN_CHUNK + k];
      outR[k] = v[TAP_RIGHT * FDN_CHUNK + k];
    }
    for (let j = 0; j < FDN_LINES; j++) {
      const offset = j * lineSize;
      const row = j * FDN_CHUNK;
      const input = j < FDN_LINES / 2 ? inputL : inputR;
      for (let k = 0; k < frames; k++) buffer[offset + ((w + k) & mask)] = flush(0.25 * v[row + k] + input[k]);
    }
    this.write = (w + frames) & mask;
  }
}
