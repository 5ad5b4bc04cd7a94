// Compiles the hand-written WebAssembly kernels (.wat) with the `wabt` devDependency and writes each as a
// base64 string constant in a generated .ts module, so the engine stays isomorphic (no fs, no fetch).
//
//   node scripts/build-wasm.mjs          regenerate the .wasm.ts files
//   node scripts/build-wasm.mjs --check  exit 1 if a committed .wasm.ts differs from what the .wat gives
import { readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Kernels: every .wat under src; each becomes NAME.wasm.ts beside it exporting
 * NAME_IN_UPPER_SNAKE_WASM_BASE64 (true-peak-kernel.wat -> TRUE_PEAK_KERNEL_WASM_BASE64).
 */
function findKernels(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findKernels(full);
    if (!entry.name.endsWith('.wat')) return [];
    const base = entry.name.slice(0, -'.wat'.length);
    return [{
      wat: path.relative(root, full),
      out: path.relative(root, path.join(dir, `${base}.wasm.ts`)),
      name: `${base.replace(/-/g, '_').toUpperCase()}_WASM_BASE64`,
    }];
  });
}
export const KERNELS = findKernels(path.join(root, 'src')).sort((a, b) => a.wat.localeCompare(b.wat));

/** Compile a .wat source to wasm bytes (SIMD enabled, validated, no debug names). */
export async function compileWat(fileName, text) {
  const wabt = await (await import('wabt')).default();
  const module = wabt.parseWat(fileName, text, { simd: true });
  try {
    module.resolveNames();
    module.validate();
    return Uint8Array.from(module.toBinary({ log: false, write_debug_names: false }).buffer);
  } finally {
    module.destroy();
  }
}

/** The generated TypeScript module for one kernel. */
export function renderModule(kernel, bytes) {
  const base64 = Buffer.from(bytes).toString('base64');
  const lines = base64.match(/.{1,100}/g) ?? [''];
  return [
    `// GENERATED FILE: do not edit. Generated from ${path.basename(kernel.wat)} by scripts/build-wasm.mjs`,
    `// (run \`node scripts/build-wasm.mjs\` after changing the .wat). ${bytes.length} bytes of wasm, base64.`,
    '',
    `export const ${kernel.name} =`,
    lines.map((line, i) => `  '${line}'${i === lines.length - 1 ? ';' : ' +'}`).join('\n'),
    '',
  ].join('\n');
}

async function main() {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const kernel of KERNELS) {
    const watPath = path.join(root, kernel.wat);
    const outPath = path.join(root, kernel.out);
    const bytes = await compileWat(path.basename(watPath), await readFile(watPath, 'utf8'));
    const text = renderModule(kernel, bytes);
    const current = await readFile(outPath, 'utf8').catch(() => null);
    if (current === text) {
      console.log(`${kernel.out}: up to date (${bytes.length} bytes)`);
    } else if (check) {
      console.error(`${kernel.out}: stale; run node scripts/build-wasm.mjs`);
      stale++;
    } else {
      await writeFile(outPath, text);
      console.log(`${kernel.out}: written (${bytes.length} bytes)`);
    }
  }
  if (stale) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
