// The package as other tools consume it: `mixmaster` (Node API) and `mixmaster/engine` (browser-safe),
// both with type declarations, resolved by name through package.json "exports".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

test('mixmaster/engine is a self-contained browser bundle with no Node built-ins, and it measures', async () => {
  const source = readFileSync(`${root}/dist/engine.js`, 'utf8');
  assert.doesNotMatch(source, /from\s*["']node:|require\(["'](fs|path|os|node:)/);
  const engine = await import('mixmaster/engine');
  const rate = 48000;
  const tone = Float32Array.from({ length: rate * 3 }, (_, i) => 0.1 * Math.sin((2 * Math.PI * 1000 * i) / rate));
  const meter = new engine.LoudnessMeter({ sampleRate: rate, channelLayout: ['L', 'R'] });
  meter.push([tone, tone], tone.length);
  assert.ok(Math.abs(meter.integratedLufs() - -20) < 0.05, `${meter.integratedLufs()}`);
  assert.ok(existsSync(`${root}/dist/types/engine/index.d.ts`));
});

test('mixmaster (Node API) analyzes a file by name and ships declarations', async () => {
  const api = await import('mixmaster');
  const analysis = await api.analyzeFile(`${root}/../shared/conformance/ebu/calibration/1kHz_Sine_-20_LUFS-16bit.wav`, { spectrum: false });
  assert.ok(Math.abs(analysis.integratedLufs! - -20) < 0.1);
  assert.ok(existsSync(`${root}/dist/types/index.d.ts`));
  assert.equal(typeof api.openAudio, 'function');
});
