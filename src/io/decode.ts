// Opens any supported audio file: sniffs the container from its first bytes (never trusts the
// extension alone), validates what the header claims, and guards the decoded stream against NaN/Inf.
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { MAX_CHANNELS, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from '../engine/audio.js';
import type { AudioReader, ContainerFormat } from './api.js';
import { AudioFileError } from './errors.js';
import { openWav } from './wav-read.js';

const SNIFF_BYTES = 4096;

/** Which decoder a file's first bytes call for, or null when none recognises them. */
export function sniffFormat(head: Uint8Array): ContainerFormat | null {
  const ascii = (offset: number, length: number) =>
    String.fromCharCode(...head.subarray(offset, offset + length));
  if (head.length < 4) return null;
  const magic = ascii(0, 4);
  if ((magic === 'RIFF' || magic === 'RF64' || magic === 'BW64') && ascii(8, 4) === 'WAVE') {
    return magic === 'RIFF' ? 'wav' : 'rf64';
  }
  if (magic === 'FORM' && (ascii(8, 4) === 'AIFF' || ascii(8, 4) === 'AIFC')) {
    return ascii(8, 4) === 'AIFF' ? 'aiff' : 'aifc';
  }
  if (magic === 'fLaC') return 'flac';
  if (magic === 'OggS') {
    const text = ascii(0, Math.min(head.length, 256));
    if (text.includes('OpusHead')) return 'opus';
    if (text.includes('vorbis')) return 'ogg-vorbis';
    if (text.includes('fLaC')) return 'flac';
    return null;
  }
  if (ascii(4, 4) === 'ftyp') return 'ffmpeg';
  if (magic.startsWith('ID3')) {
    // ID3v2 may front FLAC too; skip the tag (syncsafe size) and look again.
    const size = ((head[6] & 0x7f) << 21) | ((head[7] & 0x7f) << 14) | ((head[8] & 0x7f) << 7) | (head[9] & 0x7f);
    const after = 10 + size + ((head[5] & 0x10) ? 10 : 0);
    if (after + 4 <= head.length && String.fromCharCode(...head.subarray(after, after + 4)) === 'fLaC') return 'flac';
    return 'mp3';
  }
  if (isMpegAudioFrame(head, 0)) return 'mp3';
  return null;
}

function isMpegAudioFrame(bytes: Uint8Array, offset: number): boolean {
  if (offset + 4 > bytes.length) return false;
  const b1 = bytes[offset + 1];
  const b2 = bytes[offset + 2];
  return bytes[offset] === 0xff && (b1 & 0xe0) === 0xe0 && ((b1 >> 1) & 3) !== 0 // layer not reserved
    && ((b1 >> 3) & 3) !== 1 // version not reserved
    && (b2 >> 4) !== 15 && ((b2 >> 2) & 3) !== 3; // bitrate, sample-rate index valid
}

const EXPECTED_BY_EXTENSION: Record<string, string> = {
  '.wav': 'WAV', '.wave': 'WAV', '.bwf': 'WAV', '.rf64': 'RF64', '.aif': 'AIFF', '.aiff': 'AIFF',
  '.aifc': 'AIFF-C', '.flac': 'FLAC', '.mp3': 'MP3', '.ogg': 'Ogg', '.oga': 'Ogg', '.opus': 'Opus',
  '.m4a': 'M4A', '.mp4': 'MP4', '.aac': 'AAC', '.alac': 'ALAC',
};

/** Opens `path` for streaming decode. Throws AudioFileError with a one-line problem for bad input. */
export async function openAudio(path: string): Promise<AudioReader> {
  const fileStat = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new AudioFileError(path, 'no such file');
    if (error.code === 'EACCES') throw new AudioFileError(path, 'permission denied');
    throw new AudioFileError(path, `cannot read (${error.code ?? error.message})`);
  });
  if (fileStat.isDirectory()) throw new AudioFileError(path, 'is a directory, not an audio file');
  if (!fileStat.isFile()) throw new AudioFileError(path, 'is not a regular file');
  if (fileStat.size === 0) throw new AudioFileError(path, 'file is empty');

  const head = new Uint8Array(Math.min(SNIFF_BYTES, fileStat.size));
  const handle = await open(path, 'r');
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  let format = sniffFormat(head);
  if (format === null && ['.m4a', '.mp4', '.aac', '.alac', '.wma', '.ac3'].includes(extname(path).toLowerCase())) {
    format = 'ffmpeg';
  }
  if (format === null) {
    const expected = EXPECTED_BY_EXTENSION[extname(path).toLowerCase()];
    throw new AudioFileError(
      path,
      expected
        ? `not a valid ${expected} file (its header is not recognised)`
        : 'unsupported or unrecognised audio format (supported: WAV, RF64, AIFF, FLAC, MP3, Ogg Vorbis, Opus; M4A/AAC/ALAC with ffmpeg)',
    );
  }
  const reader = await openByFormat(path, format);
  return guard(reader);
}

/** WAV is loaded up front; the other decoders (wasm codecs) only when a file needs them, so the CLI starts fast. */
async function openByFormat(path: string, format: ContainerFormat): Promise<AudioReader> {
  switch (format) {
    case 'wav': case 'rf64': return openWav(path);
    case 'aiff': case 'aifc': return (await import('./aiff-read.js')).openAiff(path);
    case 'flac': return (await import('./flac-read.js')).openFlac(path);
    case 'mp3': return (await import('./mp3-read.js')).openMp3(path);
    case 'ogg-vorbis': case 'opus': return (await import('./ogg-read.js')).openOgg(path);
    case 'ffmpeg': return (await import('./ffmpeg-read.js')).openWithFfmpeg(path);
  }
}

/** Validates the stream's shape, and stops on the first non-finite sample of a float stream. */
function guard(reader: AudioReader): AudioReader {
  const { info } = reader;
  const file = info.path;
  if (!(info.channelCount >= 1)) { void reader.close(); throw new AudioFileError(file, `has ${info.channelCount} channels`); }
  if (info.channelCount > MAX_CHANNELS) {
    void reader.close();
    throw new AudioFileError(file, `has ${info.channelCount} channels; at most ${MAX_CHANNELS} are supported`);
  }
  if (!(info.sampleRate >= MIN_SAMPLE_RATE && info.sampleRate <= MAX_SAMPLE_RATE)) {
    void reader.close();
    throw new AudioFileError(file, `sample rate ${info.sampleRate} Hz is outside the supported 8-192 kHz`);
  }
  // Integer codecs (PCM, FLAC) cannot carry NaN or Inf: only float and lossy streams are scanned.
  if (info.codec.startsWith('PCM') || info.format === 'flac') return reader;
  return {
    info,
    close: () => reader.close(),
    async *blocks(blockFrames) {
      let framesSoFar = 0;
      for await (const block of reader.blocks(blockFrames)) {
        const frames = block[0]?.length ?? 0;
        for (let c = 0; c < block.length; c++) {
          const samples = block[c];
          for (let i = 0; i < frames; i++) {
            const value = samples[i];
            // x - x is 0 for finite x and NaN for NaN/Inf: one compare per sample.
            if (value - value !== 0) {
              throw new AudioFileError(file, `contains ${Number.isNaN(value) ? 'NaN' : 'infinite'} samples (first at frame ${framesSoFar + i}, channel ${c + 1})`);
            }
          }
        }
        framesSoFar += frames;
        yield block;
      }
    },
  };
}
