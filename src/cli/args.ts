// Argument parsing on node:util parseArgs, with unknown flags as usage errors (exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../io/errors.js';

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses a command's flags (plus --json and --debug, which every command takes). */
export function parseCommandArgs(command: string, args: string[], options: NonNullable<ParseArgsConfig['options']>): ParsedArgs {
  // `--loudness -11`: parseArgs would read "-11" as a flag; a negative number after a string option is its value.
  const takesValue = new Set(Object.entries(options).filter(([, o]) => o.type === 'string').map(([name]) => `--${name}`));
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (takesValue.has(args[i]) && /^-\d/.test(args[i + 1] ?? '')) joined.push(`${args[i]}=${args[++i]}`);
    else joined.push(args[i]);
  }
  try {
    const { values, positionals } = parseArgs({
      args: joined,
      options: { ...options, json: { type: 'boolean' }, debug: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    throw new UsageError(`${command}: ${message} (try 'mixmaster ${command} --help')`);
  }
}
