// The lifecycle every streaming encoder shares: one call at a time; a failing call aborts the temp
// file and leaves the writer failed; nothing is accepted after finish() or abort().

export type WriterState = 'open' | 'busy' | 'finished' | 'aborted' | 'failed';

export class WriterLifecycle {
  state: WriterState = 'open';

  /** @param cleanUp frees the encoder and removes the temp file; runs once, on failure or abort. */
  constructor(private readonly label: string, private readonly cleanUp: () => Promise<void>) {}

  /** Runs one write/finish step; `finishes` marks the writer finished when the step succeeds. */
  async run(task: () => Promise<void>, finishes = false): Promise<void> {
    if (this.state !== 'open') throw new Error(`${this.label} is ${this.state}`);
    this.state = 'busy';
    try {
      await task();
      if (this.state === 'busy') this.state = finishes ? 'finished' : 'open';
    } catch (error) {
      if (this.state === 'busy') this.state = 'failed';
      await this.cleanUp();
      throw error;
    }
  }

  async abort(): Promise<void> {
    if (this.state === 'finished' || this.state === 'aborted') return;
    this.state = 'aborted';
    await this.cleanUp();
  }
}
