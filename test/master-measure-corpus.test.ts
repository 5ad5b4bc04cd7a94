// Mastering analysis on real mixes (shared/corpus/mixes): streamed from the decoder block by block,
// checked against the foundation's own readings and against what these recordings plainly are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openAudio } from '../src/io/decode.js';
import { MasterAnalyzer } from '../src/engine/master/measure.js';
import type { MasterMeasurements } from '../src/engine/master/api.js';
import { SHARED } from './support/tools.js';

const MIXES = ['karissa-hobbs_lets-go-fishin.ogg', 'kevin-macleod_vibe-ace.ogg', 'sorohanro_solo-trumpet-06.ogg'];

async function measureFile(file: string): Promise<{ m: MasterMeasurements; milliseconds: number }> {
  const reader = await openAudio(join(SHARED, 'corpus/mixes', file));
  try {
    const { sampleRate, channelLayout, frames } = reader.info;
    const start = performance.now();
    const analyzer = new MasterAnalyzer({ sampleRate, channelLayout, expectedFrames: frames });
    for await (const block of reader.blocks()) analyzer.push(block, block[0].length);
    const m = analyzer.finish();
    return { m, milliseconds: performance.now() - start };
  } finally {
    await reader.close();
  }
}

const energyDb = (levels: (number | null)[], bandsHz: number[], lowHz: number, highHz: number) =>
  10 * Math.log10(levels.reduce((sum: number, db, b) => sum + (db !== null && bandsHz[b] >= lowHz && bandsHz[b] <= highHz ? 10 ** (db / 10) : 0), 0));

for (const file of MIXES) {
  test(`corpus ${file}: mastering measurements agree with the foundation and with the recording`, async () => {
    const { m, milliseconds } = await measureFile(file);
    const { base } = m;
    console.log(`${file}: ${milliseconds.toFixed(0)} ms (decode included), side/mid ${m.sideToMidDb?.toFixed(1)} dB, `
      + `low corr ${m.lowEnd.correlationBelow120Hz?.toFixed(2)}, crest ${m.transients.shortCrestDb} / low ${m.transients.lowShortCrestDb}, `
      + `onsets/s ${m.transients.onsetsPerSecond.toFixed(2)}, sibilance ${m.sibilance.peakToMedianDb} dB, `
      + `resonances ${m.resonances.map((r) => `${r.frequencyHz.toFixed(0)} Hz +${r.excessDb.toFixed(1)}`).join(', ')}`);
    // Side/mid from our mid/side sums equals side/mid from the foundation's L/R sums and correlation.
    const [l, r] = base.perChannel.map((ch) => 10 ** (ch.rmsDbfs! / 10));
    const cross = base.correlation! * Math.sqrt(l * r);
    const expected = 10 * Math.log10((l + r - 2 * cross) / (l + r + 2 * cross));
    assert.ok(Math.abs(m.sideToMidDb! - expected) < 0.01, `side/mid ${m.sideToMidDb} vs ${expected} from L/R`);
    // The decimated short-term series: 0.5 s hops, its maximum within 0.5 LU of the 10 ms maximum.
    assert.equal(m.shortTerm.hopSeconds, 0.5);
    assert.equal(m.shortTerm.lufs.length, Math.floor(base.durationSeconds / 0.5));
    const loudest = Math.max(...m.shortTerm.lufs.map((v) => v ?? -Infinity));
    assert.ok(loudest <= base.maxShortTermLufs! + 1e-9 && loudest > base.maxShortTermLufs! - 0.5, `short-term max ${loudest} vs ${base.maxShortTermLufs}`);
    // Loud sections are louder than the long-term average (over the bands that carry the music).
    const { bandsHz } = m.mid;
    assert.ok(energyDb(m.midLoud.levelDb, bandsHz, 100, 8000) >= energyDb(m.mid.levelDb, bandsHz, 100, 8000) - 0.05);
    // Clean, unclipped mixes (peaks -0.3 to -2.9 dBFS, no flat tops).
    assert.equal(m.clipping.likelyClipped, false);
    assert.ok(m.transients.shortCrestDb! > 4 && m.transients.shortCrestDb! < 16, `crest ${m.transients.shortCrestDb}`);
    assert.ok(m.transients.onsetsPerSecond > 1 && m.transients.onsetsPerSecond < 12, `onsets/s ${m.transients.onsetsPerSecond}`);
    assert.ok(m.resonances.length <= 5 && m.resonances.every((res) => res.excessDb >= 3 && res.frequencyHz >= 80 && res.frequencyHz <= 12000));
  });
}

test('corpus: the produced vocal song has a mono-compatible low end and a narrower image than its side-heavy jazz neighbour', async () => {
  const song = (await measureFile(MIXES[0])).m;
  const jazz = (await measureFile(MIXES[1])).m;
  assert.ok(song.lowEnd.correlationBelow120Hz! > 0.8, `song low correlation ${song.lowEnd.correlationBelow120Hz}`);
  assert.ok(song.lowEnd.sideToMidBelow120HzDb! < -10, `song low side/mid ${song.lowEnd.sideToMidBelow120HzDb}`);
  assert.ok(jazz.lowEnd.correlationBelow120Hz! < song.lowEnd.correlationBelow120Hz!);
  // A trumpet alone has nothing below 100 Hz: its sub and bass shares are tiny.
  const trumpet = (await measureFile(MIXES[2])).m;
  assert.ok(trumpet.lowEnd.subRelativeDb! < -40 && trumpet.lowEnd.bassRelativeDb! < -40, JSON.stringify(trumpet.lowEnd));
});
