import { assert, test } from '../../test/support/node-test.js';
import { sampleAlbumReport, sampleMasterReport } from './sample-report.js';

test('the sample master report is well-formed: series lengths agree, values are finite or null', () => {
  const report = sampleMasterReport();
  const bands = report.spectrum.bandsHz.length;
  for (const series of [report.spectrum.beforeDb, report.spectrum.afterDb, report.spectrum.targetDb!, report.spectrum.eqMidDb, report.spectrum.eqSideDb!]) assert.equal(series.length, bands);
  const hops = Math.round(report.durationSeconds / report.loudnessOverTime.hopSeconds);
  assert.equal(report.loudnessOverTime.beforeShortTermLufs.length, hops);
  assert.equal(report.gainReduction.limiterDb.length, hops);
  assert.equal(report.loudnessOverTime.beforeShortTermLufs[0], null, 'no short-term value before the first full 3 s window');
  const numbers = JSON.stringify(report).match(/-?\d+(\.\d+)?(e-?\d+)?/g)!.map(Number);
  assert.ok(numbers.every(Number.isFinite));
  assert.ok(report.gainReduction.limiterDb.every((db) => db >= 0));
  assert.equal(report.gainReduction.maxDb, Math.max(...report.gainReduction.limiterDb));
});

test('the sample is deterministic and follows its options (mono, length)', () => {
  assert.deepEqual(sampleMasterReport(), sampleMasterReport());
  const mono = sampleMasterReport({ mono: true, durationSeconds: 60, hopSeconds: 0.5 });
  assert.equal(mono.stereo, null);
  assert.equal(mono.spectrum.eqSideDb, null);
  assert.equal(mono.after.correlation, null);
  assert.equal(mono.loudnessOverTime.afterShortTermLufs.length, 120);
});

test('the sample album keeps its tracks in order with plausible loudness', () => {
  const album = sampleAlbumReport();
  assert.equal(album.tracks.length, 5);
  for (const track of album.tracks) assert.ok(track.after.integratedLufs! > track.before.integratedLufs!, track.title);
});
