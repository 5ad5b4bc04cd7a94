// MPEG audio frame headers and the Xing/Info + LAME tag frame: the first frame of a gapless MP3.
// Layout (offsets from the Xing/Info id, which follows the frame header and the zeroed side info):
//   0 "Xing"|"Info", 4 flags (frames|bytes|TOC|scale), 8 frames, 12 bytes, 16 TOC[100], 116 VBR scale,
//   120 LAME version (9), 129 revision|method, 130 lowpass/100, 131 RG peak (4), 135 radio RG, 137
//   audiophile RG, 139 flags|ATH, 140 bitrate, 141 delay (12 bits) + padding (12 bits), 144 misc,
//   145 MP3 gain, 146 surround|preset, 148 music length, 152 music CRC, 154 tag CRC.
// The tag CRC is CRC-16/ARC over every frame byte before it (190 bytes for MPEG-1 stereo); the music
// CRC covers the audio frames after the tag frame. ffmpeg and mpg123 drop `delay + 529` samples at the
// start and `padding - 529` at the end, so a decoder returns exactly the encoder's input length.

/** LAME's encoder delay (samples before the music in the first frames), as its tag states it. */
export const LAME_ENCODER_DELAY = 576;

const BITRATES_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES: Record<number, number[]> = {
  3: [44100, 48000, 32000], // MPEG-1
  2: [22050, 24000, 16000], // MPEG-2
  0: [11025, 12000, 8000], // MPEG-2.5
};

export const XING_TOC_ENTRIES = 100;
/** Bytes from the Xing/Info id to the end of the LAME tag (120 Xing + 36 LAME). */
const XING_LAME_BYTES = 156;

export interface MpegFrameHeader {
  /** 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5 (the header's version bits). */
  versionBits: 0 | 2 | 3;
  sampleRate: number;
  bitrateKbps: number;
  padding: boolean;
  protection: boolean;
  /** 0 stereo, 1 joint stereo, 2 dual channel, 3 mono. */
  channelMode: 0 | 1 | 2 | 3;
  channels: 1 | 2;
  frameBytes: number;
  samplesPerFrame: 1152 | 576;
  /** Bytes from the frame start to the end of the side info (where Xing/Info sits). */
  sideInfoEnd: number;
}

/** Parses a Layer III frame header (big-endian 32 bits); null when it is not a valid one. */
export function parseMpegHeader(header: number): MpegFrameHeader | null {
  header >>>= 0;
  if ((header & 0xffe00000) >>> 0 !== 0xffe00000) return null;
  const versionBits = (header >>> 19) & 3;
  const layerBits = (header >>> 17) & 3;
  const bitrateIndex = (header >>> 12) & 15;
  const rateIndex = (header >>> 10) & 3;
  if (versionBits === 1 || layerBits !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const mpeg1 = versionBits === 3;
  const sampleRate = SAMPLE_RATES[versionBits][rateIndex];
  const bitrateKbps = (mpeg1 ? BITRATES_V1_L3 : BITRATES_V2_L3)[bitrateIndex];
  const padding = ((header >>> 9) & 1) === 1;
  const channelMode = ((header >>> 6) & 3) as 0 | 1 | 2 | 3;
  const channels = channelMode === 3 ? 1 : 2;
  const frameBytes = Math.floor(((mpeg1 ? 144 : 72) * bitrateKbps * 1000) / sampleRate) + (padding ? 1 : 0);
  const sideInfo = mpeg1 ? (channels === 1 ? 17 : 32) : channels === 1 ? 9 : 17;
  return {
    versionBits: versionBits as 0 | 2 | 3,
    sampleRate,
    bitrateKbps,
    padding,
    protection: ((header >>> 16) & 1) === 0,
    channelMode,
    channels,
    frameBytes,
    samplesPerFrame: mpeg1 ? 1152 : 576,
    sideInfoEnd: 4 + sideInfo,
  };
}

export function readUint32BE(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
}

function writeUint32BE(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = (value >>> 24) & 0xff;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
}

const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-16/ARC (poly 0x8005 reflected, init 0), as LAME uses for the music and tag CRCs. Chainable. */
export function crc16(bytes: Uint8Array, crc = 0): number {
  for (let i = 0; i < bytes.length; i++) crc = (crc >>> 8) ^ CRC16_TABLE[(crc ^ bytes[i]) & 0xff];
  return crc;
}

/** The 4-byte header of a frame like `template` but with another bitrate, no padding and no CRC. */
function tagFrameHeader(template: number, bitrateKbps: number): number {
  const parsed = parseMpegHeader(template);
  if (!parsed) throw new Error(`not an MPEG Layer III header: 0x${(template >>> 0).toString(16)}`);
  const table = parsed.versionBits === 3 ? BITRATES_V1_L3 : BITRATES_V2_L3;
  const index = table.indexOf(bitrateKbps);
  if (index <= 0) throw new Error(`${bitrateKbps} kb/s is not a Layer III bitrate for ${parsed.sampleRate} Hz`);
  let header = template >>> 0;
  header = (header & ~(0xf << 12)) | (index << 12); // bitrate index
  header &= ~(1 << 9); // no padding
  header |= 1 << 16; // protection bit set = no CRC
  return header >>> 0;
}

/** A Layer III header for `sampleRate` (MPEG-1/2/2.5 chosen by rate), for when no audio frame exists yet. */
export function makeMpegHeader(sampleRate: number, channels: 1 | 2, bitrateKbps: number): number {
  const versionBits = Number(Object.keys(SAMPLE_RATES).find((v) => SAMPLE_RATES[Number(v)].includes(sampleRate)) ?? -1);
  if (versionBits < 0) throw new Error(`${sampleRate} Hz is not an MPEG audio sample rate`);
  const rateIndex = SAMPLE_RATES[versionBits].indexOf(sampleRate);
  const mode = channels === 1 ? 3 : 1;
  const base = (0xffe00000 | (versionBits << 19) | (1 << 17) | (1 << 16) | (rateIndex << 10) | (mode << 6) | (1 << 12) | (1 << 2)) >>> 0;
  return tagFrameHeader(base, bitrateKbps);
}

/**
 * The smallest bitrate ≥ `preferredKbps` whose frame holds the Xing + LAME tag; the tag frame is
 * `frameBytes` long. LAME uses the stream's bitrate for CBR ("Info") and 128 kb/s (MPEG-1) for VBR.
 */
export function lameTagFrameLayout(sampleRate: number, channels: 1 | 2, preferredKbps: number): { bitrateKbps: number; frameBytes: number } {
  const header = makeMpegHeader(sampleRate, channels, preferredKbps);
  const parsed = parseMpegHeader(header)!;
  const table = parsed.versionBits === 3 ? BITRATES_V1_L3 : BITRATES_V2_L3;
  for (const kbps of table) {
    if (kbps < preferredKbps) continue;
    const frame = parseMpegHeader(tagFrameHeader(header, kbps))!;
    if (frame.frameBytes >= frame.sideInfoEnd + XING_LAME_BYTES) return { bitrateKbps: kbps, frameBytes: frame.frameBytes };
  }
  throw new Error(`no Layer III bitrate at ${sampleRate} Hz holds a LAME tag`);
}

export interface LameTagFields {
  /**
   * A header of the stream (we pass the first audio frame's): version, rate, channel mode and
   * extension, copyright/original/emphasis are copied; LAME itself copies its last frame's.
   */
  firstFrameHeader: number;
  /** Bitrate of the tag frame itself (see lameTagFrameLayout). */
  tagBitrateKbps: number;
  /** "Xing" for VBR, "Info" for CBR. */
  vbr: boolean;
  /** Audio frames, not counting the tag frame. */
  frameCount: number;
  /** Bytes from the first byte of the tag frame to the last byte of audio. */
  streamBytes: number;
  toc: Uint8Array;
  /** The Xing "VBR scale" field (LAME: 100 - 10 × VBR quality - algorithm quality). */
  quality: number;
  /** Encoder delay in samples as LAME states it (576 for LAME; decoders add their 529). */
  encoderDelay: number;
  /** Samples appended after the music in the last frames. */
  padding: number;
  /** CRC-16 of the audio frames. */
  musicCrc: number;
  /** 9 bytes; must start with "LAME" for ffmpeg to honour the delay and padding. */
  encoderVersion?: string;
  tagRevision?: number;
  /** 1 CBR, 2 ABR, 3 VBR rh, 4 VBR mtrh, ... */
  vbrMethod: number;
  lowpassHz?: number;
  replayGainPeak?: number;
  radioReplayGain?: number;
  audiophileReplayGain?: number;
  encodingFlags?: number;
  athType?: number;
  /** ABR: target bitrate; otherwise the minimal bitrate (255 means ≥ 255). */
  bitrateKbps?: number;
  noiseShaping?: number;
  /** 0 mono, 1 stereo, 2 dual, 3 joint, 4 forced, 5 auto, 6 intensity, 7 other. */
  stereoMode?: number;
  unwiseSettings?: boolean;
  /** Input sample rate when the encoder resampled (default: the stream's). */
  sourceSampleRate?: number;
  mp3Gain?: number;
  surround?: number;
  presetId?: number;
}

/** Builds the whole tag frame (its size follows from `tagBitrateKbps` and the sample rate). */
export function buildLameTagFrame(fields: LameTagFields): Uint8Array {
  const header = tagFrameHeader(fields.firstFrameHeader, fields.tagBitrateKbps);
  const parsed = parseMpegHeader(header)!;
  const frame = new Uint8Array(parsed.frameBytes);
  const start = parsed.sideInfoEnd;
  if (frame.length < start + XING_LAME_BYTES) {
    throw new Error(`a ${fields.tagBitrateKbps} kb/s frame (${frame.length} bytes) cannot hold the LAME tag`);
  }
  if (fields.toc.length !== XING_TOC_ENTRIES) throw new Error('the Xing TOC has 100 entries');
  if (!(fields.encoderDelay >= 0 && fields.encoderDelay < 4096 && fields.padding >= 0 && fields.padding < 4096)) {
    throw new Error(`encoder delay ${fields.encoderDelay} / padding ${fields.padding} do not fit the LAME tag's 12 bits`);
  }
  writeUint32BE(frame, 0, header);
  let p = start;
  const ascii = (text: string, length: number) => {
    for (let i = 0; i < length; i++) frame[p + i] = i < text.length ? text.charCodeAt(i) & 0xff : 0;
    p += length;
  };
  const u8 = (value: number) => { frame[p++] = value & 0xff; };
  const u16 = (value: number) => { frame[p++] = (value >>> 8) & 0xff; frame[p++] = value & 0xff; };
  const u32 = (value: number) => { writeUint32BE(frame, p, value >>> 0); p += 4; };

  ascii(fields.vbr ? 'Xing' : 'Info', 4);
  u32(0x0f); // frames, bytes, TOC, VBR scale present
  u32(fields.frameCount);
  u32(fields.streamBytes);
  frame.set(fields.toc, p);
  p += XING_TOC_ENTRIES;
  u32(fields.quality);

  ascii(fields.encoderVersion ?? 'LAME3.100', 9);
  u8(((fields.tagRevision ?? 0) << 4) | (fields.vbrMethod & 15));
  u8(Math.min(255, Math.floor((fields.lowpassHz ?? 0) / 100 + 0.5)));
  u32(fields.replayGainPeak ?? 0);
  u16(fields.radioReplayGain ?? 0);
  u16(fields.audiophileReplayGain ?? 0);
  u8(((fields.encodingFlags ?? 0) << 4) | ((fields.athType ?? 0) & 15));
  u8(Math.min(255, fields.bitrateKbps ?? 0));
  u8(fields.encoderDelay >>> 4);
  u8(((fields.encoderDelay & 15) << 4) | (fields.padding >>> 8));
  u8(fields.padding & 0xff);
  const source = fields.sourceSampleRate ?? parsed.sampleRate;
  const rateCode = source <= 32000 ? 0 : source === 44100 ? 1 : source === 48000 ? 2 : 3;
  const stereoMode = fields.stereoMode ?? (parsed.channels === 1 ? 0 : parsed.channelMode === 1 ? 3 : 1);
  u8((fields.noiseShaping ?? 1) & 3 | ((stereoMode & 7) << 2) | ((fields.unwiseSettings ? 1 : 0) << 5) | (rateCode << 6));
  u8(fields.mp3Gain ?? 0);
  u16((((fields.surround ?? 0) & 7) << 11) | ((fields.presetId ?? 0) & 0x7ff));
  u32(fields.streamBytes);
  u16(fields.musicCrc);
  u16(crc16(frame.subarray(0, p)));
  return frame;
}

/**
 * The Xing TOC: entry i is 256 × (where the frame at i % of the duration starts) / audioBytes, with
 * offsets counted from the first audio frame after the tag frame (LAME sums frame sizes the same way,
 * and ffmpeg adds the TOC positions to the end of the tag frame). `frameStarts[j]` is audio frame j's offset.
 */
export function buildXingToc(frameStarts: ArrayLike<number>, audioBytes: number): Uint8Array {
  const toc = new Uint8Array(XING_TOC_ENTRIES);
  const count = frameStarts.length;
  if (count === 0 || audioBytes <= 0) return toc;
  for (let i = 1; i < XING_TOC_ENTRIES; i++) {
    const frame = Math.min(count - 1, Math.floor((i * count) / XING_TOC_ENTRIES));
    toc[i] = Math.min(255, Math.floor((256 * frameStarts[frame]) / audioBytes));
  }
  return toc;
}

export interface ParsedXingFrame {
  header: MpegFrameHeader;
  kind: 'Xing' | 'Info';
  frames: number | null;
  bytes: number | null;
  toc: Uint8Array | null;
  quality: number | null;
  lame: null | {
    version: string;
    revision: number;
    vbrMethod: number;
    lowpassHz: number;
    replayGainPeak: number;
    radioReplayGain: number;
    audiophileReplayGain: number;
    encodingFlags: number;
    athType: number;
    bitrateKbps: number;
    encoderDelay: number;
    padding: number;
    noiseShaping: number;
    stereoMode: number;
    unwiseSettings: boolean;
    /** 0 ≤ 32 kHz, 1 44.1 kHz, 2 48 kHz, 3 > 48 kHz. */
    sourceRateCode: number;
    mp3Gain: number;
    surround: number;
    presetId: number;
    musicLength: number;
    musicCrc: number;
    tagCrc: number;
    /** Whether the tag CRC matches the bytes before it. */
    tagCrcOk: boolean;
  };
}

/** Reads a Xing/Info (+ LAME) frame; null when `frame` (starting at a frame header) is not one. */
export function parseXingFrame(frame: Uint8Array): ParsedXingFrame | null {
  if (frame.length < 4) return null;
  const header = parseMpegHeader(readUint32BE(frame, 0));
  if (!header) return null;
  let p = header.sideInfoEnd;
  if (frame.length < p + 8) return null;
  const id = String.fromCharCode(...frame.subarray(p, p + 4));
  if (id !== 'Xing' && id !== 'Info') return null;
  const flags = readUint32BE(frame, p + 4);
  p += 8;
  const field = (bit: number, size: number) => {
    if (!(flags & bit)) return null;
    const at = p;
    p += size;
    return at;
  };
  const framesAt = field(1, 4);
  const bytesAt = field(2, 4);
  const tocAt = field(4, XING_TOC_ENTRIES);
  const qualityAt = field(8, 4);
  const result: ParsedXingFrame = {
    header,
    kind: id,
    frames: framesAt === null ? null : readUint32BE(frame, framesAt),
    bytes: bytesAt === null ? null : readUint32BE(frame, bytesAt),
    toc: tocAt === null ? null : frame.slice(tocAt, tocAt + XING_TOC_ENTRIES),
    quality: qualityAt === null ? null : readUint32BE(frame, qualityAt),
    lame: null,
  };
  if (frame.length >= p + 36 && /^[A-Za-z]{4}/.test(String.fromCharCode(...frame.subarray(p, p + 4)))) {
    const l = frame.subarray(p, p + 36);
    result.lame = {
      version: String.fromCharCode(...l.subarray(0, 9)).replace(/\0+$/, ''),
      revision: l[9] >>> 4,
      vbrMethod: l[9] & 15,
      lowpassHz: l[10] * 100,
      replayGainPeak: readUint32BE(l, 11),
      radioReplayGain: (l[15] << 8) | l[16],
      audiophileReplayGain: (l[17] << 8) | l[18],
      encodingFlags: l[19] >>> 4,
      athType: l[19] & 15,
      bitrateKbps: l[20],
      encoderDelay: (l[21] << 4) | (l[22] >>> 4),
      padding: ((l[22] & 15) << 8) | l[23],
      noiseShaping: l[24] & 3,
      stereoMode: (l[24] >>> 2) & 7,
      unwiseSettings: ((l[24] >>> 5) & 1) === 1,
      sourceRateCode: l[24] >>> 6,
      mp3Gain: l[25],
      surround: (l[26] >>> 3) & 7,
      presetId: ((l[26] << 8) | l[27]) & 0x7ff,
      musicLength: readUint32BE(l, 28),
      musicCrc: (l[32] << 8) | l[33],
      tagCrc: (l[34] << 8) | l[35],
      tagCrcOk: crc16(frame.subarray(0, p + 34)) === ((l[34] << 8) | l[35]),
    };
  }
  return result;
}
