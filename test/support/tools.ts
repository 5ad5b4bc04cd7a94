// Test helpers: temp folders, running the oracle tools (ffmpeg, sox, flac), and generated signals.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SHARED = new URL('../../../shared/', import.meta.url).pathname;

/** A fresh temp folder, removed when the process exits. */
export function tempDir(prefix = 'mixmaster-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs a tool and returns stdout+stderr as text; throws with its output on a non-zero exit. */
export function runTool(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  return result.stdout + result.stderr;
}

export function hasTool(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Writes planar float channels as interleaved raw f32le (for `sox -t f32` / `ffmpeg -f f32le`). */
export function writeRawF32(path: string, channels: Float32Array[]): void {
  const frames = channels[0].length;
  const interleaved = new Float32Array(frames * channels.length);
  for (let c = 0; c < channels.length; c++) {
    for (let i = 0; i < frames; i++) interleaved[i * channels.length + c] = channels[c][i];
  }
  writeFileSync(path, new Uint8Array(interleaved.buffer));
}

/** Decodes any file with ffmpeg to planar float32 (the oracle's view of a file). */
export function decodeWithFfmpeg(path: string, channelCount: number): Float32Array[] {
  const result = spawnSync('ffmpeg', ['-v', 'error', '-i', path, '-f', 'f32le', '-acodec', 'pcm_f32le', '-'], {
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`ffmpeg could not decode ${path}: ${result.stderr}`);
  const bytes = result.stdout;
  // Copy: the Buffer may sit at a byte offset that is not a multiple of 4.
  const interleaved = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const frames = interleaved.length / channelCount;
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
  for (let i = 0; i < frames; i++) for (let c = 0; c < channelCount; c++) channels[c][i] = interleaved[i * channelCount + c];
  return channels;
}

/** A deterministic stereo test signal: two sines plus seeded noise, peak below `peak`. */
export function testSignal(frames: number, sampleRate: number, channelCount = 2, peak = 0.8): Float32Array[] {
  let seed = 12345;
  const noise = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 4294967296 - 0.5;
  };
  return Array.from({ length: channelCount }, (_, c) => {
    const out = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      const t = i / sampleRate;
      out[i] = peak * (0.5 * Math.sin(2 * Math.PI * (440 + 110 * c) * t) + 0.3 * Math.sin(2 * Math.PI * 3000 * t) + 0.2 * noise());
    }
    return out;
  });
}
