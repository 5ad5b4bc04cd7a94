// A progress bar on stderr for work that takes longer than about a second, only on a terminal.

export interface Progress {
  update(fraction: number): void;
  done(): void;
}

/** Quick jobs stay silent; MIXMASTER_PROGRESS_DELAY_MS overrides (tests use 0). */
const SHOW_AFTER_MS = Number(process.env.MIXMASTER_PROGRESS_DELAY_MS ?? 1000);
const REDRAW_MS = 100;
const WIDTH = 30;

export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, done() {} };
  const started = Date.now();
  let lastDraw = 0;
  let drawn = false;
  return {
    update(fraction) {
      const now = Date.now();
      if (now - started < SHOW_AFTER_MS || now - lastDraw < REDRAW_MS) return;
      lastDraw = now;
      drawn = true;
      const clamped = Math.max(0, Math.min(1, fraction));
      const filled = Math.round(clamped * WIDTH);
      stream.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(WIDTH - filled)}] ${Math.round(clamped * 100)}%`);
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
