// Vorbis comments (FLAC VORBIS_COMMENT blocks and Ogg comment headers share the format).
import type { AudioMetadata } from './api.js';

/** Vorbis-comment field → metadata (FLAC and Ogg share the format). */
const COMMENT_FIELDS: Record<string, keyof AudioMetadata> = {
  TITLE: 'title', ARTIST: 'artist', ALBUM: 'album', ALBUMARTIST: 'albumArtist', 'ALBUM ARTIST': 'albumArtist',
  DATE: 'year', YEAR: 'year', GENRE: 'genre', TRACKNUMBER: 'track', ISRC: 'isrc', COMMENT: 'comment',
  DESCRIPTION: 'comment', ENCODEDBY: 'encodedBy', 'ENCODED-BY': 'encodedBy',
};

/**
 * Parses a Vorbis comment block (vendor string, then count × "KEY=value", all lengths u32le)
 * into metadata plus the raw fields (upper-cased keys, first value wins).
 */
export function parseVorbisComments(bytes: Uint8Array): { metadata: AudioMetadata; fields: Map<string, string> } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder();
  const fields = new Map<string, string>();
  const metadata: AudioMetadata = {};
  let offset = 0;
  const u32 = () => (offset + 4 <= bytes.length ? view.getUint32((offset += 4) - 4, true) : -1);
  const vendorLength = u32();
  if (vendorLength < 0 || offset + vendorLength > bytes.length) return { metadata, fields };
  offset += vendorLength;
  const count = u32();
  for (let i = 0; i < count; i++) {
    const length = u32();
    if (length < 0 || offset + length > bytes.length) break; // damaged tag: keep what parsed
    const text = decoder.decode(bytes.subarray(offset, offset + length));
    offset += length;
    const equals = text.indexOf('=');
    if (equals <= 0) continue;
    const key = text.slice(0, equals).toUpperCase();
    const value = text.slice(equals + 1).trim();
    if (fields.has(key) || value === '') continue;
    fields.set(key, value);
    const field = COMMENT_FIELDS[key];
    if (field === 'track') {
      const track = Number.parseInt(value, 10); // "3/12" → 3
      if (Number.isFinite(track) && track > 0) metadata.track = track;
    } else if (field && metadata[field] === undefined) {
      metadata[field] = value;
    }
  }
  return { metadata, fields };
}
