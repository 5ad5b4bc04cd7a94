import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMp3Encoder } from 'wasm-media-encoders';
import { buildId3v24, id3CommentFrame, id3TextFrame, readSyncsafe, syncsafe } from './id3.js';
import type { AudioMetadata } from './api.js';
import { hasTool, runTool, tempDir } from '../../test/support/tools.js';

const METADATA: AudioMetadata = {
  title: 'Naïve Song ☃',
  artist: 'Ärtist',
  album: 'The Album',
  albumArtist: 'Various',
  year: '2024',
  genre: 'Electronic',
  track: 7,
  isrc: 'GBAYE0601498',
  comment: 'mastered — loud',
  encodedBy: 'mixmaster 0.1',
};

/** Frames of a v2.4 tag as {id, body}. */
function parseTag(tag: Uint8Array): { id: string; body: Uint8Array }[] {
  assert.equal(String.fromCharCode(...tag.subarray(0, 3)), 'ID3');
  assert.deepEqual([...tag.subarray(3, 6)], [4, 0, 0]);
  const size = readSyncsafe(tag, 6);
  assert.equal(size + 10, tag.length);
  const frames: { id: string; body: Uint8Array }[] = [];
  let p = 10;
  while (p + 10 <= tag.length && tag[p] !== 0) {
    const id = String.fromCharCode(...tag.subarray(p, p + 4));
    const length = readSyncsafe(tag, p + 4);
    assert.deepEqual([...tag.subarray(p + 8, p + 10)], [0, 0], 'no frame flags');
    frames.push({ id, body: tag.subarray(p + 10, p + 10 + length) });
    p += 10 + length;
  }
  return frames;
}

test('syncsafe integers use 7 bits per byte', () => {
  assert.deepEqual([...syncsafe(0)], [0, 0, 0, 0]);
  assert.deepEqual([...syncsafe(300)], [0, 0, 2, 44]);
  assert.deepEqual([...syncsafe(2 ** 28 - 1)], [0x7f, 0x7f, 0x7f, 0x7f]);
  for (const n of [1, 127, 128, 16383, 16384, 1234567, 2 ** 28 - 1]) assert.equal(readSyncsafe(syncsafe(n), 0), n);
  assert.throws(() => syncsafe(2 ** 28));
});

test('text frames are UTF-8 (encoding 3) with syncsafe sizes', () => {
  const frame = id3TextFrame('TIT2', 'Ä☃');
  assert.equal(String.fromCharCode(...frame.subarray(0, 4)), 'TIT2');
  assert.equal(readSyncsafe(frame, 4), 1 + 5);
  assert.equal(frame[10], 3);
  assert.equal(new TextDecoder().decode(frame.subarray(11)), 'Ä☃');
  // A NUL would split the value into two in v2.4.
  assert.equal(new TextDecoder().decode(id3TextFrame('TIT2', 'a\0b').subarray(11)), 'ab');
});

test('COMM carries encoding, language, empty description and text', () => {
  const frame = id3CommentFrame('hi');
  assert.deepEqual([...frame.subarray(10)], [3, 0x65, 0x6e, 0x67, 0, 0x68, 0x69]);
});

test('buildId3v24 maps every AudioMetadata field to its frame', () => {
  const frames = parseTag(buildId3v24(METADATA));
  const text = (id: string) => {
    const frame = frames.find((f) => f.id === id);
    assert.ok(frame, `${id} present`);
    assert.equal(frame.body[0], 3);
    return new TextDecoder().decode(frame.body.subarray(1));
  };
  assert.deepEqual(frames.map((f) => f.id), ['TIT2', 'TPE1', 'TALB', 'TPE2', 'TDRC', 'TCON', 'TRCK', 'TSRC', 'COMM', 'TSSE']);
  assert.equal(text('TIT2'), METADATA.title);
  assert.equal(text('TPE1'), METADATA.artist);
  assert.equal(text('TALB'), METADATA.album);
  assert.equal(text('TPE2'), METADATA.albumArtist);
  assert.equal(text('TDRC'), '2024');
  assert.equal(text('TCON'), 'Electronic');
  assert.equal(text('TRCK'), '7');
  assert.equal(text('TSRC'), 'GBAYE0601498');
  assert.equal(text('TSSE'), 'mixmaster 0.1');
  assert.equal(new TextDecoder().decode(frames.find((f) => f.id === 'COMM')!.body.subarray(5)), METADATA.comment);
});

test('no metadata gives no tag; padding is counted in the tag size', () => {
  assert.equal(buildId3v24(undefined).length, 0);
  assert.equal(buildId3v24({}).length, 0);
  assert.equal(buildId3v24({ title: '  ' }).length, 0);
  const padded = buildId3v24({ title: 'x' }, { padding: 100 });
  assert.equal(readSyncsafe(padded, 6), 10 + 2 + 100);
  assert.equal(parseTag(padded).length, 1);
  assert.throws(() => buildId3v24({ track: 0 }), /track/);
  assert.throws(() => buildId3v24({ track: 1.5 }), /track/);
});

test('ffprobe reads the tag in front of MPEG audio', { skip: !hasTool('ffprobe') }, async () => {
  const encoder = await createMp3Encoder();
  encoder.configure({ sampleRate: 44100, channels: 1, bitrate: 128 });
  const audio = new Float32Array(44100).map((_, i) => 0.3 * Math.sin(i / 10));
  const frames = [encoder.encode([audio]).slice(), encoder.finalize().slice()];
  const tag = buildId3v24(METADATA);
  const file = join(tempDir(), 'tagged.mp3');
  writeFileSync(file, Buffer.concat([tag, ...frames]));
  const probe = JSON.parse(runTool('ffprobe', ['-v', 'error', '-show_format', '-print_format', 'json', file]));
  const tags = probe.format.tags;
  assert.equal(tags.title, METADATA.title);
  assert.equal(tags.artist, METADATA.artist);
  assert.equal(tags.album, METADATA.album);
  assert.equal(tags.album_artist, METADATA.albumArtist);
  assert.equal(tags.date, '2024');
  assert.equal(tags.genre, 'Electronic');
  assert.equal(tags.track, '7');
  assert.equal(tags.TSRC, 'GBAYE0601498');
  assert.equal(tags.comment, METADATA.comment);
  assert.equal(tags.encoder, 'mixmaster 0.1');
});
