// The meters only decisions need (not a report of a finished master): the mid signal's envelope
// (sibilance, transients, onsets) and the peak plateau (clipping). Kept apart from MasterAnalyzer so a
// host with threads can run them beside the rest (the analysis worker does).
import { EnvelopeMeters, type EnvelopeResult } from './measure-envelope.js';
import { PeakPlateau } from './measure-clipping.js';

export interface DecisionMetersResult {
  envelope: EnvelopeResult;
  plateau: { peak: number; runs: number; samples: number };
}

/** Mid is worked out in chunks of this many frames (ends at absolute multiples: block sizes never matter). */
const CHUNK_FRAMES = 2048;

export class DecisionMeters {
  private readonly envelope: EnvelopeMeters;
  private readonly plateau: PeakPlateau;
  private readonly mid = new Float64Array(CHUNK_FRAMES);

  constructor(sampleRate: number, private readonly channelCount: number) {
    this.envelope = new EnvelopeMeters(sampleRate);
    this.plateau = new PeakPlateau(channelCount);
  }

  push(channels: Float32Array[], frames: number): void {
    this.plateau.push(channels, frames);
    const left = channels[0];
    const right = this.channelCount >= 2 ? channels[1] : null;
    const { mid } = this;
    for (let position = 0; position < frames; position += CHUNK_FRAMES) {
      const count = Math.min(frames - position, CHUNK_FRAMES);
      if (right) {
        for (let i = 0; i < count; i++) mid[i] = 0.5 * (left[position + i] + right[position + i]);
      } else {
        for (let i = 0; i < count; i++) mid[i] = left[position + i];
      }
      this.envelope.push(mid, count);
    }
  }

  finish(): DecisionMetersResult {
    const { peak, runs, samples } = this.plateau;
    return { envelope: this.envelope.finish(), plateau: { peak, runs, samples } };
  }
}
