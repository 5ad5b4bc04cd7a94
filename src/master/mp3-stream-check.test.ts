import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMp3Writer } from '../io/mp3-write.js';
import { findSystemLame } from '../io/lame-process.js';
import { findSystemMpg123 } from '../io/mpg123-process.js';
import { Mp3StreamCheck } from './mp3-stream-check.js';
import { measureOnWorker } from './verify.js';
import { tempDir, testSignal } from '../../test/support/tools.js';

async function encodeChecked(path: string, signal: Float32Array[], sampleRate: number, encoder: 'system' | 'wasm', decoder: 'system' | 'wasm' = 'wasm') {
  const check = Mp3StreamCheck.start(sampleRate, signal.length, decoder);
  const writer = await createMp3Writer(path, { sampleRate, channelCount: signal.length, mode: { cbrKbps: 320 }, encoder, onAudio: (frames) => check.push(frames) });
  const frames = signal[0].length;
  for (let at = 0; at < frames; at += 30_011) {
    const n = Math.min(30_011, frames - at);
    await writer.write(signal.map((c) => c.subarray(at, at + n)), n);
  }
  await writer.finish();
  return check;
}

for (const encoder of ['wasm', 'system'] as const) {
  test(`the streamed MP3 check reads exactly what decoding the finished file reads [${encoder} LAME]`, { skip: encoder === 'system' && !findSystemLame() }, async () => {
    for (const [sampleRate, channels, frames] of [[44100, 2, 441_037], [48000, 1, 96_001]] as const) {
      const signal = testSignal(frames, sampleRate, channels, 0.9);
      const path = join(tempDir(), 'streamed.mp3');
      const check = await encodeChecked(path, signal, sampleRate, encoder);
      const streamed = await check.finish(path, frames);
      const fromFile = await measureOnWorker(path);
      assert.equal(streamed.durationSeconds, fromFile.durationSeconds, 'same length');
      assert.equal(streamed.truePeakDbtp, fromFile.truePeakDbtp, 'same true peak');
      assert.equal(streamed.integratedLufs, fromFile.integratedLufs, 'same loudness');
      assert.equal(streamed.samplePeakDbfs, fromFile.samplePeakDbfs, 'same sample peak');
      assert.ok(streamed.truePeakDbtp! > -2 && streamed.truePeakDbtp! < 1, `true peak ${streamed.truePeakDbtp} dBTP`);
    }
  });
}

test('the streamed MP3 check through the system mpg123 reads what the wasm decoder reads of the file, within 0.001 dB', { skip: !findSystemMpg123() }, async () => {
  for (const [sampleRate, channels, frames] of [[44100, 2, 441_037], [48000, 1, 96_001]] as const) {
    const signal = testSignal(frames, sampleRate, channels, 0.9);
    const path = join(tempDir(), 'native.mp3');
    const check = await encodeChecked(path, signal, sampleRate, 'wasm', 'system');
    const streamed = await check.finish(path, frames);
    const fromFile = await measureOnWorker(path); // the file reader decodes with wasm mpg123
    assert.equal(streamed.durationSeconds, fromFile.durationSeconds, 'same length (same delay and padding trimmed)');
    assert.ok(Math.abs(streamed.truePeakDbtp! - fromFile.truePeakDbtp!) < 0.001, `true peak ${streamed.truePeakDbtp} vs ${fromFile.truePeakDbtp} dBTP`);
    assert.ok(Math.abs(streamed.integratedLufs! - fromFile.integratedLufs!) < 0.001, `loudness ${streamed.integratedLufs} vs ${fromFile.integratedLufs} LUFS`);
    assert.ok(Math.abs(streamed.samplePeakDbfs! - fromFile.samplePeakDbfs!) < 0.001, `sample peak ${streamed.samplePeakDbfs} vs ${fromFile.samplePeakDbfs} dBFS`);
  }
});

test('the streamed MP3 check refuses a file whose frames or length are not what it decoded', async () => {
  const signal = testSignal(100_000, 44100, 2);
  const dir = tempDir();
  const path = join(dir, 'changed.mp3');
  const check = await encodeChecked(path, signal, 44100, 'wasm');
  const bytes = readFileSync(path);
  bytes[bytes.length - 100] ^= 0x55; // one byte of the last frame's audio data
  writeFileSync(path, bytes);
  await assert.rejects(check.finish(path, 100_000), /audio frames differ from the ones that were decoded/);

  const again = await encodeChecked(join(dir, 'length.mp3'), signal, 44100, 'wasm');
  await assert.rejects(again.finish(join(dir, 'length.mp3'), 99_000), /states 100000 samples, 99000 were encoded/);
});
