// The test command (`npm test`): makes sure the oracle tools the tests compare against are
// installed (Debian ffmpeg, sox, flac, lame, mpg123, and chromium for the browser test; installed with
// apt-get when missing and we are root),
// builds the bundles, then runs every *.test.ts with node's test runner.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const TOOLS = { ffmpeg: 'ffmpeg', ffprobe: 'ffmpeg', sox: 'sox', flac: 'flac', metaflac: 'flac', lame: 'lame', mpg123: 'mpg123', chromium: 'chromium', script: 'bsdutils' };
const EXTRA_PACKAGES = ['libsox-fmt-all'];

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const missing = [...new Set(Object.entries(TOOLS).filter(([command]) => !has(command)).map(([, pkg]) => pkg))];
if (missing.length > 0) {
  const isRoot = process.getuid?.() === 0;
  const packages = [...missing, ...EXTRA_PACKAGES];
  if (!isRoot && !has('sudo')) {
    console.error(`mixmaster tests need Debian packages: ${packages.join(' ')} (apt-get install them, or run as root)`);
    process.exit(1);
  }
  const [command, ...prefix] = isRoot ? ['apt-get'] : ['sudo', 'apt-get'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  console.log(`installing test oracles: ${packages.join(' ')}`);
  execFileSync(command, [...prefix, 'update', '-qq'], { stdio: 'inherit', env });
  execFileSync(command, [...prefix, 'install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
}

execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const only = process.argv.slice(2);
const files = only.length ? only : [...findTests(join(root, 'src')), ...findTests(join(root, 'test'))].map((f) => relative(root, f)).sort();
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
