// Tempo-synced note lengths: '1/4' is a quarter note (one beat), '1/8.' dotted (×1.5), '1/8t' triplet (×2/3).

/** A note value 'n/d' with an optional '.' (dotted) or 't' (triplet) suffix, e.g. '1/4', '3/16', '1/8.', '1/8t'. */
export type NoteValue = `${number}/${number}` | `${number}/${number}.` | `${number}/${number}t`;

const NOTE = /^(\d+)\/(\d+)([.t]?)$/;

/** Length of a note value at `bpm` quarter notes per minute, in seconds (a whole note is four beats). */
export function noteSeconds(bpm: number, note: NoteValue): number {
  if (!(bpm > 0 && Number.isFinite(bpm))) throw new RangeError(`tempo must be a positive number of bpm, got ${bpm}`);
  const match = NOTE.exec(note);
  if (!match || Number(match[1]) === 0 || Number(match[2]) === 0) throw new RangeError(`not a note value: '${note}' (expected e.g. '1/8', '1/4.', '1/8t')`);
  const modifier = match[3] === '.' ? 1.5 : match[3] === 't' ? 2 / 3 : 1;
  return ((60 / bpm) * 4 * Number(match[1]) * modifier) / Number(match[2]);
}
