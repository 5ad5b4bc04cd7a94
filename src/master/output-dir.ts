// The output folder of a master, written all or nothing: everything goes into a staging folder beside
// OUTDIR, and only when every file is complete does the staging folder take OUTDIR's place. An existing
// OUTDIR is replaced only if it is empty or an earlier mixmaster output (it holds our marker file), so a
// folder of the user's is never half-overwritten or deleted, and no input can sit inside it.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { DeferredSyncs } from '../io/atomic.js';
import { UsageError } from '../io/errors.js';

/** Marker file naming a folder as mixmaster output (safe to replace on the next run). */
export const OUTPUT_MARKER = '.mixmaster-output';

export interface StagedOutput {
  /** Folder to write into; becomes OUTDIR on commit(). */
  readonly path: string;
  /** Files in the folder whose fsync runs in the background: commit() waits for them before publishing. */
  readonly syncs: DeferredSyncs;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

const isInside = (child: string, parent: string) => {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
};

export async function stageOutputDir(outDir: string, inputs: string[]): Promise<StagedOutput> {
  const target = resolve(outDir);
  for (const input of inputs) {
    if (isInside(resolve(input), target)) throw new UsageError(`${outDir}: the output folder contains the input ${input}; choose another -o`);
  }
  const existing = await stat(target).catch(() => null);
  if (existing) {
    if (!existing.isDirectory()) throw new UsageError(`${outDir}: exists and is not a folder`);
    const entries = await readdir(target);
    if (entries.length > 0 && !entries.includes(OUTPUT_MARKER)) {
      throw new UsageError(`${outDir}: exists and is not an earlier mixmaster output (no ${OUTPUT_MARKER}); choose another -o or empty it`);
    }
  }
  await mkdir(dirname(target), { recursive: true });
  const staging = join(dirname(target), `.${basename(target)}.mixmaster-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging);
  await writeFile(join(staging, OUTPUT_MARKER), 'This folder was written by mixmaster; the next run with the same -o replaces it.\n');
  let done = false;
  const syncs = new DeferredSyncs();
  return {
    path: staging,
    syncs,
    async commit() {
      if (done) return;
      done = true;
      try {
        await syncs.settle();
      } catch (error) {
        await rm(staging, { recursive: true, force: true });
        throw error;
      }
      const old = existing ? `${staging}.old` : null;
      if (old) await rename(target, old);
      try {
        await rename(staging, target);
      } catch (error) {
        if (old) await rename(old, target).catch(() => {});
        await rm(staging, { recursive: true, force: true });
        throw error;
      }
      if (old) await rm(old, { recursive: true, force: true });
    },
    async abort() {
      if (done) return;
      done = true;
      await syncs.settle().catch(() => undefined); // let them finish before their files go
      await rm(staging, { recursive: true, force: true });
    },
  };
}
