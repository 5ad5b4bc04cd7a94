import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createFlacWriter } from '../io/flac-write.js';
import { createWavWriter } from '../io/wav-write.js';
import { tempDir, testSignal } from '../../test/support/tools.js';
import { pcmDifference } from './same-pcm.js';

async function write(path: string, channels: Float32Array[], format: 'wav' | 'flac'): Promise<string> {
  const options = { sampleRate: 44100, channelCount: channels.length };
  const writer = format === 'wav'
    ? await createWavWriter(path, { ...options, encoding: { kind: 'int', bits: 24 }, dither: 'tpdf' })
    : await createFlacWriter(path, { ...options, bits: 24, dither: 'tpdf' });
  // Uneven blocks: the two decoders hand back blocks of other sizes, which the comparison must align.
  for (let at = 0, size = 999; at < channels[0].length; at += size, size += 4096) {
    const n = Math.min(size, channels[0].length - at);
    await writer.write(channels.map((c) => c.subarray(at, at + n)), n);
  }
  await writer.finish();
  return path;
}

test('a FLAC and a WAV of the same float master hold the same 24-bit samples; a change or a length difference is named', async () => {
  const dir = tempDir();
  const signal = testSignal(150_001, 44100, 2, 0.9);
  const wav = await write(join(dir, 'a.wav'), signal, 'wav');
  const flac = await write(join(dir, 'a.flac'), signal, 'flac');
  assert.equal(await pcmDifference(flac, wav), null);

  const changed = signal.map((c) => c.slice());
  changed[1][123_456] += 1e-4;
  assert.match(String(await pcmDifference(await write(join(dir, 'b.flac'), changed, 'flac'), wav)), /^frame 123456, channel 2: /);
  const shorter = signal.map((c) => c.subarray(0, 150_000));
  assert.match(String(await pcmDifference(await write(join(dir, 'c.flac'), shorter, 'flac'), wav)), /150000 vs 150001 frames/);
});
