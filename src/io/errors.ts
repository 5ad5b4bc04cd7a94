// One error type for every problem with a user's file: the CLI prints it as `mixmaster: FILE: problem`.

export class AudioFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'AudioFileError';
  }
}

/** Usage errors (bad flags, bad values): exit code 2, like bad input. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
