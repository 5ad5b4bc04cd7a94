import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DeferredSyncs } from '../io/atomic.js';
import { OUTPUT_MARKER, stageOutputDir } from './output-dir.js';

test('DeferredSyncs: settle() waits for every file handed over and names one that cannot be synced', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mixmaster-syncs-'));
  try {
    const syncs = new DeferredSyncs();
    await writeFile(join(dir, 'a.wav'), 'a');
    syncs.later(join(dir, 'a.wav'));
    await syncs.settle();
    syncs.later(join(dir, 'missing.wav'));
    await assert.rejects(syncs.settle(), /missing\.wav: cannot force it to disk \(ENOENT\)/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('staged output: commit() publishes only after the deferred syncs; a failed sync leaves OUTDIR as it was', async () => {
  const parent = await mkdtemp(join(tmpdir(), 'mixmaster-stage-'));
  try {
    const out = join(parent, 'out');
    const good = await stageOutputDir(out, []);
    await writeFile(join(good.path, 'master.wav'), 'first');
    good.syncs.later(join(good.path, 'master.wav'));
    await good.commit();
    assert.equal(await readFile(join(out, 'master.wav'), 'utf8'), 'first');

    const bad = await stageOutputDir(out, []);
    await writeFile(join(bad.path, 'master.wav'), 'second');
    bad.syncs.later(join(bad.path, 'gone.wav'));
    await assert.rejects(bad.commit(), /gone\.wav: cannot force it to disk/);
    // The earlier output is untouched and the staging folder is gone.
    assert.equal(await readFile(join(out, 'master.wav'), 'utf8'), 'first');
    assert.deepEqual((await readdir(parent)).sort(), ['out']);
    assert.ok((await readdir(out)).includes(OUTPUT_MARKER));
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});
