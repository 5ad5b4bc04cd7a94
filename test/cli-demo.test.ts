// The README's first command runs `mixmaster demo`: it must make the example and analyze it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from './support/cli.js';
import { tempDir } from './support/tools.js';

test('demo writes the example song and reports its analysis', () => {
  const out = tempDir();
  const { status, stdout, stderr } = runCli(['demo', '--out', out, '--json']);
  assert.equal(status, 0, stderr);
  const analysis = JSON.parse(stdout);
  assert.equal(analysis.file, join(out, 'demo-song.wav'));
  assert.equal(analysis.sampleRate, 44100);
  assert.equal(analysis.channels, 2);
  assert.equal(analysis.frames, 16 * 44100);
  // A plausible unmastered mix: well below full scale, no clipping, real stereo.
  assert.ok(analysis.integratedLufs > -30 && analysis.integratedLufs < -10, `I ${analysis.integratedLufs}`);
  assert.ok(analysis.truePeakDbtp < 0, `TP ${analysis.truePeakDbtp}`);
  assert.equal(analysis.clippedSamples, 0);
  assert.ok(analysis.correlation > 0.3 && analysis.correlation < 0.999, `correlation ${analysis.correlation}`);
  // Running it again reuses the file and gives the same numbers (deterministic synthesis).
  const again = runCli(['demo', '--out', out, '--json']);
  assert.equal(JSON.parse(again.stdout).integratedLufs, analysis.integratedLufs);
});
