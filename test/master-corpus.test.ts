// Mastering real mixes from ../shared/corpus/mixes: every deliverable reaches the target loudness within
// ±0.3 LU and stays under the true-peak ceiling by the independent 8x meter (MP3: ceiling + 0.5 dB).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LoudnessMeter } from '../src/engine/analysis/loudness-meter.js';
import { runCli } from './support/cli.js';
import { SHARED, tempDir } from './support/tools.js';
import { readAll, truePeak8x } from './support/true-peak-8x.js';

const MIXES = ['karissa-hobbs_lets-go-fishin.ogg', 'kevin-macleod_vibe-ace.ogg', 'sorohanro_solo-trumpet-06.ogg'];
const work = tempDir('mixmaster-corpus-');

for (const [mix, target, genre] of [[MIXES[0], 'spotify', 'pop'], [MIXES[1], 'apple-music', 'jazz'], [MIXES[2], 'youtube', null]] as const) {
  test(`${mix} mastered for ${target}: loudness and true peak of every delivered file`, async () => {
    const out = join(work, mix);
    const args = ['master', join(SHARED, 'corpus/mixes', mix), '-o', out, '--target', target, ...(genre ? ['--genre', genre] : [])];
    const { status, stderr } = runCli(args, 300_000);
    assert.equal(status, 0, stderr);
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
    const lines: string[] = [];
    for (const file of ['master.wav', 'master-16bit.wav', 'master.flac', 'master.mp3']) {
      const audio = await readAll(join(out, file));
      const meter = new LoudnessMeter({ sampleRate: audio.sampleRate, channelLayout: audio.channels.length === 1 ? ['C'] : ['L', 'R'] });
      meter.push(audio.channels, audio.channels[0].length);
      const lufs = meter.integratedLufs();
      const peak = truePeak8x(audio.channels, plan.loudness.ceilingDbtp - 3);
      lines.push(`${file} ${lufs.toFixed(2)} LUFS ${peak.toFixed(2)} dBTP`);
      const allowance = file.endsWith('.mp3') ? 0.5 : 0;
      assert.ok(Math.abs(lufs - plan.loudness.targetLufs) <= 0.3, `${file}: ${lufs.toFixed(2)} LUFS, target ${plan.loudness.targetLufs}`);
      assert.ok(peak <= plan.loudness.ceilingDbtp + allowance + 0.005, `${file}: ${peak.toFixed(3)} dBTP, ceiling ${plan.loudness.ceilingDbtp}`);
    }
    console.log(`${mix} → ${target} (${plan.loudness.targetLufs} LUFS, ${plan.loudness.ceilingDbtp} dBTP): ${lines.join('; ')}`);
  });
}
