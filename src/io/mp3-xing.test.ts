import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildLameTagFrame,
  buildXingToc,
  crc16,
  lameTagFrameLayout,
  makeMpegHeader,
  parseMpegHeader,
  parseXingFrame,
  readUint32BE,
} from './mp3-xing.js';
import { hasTool, runTool, tempDir } from '../../test/support/tools.js';

test('parseMpegHeader: Layer III sizes for MPEG-1 rates and modes', () => {
  const joint320 = parseMpegHeader(0xfffbe044)!;
  assert.equal(joint320.versionBits, 3);
  assert.equal(joint320.sampleRate, 44100);
  assert.equal(joint320.bitrateKbps, 320);
  assert.equal(joint320.channelMode, 1);
  assert.equal(joint320.frameBytes, 1044);
  assert.equal(joint320.sideInfoEnd, 36);
  assert.equal(joint320.samplesPerFrame, 1152);
  assert.equal(parseMpegHeader(0xfffbe244)!.frameBytes, 1045, 'padding bit adds a byte');
  assert.equal(parseMpegHeader(0xfffb9044)!.frameBytes, 417);
  assert.equal(parseMpegHeader(0xfffbe464)!.frameBytes, 960); // 48 kHz
  assert.equal(parseMpegHeader(0xfffbe844)!.frameBytes, 1440); // 32 kHz
  const mono = parseMpegHeader(0xfffb90c4)!;
  assert.equal(mono.channels, 1);
  assert.equal(mono.sideInfoEnd, 21);
  assert.equal(parseMpegHeader(0xfff3e044)!.samplesPerFrame, 576); // MPEG-2
  assert.equal(parseMpegHeader(0x12345678), null);
  assert.equal(parseMpegHeader(0xfffbf044), null, 'bitrate index 15 is invalid');
  assert.equal(parseMpegHeader(0xfffd9044), null, 'Layer II is not Layer III');
});

test('crc16 is CRC-16/ARC', () => {
  assert.equal(crc16(new TextEncoder().encode('123456789')), 0xbb3d);
  assert.equal(crc16(new Uint8Array(0)), 0);
  const bytes = new TextEncoder().encode('chained input');
  assert.equal(crc16(bytes.subarray(5), crc16(bytes.subarray(0, 5))), crc16(bytes));
});

test('lameTagFrameLayout: the stream bitrate for CBR, the smallest that fits otherwise', () => {
  assert.deepEqual(lameTagFrameLayout(44100, 2, 320), { bitrateKbps: 320, frameBytes: 1044 });
  assert.deepEqual(lameTagFrameLayout(44100, 2, 128), { bitrateKbps: 128, frameBytes: 417 });
  assert.deepEqual(lameTagFrameLayout(48000, 2, 128), { bitrateKbps: 128, frameBytes: 384 });
  assert.deepEqual(lameTagFrameLayout(32000, 2, 128), { bitrateKbps: 128, frameBytes: 576 });
  // 32 kb/s at 48 kHz is 96 bytes: too small for the 192-byte tag.
  assert.deepEqual(lameTagFrameLayout(48000, 2, 32), { bitrateKbps: 64, frameBytes: 192 });
  assert.deepEqual(lameTagFrameLayout(32000, 1, 32), { bitrateKbps: 40, frameBytes: 180 });
  assert.throws(() => makeMpegHeader(44100, 2, 56.5));
});

test('buildXingToc: byte position of each percent of the duration', () => {
  const starts = Array.from({ length: 1000 }, (_, i) => i * 100); // equal frames
  const toc = buildXingToc(starts, 100_000);
  assert.equal(toc.length, 100);
  for (let i = 0; i < 100; i++) assert.equal(toc[i], Math.floor((256 * i) / 100));
  assert.deepEqual([...buildXingToc([], 0)], new Array(100).fill(0));
  // Few frames: entries repeat but never decrease.
  const short = buildXingToc([0, 400, 800], 1200);
  for (let i = 1; i < 100; i++) assert.ok(short[i] >= short[i - 1]);
});

test('buildLameTagFrame writes the documented offsets and a valid tag CRC', () => {
  const toc = buildXingToc(Array.from({ length: 50 }, (_, i) => i * 1044), 50 * 1044);
  const frame = buildLameTagFrame({
    firstFrameHeader: 0xfffbe664, // joint stereo, padded, 48 kHz: the tag copies mode, not padding
    tagBitrateKbps: 320,
    vbr: false,
    frameCount: 50,
    streamBytes: 51 * 960,
    toc,
    quality: 57,
    encoderDelay: 576,
    padding: 1234,
    musicCrc: 0xbeef,
    vbrMethod: 1,
    lowpassHz: 20500,
    encodingFlags: 3,
    athType: 4,
    bitrateKbps: 320,
    presetId: 320,
  });
  assert.equal(frame.length, 960);
  assert.equal(readUint32BE(frame, 0), 0xfffbe464, 'bitrate kept, padding cleared, mode copied');
  assert.deepEqual([...frame.subarray(4, 36)], new Array(32).fill(0), 'side info is zero');
  assert.equal(String.fromCharCode(...frame.subarray(36, 40)), 'Info');
  assert.equal(readUint32BE(frame, 40), 15);
  assert.equal(readUint32BE(frame, 44), 50);
  assert.equal(readUint32BE(frame, 48), 51 * 960);
  assert.deepEqual(frame.subarray(52, 152), toc);
  assert.equal(String.fromCharCode(...frame.subarray(0x9c, 0x9c + 9)), 'LAME3.100');
  // Delay and padding: 12 + 12 bits at 0x8D after the "Info" id.
  const d = 36 + 0x8d;
  assert.equal((frame[d] << 4) | (frame[d + 1] >> 4), 576);
  assert.equal(((frame[d + 1] & 15) << 8) | frame[d + 2], 1234);
  assert.equal((frame[188] << 8) | frame[189], 0xbeef);
  assert.equal((frame[190] << 8) | frame[191], crc16(frame.subarray(0, 190)));
  assert.deepEqual([...frame.subarray(192)], new Array(960 - 192).fill(0));
  const parsed = parseXingFrame(frame)!;
  assert.equal(parsed.kind, 'Info');
  assert.equal(parsed.lame!.tagCrcOk, true);
  assert.equal(parsed.lame!.padding, 1234);
  assert.equal(parsed.lame!.sourceRateCode, 2);
  assert.equal(parsed.lame!.stereoMode, 3);
  assert.throws(() => buildLameTagFrame({ ...parsed.lame!, firstFrameHeader: 0xfffbe464, tagBitrateKbps: 320, vbr: false, frameCount: 1, streamBytes: 1, toc, quality: 0, padding: 4096, musicCrc: 0 }), /12 bits/);
});

/** Every frame after the tag frame: its start (from the first audio byte) and size. */
function scanFrames(bytes: Uint8Array, from: number): { starts: number[]; end: number } {
  const starts: number[] = [];
  let p = from;
  while (p + 4 <= bytes.length) {
    const header = parseMpegHeader(readUint32BE(bytes, p));
    if (!header) break;
    starts.push(p - from);
    p += header.frameBytes;
  }
  return { starts, end: p };
}

const lameCases = [
  { name: 'CBR 320 stereo 44.1 kHz', rate: 44100, args: ['-b', '320'] },
  { name: 'V0 stereo 48 kHz', rate: 48000, args: ['-V', '0'] },
  { name: 'CBR 128 mono 32 kHz', rate: 32000, args: ['-b', '128', '-m', 'm'] },
  { name: 'V2 stereo 44.1 kHz, no ReplayGain', rate: 44100, args: ['-V', '2', '--noreplaygain'] },
];

for (const c of lameCases) {
  test(`rebuilds the LAME 3.100 tag of lame ${c.args.join(' ')} byte for byte (${c.name})`, { skip: !hasTool('lame') || !hasTool('sox') }, () => {
    const dir = tempDir();
    const wav = join(dir, 'in.wav');
    const mp3 = join(dir, 'out.mp3');
    runTool('sox', ['-r', String(c.rate), '-c', '2', '-n', '-b', '16', wav, 'synth', '7.3', 'pinknoise', 'vol', '0.5']);
    runTool('lame', ['--silent', ...c.args, wav, mp3]);
    const bytes = new Uint8Array(readFileSync(mp3));
    const parsed = parseXingFrame(bytes)!;
    assert.ok(parsed && parsed.lame, 'lame wrote a Xing/Info + LAME frame');
    assert.equal(parsed.lame.tagCrcOk, true, 'our CRC-16 agrees with the tag CRC LAME wrote');
    assert.equal(parsed.kind, c.args[0] === '-b' ? 'Info' : 'Xing');
    const tagBytes = parsed.header.frameBytes;
    const { starts, end } = scanFrames(bytes, tagBytes);
    const audio = bytes.subarray(tagBytes, end);
    assert.equal(parsed.frames, starts.length);
    assert.equal(parsed.bytes, end);
    assert.equal(parsed.lame.musicLength, end);
    assert.equal(crc16(audio), parsed.lame.musicCrc, 'music CRC covers the frames after the tag');

    const { lame } = parsed;
    const rebuilt = buildLameTagFrame({
      ...lame,
      firstFrameHeader: readUint32BE(bytes, 0), // LAME copies its last frame's mode extension
      tagBitrateKbps: parsed.header.bitrateKbps,
      vbr: parsed.kind === 'Xing',
      frameCount: parsed.frames!,
      streamBytes: parsed.bytes!,
      toc: parsed.toc!,
      quality: parsed.quality!,
      encoderVersion: lame.version,
      tagRevision: lame.revision,
      sourceSampleRate: c.rate,
      musicCrc: crc16(audio),
    });
    assert.deepEqual(rebuilt, bytes.subarray(0, tagBytes));

    // Our TOC (exact frame starts) against LAME's (sampled bitrate sums).
    const toc = buildXingToc(starts, audio.length);
    for (let i = 0; i < 100; i++) assert.ok(Math.abs(toc[i] - parsed.toc![i]) <= 3, `TOC[${i}] ${toc[i]} vs LAME ${parsed.toc![i]}`);
  });
}

test('parseXingFrame ignores ordinary audio frames', () => {
  const frame = new Uint8Array(1044);
  frame.set([0xff, 0xfb, 0xe0, 0x44]);
  assert.equal(parseXingFrame(frame), null);
  assert.equal(parseXingFrame(new Uint8Array(3)), null);
});
