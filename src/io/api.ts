// Shared types of the node-side I/O: readers yield planar Float32 blocks, writers take them.
import type { ChannelLabel } from '../engine/audio.js';

export type ContainerFormat =
  | 'wav' | 'rf64' | 'aiff' | 'aifc' | 'flac' | 'mp3' | 'ogg-vorbis' | 'opus' | 'ffmpeg';

export type { AudioMetadata } from '../engine/audio-metadata.js';
import type { AudioMetadata } from '../engine/audio-metadata.js';

/** A RIFF chunk kept verbatim (bext, LIST, iXML ...) so a rewrite can pass it on. */
export interface RawChunk {
  id: string;
  data: Uint8Array;
}

export interface AudioFileInfo {
  path: string;
  format: ContainerFormat;
  /** Codec or sample encoding in words, e.g. "PCM 24-bit", "IEEE float 32-bit", "MPEG-1 Layer III". */
  codec: string;
  sampleRate: number;
  channelCount: number;
  channelLayout: ChannelLabel[];
  /** Exact frame count when the container states it (WAV, FLAC, gapless MP3); null when only decoding tells. */
  frames: number | null;
  /** Source word length for PCM formats (8/16/24/32/64); undefined for lossy codecs. */
  bitsPerSample?: number;
  metadata: AudioMetadata;
  /** Chunks a WAV/AIFF carried beyond fmt/data (bext, LIST, iXML ...). */
  chunks: RawChunk[];
}

/**
 * A decoder as a stream: `blocks()` yields planar Float32 blocks of at most `blockFrames` frames.
 * Each yielded array holds exactly the block's frames (length = frames); the reader may reuse them:
 * they are valid until the next iteration.
 * Readers throw AudioFileError naming the file for anything wrong with the data.
 */
export interface AudioReader {
  readonly info: AudioFileInfo;
  blocks(blockFrames?: number): AsyncGenerator<Float32Array[], void, void>;
  close(): Promise<void>;
}

export type SampleEncoding =
  | { kind: 'int'; bits: 16 | 24 }
  | { kind: 'float'; bits: 32 };

export interface WriterOptions {
  sampleRate: number;
  channelCount: number;
  channelLayout?: ChannelLabel[];
  metadata?: AudioMetadata;
  /** Extra chunks to pass through (WAV only). */
  chunks?: RawChunk[];
  /**
   * false: finish() does not force the file to disk (createAtomicFile's `durable`): a scratch file, or a
   * file whose caller syncs it later (DeferredSyncs) before anything depends on it. Default true.
   */
  durable?: boolean;
}

/**
 * A streaming encoder writing to a temp file beside `path`; `finish()` renames it into place,
 * `abort()` removes it. Nothing exists at `path` until `finish()` succeeds.
 */
export interface AudioWriter {
  write(channels: Float32Array[], frames: number): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

export const DEFAULT_BLOCK_FRAMES = 65536;
