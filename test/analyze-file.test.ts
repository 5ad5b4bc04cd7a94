// The Node API: the worker-thread split gives exactly the serial result, on real music.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeFile } from '../src/analyze-file.js';
import { SHARED } from './support/tools.js';

test('parallel (worker) and serial analysis agree bit for bit', async () => {
  const file = join(SHARED, 'corpus/mixes/kevin-macleod_vibe-ace.ogg');
  const serial = await analyzeFile(file, { parallel: false, series: true });
  const parallel = await analyzeFile(file, { parallel: true, series: true });
  assert.deepEqual(parallel, serial);
  assert.ok(serial.spectrum && serial.spectrum.levelDb.filter((v) => v !== null).length >= 30);
});
