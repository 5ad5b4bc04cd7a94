// The README's first command runs `mixmaster demo`: it must make the example, analyze it and master it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './support/cli.js';
import { tempDir } from './support/tools.js';

test('demo writes the example song, analyzes it and masters it, saying where the deliverables and report are', () => {
  const out = tempDir();
  const { status, stdout, stderr } = runCli(['demo', '--out', out, '--json'], 180_000);
  assert.equal(status, 0, stderr);
  const { song, master } = JSON.parse(stdout);
  assert.equal(song.file, join(out, 'demo-song.wav'));
  assert.equal(song.sampleRate, 44100);
  assert.equal(song.channels, 2);
  assert.equal(song.frames, 16 * 44100);
  // A plausible unmastered mix: well below full scale, no clipping, real stereo.
  assert.ok(song.integratedLufs > -30 && song.integratedLufs < -10, `I ${song.integratedLufs}`);
  assert.ok(song.truePeakDbtp < 0, `TP ${song.truePeakDbtp}`);
  assert.equal(song.clippedSamples, 0);
  assert.ok(song.correlation > 0.3 && song.correlation < 0.999, `correlation ${song.correlation}`);
  // Mastered for Spotify: -14 LUFS within 0.3 LU and under -1 dBTP in every file.
  const [track] = master.tracks;
  assert.ok(Math.abs(track.reachedLufs - -14) <= 0.3, `reached ${track.reachedLufs}`);
  for (const file of track.deliverables) {
    assert.ok(file.withinCeiling, `${file.file} ${file.truePeakDbtp}`);
    assert.ok(existsSync(join(out, 'demo-master', file.file)));
  }
  assert.ok(existsSync(join(out, 'demo-master', 'report.html')));
  // Running it again reuses the song and replaces the earlier master whole.
  const again = runCli(['demo', '--out', out], 180_000);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /Report: +.*demo-master\/report\.html/);
});
