// Turns any error into one line on stderr and the exit code the CLI contract promises.
import { AudioFileError, UsageError } from '../io/errors.js';

/** Prints one line for an error and returns its exit code. */
export function reportError(error: unknown, withStack: boolean): number {
  if (error instanceof AudioFileError) {
    process.stderr.write(`mixmaster: ${error.file}: ${error.problem}\n`);
    if (withStack) process.stderr.write(`${error.stack}\n`);
    return 2;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`mixmaster: ${error.message}\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`mixmaster: internal error: ${message.split('\n')[0]}${withStack ? '' : ' (run with --debug for details)'}\n`);
  if (withStack && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 1;
}
