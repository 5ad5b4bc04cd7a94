// ID3v2.4 tag writer: text frames in UTF-8 (encoding 3), syncsafe sizes, no unsynchronisation.
import type { AudioMetadata } from './api.js';

const encoder = new TextEncoder();

/** The 28-bit syncsafe form of `size` (7 bits per byte). */
export function syncsafe(size: number): Uint8Array {
  if (!Number.isInteger(size) || size < 0 || size >= 2 ** 28) throw new Error(`ID3v2 size ${size} out of range`);
  return Uint8Array.of((size >>> 21) & 0x7f, (size >>> 14) & 0x7f, (size >>> 7) & 0x7f, size & 0x7f);
}

export function readSyncsafe(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] & 0x7f) << 21) | ((bytes[offset + 1] & 0x7f) << 14) | ((bytes[offset + 2] & 0x7f) << 7) | (bytes[offset + 3] & 0x7f);
}

/** One frame: 4-char id, syncsafe size, no flags. */
export function id3Frame(id: string, body: Uint8Array): Uint8Array {
  if (!/^[A-Z0-9]{4}$/.test(id)) throw new Error(`bad ID3v2 frame id ${JSON.stringify(id)}`);
  const frame = new Uint8Array(10 + body.length);
  for (let i = 0; i < 4; i++) frame[i] = id.charCodeAt(i);
  frame.set(syncsafe(body.length), 4);
  frame.set(body, 10);
  return frame;
}

/** NUL separates values in v2.4 text frames; a tag value must not smuggle one in. */
function clean(text: string): string {
  return text.replace(/\0/g, '').trim();
}

/** A text frame (T***): encoding byte 3 (UTF-8), then the text. */
export function id3TextFrame(id: string, text: string): Uint8Array {
  const utf8 = encoder.encode(clean(text));
  const body = new Uint8Array(1 + utf8.length);
  body[0] = 3;
  body.set(utf8, 1);
  return id3Frame(id, body);
}

/** COMM: encoding 3, language, empty description (NUL-terminated), text. */
export function id3CommentFrame(text: string, language = 'eng', description = ''): Uint8Array {
  if (!/^[a-z]{3}$/.test(language)) throw new Error(`bad ID3v2 language code ${JSON.stringify(language)}`);
  const desc = encoder.encode(clean(description));
  const utf8 = encoder.encode(clean(text));
  const body = new Uint8Array(1 + 3 + desc.length + 1 + utf8.length);
  body[0] = 3;
  for (let i = 0; i < 3; i++) body[1 + i] = language.charCodeAt(i);
  body.set(desc, 4);
  body.set(utf8, 5 + desc.length);
  return id3Frame('COMM', body);
}

/** The frames AudioMetadata maps to, in a stable order. */
export function id3FramesFor(metadata: AudioMetadata): Uint8Array[] {
  const frames: Uint8Array[] = [];
  const text = (id: string, value: string | undefined) => {
    if (value !== undefined && clean(value) !== '') frames.push(id3TextFrame(id, value));
  };
  text('TIT2', metadata.title);
  text('TPE1', metadata.artist);
  text('TALB', metadata.album);
  text('TPE2', metadata.albumArtist);
  text('TDRC', metadata.year);
  text('TCON', metadata.genre);
  if (metadata.track !== undefined) {
    if (!Number.isInteger(metadata.track) || metadata.track < 1) throw new Error(`track number ${metadata.track} is not a positive integer`);
    text('TRCK', String(metadata.track));
  }
  text('TSRC', metadata.isrc);
  if (metadata.comment !== undefined && clean(metadata.comment) !== '') frames.push(id3CommentFrame(metadata.comment));
  text('TSSE', metadata.encodedBy);
  return frames;
}

/**
 * A whole ID3v2.4 tag for `metadata` (header + frames + `padding` zero bytes); an empty array when
 * there is nothing to tag.
 */
export function buildId3v24(metadata: AudioMetadata | undefined, options: { padding?: number } = {}): Uint8Array {
  const frames = metadata ? id3FramesFor(metadata) : [];
  if (frames.length === 0) return new Uint8Array(0);
  const padding = options.padding ?? 0;
  const bodySize = frames.reduce((sum, frame) => sum + frame.length, 0) + padding;
  const tag = new Uint8Array(10 + bodySize);
  tag.set([0x49, 0x44, 0x33, 4, 0, 0], 0); // "ID3", v2.4.0, no flags
  tag.set(syncsafe(bodySize), 6);
  let offset = 10;
  for (const frame of frames) {
    tag.set(frame, offset);
    offset += frame.length;
  }
  return tag;
}
