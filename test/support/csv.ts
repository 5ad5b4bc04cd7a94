// Minimal CSV/TSV reading for the shared expected-value tables (quoted fields with commas).
import { readFileSync } from 'node:fs';

export function readTable(path: string, separator = ','): Record<string, string>[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
  const split = (line: string) => {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === separator && !quoted) { cells.push(cell); cell = ''; }
      else cell += ch;
    }
    cells.push(cell);
    return cells;
  };
  const header = split(lines[0]);
  return lines.slice(1).map((line) => Object.fromEntries(split(line).map((v, i) => [header[i], v])));
}
