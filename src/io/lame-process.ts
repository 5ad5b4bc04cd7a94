// MP3 frames from the system's LAME (the `lame` command, Debian package lame) as a child process:
// native LAME is ~1.4x faster than the wasm build and runs outside this process's threads. Raw signed
// 32-bit PCM goes to its stdin, bare MPEG frames (`-t`: no Xing frame) come back on stdout; the MP3
// writer wraps them in its own ID3v2.4 and LAME tag exactly as it does for the wasm encoder.
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/** The encoder interface the MP3 writer drives: PCM blocks in, MPEG frame bytes out. */
export interface Mp3FrameEncoder {
  /** Version written into the LAME tag, e.g. "LAME3.100". */
  readonly version: string;
  /** Takes a block (samples outside [-1, 1] are clamped, NaN taken as 0); returns the frame bytes available so far. */
  encode(block: Float32Array[]): Uint8Array | Promise<Uint8Array>;
  /** Flushes the encoder and returns the remaining bytes. */
  finalize(): Uint8Array | Promise<Uint8Array>;
  /** Stops the encoder without output (abort). */
  dispose(): void;
  /** Times encode() waited for a full queue to go down (process encoders only). */
  readonly queueWaits?: number;
}

export type Mp3EncoderSettings = { sampleRate: number; channels: 1 | 2 } & ({ cbrKbps: number } | { vbrQuality: number });

let found: { command: string; version: string } | null | undefined;

/**
 * The system LAME if there is one (MIXMASTER_LAME names another binary; MIXMASTER_MP3_ENCODER=wasm
 * turns it off). Its version must be 3.x: the tag we write describes LAME 3 encoder delay and padding.
 */
export function findSystemLame(): { command: string; version: string } | null {
  if (found !== undefined) return found;
  found = null;
  if (process.env.MIXMASTER_MP3_ENCODER === 'wasm') return found;
  const command = process.env.MIXMASTER_LAME || 'lame';
  const probe = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 5000 });
  const version = /LAME .*version (3\.\d+)/.exec(probe.stdout ?? '')?.[1];
  if (probe.status === 0 && version) found = { command, version: `LAME${version}` };
  return found;
}

/**
 * Bytes of PCM allowed to queue for the pipe before encode() waits, and the level it waits for: the
 * caller runs ahead of LAME (the slowest single thread of a master: most of a 3-minute song's backlog
 * fits, and is worked off while the other files are checked instead of pausing the limiter pass), and a
 * full queue pauses it only until 8 MB have gone (~24 s of audio, ~0.3 s of LAME's work), not until all has.
 */
const MAX_QUEUED_BYTES = 24 << 20;
const RESUME_QUEUED_BYTES = 16 << 20;

/** A sample as signed 32-bit PCM, clamped to the int32 range (NaN stays NaN: an Int32Array stores it as 0). */
function toInt32(sample: number): number {
  const v = sample * 2147483648;
  return v >= 2147483647 ? 2147483647 : v <= -2147483648 ? -2147483648 : Math.round(v);
}

/** `queue` (bytes; tests shrink it): how much PCM may wait for the pipe, and the level a full queue resumes at. */
export function startLameProcess(
  lame: { command: string; version: string }, settings: Mp3EncoderSettings,
  queue = { maxBytes: MAX_QUEUED_BYTES, resumeBytes: RESUME_QUEUED_BYTES },
): Mp3FrameEncoder {
  const { sampleRate, channels } = settings;
  const kHz = String(sampleRate / 1000);
  const rate = 'cbrKbps' in settings ? ['-b', String(settings.cbrKbps), '--cbr'] : ['-V', String(settings.vbrQuality)];
  // -t: no LAME/Xing tag (the writer builds its own); so LAME's ReplayGain analysis, which only feeds
  // that tag, is switched off (--noreplaygain: the same frames, bit for bit, for ~10 % less of LAME's CPU).
  const args = [
    '-r', '-s', kHz, '--bitwidth', '32', '--signed', '--little-endian', '-m', channels === 1 ? 'm' : 'j',
    ...rate, '--resample', kHz, '-t', '--noreplaygain', '--nohist', '--silent', '-', '-',
  ];
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn(lame.command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  let failure: Error | null = null;
  const exited = new Promise<void>((resolve) => {
    child.on('error', (error) => { failure ??= new Error(`cannot run ${lame.command}: ${error.message}`); resolve(); });
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const said = stderr.split('\n').map((line) => line.trim()).filter((line) => line && !/libsndfile|Compile without/.test(line)).pop();
        failure ??= new Error(`${lame.command} stopped (${signal ?? `exit ${code}`})${said ? `: ${said}` : ''}`);
      }
      resolve();
    });
  });
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => { if (stderr.length < 4096) stderr += chunk.toString(); });
  // A broken pipe means LAME died: its exit (and what it said) is the error worth reporting.
  let inputError: Error | null = null;
  child.stdin.on('error', (error) => { inputError ??= new Error(`${lame.command} input: ${error.message}`); });

  const take = (): Uint8Array => {
    if (chunks.length === 0) return new Uint8Array(0);
    const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    chunks.length = 0;
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  };
  const check = async () => {
    if (!failure && inputError) await exited;
    if (failure) throw failure;
    if (inputError) throw inputError;
  };
  // Bytes written but not yet handed to the pipe (each write's callback says when), and who waits for room.
  let queued = 0;
  let room: (() => void) | null = null;
  let waits = 0;
  // PCM buffers come back to a free list once the pipe has taken them: a fresh 512 KB buffer per block
  // (~120 per 3-minute song) churned the C heap, which keeps freed large buffers: RSS grew with length.
  const spare: Int32Array[] = [];
  const flushed = (whole: Int32Array, bytes: number) => () => {
    queued -= bytes;
    spare.push(whole);
    if (room !== null && queued <= queue.resumeBytes) { room(); room = null; }
  };

  return {
    version: lame.version,
    get queueWaits() { return waits; },
    async encode(block) {
      await check();
      const frames = block[0].length;
      // A buffer the pipe is done with (or a new one): the pipe keeps each until it is written out.
      // Out-of-range samples clamp to the int32 range; NaN rounds to NaN, which an Int32Array stores as 0.
      let whole = spare.pop();
      if (whole === undefined || whole.length < frames * channels) whole = new Int32Array(frames * channels);
      const pcm = whole.length === frames * channels ? whole : whole.subarray(0, frames * channels);
      if (channels === 2) {
        const left = block[0], right = block[1];
        for (let i = 0, k = 0; i < frames; i++, k += 2) {
          pcm[k] = toInt32(left[i]);
          pcm[k + 1] = toInt32(right[i]);
        }
      } else {
        const samples = block[0];
        for (let i = 0; i < frames; i++) pcm[i] = toInt32(samples[i]);
      }
      queued += pcm.byteLength;
      child.stdin.write(new Uint8Array(pcm.buffer, 0, pcm.byteLength), flushed(whole, pcm.byteLength));
      if (queued > queue.maxBytes) {
        waits++;
        await Promise.race([new Promise<void>((resolve) => { room = resolve; }), exited]);
      }
      await check();
      return take();
    },
    async finalize() {
      await check();
      child.stdin.end();
      await exited;
      await check();
      return take();
    },
    dispose() {
      child.stdin.destroy();
      child.kill('SIGKILL');
    },
  };
}
