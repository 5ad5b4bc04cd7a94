// Mix-graph render, one thread vs tracks on worker threads: 8 stereo tracks × 3 minutes at 44.1 kHz,
// each with a typical channel strip (high-pass + 4-band EQ, compressor, de-esser) and two sends (one
// pre-fader, one post-fader, to two buses), fader automation on half of them. Single thread:
// MixGraph.renderInto() on this thread. Parallel: renderMixParallel() (the insert chains on one worker
// per core, the summing here), worker start-up included, with the sources in ordinary memory (copied
// into each chunk sent to the workers) and in SharedArrayBuffers (read by the workers). Runs
// interleaved (the machine is shared and noisy), median and range of each; the outputs are compared
// bit for bit. Besides wall time, CPU time: the process's (all threads) and this thread's (from
// /proc/self/task), so the wall time on two otherwise idle cores can be estimated as
// max(this thread, process / 2) whatever else runs on the machine, and a probe measures what two
// threads of plain arithmetic get done together against one alone right now: the ceiling for any
// two-thread speed-up on this machine (below 2 when the cores are shared). Peer: ffmpeg 5 running
// the same graph (8 inputs → highpass, lowshelf, 2× equalizer, highshelf, acompressor, deesser →
// sends and amix) in its one filter-graph thread; its strip time is that minus the same graph
// without the strips. Asserts nothing.
// Run: node --import tsx bench/mix-parallel.mjs [--runs 5] [--no-ffmpeg] [--source-worker]
// (the worker is dist/track-worker.js when built, else the .ts source; --source-worker forces the latter)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createMixGraph } from '../src/engine/mix/index.ts';
import { renderMixParallel } from '../src/mix/parallel-render.ts';
import { writeStereoWav } from './song.mjs';

const option = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const RUNS = Number(option('--runs')) || 5;
const RATE = 44100;
const SECONDS = 180;
const FRAMES = RATE * SECONDS;
const TRACKS = 8;
const BLOCK = 1024;
const root = fileURLToPath(new URL('..', import.meta.url));
const builtWorker = new URL('../dist/track-worker.js', import.meta.url);
const workerEntry = !process.argv.includes('--source-worker') && existsSync(builtWorker) ? builtWorker : undefined;

// Music-like material per track: a note with harmonics, decaying bursts (so the compressor works),
// sibilant noise bursts (so the de-esser works), all different per track.
function track(t) {
  let seed = 0x9e3779b9 ^ (t * 7919);
  const random = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 2 ** 31 - 1; };
  const hz = 55 * 2 ** (t / 4);
  return [0, 1].map((c) => {
    const out = new Float32Array(FRAMES);
    const w = (2 * Math.PI * hz * (1 + c * 0.003)) / RATE;
    for (let i = 0; i < FRAMES; i++) {
      const beat = (i % 22050) / RATE;
      const env = Math.exp(-beat * 6);
      const s = i % 16384 < 2000 ? 0.15 * random() : 0.01 * random();
      out[i] = 0.4 * env * (Math.sin(w * i) + 0.3 * Math.sin(2 * w * i)) + s;
    }
    return out;
  });
}

const STRIP = [
  { processor: 'equalizer', params: { bands: [
    { type: 'highPass', frequencyHz: 80, q: Math.SQRT1_2 },
    { type: 'lowShelf', frequencyHz: 120, q: 0.7, gainDb: 2 }, { type: 'peaking', frequencyHz: 400, q: 1.2, gainDb: -3 },
    { type: 'peaking', frequencyHz: 3000, q: 1, gainDb: 2 }, { type: 'highShelf', frequencyHz: 10000, q: 0.7, gainDb: 1.5 },
  ] } },
  { processor: 'compressor', params: { thresholdDb: -18, ratio: 3, attackSeconds: 0.005, releaseSeconds: 0.08 } },
  { processor: 'de-esser', params: {} },
];

const ramp = (from, to) => ({ points: [{ timeSeconds: 10, value: from }, { timeSeconds: SECONDS - 10, value: to }] });

console.log(`mix graph: ${TRACKS} stereo tracks × ${SECONDS} s at ${RATE} Hz, block ${BLOCK}; each: HPF + 4-band EQ, compressor, de-esser, 2 sends`);
let t0 = performance.now();
const sources = Array.from({ length: TRACKS }, (_, t) => track(t));
const sharedSources = sources.map((channels) => channels.map((c) => {
  const copy = new Float32Array(new SharedArrayBuffer(c.byteLength));
  copy.set(c);
  return copy;
}));
console.log(`  (material generated in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${availableParallelism()} cores; worker: ${workerEntry ? 'dist/track-worker.js' : 'src/track-worker.ts under tsx'})`);

function spec(material = sources) {
  return {
    sampleRate: RATE, blockFrames: BLOCK,
    tracks: material.map((source, t) => ({
      id: `t${t}`, source, processors: STRIP,
      gainDb: t % 2 ? ramp(-6, 0) : -6 + t * 0.5,
      pan: (t / (TRACKS - 1)) * 2 - 1,
      sends: [{ bus: 'verb', levelDb: -12, preFader: true }, { bus: 'delay', levelDb: t % 2 ? ramp(-20, -10) : -15 }],
    })),
    buses: [{ id: 'verb', gainDb: -3 }, { id: 'delay', gainDb: -6 }],
    master: {},
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const range = (values) => `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
/** CPU seconds of this (the main) thread so far. */
function mainThreadCpu() {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime + stime
}
const processCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
/** CPU seconds the whole machine has been busy (all processes, all cores). */
function machineBusy() {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = ticks;
  return (user + nice + system + irq + softirq + steal) / TICKS;
}

async function measure(render) {
  const w0 = performance.now(), p0 = processCpu(), m0 = mainThreadCpu(), b0 = machineBusy();
  const mix = await render();
  const wall = (performance.now() - w0) / 1000, cpu = processCpu() - p0;
  // Cores' worth of other work on the machine meanwhile (other processes), for context.
  return { wall, cpu, main: mainThreadCpu() - m0, others: Math.max(0, (machineBusy() - b0 - cpu) / wall), mix };
}

const variants = {
  single: () => {
    const s = spec();
    const graph = createMixGraph({ sampleRate: RATE, blockFrames: BLOCK });
    for (const bus of s.buses) graph.addBus(bus);
    for (const t of s.tracks) graph.addTrack(t);
    return graph.renderAll();
  },
  parallel: () => renderMixParallel(spec(), { workerEntry }),
  'parallel, shared sources': () => renderMixParallel(spec(sharedSources), { workerEntry }),
};
/** Two threads' throughput of plain arithmetic (no memory traffic) relative to one thread's, now. */
async function scalingProbe() {
  const code = `const { parentPort } = require('node:worker_threads');
    let x = 1.0001; for (let i = 0; i < 2e8; i++) { x = x * 1.0000001 + 1e-9; if (x > 2) x = 1; }
    parentPort.postMessage(x);`;
  const run = async (threads) => {
    const start = performance.now();
    await Promise.all(Array.from({ length: threads }, () => new Promise((resolve, reject) => new Worker(code, { eval: true }).on('message', resolve).on('error', reject))));
    return performance.now() - start;
  };
  const one = await run(1);
  const two = await run(2);
  return (2 * one) / two;
}
const probes = [await scalingProbe()];

const results = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
let identical = true;
for (let r = 0; r < RUNS; r++) {
  let reference = null;
  const line = [];
  for (const [name, render] of Object.entries(variants)) {
    const m = await measure(render);
    results[name].push(m);
    line.push(`${name} ${m.wall.toFixed(2)} s`);
    if (!reference) reference = m.mix.channels;
    else for (let c = 0; c < 2; c++) identical &&= Buffer.compare(Buffer.from(m.mix.channels[c].buffer), Buffer.from(reference[c].buffer)) === 0;
    m.mix = null;
  }
  console.log(`  run ${r + 1}: ${line.join(', ')}`);
}
const summary = {};
for (const [name, runs] of Object.entries(results)) {
  const wall = runs.map((m) => m.wall), cpu = runs.map((m) => m.cpu), main = runs.map((m) => m.main), others = runs.map((m) => m.others);
  const idle = runs.map((m) => Math.max(m.main, m.cpu / 2));
  summary[name] = { wall: median(wall), idle: median(idle) };
  console.log(`${name.padEnd(26)} wall ${median(wall).toFixed(2)} s (range ${range(wall)}; ${(SECONDS / median(wall)).toFixed(0)}× real time)`
    + ` | CPU ${median(cpu).toFixed(2)} s, main thread ${median(main).toFixed(2)} s | other processes ${median(others).toFixed(1)} cores`
    + (name === 'single' ? '' : ` | on 2 idle cores ≈ ${median(idle).toFixed(2)} s (range ${range(idle)})`));
}
const ms = summary.single.wall;
for (const name of Object.keys(variants).filter((n) => n !== 'single')) {
  const pairs = results.single.map((s, i) => (s.wall / results[name][i].wall).toFixed(2)).join(', ');
  console.log(`speed-up, ${name.padEnd(26)} ${(ms / summary[name].wall).toFixed(2)}× measured (median/median; per run ${pairs}); ${(median(results.single.map((m) => m.cpu)) / summary[name].idle).toFixed(2)}× estimated on 2 idle cores`);
}
probes.push(await scalingProbe());
console.log(`bit-identical: ${identical ? 'yes, all runs' : 'NO'}`);
console.log(`machine: two threads of plain arithmetic did ${probes.map((p) => p.toFixed(2)).join(' and ')}× one thread's work (before and after the runs; 2.00 = two free cores)`);
const mp = summary.parallel.wall;

if (!process.argv.includes('--no-ffmpeg') && spawnSync('sh', ['-c', 'command -v ffmpeg'], { stdio: 'ignore' }).status === 0) {
  // The same graph in ffmpeg (one filter-graph thread), all 8 inputs reading one float WAV of track 0's material.
  const work = join(root, 'bench/.work');
  mkdirSync(work, { recursive: true });
  const wav = join(work, 'mix-parallel-track.wav');
  if (!existsSync(wav)) {
    const data = new Float32Array(FRAMES * 2);
    for (let i = 0; i < FRAMES; i++) { data[2 * i] = sources[0][0][i]; data[2 * i + 1] = sources[0][1][i]; }
    writeStereoWav(wav, RATE, data);
  }
  const strip = 'highpass=f=80,lowshelf=f=120:g=2,equalizer=f=400:t=q:w=1.2:g=-3,equalizer=f=3000:t=q:w=1:g=2,highshelf=f=10000:g=1.5,'
    + 'acompressor=threshold=-18dB:ratio=3:attack=5:release=80,deesser,';
  const graph = (withStrips) => {
    const parts = [];
    for (let t = 0; t < TRACKS; t++) parts.push(`[${t}:a]${withStrips ? strip : ''}asplit=3[m${t}][p${t}][q${t}];[p${t}]volume=-12dB[a${t}];[m${t}]volume=-6dB[f${t}];[f${t}]asplit=2[o${t}][r${t}];[r${t}]volume=-15dB[b${t}];[q${t}]anullsink`);
    const list = (prefix) => Array.from({ length: TRACKS }, (_, t) => `[${prefix}${t}]`).join('');
    parts.push(`${list('a')}amix=inputs=${TRACKS}:normalize=0,volume=-3dB[verb]`);
    parts.push(`${list('b')}amix=inputs=${TRACKS}:normalize=0,volume=-6dB[delay]`);
    parts.push(`${list('o')}[verb][delay]amix=inputs=${TRACKS + 2}:normalize=0`);
    return parts.join(';');
  };
  const ffmpeg = (withStrips) => {
    const inputs = Array.from({ length: TRACKS }, () => ['-i', wav]).flat();
    const start = performance.now();
    const result = spawnSync('ffmpeg', ['-v', 'error', '-nostats', ...inputs, '-filter_complex', graph(withStrips), '-f', 'null', '-'], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (result.status !== 0) throw new Error(`ffmpeg: ${result.stderr}`);
    return (performance.now() - start) / 1000;
  };
  const full = [];
  const bare = [];
  for (let r = 0; r < Math.min(RUNS, 3); r++) { bare.push(ffmpeg(false)); full.push(ffmpeg(true)); }
  const strips = median(full) - median(bare);
  console.log(`ffmpeg graph    ${median(full).toFixed(2)} s (range ${range(full)}), of which the 8 strips ${strips.toFixed(2)} s (graph without strips ${median(bare).toFixed(2)} s)`);
  console.log(`ratios          ours/ffmpeg whole graph (wall): single ${(ms / median(full)).toFixed(2)}, parallel ${(mp / median(full)).toFixed(2)}, parallel with shared sources ${(summary['parallel, shared sources'].wall / median(full)).toFixed(2)}`);
}
