// MPEG audio decoded by the system's mpg123 (the `mpg123` command, Debian package mpg123) as a child
// process: the same library as the wasm build the file reader uses (libmpg123), native and ~3x faster,
// and outside this process's threads. Frames go to its stdin; float32 samples (interleaved, the
// stream's channel count) come back on stdout, with its own gapless trimming off (the caller trims, as
// it does for the wasm decoder). Its synthesis filter is the machine's SIMD one, so samples may differ
// from the wasm decoder's in the last bits (about 1e-6).
import { spawn, spawnSync } from 'node:child_process';

let found: string | null | undefined;

/** The system mpg123 if there is one (MIXMASTER_MPG123 names another binary; MIXMASTER_MP3_DECODER=wasm turns it off). */
export function findSystemMpg123(): string | null {
  if (found !== undefined) return found;
  found = null;
  if (process.env.MIXMASTER_MP3_DECODER === 'wasm') return found;
  const command = process.env.MIXMASTER_MPG123 || 'mpg123';
  const probe = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 5000 });
  if (probe.status === 0 && /^mpg123 1\./.test(probe.stdout ?? '')) found = command;
  return found;
}

export interface Mpg123Process {
  /** MPEG frames in stream order. */
  write(bytes: Uint8Array): void;
  /** Ends the input; resolves when every sample has been handed to `onSamples` and mpg123 exited cleanly. */
  end(): Promise<void>;
  kill(): void;
}

/**
 * Starts mpg123 decoding a stream of `channels` channels; `onSamples(channels, frames)` receives planar
 * float blocks as they come (views valid during the call only).
 */
export function startMpg123(command: string, channels: 1 | 2, onSamples: (planar: Float32Array[], frames: number) => void): Mpg123Process {
  const child = spawn(command, ['--no-gapless', '-e', 'f32', '-q', '-s', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const frameBytes = 4 * channels;
  // Bytes of a partial frame carried to the next chunk, and an aligned copy of each chunk to read floats from.
  let staged = new Uint8Array(1 << 16);
  let carried = 0;
  let planar = Array.from({ length: channels }, () => new Float32Array(0));
  let failure: Error | null = null;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { if (stderr.length < 2000) stderr += chunk.toString(); });
  child.stdin.on('error', (error) => { failure ??= error; });
  child.stdout.on('data', (chunk: Buffer) => {
    if (failure) return;
    try {
      const total = carried + chunk.length;
      if (staged.length < total) {
        const bigger = new Uint8Array(total * 2);
        bigger.set(staged.subarray(0, carried));
        staged = bigger;
      }
      staged.set(chunk, carried);
      const frames = Math.floor(total / frameBytes);
      if (frames > 0) {
        if (planar[0].length < frames) planar = Array.from({ length: channels }, () => new Float32Array(frames * 2));
        const samples = new Float32Array(staged.buffer, 0, frames * channels);
        for (let c = 0; c < channels; c++) {
          const out = planar[c];
          for (let i = 0, j = c; i < frames; i++, j += channels) out[i] = samples[j];
        }
        onSamples(planar, frames);
      }
      carried = total - frames * frameBytes;
      staged.copyWithin(0, frames * frameBytes, total);
    } catch (error) {
      failure = error as Error;
      child.kill();
    }
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (failure) reject(failure);
      else if (code !== 0) reject(new Error(`mpg123 stopped (${signal ?? `exit ${code}`})${stderr ? `: ${stderr.trim().split('\n')[0]}` : ''}`));
      else if (carried !== 0) reject(new Error(`mpg123 ended inside a frame (${carried} bytes left)`));
      else resolve();
    });
  });
  exited.catch(() => undefined); // surfaced by end()
  return {
    write(bytes) {
      if (failure) throw failure;
      child.stdin.write(bytes);
    },
    async end() {
      child.stdin.end();
      await exited;
    },
    kill() {
      child.kill();
    },
  };
}
