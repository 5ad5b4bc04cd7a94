// Mix-graph render time: 8 stereo tracks × 3 minutes at 44.1 kHz, (1) fader + balance only,
// (2) plus a post-fader send from every track to one bus, (3) plus automation of every fader and
// send level. Prints the median of 3 runs and the speed as a multiple of real time; asserts nothing.
// Run: node --import tsx bench/graph.mjs
import { createMixGraph } from '../src/engine/mix/index.ts';

const RATE = 44100;
const SECONDS = 180;
const FRAMES = RATE * SECONDS;
const TRACKS = 8;
const RUNS = 3;
const BLOCK = 1024;

let seed = 0x9e3779b9;
const random = () => {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 31 - 1;
};
const sources = Array.from({ length: TRACKS }, () => [0, 1].map(() => {
  const channel = new Float32Array(FRAMES);
  for (let i = 0; i < FRAMES; i++) channel[i] = random() * 0.1;
  return channel;
}));

const ramp = (from, to) => ({ points: [{ timeSeconds: 10, value: from }, { timeSeconds: SECONDS - 10, value: to }] });

function build(kind) {
  const graph = createMixGraph({ sampleRate: RATE, blockFrames: BLOCK });
  if (kind !== 'gain/pan') graph.addBus({ id: 'bus', gainDb: -3 });
  sources.forEach((source, t) => {
    const automated = kind === 'send + automation';
    graph.addTrack({
      id: `t${t}`, source,
      gainDb: automated ? ramp(-6, 0) : -6 + t * 0.5,
      pan: (t / (TRACKS - 1)) * 2 - 1,
      sends: kind === 'gain/pan' ? [] : [{ bus: 'bus', levelDb: automated ? ramp(-20, -10) : -12 }],
    });
  });
  return graph;
}

const out = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
console.log(`mix graph: ${TRACKS} stereo tracks × ${SECONDS} s at ${RATE} Hz, block ${BLOCK} (median of ${RUNS})`);
for (const kind of ['gain/pan', 'send to a bus', 'send + automation']) {
  const times = [];
  for (let r = 0; r < RUNS; r++) {
    const graph = build(kind);
    const t0 = performance.now();
    graph.renderInto(out, FRAMES);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const ms = times[RUNS >> 1];
  console.log(`  ${kind.padEnd(18)} ${(ms / 1000).toFixed(3)} s  (${((SECONDS * 1000) / ms).toFixed(0)}× real time)`);
}
