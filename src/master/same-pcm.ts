// Whether two files decode to exactly the same samples (same rate, channels and length): a lossless copy
// of a master (the FLAC beside the WAV, dithered with the same sequences) is then checked by decoding it
// and comparing, and the master's own measurements hold for it.
import { openAudio } from '../io/decode.js';
import type { AudioReader } from '../io/api.js';

const BLOCK_FRAMES = 65536;

/** The first difference, or null when `a` and `b` hold the same samples. */
export async function pcmDifference(a: string, b: string): Promise<string | null> {
  const readers: AudioReader[] = [];
  try {
    for (const path of [a, b]) readers.push(await openAudio(path));
    const [x, y] = readers.map((r) => r.info);
    if (x.sampleRate !== y.sampleRate) return `${x.sampleRate} Hz vs ${y.sampleRate} Hz`;
    if (x.channelCount !== y.channelCount) return `${x.channelCount} vs ${y.channelCount} channels`;
    if (x.frames !== null && y.frames !== null && x.frames !== y.frames) return `${x.frames} vs ${y.frames} frames`;
    // Blocks may come in different sizes from the two decoders: compare through a cursor on each.
    const streams = readers.map((r) => r.blocks(BLOCK_FRAMES)[Symbol.asyncIterator]());
    const blocks: (Float32Array[] | null)[] = [null, null];
    const offsets = [0, 0];
    let frame = 0;
    for (;;) {
      for (let s = 0; s < 2; s++) {
        while (blocks[s] === null || offsets[s] >= blocks[s]![0].length) {
          const next = await streams[s].next();
          if (next.done) { blocks[s] = null; break; }
          blocks[s] = next.value;
          offsets[s] = 0;
        }
      }
      const [p, q] = blocks;
      if (p === null || q === null) {
        if (p === null && q === null) return null;
        return `${a} ends at frame ${p === null ? frame : 'later'}, ${b} at ${q === null ? frame : 'later'}`;
      }
      const count = Math.min(p[0].length - offsets[0], q[0].length - offsets[1]);
      for (let c = 0; c < p.length; c++) {
        const u = p[c], v = q[c], i0 = offsets[0], j0 = offsets[1];
        for (let i = 0; i < count; i++) {
          if (u[i0 + i] !== v[j0 + i] && !(Number.isNaN(u[i0 + i]) && Number.isNaN(v[j0 + i]))) {
            return `frame ${frame + i}, channel ${c + 1}: ${u[i0 + i]} vs ${v[j0 + i]}`;
          }
        }
      }
      offsets[0] += count;
      offsets[1] += count;
      frame += count;
    }
  } finally {
    await Promise.all(readers.map((r) => r.close()));
  }
}
