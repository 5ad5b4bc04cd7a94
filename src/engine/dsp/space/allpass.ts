// Schroeder all-pass (Schroeder & Logan 1961): H(z) = (z^-D - g)/(1 - g z^-D), flat magnitude,
// smears an impulse into a dense burst; a chain of them is a reverb's input diffuser.
import { DelayLine, flush as sharedFlush } from './delay-line.js';

// Module-local bindings of per-sample helpers: hot loops call them directly, never through a module
// binding (which some loaders compile to a getter call per use).
const flush = sharedFlush;

export class SchroederAllpass {
  private readonly line: DelayLine;

  constructor(private readonly delaySamples: number) {
    this.line = new DelayLine(delaySamples);
  }

  /** One sample through the all-pass with coefficient `g` (|g| < 1). */
  process(x: number, g: number): number {
    const delayed = this.line.at(this.delaySamples);
    const v = flush(x + g * delayed);
    this.line.write(v);
    return delayed - g * v;
  }

  clear(): void {
    this.line.clear();
  }
}
