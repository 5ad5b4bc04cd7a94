// Argument parsing on node:util parseArgs, with unknown flags as usage errors (exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../io/errors.js';

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: T) {
  try {
    return parseArgs({
      args,
      options: { ...options, json: { type: 'boolean' }, debug: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    throw new UsageError(`${command}: ${message} (try 'mixmaster ${command} --help')`);
  }
}
