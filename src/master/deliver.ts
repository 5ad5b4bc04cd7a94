// Deliverables of a master, with names fixed so tools can rely on them: master.wav (24-bit at the
// source rate), master.flac (24-bit), master-16bit.wav (44.1 kHz, dithered) and master.mp3 (320 kb/s
// CBR, gapless). One pass feeds all of them: the source-rate files directly, the 44.1 kHz ones through
// one sample-rate converter. Order per research §5: limiter → SRC → (verify) → dither → quantise.
// Band-limiting to 44.1 kHz moves true peaks a little (a master at −1.01 dBTP at 48 kHz read −0.99 dBTP
// converted), so the converted stream passes the limiter's true-peak guard (limiter-guard.ts: normally
// idle, a smooth sample-accurate dip only where the BS.1770 meter would read an over) at the ceiling:
// one pass instead of the after-the-fact check sending the whole limiter pass round again.
import { join } from 'node:path';
import type { AudioMetadata } from '../engine/audio-metadata.js';
import { dbToGain } from '../engine/audio.js';
import type { DitherKind } from '../engine/dsp/dither.js';
import { SampleRateConverter } from '../engine/dsp/resample/sample-rate-converter.js';
import { TruePeakGuard } from '../engine/dsp/dynamics/limiter-guard.js';
import type { AudioWriter } from '../io/api.js';
import type { DeferredSyncs } from '../io/atomic.js';
import { createThreadedWriter } from '../io/threaded-writer.js';
import { createWavWriter } from '../io/wav-write.js';
import type { BlockSource } from './passes.js';
import type { Measurements } from '../engine/analysis/analyze.js';

export type DeliverableKind = 'wav24' | 'flac24' | 'wav16' | 'mp3';

export const DELIVERABLE_FILES: Record<DeliverableKind, string> = {
  wav24: 'master.wav', flac24: 'master.flac', wav16: 'master-16bit.wav', mp3: 'master.mp3',
};
export const ALL_DELIVERABLES: DeliverableKind[] = ['wav24', 'flac24', 'wav16', 'mp3'];
/** Rate of the 16-bit and MP3 files (CD and the common lossy rate). */
const DELIVERY_RATE_44K = 44100;
/** Frames the converter takes per call (sources may yield more: blocks are split). */
const CONVERT_FRAMES = 65536;

export interface DeliverContext {
  folder: string;
  /**
   * Set: each file is forced to disk in the background once finished (the staging folder's commit waits
   * for it), so its check can read it back at once. Null: each writer syncs before it finishes.
   */
  syncs: DeferredSyncs | null;
  sampleRate: number;
  /** Channels processed (1 or 2). */
  channelCount: number;
  /** Channels written: 2 duplicates a mono master into both sides. */
  outChannels: number;
  metadata: AudioMetadata;
  dither16: DitherKind;
  /**
   * The converted (44.1 kHz) files' true-peak guard: its ceiling (dBTP), and a callback told the largest
   * dip it made (dB, > 0) when it made one. Null: no guard.
   */
  conversionGuard: { ceilingDbtp: number; dipped(db: number): void } | null;
}

const rateOf = (kind: DeliverableKind, sourceRate: number) => (kind === 'wav24' || kind === 'flac24' ? sourceRate : DELIVERY_RATE_44K);

interface OpenedWriter {
  writer: AudioWriter;
  /** The file's measurements, taken as it was written (the MP3 check), once it is finished; else null. */
  measured: Promise<Measurements | null>;
}

async function openWriter(kind: DeliverableKind, ctx: DeliverContext): Promise<OpenedWriter> {
  const path = join(ctx.folder, DELIVERABLE_FILES[kind]);
  const common = {
    sampleRate: rateOf(kind, ctx.sampleRate), channelCount: ctx.outChannels, metadata: { encodedBy: 'mixmaster', ...ctx.metadata }, durable: ctx.syncs === null,
  };
  const unmeasured = (writer: AudioWriter): OpenedWriter => ({ writer, measured: Promise.resolve(null) });
  switch (kind) {
    case 'wav24': return unmeasured(await createWavWriter(path, { ...common, encoding: { kind: 'int', bits: 24 }, dither: 'tpdf' }));
    // The encoders run on worker threads beside this one (which writes the PCM files). The MP3 comes from
    // the system's LAME process when there is one, else from wasm LAME; either way its frames are decoded
    // and checked on a worker of their own as they come (mp3-stream-check.ts).
    case 'flac24': return unmeasured(createThreadedWriter({ format: 'flac', path, options: { ...common, bits: 24, dither: 'tpdf' } }));
    case 'wav16': return unmeasured(await createWavWriter(path, { ...common, encoding: { kind: 'int', bits: 16 }, dither: ctx.dither16 }));
    case 'mp3': {
      const writer = createThreadedWriter({ format: 'mp3', path, options: { ...common, mode: { cbrKbps: 320 } }, check: true });
      return { writer, measured: writer.measured };
    }
  }
}

/**
 * Writes the `kinds` asked for from one float stream at the source rate. Resolves when the stream is
 * drained; each file's own promise in the result resolves when that file is complete (encoders beside
 * this thread may still be working, so a caller can check the finished files meanwhile), with the
 * file's measurements when they were taken as it was written (else null). All of them settle either way.
 */
export async function writeDeliverables(
  source: BlockSource, kinds: DeliverableKind[], ctx: DeliverContext,
): Promise<Map<DeliverableKind, Promise<Measurements | null>>> {
  const direct = kinds.filter((k) => rateOf(k, ctx.sampleRate) === ctx.sampleRate);
  const converted = kinds.filter((k) => rateOf(k, ctx.sampleRate) !== ctx.sampleRate);
  const writers = new Map<DeliverableKind, OpenedWriter>();
  try {
    for (const kind of kinds) writers.set(kind, await openWriter(kind, ctx));
    const src = converted.length ? new SampleRateConverter(ctx.channelCount, ctx.sampleRate, DELIVERY_RATE_44K) : null;
    const capacity = src ? src.maxOutputFrames(CONVERT_FRAMES) : 0;
    const srcOut = Array.from({ length: src ? ctx.channelCount : 0 }, () => new Float32Array(capacity));
    const guard = src && ctx.conversionGuard ? new TruePeakGuard(ctx.channelCount, capacity) : null;
    const guardOut = Array.from({ length: guard ? ctx.channelCount : 0 }, () => new Float32Array(capacity));
    const ceilings = new Float64Array(guard ? capacity : 0).fill(ctx.conversionGuard ? dbToGain(ctx.conversionGuard.ceilingDbtp) : 1);
    // The guard's output is `latency` frames late: its first `latency` frames (history) are dropped and
    // as many silent frames flush it at the end, so the converted stream keeps its length exactly.
    let guardSkip = guard ? guard.latency : 0;
    let smallestGain = 1;
    const srcIn: Float32Array[] = new Array(ctx.channelCount);
    const widen = (channels: Float32Array[]) => (ctx.outChannels > channels.length ? [channels[0], channels[0]] : channels);
    const writeAll = async (list: DeliverableKind[], channels: Float32Array[], frames: number) => {
      const out = widen(channels);
      // Encoders run one after another on this thread; their writes to disk overlap.
      await Promise.all(list.map((kind) => writers.get(kind)!.writer.write(out, frames)));
    };
    const convert = async (frames: number) => {
      if (frames === 0) return;
      if (!guard) {
        await writeAll(converted, srcOut.map((c) => c.subarray(0, frames)), frames);
        return;
      }
      smallestGain = Math.min(smallestGain, guard.process(srcOut, frames, ceilings, guardOut));
      const from = Math.min(frames, guardSkip);
      guardSkip -= from;
      if (frames > from) await writeAll(converted, guardOut.map((c) => c.subarray(from, frames)), frames - from);
    };
    for await (const block of source()) {
      const frames = block[0].length;
      if (src) {
        // Convert first: the writers below quantize into their own buffers and never touch `block`.
        for (let at = 0; at < frames; at += CONVERT_FRAMES) {
          const count = Math.min(CONVERT_FRAMES, frames - at);
          for (let c = 0; c < ctx.channelCount; c++) srcIn[c] = block[c].subarray(at, at + count);
          await convert(src.process(srcIn, count, srcOut));
        }
      }
      if (direct.length) await writeAll(direct, block, frames);
    }
    if (src) {
      await convert(src.finish(srcOut));
      if (guard) {
        // Flush the guard with silence (the converter's output area is free again).
        let rest = guard.latency;
        while (rest > 0) {
          const n = Math.min(rest, capacity);
          for (const channel of srcOut) channel.fill(0, 0, n);
          await convert(n);
          rest -= n;
        }
        if (smallestGain < 1) ctx.conversionGuard!.dipped(-20 * Math.log10(smallestGain));
      }
    }
    const finished = new Map<DeliverableKind, Promise<Measurements | null>>();
    for (const kind of kinds) {
      const { writer, measured } = writers.get(kind)!;
      const done = writer.finish().then(() => {
        ctx.syncs?.later(join(ctx.folder, DELIVERABLE_FILES[kind]));
        return measured;
      });
      done.catch(() => undefined); // awaited by the caller
      finished.set(kind, done);
    }
    return finished;
  } catch (error) {
    await Promise.all([...writers.values()].map(({ writer }) => writer.abort()));
    throw error;
  }
}
