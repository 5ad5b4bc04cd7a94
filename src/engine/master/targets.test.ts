import { assert, test } from '../../../test/support/node-test.js';
import { DELIVERY_TARGETS, findTarget, previewPlayback } from './targets.js';

test('every target names its source and has a sane ceiling', () => {
  for (const target of DELIVERY_TARGETS) {
    assert.ok(target.source.length > 10, target.id);
    assert.ok(target.truePeakCeilingDbtp < 0 && target.truePeakCeilingDbtp >= -3, target.id);
  }
  assert.equal(new Set(DELIVERY_TARGETS.map((t) => t.id)).size, DELIVERY_TARGETS.length);
});

test("Spotify raises a quiet master only as far as 1 dB of true-peak headroom allows (its published example)", () => {
  // Spotify's example: a −20 LUFS master peaking at −5 dBTP is raised only to −16 LUFS.
  const preview = previewPlayback(findTarget('spotify')!, -20, -5);
  assert.equal(preview.playbackGainDb, 4);
  assert.equal(preview.playbackLufs, -16);
  assert.equal(preview.truePeakAfterDbtp, -1);
  // A loud master is turned down by the full difference.
  assert.equal(previewPlayback(findTarget('spotify')!, -8, -0.3).playbackGainDb, -6);
});

test('turn-down-only platforms never raise; unnormalised ones apply nothing', () => {
  assert.equal(previewPlayback(findTarget('youtube')!, -18, -3).playbackGainDb, 0);
  assert.equal(previewPlayback(findTarget('youtube')!, -10, -0.5).playbackGainDb, -4);
  assert.equal(previewPlayback(findTarget('cd')!, -7, -0.3).playbackGainDb, 0);
});
