// Reader for what we do not decode ourselves (M4A/AAC/ALAC, WMA, AC-3 …): ffprobe describes the
// file, `ffmpeg … -f f32le -` streams the first audio stream as interleaved float, de-interleaved here.
// ffmpeg is optional: only these formats need it, so its absence is a clear per-file error.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { defaultChannelLayout, type ChannelLabel } from '../engine/audio.js';
import { DEFAULT_BLOCK_FRAMES, type AudioFileInfo, type AudioMetadata, type AudioReader } from './api.js';
import { AudioFileError } from './errors.js';
import { BlockBuilder } from './block-builder.js';

export const FFMPEG_MISSING = 'M4A/AAC/ALAC needs ffmpeg, which is not installed (apt-get install ffmpeg)';

/** Absolute paths of ffmpeg and ffprobe found on `env.PATH`, or null if either is missing. */
export function findFfmpeg(env: NodeJS.ProcessEnv = process.env): { ffmpeg: string; ffprobe: string } | null {
  const find = (name: string): string | null => {
    for (const dir of (env.PATH ?? '').split(delimiter)) {
      if (!dir) continue;
      for (const file of process.platform === 'win32' ? [`${name}.exe`, name] : [name]) {
        try {
          accessSync(join(dir, file), constants.X_OK);
          return join(dir, file);
        } catch { /* not here */ }
      }
    }
    return null;
  };
  const ffmpeg = find('ffmpeg');
  const ffprobe = find('ffprobe');
  return ffmpeg && ffprobe ? { ffmpeg, ffprobe } : null;
}

/** ffmpeg's standard layouts, channels in its output (native, mask-bit) order. */
const FFMPEG_LAYOUTS: Record<string, string> = {
  mono: 'FC', stereo: 'FL+FR', '2.1': 'FL+FR+LFE', '3.0': 'FL+FR+FC', '3.0(back)': 'FL+FR+BC',
  '4.0': 'FL+FR+FC+BC', quad: 'FL+FR+BL+BR', 'quad(side)': 'FL+FR+SL+SR', '3.1': 'FL+FR+FC+LFE',
  '5.0': 'FL+FR+FC+BL+BR', '5.0(side)': 'FL+FR+FC+SL+SR', '4.1': 'FL+FR+FC+LFE+BC',
  '5.1': 'FL+FR+FC+LFE+BL+BR', '5.1(side)': 'FL+FR+FC+LFE+SL+SR', '6.0': 'FL+FR+FC+BC+SL+SR',
  '6.0(front)': 'FL+FR+FLC+FRC+SL+SR', hexagonal: 'FL+FR+FC+BL+BR+BC', '6.1': 'FL+FR+FC+LFE+BC+SL+SR',
  '6.1(back)': 'FL+FR+FC+LFE+BL+BR+BC', '6.1(front)': 'FL+FR+LFE+FLC+FRC+SL+SR', '7.0': 'FL+FR+FC+BL+BR+SL+SR',
  '7.0(front)': 'FL+FR+FC+FLC+FRC+SL+SR', '7.1': 'FL+FR+FC+LFE+BL+BR+SL+SR', '7.1(wide)': 'FL+FR+FC+LFE+BL+BR+FLC+FRC',
  '7.1(wide-side)': 'FL+FR+FC+LFE+FLC+FRC+SL+SR', octagonal: 'FL+FR+FC+BL+BR+BC+SL+SR', downmix: 'DL+DR',
};
const FFMPEG_CHANNELS: Record<string, ChannelLabel> = {
  FL: 'L', FR: 'R', FC: 'C', LFE: 'LFE', BL: 'Lb', BR: 'Rb', FLC: 'Lc', FRC: 'Rc', BC: 'Cb', SL: 'Ls', SR: 'Rs',
  TC: 'Tc', TFL: 'Tfl', TFC: 'Tfc', TFR: 'Tfr', TBL: 'Tbl', TBC: 'Tbc', TBR: 'Tbr', DL: 'L', DR: 'R',
};

/** "5.1(side)", "FL+FR+LFE" or "3 channels (FL+FR+LFE)" → labels; the default layout if unknown. */
export function ffmpegLayout(name: string | undefined, channelCount: number): ChannelLabel[] {
  if (channelCount === 1) return ['M'];
  const decomposition = FFMPEG_LAYOUTS[name ?? ''] ?? /^(?:.*\()?([A-Z0-9]+(?:\+[A-Z0-9]+)+)\)?$/.exec(name ?? '')?.[1];
  const labels = decomposition?.split('+').map((channel) => FFMPEG_CHANNELS[channel] ?? 'unknown');
  return labels && labels.length === channelCount ? labels : defaultChannelLayout(channelCount);
}

interface ProbeStream {
  codec_name?: string; codec_long_name?: string; sample_rate?: string; channels?: number;
  channel_layout?: string; bits_per_raw_sample?: string; tags?: Record<string, string>;
}

const TAG_FIELDS: Record<string, keyof AudioMetadata> = {
  title: 'title', artist: 'artist', album: 'album', album_artist: 'albumArtist', date: 'year', year: 'year',
  genre: 'genre', track: 'track', isrc: 'isrc', tsrc: 'isrc', comment: 'comment', encoded_by: 'encodedBy',
};

function tagsToMetadata(...sources: (Record<string, string> | undefined)[]): AudioMetadata {
  const metadata: AudioMetadata = {};
  for (const tags of sources) {
    for (const [key, raw] of Object.entries(tags ?? {})) {
      const field = TAG_FIELDS[key.toLowerCase()];
      const value = raw.trim();
      if (!field || metadata[field] !== undefined || value === '') continue;
      if (field === 'track') {
        const track = Number.parseInt(value, 10); // "3/12" → 3
        if (Number.isFinite(track) && track > 0) metadata.track = track;
      } else metadata[field] = value;
    }
  }
  return metadata;
}

/** The last non-empty line of a tool's stderr: ffmpeg puts the actual complaint there. */
function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() || 'no message';
}

export async function openWithFfmpeg(path: string): Promise<AudioReader> {
  const tools = findFfmpeg();
  if (!tools) throw new AudioFileError(path, FFMPEG_MISSING);
  const probe = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve, reject) => {
    execFile(tools.ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-select_streams', 'a:0', path],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(new AudioFileError(path, `ffprobe failed to run (${error.message})`));
        else resolve({ status: error ? Number(error.code) : 0, stdout, stderr });
      });
  });
  if (probe.status !== 0) {
    const complaint = lastLine(probe.stderr).replace(`${path}: `, ''); // we name the file already
    throw new AudioFileError(path, `not a readable audio file (ffprobe: ${complaint})`);
  }
  let parsed: { streams?: ProbeStream[]; format?: { tags?: Record<string, string> } };
  try {
    parsed = JSON.parse(probe.stdout);
  } catch {
    throw new AudioFileError(path, 'ffprobe gave unreadable output');
  }
  const stream = parsed.streams?.[0];
  if (!stream) throw new AudioFileError(path, 'contains no audio stream');
  const sampleRate = Number(stream.sample_rate);
  const channelCount = Number(stream.channels);
  if (!(sampleRate > 0) || !(channelCount > 0)) throw new AudioFileError(path, 'ffprobe reports no sample rate or channel count');
  const bits = Number(stream.bits_per_raw_sample);
  const info: AudioFileInfo = {
    path,
    format: 'ffmpeg',
    codec: stream.codec_long_name ?? stream.codec_name ?? 'unknown codec',
    sampleRate,
    channelCount,
    channelLayout: ffmpegLayout(stream.channel_layout, channelCount),
    frames: null, // container durations are not sample-exact (edit lists, priming): decoding tells
    ...(bits > 0 ? { bitsPerSample: bits } : {}),
    metadata: tagsToMetadata(parsed.format?.tags, stream.tags),
    chunks: [],
  };
  const children = new Set<ChildProcess>();
  return {
    info,
    blocks: (blockFrames = DEFAULT_BLOCK_FRAMES) => decodeWithFfmpeg(tools.ffmpeg, info, blockFrames, children),
    async close() {
      for (const child of children) child.kill('SIGKILL');
      children.clear();
    },
  };
}

async function* decodeWithFfmpeg(
  ffmpeg: string, info: AudioFileInfo, blockFrames: number, children: Set<ChildProcess>,
): AsyncGenerator<Float32Array[], void, void> {
  const { path, channelCount } = info;
  const builder = new BlockBuilder(channelCount, blockFrames);
  const child = spawn(ffmpeg, [
    '-nostdin', '-v', 'error', '-i', path, '-map', '0:a:0', '-f', 'f32le', '-acodec', 'pcm_f32le', '-',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => { stderr = (stderr + text).slice(-8192); });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  exited.catch(() => {}); // observed below; avoid an unhandled rejection if we stop early
  try {
    // Pipe chunks split frames (and floats) anywhere: gather bytes in an aligned buffer, decode whole frames.
    const frameBytes = 4 * channelCount;
    let staging = new Uint8Array(1 << 20);
    let filled = 0;
    for await (const chunk of child.stdout! as AsyncIterable<Buffer>) {
      if (filled + chunk.length > staging.length) {
        const grown = new Uint8Array(Math.max(staging.length * 2, filled + chunk.length));
        grown.set(staging.subarray(0, filled));
        staging = grown;
      }
      staging.set(chunk, filled);
      filled += chunk.length;
      const frames = Math.floor(filled / frameBytes);
      if (frames === 0) continue;
      yield* builder.pushInterleaved(new Float32Array(staging.buffer, 0, frames * channelCount), frames);
      staging.copyWithin(0, frames * frameBytes, filled);
      filled -= frames * frameBytes;
    }
    const code = await exited.catch((error: Error) => {
      throw new AudioFileError(path, `ffmpeg failed to run (${error.message})`);
    });
    if (code !== 0) throw new AudioFileError(path, `ffmpeg could not decode it: ${lastLine(stderr)}`);
    // With -v error anything on stderr is a decode error ffmpeg skipped past: the audio is not whole.
    if (stderr.trim() !== '') throw new AudioFileError(path, `corrupt audio (ffmpeg: ${lastLine(stderr)})`);
    if (filled !== 0) throw new AudioFileError(path, 'ffmpeg output ended inside a frame');
    yield* builder.flush();
  } finally {
    // The consumer stopped early (or something failed): do not leave ffmpeg running.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    children.delete(child);
  }
}
