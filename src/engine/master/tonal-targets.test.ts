import { assert, test } from '../../../test/support/node-test.js';
import { thirdOctaveBands } from '../analysis/bands.js';
import { alignTargetToMeasured, balancedLevelDb, findTonalTarget, genreFamily, TONAL_TARGETS } from './tonal-targets.js';

const at = (id: string, hz: number) => {
  const target = findTonalTarget(id)!;
  return target.levelDb[target.bandsHz.indexOf(hz)];
};

test('every target: 31 bands, 0 dB at 1 kHz, a stated source, a why and a PLR floor', () => {
  assert.deepEqual(TONAL_TARGETS.map((t) => t.id), ['balanced', 'bass-heavy', 'bright', 'warm']);
  for (const target of TONAL_TARGETS) {
    assert.deepEqual(target.bandsHz, thirdOctaveBands().map((b) => b.nominalHz));
    assert.equal(target.levelDb.length, 31);
    assert.ok(Math.abs(at(target.id, 1000)) < 1e-12, target.id);
    assert.match(target.source, /Elowsson & Friberg/);
    assert.match(target.source, /Pestana/);
    assert.ok(target.why.length > 20 && target.plrFloorWhy.length > 20, target.id);
  }
  assert.equal(findTonalTarget('bass-heavy')!.plrFloorDb, 8);
  assert.equal(findTonalTarget('bright')!.plrFloorDb, 8);
  assert.ok(findTonalTarget('warm')!.plrFloorDb >= 11, 'dynamic genres get a higher floor');
});

test('the balanced curve reproduces the published slopes it is built from', () => {
  // Density slope = band-level slope - 3.01 dB/octave (a third-octave band's width doubles per octave).
  const densitySlope = (hz: number) => (balancedLevelDb(hz * 2 ** 0.01) - balancedLevelDb(hz * 2 ** -0.01)) / 0.02 - 10 * Math.log10(2);
  assert.ok(Math.abs(densitySlope(200) - -2.4) < 1e-6, `200 Hz: ${densitySlope(200)}`);
  assert.ok(Math.abs(densitySlope(6400) - -8.9) < 1e-6, `6.4 kHz: ${densitySlope(6400)}`);
  // Elowsson & Friberg: 4.5 dB/octave from 89 Hz to 4.5 kHz; Pestana et al.: around 5 dB/octave from 100 Hz to 4 kHz.
  const mean = (lo: number, hi: number) => (balancedLevelDb(hi) - balancedLevelDb(lo)) / Math.log2(hi / lo) - 10 * Math.log10(2);
  assert.ok(Math.abs(mean(89, 4500) - -4.5) < 0.15, `89 Hz-4.5 kHz: ${mean(89, 4500)}`);
  assert.ok(Math.abs(mean(100, 4000) - -5) < 0.6, `100 Hz-4 kHz: ${mean(100, 4000)}`);
  // In third-octave bands the music average is near flat from 50 to 500 Hz and falls above 1 kHz.
  assert.ok(Math.abs(at('balanced', 125) - at('balanced', 500)) < 2.5);
  assert.ok(at('balanced', 10000) < -10 && at('balanced', 10000) > -20, `10 kHz ${at('balanced', 10000)}`);
});

test('families tilt the balanced curve the way Pestana et al. describe, and leave the mids alone', () => {
  assert.ok(at('bass-heavy', 50) - at('balanced', 50) >= 2.5);
  assert.ok(at('bass-heavy', 31.5) - at('balanced', 31.5) >= 3.3);
  assert.ok(at('bright', 10000) - at('balanced', 10000) >= 1.5);
  assert.ok(at('bright', 16000) - at('balanced', 16000) >= 2);
  assert.ok(at('warm', 50) - at('balanced', 50) <= -1.5);
  assert.ok(at('warm', 31.5) - at('balanced', 31.5) <= -2.2);
  assert.ok(at('warm', 10000) - at('balanced', 10000) <= -2);
  for (const target of TONAL_TARGETS) {
    for (const hz of [400, 500, 630, 800, 1000, 1250, 1600, 2000]) {
      assert.ok(Math.abs(at(target.id, hz) - at('balanced', hz)) < 0.7, `${target.id} ${hz} Hz`);
    }
  }
});

test('free-text genres map to families; unknown ones are balanced', () => {
  const cases: [string, string][] = [
    ['Hip-Hop', 'bass-heavy'], ['hip hop', 'bass-heavy'], ['EDM', 'bass-heavy'], ['Drum & Bass', 'bass-heavy'], ['drum-and-bass', 'bass-heavy'],
    ['R&B', 'bass-heavy'], ['rnb', 'bass-heavy'], ['trap', 'bass-heavy'], ['Techno', 'bass-heavy'], ['jazz rap', 'bass-heavy'],
    ['Pop', 'bright'], ['modern pop', 'bright'], ['Rock', 'bright'], ['heavy metal', 'bright'], ['garage rock', 'bright'], ['K-Pop', 'bright'],
    ['Jazz', 'warm'], ['classical', 'warm'], ['Folk', 'warm'], ['folk rock', 'warm'], ['acoustic', 'warm'], ['singer-songwriter', 'warm'],
    ['polka', 'balanced'], ['soul', 'balanced'], ['', 'balanced'], ['   ', 'balanced'],
  ];
  for (const [genre, family] of cases) assert.equal(genreFamily(genre), family, genre);
});

test('alignTargetToMeasured matches the energy over 100 Hz-8 kHz and keeps the target shape', () => {
  const target = findTonalTarget('bright')!;
  // A measurement that is the target 7 dB down with nothing above 16 kHz: alignment recovers it exactly.
  const measured = { bandsHz: target.bandsHz, levelDb: target.levelDb.map((db, b) => (target.bandsHz[b] > 16000 ? null : db - 7)) };
  const aligned = alignTargetToMeasured(target, measured);
  aligned.levelDb.forEach((db, b) => {
    if (measured.levelDb[b] === null) assert.equal(db, null);
    else assert.ok(Math.abs(db! - measured.levelDb[b]!) < 1e-9, `band ${target.bandsHz[b]}`);
  });
  // A flat measurement: equal energy over the alignment bands, the target's shape kept.
  const flat = { bandsHz: target.bandsHz, levelDb: target.bandsHz.map(() => -30) };
  const onFlat = alignTargetToMeasured(target, flat);
  const energy = (levels: (number | null)[]) => levels.reduce((sum: number, db, b) =>
    sum + (target.bandsHz[b] >= 100 && target.bandsHz[b] <= 8000 ? 10 ** (db! / 10) : 0), 0);
  assert.ok(Math.abs(10 * Math.log10(energy(onFlat.levelDb) / energy(flat.levelDb))) < 1e-9);
  assert.ok(Math.abs((onFlat.levelDb[5]! - onFlat.levelDb[20]!) - (target.levelDb[5] - target.levelDb[20])) < 1e-9);
  assert.throws(() => alignTargetToMeasured(target, { bandsHz: [1000], levelDb: [0] }), RangeError);
});
