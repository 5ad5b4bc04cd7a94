// Atomic output: write a temp file in the destination folder, then rename over the target.
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface AtomicFile {
  readonly handle: FileHandle;
  readonly tempPath: string;
  readonly path: string;
  /** Flushes (unless the file is scratch, see createAtomicFile), closes and renames the temp file to `path`. */
  commit(): Promise<void>;
  /** Closes and removes the temp file; safe to call twice or after commit. */
  abort(): Promise<void>;
}

export interface AtomicFileOptions {
  /**
   * false: commit() skips the fsync (forcing 60 MB to disk costs ~0.1 s of waiting): for a scratch file
   * (an intermediate the job reads back and deletes), or one a DeferredSyncs forces to disk later. Default true.
   */
  durable?: boolean;
}

export async function createAtomicFile(path: string, options: AtomicFileOptions = {}): Promise<AtomicFile> {
  const durable = options.durable ?? true;
  const tempPath = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tempPath, 'wx');
  let state: 'open' | 'committed' | 'aborted' = 'open';
  return {
    handle,
    tempPath,
    path,
    async commit() {
      if (state !== 'open') throw new Error(`atomic file ${path} already ${state}`);
      if (durable) await handle.sync();
      await handle.close();
      await rename(tempPath, path);
      state = 'committed';
    },
    async abort() {
      if (state !== 'open') return;
      state = 'aborted';
      await handle.close().catch(() => undefined);
      await unlink(tempPath).catch(() => undefined);
    },
  };
}

/** Writes a whole buffer atomically. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const file = await createAtomicFile(path);
  try {
    await file.handle.writeFile(data);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/**
 * Files forced to disk in the background: a job writing into a staging folder (output-dir.ts) need not
 * wait for each file's fsync before reading it back; the folder's commit waits for all of them instead,
 * so nothing is published before it is on disk. later() never throws; settle() reports the first failure.
 */
export class DeferredSyncs {
  private readonly pending: Promise<void>[] = [];
  private failure: Error | null = null;

  /** Starts forcing `path` (a finished, closed file) to disk. */
  later(path: string): void {
    // fsync applies to the file, not the descriptor; 'r+' because Windows needs write access to flush.
    const sync = open(path, 'r+').then(async (handle) => {
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }).catch((error: NodeJS.ErrnoException) => {
      this.failure ??= new Error(`${path}: cannot force it to disk (${error.code ?? error.message})`);
    });
    this.pending.push(sync);
  }

  /** Resolves when every file handed to later() is on disk; rejects if any could not be synced. */
  async settle(): Promise<void> {
    while (this.pending.length > 0) await Promise.all(this.pending.splice(0));
    if (this.failure) throw this.failure;
  }
}
