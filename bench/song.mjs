// Shared by the benchmarks: the generated test song and a GNU time wrapper (wall seconds, peak RSS).
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';

/** A music-like 44.1 kHz stereo signal: decaying harmonic notes, a kick, noise hats, slow stereo drift. */
export function makeSong(path, seconds) {
  if (existsSync(path)) return;
  const rate = 44100;
  const frames = rate * seconds;
  const pcm = new Int16Array(frames * 2);
  let seed = 1;
  const noise = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296) * 2 - 1;
  const notes = [110, 146.83, 164.81, 220, 261.63, 329.63];
  for (let i = 0; i < frames; i++) {
    const t = i / rate;
    const beat = t % 0.5;
    const note = notes[Math.floor(t / 2) % notes.length];
    let v = 0;
    for (let h = 1; h <= 9; h++) v += Math.sin(2 * Math.PI * note * h * t) / (h * 1.5);
    v *= 0.25 * Math.exp(-(t % 2) * 1.5);
    const kick = 0.5 * Math.sin(2 * Math.PI * 55 * beat) * Math.exp(-beat * 12);
    const hat = 0.05 * noise() * Math.exp(-((t + 0.25) % 0.5) * 30);
    const pan = 0.5 + 0.3 * Math.sin(2 * Math.PI * 0.05 * t);
    pcm[2 * i] = Math.round(32767 * 0.89 * (v * (1 - pan) + kick + hat));
    pcm[2 * i + 1] = Math.round(32767 * 0.89 * (v * pan + kick - hat));
  }
  writeStereoWav(path, rate, pcm);
}

/** A canonical stereo WAV from interleaved samples: Int16Array → 16-bit PCM, Float32Array → 32-bit float. */
export function writeStereoWav(path, rate, interleaved) {
  const float = interleaved instanceof Float32Array;
  const bytesPerFrame = float ? 8 : 4;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0); header.writeUInt32LE(36 + interleaved.byteLength, 4); header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16); header.writeUInt16LE(float ? 3 : 1, 20); header.writeUInt16LE(2, 22); header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * bytesPerFrame, 28); header.writeUInt16LE(bytesPerFrame, 32); header.writeUInt16LE(float ? 32 : 16, 34); header.write('data', 36);
  header.writeUInt32LE(interleaved.byteLength, 40);
  writeFileSync(path, Buffer.concat([header, Buffer.from(interleaved.buffer, interleaved.byteOffset, interleaved.byteLength)]));
}

/** Runs a command under GNU time; returns wall seconds and max RSS in MB. */
export function timed(command, args) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  const [seconds, kb] = result.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { seconds, rssMb: kb / 1024 };
}

