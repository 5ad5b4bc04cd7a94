// An independent true-peak meter for tests: 8x oversampling with a Kaiser-windowed sinc (64 taps per
// phase, beta 10), not the BS.1770 Annex 2 FIR the product uses. Blocks whose samples cannot reach
// `floorDbtp` even in the worst case (the window's largest |sum of taps| times the local peak) are
// skipped, so the reading is exact whenever the true peak is at or above the floor.
import { openAudio } from '../../src/io/decode.js';

const PHASES = 8;
const HALF = 32; // taps each side of the interpolated point

function besselI0(x: number): number {
  let sum = 1, term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

const BETA = 10;
/** taps[p][k]: weight of sample n + k - HALF + 1 for the point n + p/8. */
const TAPS: Float64Array[] = Array.from({ length: PHASES }, (_, p) => {
  const t = new Float64Array(2 * HALF);
  for (let k = 0; k < 2 * HALF; k++) {
    const x = k - HALF + 1 - p / PHASES; // distance from the interpolated point, in samples
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const w = Math.abs(x) >= HALF ? 0 : besselI0(BETA * Math.sqrt(1 - (x / HALF) ** 2)) / besselI0(BETA);
    t[k] = sinc * w;
  }
  return t;
});
const WORST_GAIN = Math.max(...TAPS.map((t) => t.reduce((s, v) => s + Math.abs(v), 0)));

/** True peak (dBTP) of planar channels by 8x sinc interpolation; exact at or above `floorDbtp`. */
export function truePeak8x(channels: Float32Array[], floorDbtp = -6): number {
  const floor = Math.pow(10, floorDbtp / 20);
  let peak = 0;
  const BLOCK = 256;
  for (const x of channels) {
    const n = x.length;
    for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(x[i]));
    for (let start = 0; start < n; start += BLOCK) {
      let local = 0;
      for (let i = Math.max(0, start - HALF); i < Math.min(n, start + BLOCK + HALF); i++) local = Math.max(local, Math.abs(x[i]));
      if (local * WORST_GAIN < Math.max(floor, peak)) continue;
      for (let i = start; i < Math.min(n, start + BLOCK); i++) {
        for (let p = 1; p < PHASES; p++) {
          const taps = TAPS[p];
          let sum = 0;
          for (let k = 0; k < 2 * HALF; k++) {
            const j = i + k - HALF + 1;
            if (j >= 0 && j < n) sum += taps[k] * x[j];
          }
          peak = Math.max(peak, Math.abs(sum));
        }
      }
    }
  }
  return 20 * Math.log10(peak);
}

/** Decodes a whole file (tests only: small files) into planar channels. */
export async function readAll(path: string): Promise<{ sampleRate: number; channels: Float32Array[] }> {
  const reader = await openAudio(path);
  const parts: Float32Array[][] = [];
  try {
    for await (const block of reader.blocks()) parts.push(block.map((c) => c.slice()));
  } finally {
    await reader.close();
  }
  const frames = parts.reduce((s, b) => s + b[0].length, 0);
  const channels = Array.from({ length: reader.info.channelCount }, () => new Float32Array(frames));
  let at = 0;
  for (const block of parts) {
    block.forEach((c, i) => channels[i].set(c, at));
    at += block[0].length;
  }
  return { sampleRate: reader.info.sampleRate, channels };
}
