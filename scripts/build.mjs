// Builds the CLI and the libraries with esbuild (ESM, code-split so heavy codecs load on demand)
// and the type declarations with tsc. Run by `npm install` (prepare) and by the test command.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}/dist`, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli/main.ts', index: 'src/index.ts', 'pool-worker': 'src/pool-worker.ts', 'track-worker': 'src/track-worker.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // Chunks sit beside the entries so that import.meta.url-relative paths (the worker) hold in every chunk.
  chunkNames: '[name]-[hash]',
  logLevel: 'warning',
  // Some codec packages are CommonJS that call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __mixmasterRequire } from 'node:module'; const require = __mixmasterRequire(import.meta.url);" },
});

// The engine alone, for browsers: any node built-in here is a bug, and esbuild fails on it.
await build({
  absWorkingDir: root,
  entryPoints: { engine: 'src/engine/index.ts' },
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  sourcemap: 'linked',
  logLevel: 'warning',
});

if (!process.argv.includes('--no-types')) {
  execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-p', `${root}/tsconfig.json`, '--emitDeclarationOnly'], { stdio: 'inherit' });
}
