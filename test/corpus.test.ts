// Real music: our meter against the independent readings in shared/corpus/reference-measurements.tsv
// (ffmpeg 5.1 ebur128 for I/LRA/peaks at 0.1 LU display resolution, sox stats for RMS and crest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeFile } from '../src/analyze-file.js';
import { readTable } from './support/csv.js';
import { runTool, SHARED } from './support/tools.js';

const rows = readTable(join(SHARED, 'corpus/reference-measurements.tsv'), '\t');

for (const row of rows) {
  test(`corpus ${row.file}: I within 0.1 LU, LRA within 0.2 LU of ffmpeg; peaks, RMS, crest match`, async () => {
    const a = await analyzeFile(join(SHARED, 'corpus', row.file), { spectrum: false });
    const report = `I ${a.integratedLufs?.toFixed(2)} vs ${row.I_LUFS}, LRA ${a.loudnessRangeLu?.toFixed(2)} vs ${row.LRA_LU}`;
    console.log(`${row.file}: ${report}`);
    assert.equal(a.sampleRate, Number(row.sample_rate));
    assert.equal(a.channels, Number(row.channels));
    assert.ok(Math.abs(a.durationSeconds - Number(row.duration_s)) < 0.001, `duration ${a.durationSeconds}`);
    assert.ok(Math.abs(a.integratedLufs! - Number(row.I_LUFS)) <= 0.1 + 1e-9, report);
    assert.ok(Math.abs(a.loudnessRangeLu! - Number(row.LRA_LU)) <= 0.2 + 1e-9, report);
    // ffmpeg's ebur128 sample peak reads up to 0.02 dB off; astats and sox agree with each other, so check against astats.
    const astats = /Overall[\s\S]*?Peak level dB: (-?[\d.]+)/.exec(runTool('ffmpeg', ['-nostats', '-i', join(SHARED, 'corpus', row.file), '-af', 'astats', '-f', 'null', '-']));
    assert.ok(astats, 'astats printed an overall peak');
    assert.ok(Math.abs(a.samplePeakDbfs! - Number(astats[1])) <= 0.005, `sample peak ${a.samplePeakDbfs} vs astats ${astats[1]}`);
    assert.ok(Math.abs(a.samplePeakDbfs! - Number(row.sample_peak_dBFS)) <= 0.03, `sample peak ${a.samplePeakDbfs} vs ebur128 ${row.sample_peak_dBFS}`);
    // ffmpeg updates M and S at 10 Hz; ours at 100 Hz can only find the same maximum or a higher one.
    assert.ok(a.maxMomentaryLufs! >= Number(row.max_M_LUFS) - 0.01 && a.maxMomentaryLufs! <= Number(row.max_M_LUFS) + 1, `max M ${a.maxMomentaryLufs}`);
    assert.ok(a.maxShortTermLufs! >= Number(row.max_S_LUFS) - 0.01 && a.maxShortTermLufs! <= Number(row.max_S_LUFS) + 0.3, `max S ${a.maxShortTermLufs}`);
    assert.ok(a.truePeakDbtp! >= a.samplePeakDbfs! - 1e-9, 'true peak is never below sample peak');
    assert.ok(Math.abs(a.rmsDbfs! - Number(row.sox_RMS_dB)) <= 0.02, `RMS ${a.rmsDbfs} vs sox ${row.sox_RMS_dB}`);
    const soxCrest = row['sox_crest_factor_L/R'].split('/').map((v) => 20 * Math.log10(Number(v)));
    a.perChannel.forEach((ch, c) => assert.ok(Math.abs(ch.crestDb! - soxCrest[c]) <= 0.02, `crest ch${c + 1} ${ch.crestDb} vs sox ${soxCrest[c]}`));
  });
}
