#!/usr/bin/env node
// mixmaster command line: dispatches to a command; turns errors into one line and an exit code
// (0 success, 2 bad input or usage, 1 internal failure).
import { UsageError } from '../io/errors.js';
import { reportError } from './report-error.js';
import { prestartThread } from '../worker-pool.js';

const HELP = `mixmaster: mixing and mastering, explainably

Usage: mixmaster <command> [options]

Commands:
  analyze FILE...   measure loudness (BS.1770-4 / EBU R128), true peak, dynamics, stereo and spectrum
  master INPUT...   master a mix into release-ready files (WAV, 16-bit WAV, FLAC, MP3) with a report
  demo              make the bundled example song, analyze it and master it

Options for every command:
  --help            show help for the command
  --json            machine-readable output: one JSON object per input, one per line
  --debug           print stack traces for errors

Run 'mixmaster <command> --help' for a command's options.`;

interface Command {
  run(args: string[]): Promise<number>;
  help: string;
}

/** Each command's code loads when it runs: `analyze` does not parse the mastering chain, its schemas and codecs. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  analyze: () => import('./analyze.js').then((m) => ({ run: m.runAnalyze, help: m.ANALYZE_HELP })),
  demo: () => import('./demo.js').then((m) => ({ run: m.runDemo, help: m.DEMO_HELP })),
  master: () => import('./master.js').then((m) => ({ run: m.runMaster, help: m.MASTER_HELP })),
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' ? rest[0] : undefined;
    process.stdout.write(`${topic && COMMANDS[topic] ? (await COMMANDS[topic]()).help : HELP}\n`);
    return 0;
  }
  if (command === '--version') {
    process.stdout.write('mixmaster 0.1.0\n');
    return 0;
  }
  const load = COMMANDS[command];
  if (!load) throw new UsageError(`unknown command '${command}' (try 'mixmaster --help')`);
  const wantsHelp = rest.includes('--help') || rest.includes('-h');
  // Mastering starts with an analysis on a worker thread, then a two-thread chain: let two threads boot
  // (and load those tasks' code) while this one loads the command.
  if ((command === 'master' || command === 'demo') && !wantsHelp) { prestartThread('analysis'); prestartThread('chain'); }
  const entry = await load();
  if (wantsHelp) {
    process.stdout.write(`${entry.help}\n`);
    return 0;
  }
  return entry.run(rest);
}

const debug = process.argv.includes('--debug');
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    process.exitCode = reportError(error, debug);
  },
);
