// Runs the built CLI (dist/cli.js) as a user would, with a time limit so a hang fails the test.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export function runCli(args: string[], timeoutMs = 60_000): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A minimal canonical WAV (fields overridable to make broken files). */
export function wavBytes(options: { formatTag?: number; channels?: number; sampleRate?: number; bits?: number; data: Uint8Array; declaredDataBytes?: number }): Uint8Array {
  const { formatTag = 1, channels = 2, sampleRate = 48000, bits = 16, data } = options;
  const blockAlign = (channels * bits) / 8;
  const header = new DataView(new ArrayBuffer(44));
  const ascii = (offset: number, text: string) => [...text].forEach((ch, i) => header.setUint8(offset + i, ch.charCodeAt(0)));
  ascii(0, 'RIFF'); header.setUint32(4, 36 + data.length, true); ascii(8, 'WAVE');
  ascii(12, 'fmt '); header.setUint32(16, 16, true); header.setUint16(20, formatTag, true); header.setUint16(22, channels, true);
  header.setUint32(24, sampleRate, true); header.setUint32(28, sampleRate * blockAlign, true); header.setUint16(32, blockAlign, true);
  header.setUint16(34, bits, true); ascii(36, 'data'); header.setUint32(40, options.declaredDataBytes ?? data.length, true);
  const out = new Uint8Array(44 + data.length);
  out.set(new Uint8Array(header.buffer), 0);
  out.set(data, 44);
  return out;
}
