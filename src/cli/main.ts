#!/usr/bin/env node
// mixmaster command line: dispatches to a command; turns errors into one line and an exit code
// (0 success, 2 bad input or usage, 1 internal failure).
import { UsageError } from '../io/errors.js';
import { reportError } from './report-error.js';
import { runAnalyze, ANALYZE_HELP } from './analyze.js';
import { runDemo, DEMO_HELP } from './demo.js';
import { runMaster, MASTER_HELP } from './master.js';

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

const COMMANDS: Record<string, { run: (args: string[]) => Promise<number>; help: string }> = {
  analyze: { run: runAnalyze, help: ANALYZE_HELP },
  demo: { run: runDemo, help: DEMO_HELP },
  master: { run: runMaster, help: MASTER_HELP },
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' ? rest[0] : undefined;
    process.stdout.write(`${topic && COMMANDS[topic] ? COMMANDS[topic].help : HELP}\n`);
    return 0;
  }
  if (command === '--version') {
    process.stdout.write('mixmaster 0.1.0\n');
    return 0;
  }
  const entry = COMMANDS[command];
  if (!entry) throw new UsageError(`unknown command '${command}' (try 'mixmaster --help')`);
  if (rest.includes('--help') || rest.includes('-h')) {
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
