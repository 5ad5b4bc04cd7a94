// The Node built-ins that engine tests need, re-exported from outside src/engine: src/engine itself
// never names a Node module (it must bundle for browsers), while its tests beside it run in Node.
export { test } from 'node:test';
export { default as assert } from 'node:assert/strict';
export { spawnSync } from 'node:child_process';
export { existsSync, readFileSync } from 'node:fs';
export { fileURLToPath } from 'node:url';
