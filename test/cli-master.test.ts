// `mixmaster master` end to end, as a user runs it: every delivery target reached within ±0.3 LU,
// every delivered file under its true-peak ceiling by an independent 8x meter, deliverables with the
// fixed names, formats and metadata, revisions that re-render bit-identically, and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeDemoSong } from '../src/cli/demo-song.js';
import { LoudnessMeter } from '../src/engine/analysis/loudness-meter.js';
import { DELIVERY_TARGETS } from '../src/engine/master/targets.js';
import { measureMaster } from '../src/engine/master/measure.js';
import { MidSideEq } from '../src/engine/dsp/stereo/mid-side-eq.js';
import { createWavWriter } from '../src/io/wav-write.js';
import { runCli, wavBytes } from './support/cli.js';
import { hasTool, runTool, tempDir } from './support/tools.js';
import { readAll, truePeak8x } from './support/true-peak-8x.js';

const SR = 44100;
const work = tempDir('mixmaster-master-');
const FILES = ['master.wav', 'master-16bit.wav', 'master.flac', 'master.mp3'];

async function writeWav(path: string, channels: Float32Array[], sampleRate = SR, bits: 16 | 24 = 24): Promise<string> {
  const writer = await createWavWriter(path, { sampleRate, channelCount: channels.length, encoding: { kind: 'int', bits } });
  await writer.write(channels, channels[0].length);
  await writer.finish();
  return path;
}

const song = synthesizeDemoSong(SR);
const scaled = (db: number) => song.map((c) => c.map((v) => v * Math.pow(10, db / 20)));
const lufsOf = (channels: Float32Array[], sampleRate: number) => {
  const meter = new LoudnessMeter({ sampleRate, channelLayout: channels.length === 1 ? ['C'] : ['L', 'R'] });
  meter.push(channels, channels[0].length);
  return meter.integratedLufs();
};

test('the independent 8x meter reads EBU 3341 case 16 (fs/4 sine at 45°, amplitude 0.5) as -6.02 dBTP', () => {
  // Faded in and out: an abrupt start would add the interpolator's own Gibbs overshoot at the edges.
  const fade = (i: number) => Math.min(1, i / 4800, (48000 - i) / 4800);
  const x = Float32Array.from({ length: 48000 }, (_, i) => fade(i) * 0.5 * Math.sin((Math.PI / 2) * i + Math.PI / 4));
  assert.ok(Math.abs(truePeak8x([x]) - -6.02) < 0.05, `${truePeak8x([x])}`);
});

test('every delivery target: loudness within ±0.3 LU of the plan, true peak under the ceiling in every delivered file', async () => {
  const input = await writeWav(join(work, 'song.wav'), scaled(-6));
  const misses: string[] = [];
  for (const target of DELIVERY_TARGETS) {
    const out = join(work, `target-${target.id}`);
    const { status, stderr } = runCli(['master', input, '-o', out, '--target', target.id, '--json'], 180_000);
    assert.equal(status, 0, `${target.id}: ${stderr}`);
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const aimed = plan.loudness.targetLufs as number;
    if (target.integratedLufs !== null && aimed !== target.integratedLufs) {
      // The target was lowered by the PLR floor: the report must say so.
      assert.ok(report.notes.some((n: string) => /floor/.test(n)), `${target.id}: aimed ${aimed} without a note`);
    }
    for (const file of FILES) {
      const audio = await readAll(join(out, file));
      const lufs = lufsOf(audio.channels, audio.sampleRate);
      const tp = truePeak8x(audio.channels, plan.loudness.ceilingDbtp - 3);
      const allowance = file.endsWith('.mp3') ? plan.delivery.lossyAllowanceDb : 0;
      if (file !== 'master.mp3' && Math.abs(lufs - aimed) > 0.3) misses.push(`${target.id} ${file}: ${lufs.toFixed(2)} LUFS vs ${aimed}`);
      if (tp > plan.loudness.ceilingDbtp + allowance + 0.005) misses.push(`${target.id} ${file}: ${tp.toFixed(3)} dBTP over ${plan.loudness.ceilingDbtp}`);
    }
  }
  assert.deepEqual(misses, []);
});

test('deliverables: names, rates, word lengths, gapless MP3 length, metadata in every format', { skip: !hasTool('ffprobe') && 'ffprobe missing' }, async () => {
  const input = await writeWav(join(work, 'song-48k.wav'), synthesizeDemoSong(48000), 48000);
  const out = join(work, 'deliverables');
  const { status, stderr } = runCli(['master', input, '-o', out, '--title', 'Fishin', '--artist', 'Karissa', '--album-title', 'Flowers',
    '--isrc', 'USRC17607839', '--year', '2026', '--genre', 'pop', '--track', '3'], 180_000);
  assert.equal(status, 0, stderr);
  assert.deepEqual(readdirSync(out).filter((f) => !f.startsWith('.')).sort(), ['master-16bit.wav', 'master.flac', 'master.mp3', 'master.wav', 'plan.json', 'report.html', 'report.json']);
  const probe = (file: string) => JSON.parse(runTool('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', join(out, file)]));
  const wav = probe('master.wav').streams[0], wav16 = probe('master-16bit.wav').streams[0], flac = probe('master.flac').streams[0], mp3 = probe('master.mp3');
  assert.equal(wav.sample_rate, '48000'); assert.equal(wav.bits_per_sample, 24);
  assert.equal(wav16.sample_rate, '44100'); assert.equal(wav16.bits_per_sample, 16);
  assert.equal(flac.sample_rate, '48000'); assert.equal(flac.bits_per_raw_sample, '24');
  assert.equal(mp3.streams[0].sample_rate, '44100'); assert.equal(mp3.streams[0].bit_rate, '320000');
  // Gapless: the MP3 decodes to exactly the 44.1 kHz length of the master.
  const decodedMp3 = await readAll(join(out, 'master.mp3'));
  const decoded16 = await readAll(join(out, 'master-16bit.wav'));
  assert.equal(decodedMp3.channels[0].length, decoded16.channels[0].length);
  // Both 24-bit files are dithered with the same per-channel sequences: the FLAC is the WAV master, losslessly.
  const decodedWav = await readAll(join(out, 'master.wav')), decodedFlac = await readAll(join(out, 'master.flac'));
  decodedWav.channels.forEach((samples, c) => {
    assert.equal(Buffer.compare(Buffer.from(samples.buffer), Buffer.from(decodedFlac.channels[c].buffer)), 0, `channel ${c + 1}: master.flac differs from master.wav`);
  });
  for (const file of ['master.wav', 'master.flac', 'master.mp3']) {
    const tags = Object.fromEntries(Object.entries(probe(file).format.tags ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    assert.equal(tags.title, 'Fishin', file); assert.equal(tags.artist, 'Karissa', file); assert.equal(tags.album, 'Flowers', file);
    assert.match(String(tags.track), /^3/, file);
  }
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.ok(html.includes('<svg') && html.includes('Fishin'));
});

test('revisions: an edited plan re-renders, and the same plan gives bit-identical audio', async () => {
  const input = await writeWav(join(work, 'song-rev.wav'), scaled(-4));
  const first = join(work, 'rev-1');
  assert.equal(runCli(['master', input, '-o', first], 180_000).status, 0);
  const plan = JSON.parse(readFileSync(join(first, 'plan.json'), 'utf8'));
  const planPath = join(work, 'plan-copy.json');
  writeFileSync(planPath, JSON.stringify(plan));
  const second = join(work, 'rev-2');
  const again = runCli(['master', input, '-o', second, '--plan', planPath], 180_000);
  assert.equal(again.status, 0, again.stderr);
  for (const file of FILES) {
    const a = await readAll(join(first, file)), b = await readAll(join(second, file));
    assert.ok(a.channels.every((c, i) => Buffer.compare(Buffer.from(c.buffer), Buffer.from(b.channels[i].buffer)) === 0), `${file} differs`);
  }
  // An edit: 3 LU quieter target → the master follows.
  plan.loudness.targetLufs = -17;
  writeFileSync(planPath, JSON.stringify(plan));
  const third = join(work, 'rev-3');
  assert.equal(runCli(['master', input, '-o', third, '--plan', planPath], 180_000).status, 0);
  const edited = await readAll(join(third, 'master.wav'));
  assert.ok(Math.abs(lufsOf(edited.channels, SR) - -17) < 0.3);
  // A broken plan is one line, exit 2, and nothing is written.
  writeFileSync(planPath, JSON.stringify({ ...plan, stages: [] }));
  const bad = runCli(['master', input, '-o', join(work, 'rev-4'), '--plan', planPath]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr.trim(), /^mixmaster: .*plan-copy\.json: invalid master plan: .*limiter/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.ok(!existsSync(join(work, 'rev-4')));
});

test('bad input: clear one-line errors or a sensible master, and OUTDIR is never half-overwritten', async () => {
  const frames = SR * 2;
  const nanWav = join(work, 'nan.wav');
  {
    const samples = Float32Array.from({ length: frames * 2 }, (_, i) => (i === 10000 ? NaN : 0.1 * Math.sin(i / 20)));
    writeFileSync(nanWav, wavBytes({ formatTag: 3, channels: 2, sampleRate: SR, bits: 32, data: new Uint8Array(samples.buffer) }));
  }
  const silent = await writeWav(join(work, 'silent.wav'), [new Float32Array(frames), new Float32Array(frames)]);
  for (const [file, pattern] of [[nanWav, /NaN/], [silent, /silent/]] as const) {
    const out = join(work, 'bad-out');
    const { status, stderr } = runCli(['master', file, '-o', out]);
    assert.equal(status, 2, stderr);
    assert.match(stderr, pattern);
    assert.equal(stderr.trim().split('\n').filter((l) => !/^mixmaster: (analyzing|rendering)/.test(l)).length, 1, stderr);
    assert.ok(!existsSync(out), 'nothing written');
  }
  // Half a second, mono (kept mono unless --stereo), 8 kHz and 96 kHz: sensible masters.
  const half = await writeWav(join(work, 'half.wav'), scaled(-6).map((c) => c.slice(0, SR / 2)));
  const mono = await writeWav(join(work, 'mono.wav'), [scaled(-6)[0]]);
  const low = await writeWav(join(work, 'r8k.wav'), synthesizeDemoSong(8000).map((c) => c.map((v) => v * 0.5)), 8000);
  const high = await writeWav(join(work, 'r96k.wav'), synthesizeDemoSong(96000).map((c) => c.map((v) => v * 0.5)), 96000);
  for (const [file, extra, channels] of [[half, [], 2], [mono, [], 1], [mono, ['--stereo'], 2], [low, [], 2], [high, [], 2]] as const) {
    const out = join(work, `ok-${file.split('/').pop()}-${extra.length}`);
    const { status, stderr } = runCli(['master', file, '-o', out, ...extra], 180_000);
    assert.equal(status, 0, `${file}: ${stderr}`);
    const master = await readAll(join(out, 'master.wav'));
    assert.equal(master.channels.length, channels, file);
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
    assert.ok(Math.abs(lufsOf(master.channels, master.sampleRate) - plan.loudness.targetLufs) < 0.3, file);
    assert.ok(truePeak8x(master.channels, -4) <= plan.loudness.ceilingDbtp + 0.005, file);
  }
  // Already-clipped input: detected and reported.
  const clipped = await writeWav(join(work, 'clipped.wav'), scaled(12).map((c) => c.map((v) => Math.max(-1, Math.min(1, v)))));
  const clippedOut = join(work, 'clipped-out');
  assert.equal(runCli(['master', clipped, '-o', clippedOut], 180_000).status, 0);
  const report = JSON.parse(readFileSync(join(clippedOut, 'report.json'), 'utf8'));
  assert.ok(report.notes.some((n: string) => /clipped/.test(n)), JSON.stringify(report.notes));
  // A folder of the user's is refused untouched; an earlier output is replaced whole.
  const mine = join(work, 'my-folder');
  mkdirSync(mine);
  writeFileSync(join(mine, 'notes.txt'), 'keep me');
  const refused = runCli(['master', half, '-o', mine]);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /not an earlier mixmaster output/);
  assert.deepEqual(readdirSync(mine), ['notes.txt']);
  const redo = join(work, 'ok-half.wav-0');
  assert.equal(runCli(['master', mono, '-o', redo], 180_000).status, 0);
  assert.equal((await readAll(join(redo, 'master.wav'))).channels.length, 1, 'replaced by the new master');
  // An input inside OUTDIR is refused (the swap would remove it).
  const inside = runCli(['master', join(redo, 'master.wav'), '-o', redo]);
  assert.equal(inside.status, 2);
  assert.ok(existsSync(join(redo, 'master.wav')));
});

/** Level-normalised third-octave RMS deviation of mid spectra, 40 Hz-16 kHz (dB), and side/mid (dB). */
async function toneAndWidth(path: string) {
  const audio = await readAll(path);
  const m = measureMaster(audio, ['L', 'R']);
  return { mid: m.mid, sideToMidDb: m.sideToMidDb as number };
}
function deviationDb(a: { bandsHz: number[]; levelDb: (number | null)[] }, b: { levelDb: (number | null)[] }): number {
  const diffs: number[] = [];
  a.bandsHz.forEach((hz, i) => {
    const x = a.levelDb[i], y = b.levelDb[i];
    if (hz >= 40 && hz <= 16000 && x !== null && y !== null) diffs.push(x - y);
  });
  const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length;
  return Math.sqrt(diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / diffs.length);
}

test('reference mode: tone at least 30 % closer to the reference, side/mid within 1 dB of it', async () => {
  // The reference: the same song brighter, with less low end, and wider (a different master of it).
  const reference = song.map((c) => c.slice());
  const eq = new MidSideEq(SR, 2, {
    midCurve: [{ frequencyHz: 60, gainDb: -4 }, { frequencyHz: 300, gainDb: -1 }, { frequencyHz: 3000, gainDb: 2 }, { frequencyHz: 10000, gainDb: 5 }],
    sideCurve: [{ frequencyHz: 100, gainDb: -6 }, { frequencyHz: 1000, gainDb: 5 }, { frequencyHz: 8000, gainDb: 7 }],
  });
  eq.process(reference, reference[0].length);
  const referencePath = await writeWav(join(work, 'reference.wav'), reference.map((c) => c.map((v) => v * 0.5)));
  const input = await writeWav(join(work, 'song-ref-target.wav'), scaled(-6));
  const out = join(work, 'reference-out');
  const { status, stderr } = runCli(['master', input, '-o', out, '--reference', referencePath], 180_000);
  assert.equal(status, 0, stderr);
  const [ref, before, after] = await Promise.all([referencePath, input, join(out, 'master.wav')].map(toneAndWidth));
  const deviationBefore = deviationDb(before.mid, ref.mid), deviationAfter = deviationDb(after.mid, ref.mid);
  console.log(`reference match: deviation ${deviationBefore.toFixed(2)} -> ${deviationAfter.toFixed(2)} dB; side/mid ${before.sideToMidDb.toFixed(2)} -> ${after.sideToMidDb.toFixed(2)} dB (reference ${ref.sideToMidDb.toFixed(2)})`);
  assert.ok(deviationAfter <= 0.7 * deviationBefore, `deviation ${deviationBefore.toFixed(2)} -> ${deviationAfter.toFixed(2)} dB`);
  assert.ok(Math.abs(after.sideToMidDb - ref.sideToMidDb) <= 1, `side/mid ${after.sideToMidDb.toFixed(2)} vs reference ${ref.sideToMidDb.toFixed(2)}`);
});

test('album: one gain strategy keeps the intended loudness differences between tracks; album report', async () => {
  const gains = [-12, -9, -6];
  const paths = await Promise.all(gains.map((db, i) => writeWav(join(work, `album-${i + 1}.wav`), scaled(db))));
  const out = join(work, 'album-out');
  const { status, stderr } = runCli(['master', ...paths, '-o', out, '--album', '--album-title', 'Test Album'], 300_000);
  assert.equal(status, 0, stderr);
  const album = JSON.parse(readFileSync(join(out, 'album-report.json'), 'utf8'));
  assert.equal(album.tracks.length, 3);
  assert.ok(existsSync(join(out, 'album-report.html')));
  assert.ok(Math.abs(album.albumAfterLufs - -14) <= 0.5, `album ${album.albumAfterLufs}`);
  const before = album.tracks.map((t: any) => t.before.integratedLufs), after = album.tracks.map((t: any) => t.after.integratedLufs);
  for (let i = 1; i < 3; i++) {
    const intended = before[i] - before[0], kept = after[i] - after[0];
    assert.ok(Math.abs(intended - kept) <= 1, `track ${i + 1}: ${intended.toFixed(2)} LU apart before, ${kept.toFixed(2)} after`);
  }
  for (const track of album.tracks) {
    for (const file of FILES) assert.ok(existsSync(join(out, track.folder, file)), `${track.folder}/${file}`);
    const master = await readAll(join(out, track.folder, 'master.wav'));
    assert.ok(truePeak8x(master.channels, -4) <= -1 + 0.005, track.folder);
  }
});

test('stem mastering: groups processed apart (vocal within ±2 dB, bass mono only on the bass), summed, mastered', async () => {
  const dir = join(work, 'stems');
  mkdirSync(dir);
  const n = SR * 12;
  let seed = 11;
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const make = (voice: (t: number, i: number) => [number, number]) => {
    const l = new Float32Array(n), r = new Float32Array(n);
    for (let i = 0; i < n; i++) { const [a, b] = voice(i / SR, i); l[i] = a; r[i] = b; }
    return [l, r];
  };
  await writeWav(join(dir, 'DRUMS.wav'), make((t) => { const b = t % 0.5; const k = 0.5 * Math.sin(2 * Math.PI * 55 * b) * Math.exp(-b * 12); const h = 0.05 * rnd() * Math.exp(-((t + 0.25) % 0.5) * 40); return [k + h, k - h]; }));
  // A wide, partly out-of-phase bass: the kind of low end that collapses in mono.
  await writeWav(join(dir, 'BASS.wav'), make((t) => { const x = 0.3 * Math.sin(2 * Math.PI * 55 * t); return [x, 0.3 * Math.sin(2 * Math.PI * 55 * t + 2.2)]; }));
  await writeWav(join(dir, 'VOCALS.wav'), make((t) => { const s = (t % 1.5) < 0.08 ? 0.15 * rnd() : 0; const v = 0.2 * Math.sin(2 * Math.PI * 220 * t) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t)) + s; return [v, v]; }));
  await writeWav(join(dir, 'INSTRUMENTS.wav'), make((t) => { const c = 0.08 * (Math.sin(2 * Math.PI * 261.6 * t) + Math.sin(2 * Math.PI * 329.6 * t)); return [c, 0.8 * c]; }));
  const out = join(work, 'stems-out');
  const { status, stderr } = runCli(['master', '--stems', dir, '-o', out], 180_000);
  assert.equal(status, 0, stderr);
  const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
  assert.deepEqual(plan.stems.map((s: any) => s.group).sort(), ['BASS', 'DRUMS', 'INSTRUMENTS', 'VOCALS']);
  for (const stem of plan.stems) {
    assert.ok(Math.abs(stem.gainDb) <= 2, `${stem.group} ${stem.gainDb}`);
    assert.ok(stem.why.length > 10);
    const width = stem.stages.find((s: any) => s.id === 'bass-mono');
    assert.equal(Boolean(width), stem.group === 'BASS', stem.group);
    assert.equal(stem.stages.some((s: any) => s.processor === 'de-esser'), stem.group === 'VOCALS', stem.group);
  }
  const master = await readAll(join(out, 'master.wav'));
  assert.ok(Math.abs(lufsOf(master.channels, SR) - plan.loudness.targetLufs) < 0.3);
  const measured = measureMaster(master, ['L', 'R']);
  assert.ok((measured.lowEnd.correlationBelow120Hz ?? 0) > 0.95, `bass correlation ${measured.lowEnd.correlationBelow120Hz}`);
  // The stem moves are part of the plan: re-rendering it gives the same master.
  const again = join(work, 'stems-again');
  assert.equal(runCli(['master', '--stems', dir, '-o', again, '--plan', join(out, 'plan.json')], 180_000).status, 0);
  const second = await readAll(join(again, 'master.wav'));
  assert.ok(master.channels.every((c, i) => Buffer.compare(Buffer.from(c.buffer), Buffer.from(second.channels[i].buffer)) === 0));
});

test("don't crush: a target past the genre's PLR floor stops at the floor and says so, unless the loudness is asked for explicitly", async () => {
  const input = await writeWav(join(work, 'song-floor.wav'), scaled(-6));
  // Jazz keeps at least 12 dB PLR: Spotify Loud (-11 LUFS at -2 dBTP) would leave 9.
  const floored = join(work, 'floor-1');
  const run = runCli(['master', input, '-o', floored, '--target', 'spotify-loud', '--genre', 'jazz'], 180_000);
  assert.equal(run.status, 0, run.stderr);
  const plan = JSON.parse(readFileSync(join(floored, 'plan.json'), 'utf8'));
  const report = JSON.parse(readFileSync(join(floored, 'report.json'), 'utf8'));
  assert.equal(plan.loudness.plrFloorDb, 12);
  assert.equal(plan.loudness.targetLufs, -14);
  assert.ok(report.notes.some((n: string) => /floor/.test(n) && /-11/.test(n)), JSON.stringify(report.notes));
  const master = await readAll(join(floored, 'master.wav'));
  assert.ok(Math.abs(lufsOf(master.channels, SR) - -14) < 0.3);
  // Asked for explicitly: done, and the plan says it crosses the floor.
  const asked = join(work, 'floor-2');
  assert.equal(runCli(['master', input, '-o', asked, '--target', 'spotify-loud', '--genre', 'jazz', '--loudness', '-11'], 180_000).status, 0);
  const askedPlan = JSON.parse(readFileSync(join(asked, 'plan.json'), 'utf8'));
  assert.equal(askedPlan.loudness.targetLufs, -11);
  assert.match(askedPlan.loudness.why, /explicitly/);
  const loud = await readAll(join(asked, 'master.wav'));
  assert.ok(Math.abs(lufsOf(loud.channels, SR) - -11) < 0.3);
  assert.ok(truePeak8x(loud.channels, -5) <= -2 + 0.005);
});

test('codec safety: converting a 48 kHz master to 44.1 kHz raises its true peak, and the guard after the converter holds the ceiling in the same pass', async () => {
  const input = await writeWav(join(work, 'song-48k-guard.wav'), synthesizeDemoSong(48000), 48000);
  const out = join(work, 'conversion-guard');
  const { status, stderr } = runCli(['master', input, '-o', out], 180_000);
  assert.equal(status, 0, stderr);
  const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  // This song's 48 kHz master reads about 0.1 dB higher once band-limited to 44.1 kHz: the guard had to act.
  const note = report.notes.find((n: string) => n.includes('true-peak guard after the converter'));
  assert.ok(note, `no guard note: ${JSON.stringify(report.notes)}`);
  const dipDb = Number(/largest dip ([\d.]+) dB/.exec(note)?.[1]);
  assert.ok(dipDb > 0 && dipDb < 1, note);
  // One limiter pass: no re-run for the 16-bit file.
  assert.doesNotMatch(stderr, /re-limiting/);
  const wav16 = report.deliverables.find((d: any) => d.file === 'master-16bit.wav');
  assert.equal(wav16.note, null);
  assert.ok(wav16.withinCeiling, JSON.stringify(wav16));
  const tp = truePeak8x((await readAll(join(out, 'master-16bit.wav'))).channels, plan.loudness.ceilingDbtp - 3);
  console.log(`conversion guard: largest dip ${dipDb} dB; master-16bit.wav ${wav16.truePeakDbtp} dBTP (BS.1770 4x), ${tp.toFixed(3)} dBTP (8x)`);
  assert.ok(tp <= plan.loudness.ceilingDbtp + 0.005, `8x ${tp}`);
});

test('codec safety: an MP3 that decodes over its ceiling is re-limited automatically and the report says so', async () => {
  const input = await writeWav(join(work, 'song-codec.wav'), scaled(-3));
  const first = join(work, 'codec-1');
  const run = runCli(['master', input, '-o', first], 180_000);
  assert.equal(run.status, 0, run.stderr);
  // The same plan with no allowance for the codec: LAME's overshoot now breaks the ceiling.
  const plan = JSON.parse(readFileSync(join(first, 'plan.json'), 'utf8'));
  plan.delivery.lossyAllowanceDb = 0;
  const planPath = join(work, 'codec-plan.json');
  writeFileSync(planPath, JSON.stringify(plan));
  const firstMp3 = JSON.parse(readFileSync(join(first, 'report.json'), 'utf8')).deliverables.find((d: any) => d.file === 'master.mp3');
  assert.ok(firstMp3.truePeakDbtp > plan.loudness.ceilingDbtp, `this test needs an MP3 overshoot; got ${firstMp3.truePeakDbtp} dBTP`);
  const second = join(work, 'codec-2');
  const { status, stderr } = runCli(['master', input, '-o', second, '--plan', planPath], 180_000);
  assert.equal(status, 0, stderr);
  const report = JSON.parse(readFileSync(join(second, 'report.json'), 'utf8'));
  const mp3 = report.deliverables.find((d: any) => d.file === 'master.mp3');
  assert.ok(mp3.withinCeiling && mp3.truePeakDbtp <= plan.loudness.ceilingDbtp, JSON.stringify(mp3));
  assert.match(mp3.note, /re-run/);
  assert.ok(report.notes.some((n: string) => n.startsWith('master.mp3:')));
  const decoded = await readAll(join(second, 'master.mp3'));
  // The product checks with the BS.1770 4x meter; the independent 8x meter must agree within the MP3 bound.
  const tp8 = truePeak8x(decoded.channels, -4);
  console.log(`re-limited MP3: ${mp3.truePeakDbtp} dBTP (BS.1770 4x), ${tp8.toFixed(2)} dBTP (8x); first render ${firstMp3.truePeakDbtp}`);
  assert.ok(tp8 <= plan.loudness.ceilingDbtp + 0.5, `8x ${tp8}`);
  // The PCM files are untouched by the MP3's re-run: still the same audio as the first render.
  const a = await readAll(join(first, 'master.wav')), b = await readAll(join(second, 'master.wav'));
  assert.ok(a.channels.every((c, i) => Buffer.compare(Buffer.from(c.buffer), Buffer.from(b.channels[i].buffer)) === 0));
});
