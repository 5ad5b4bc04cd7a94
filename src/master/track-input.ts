// Opening a file as the input of a mastering job: mono or stereo, not empty, its length known.
import { openAudio } from '../io/decode.js';
import { AudioFileError } from '../io/errors.js';
import type { TrackInput } from './master-track.js';
import { fileSource } from './passes.js';

/** Opens an input for mastering: mono or stereo, not empty. */
export async function openTrackInput(path: string): Promise<TrackInput> {
  const reader = await openAudio(path);
  const { info } = reader;
  await reader.close();
  if (info.channelCount > 2) throw new AudioFileError(path, `has ${info.channelCount} channels; mastering takes mono or stereo (mix surround down first)`);
  let frames = info.frames;
  if (frames === null) {
    // Containers that do not state their length: count once (decoding is fast next to mastering).
    frames = 0;
    const counter = await openAudio(path);
    try {
      for await (const block of counter.blocks()) frames += block[0].length;
    } finally {
      await counter.close();
    }
  }
  if (frames === 0) throw new AudioFileError(path, 'has no audio (0 samples)');
  return { file: path, sampleRate: info.sampleRate, channelCount: info.channelCount, frames, source: fileSource(path, info.channelCount) };
}
