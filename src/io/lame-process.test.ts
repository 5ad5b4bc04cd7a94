import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { findSystemLame, startLameProcess } from './lame-process.js';

const lame = findSystemLame();

test('LAME process: a full input queue pauses encode() until it has gone down, and every frame still comes out', { skip: lame === null, timeout: 60_000 }, async () => {
  const sampleRate = 44100;
  const seconds = 20;
  // A tiny queue (64 KB, resuming at 32 KB): 20 s of stereo int32 PCM is ~7 MB, so encode() must wait often.
  const encoder = startLameProcess(lame!, { sampleRate, channels: 2, cbrKbps: 320 }, { maxBytes: 64 << 10, resumeBytes: 32 << 10 });
  const block = 16384;
  const parts: Uint8Array[] = [];
  for (let start = 0; start < seconds * sampleRate; start += block) {
    const channels = [0, 1].map((c) => Float32Array.from({ length: block }, (_, i) => 0.5 * Math.sin((2 * Math.PI * (440 + 220 * c) * (start + i)) / sampleRate)));
    parts.push(await encoder.encode(channels));
  }
  parts.push(await encoder.finalize());
  assert.ok((encoder.queueWaits ?? 0) > 10, `encode() waited ${encoder.queueWaits} times`);
  // Decoded by mpg123: the whole 20 s (plus LAME's delay and padding, under 0.1 s), at the level put in.
  const mp3 = Buffer.concat(parts);
  const decoded = spawnSync('mpg123', ['-q', '-s', '-'], { input: mp3, maxBuffer: 64 << 20 });
  assert.equal(decoded.status, 0);
  const pcm = new Int16Array(decoded.stdout.buffer, decoded.stdout.byteOffset, decoded.stdout.length >> 1);
  const frames = pcm.length / 2;
  assert.ok(frames >= seconds * sampleRate && frames < (seconds + 0.1) * sampleRate, `${frames} frames decoded`);
  let energy = 0;
  for (let i = sampleRate * 2; i < pcm.length - sampleRate * 2; i++) energy += (pcm[i] / 32768) ** 2;
  const rms = Math.sqrt(energy / (pcm.length - sampleRate * 4));
  assert.ok(Math.abs(20 * Math.log10(rms / (0.5 / Math.SQRT2))) < 0.05, `RMS ${rms}`);
});
