// The streaming passes of a master render: each reads blocks (from the input, or from an intermediate
// float WAV in the staging folder), runs part of the chain, meters, and writes. Memory stays flat with
// the length of the song: nothing holds more than a block of audio.
import { LoudnessMeter } from '../engine/analysis/loudness-meter.js';
import { createPlanLimiter, createPreChain, preChainStages } from '../engine/master/chain.js';
import { workerStage } from './worker-stage.js';
import { LimiterModelStats } from '../engine/master/limiter-model.js';
import type { MasterPlan } from '../engine/master/plan.js';
import { StreamingChain } from '../engine/master/stream-chain.js';
import { defaultChannelLayout } from '../engine/audio.js';
import { openAudio } from '../io/decode.js';
import { createWavWriter } from '../io/wav-write.js';

/**
 * A pass's input: called once per pass, yields planar blocks the pass may modify (copies it owns) until
 * it asks for the next block: sources reuse their buffers after that.
 */
export type BlockSource = () => AsyncGenerator<Float32Array[], void, void>;

export const PASS_BLOCK_FRAMES = 65536;

/** Blocks of a file, copied into buffers the caller may process in place. */
export function fileSource(path: string, channelCount: number): BlockSource {
  return async function* blocks() {
    const reader = await openAudio(path);
    const own = Array.from({ length: channelCount }, () => new Float32Array(PASS_BLOCK_FRAMES));
    try {
      for await (const block of reader.blocks(PASS_BLOCK_FRAMES)) {
        const frames = block[0].length;
        const views = own.map((buffer, c) => {
          const view = buffer.subarray(0, frames);
          view.set(block[Math.min(c, block.length - 1)]);
          return view;
        });
        yield views;
      }
    } finally {
      await reader.close();
    }
  };
}


/** Writes float32 intermediates (exact: no dither, no clipping; scratch, so not forced to disk). */
const createFloatWav = (path: string, sampleRate: number, channelCount: number) =>
  createWavWriter(path, { sampleRate, channelCount, encoding: { kind: 'float', bits: 32 }, originationDate: new Date(0), durable: false });

/** Runs `chain` over `source`, handing aligned output blocks to `consume` (awaited per block). */
async function runChain(source: BlockSource, chain: StreamingChain, consume: (channels: Float32Array[], frames: number) => Promise<void> | void): Promise<void> {
  const pending: [Float32Array[], number][] = [];
  const sink = (channels: Float32Array[], frames: number) => { pending.push([channels, frames]); };
  const drain = async () => {
    for (const [channels, frames] of pending) await consume(channels, frames);
    pending.length = 0;
  };
  for await (const block of source()) {
    chain.push(block, block[0].length, sink);
    await drain();
  }
  chain.finish(sink);
  await drain();
}

export interface PrePassResult {
  integratedLufs: number;
  frames: number;
  /** Slot statistics that predict the loudness after the limiter (limiter-model.ts). */
  model: LimiterModelStats;
}

/**
 * Renders every stage before the limiter into a float WAV and measures its loudness. With two or more
 * stages the first (the linear-phase EQ, the costliest) and the rest run on two worker threads, as a
 * pipeline over blocks: both cores work, and the output is what one chain would give (the first part
 * flushes as much extra as the rest looks ahead, and the output is cut to the input's length).
 */
export async function renderPreChain(source: BlockSource, plan: MasterPlan, sampleRate: number, channelCount: number, outPath: string): Promise<PrePassResult> {
  const stages = preChainStages(plan);
  const model = new LimiterModelStats(sampleRate, channelCount);
  const meter = new LoudnessMeter({ sampleRate, channelLayout: defaultChannelLayout(channelCount) });
  const writer = await createFloatWav(outPath, sampleRate, channelCount);
  let frames = 0;
  let stopTail: (() => Promise<void>) | null = null;
  const consume = async (channels: Float32Array[], count: number) => {
    meter.push(channels, count);
    model.push(channels, count);
    frames += count;
    await writer.write(channels, count);
  };
  try {
    if (stages.length < 2) {
      await runChain(source, new StreamingChain(createPreChain(plan, sampleRate, channelCount), channelCount), consume);
    } else {
      // Two worker threads as a pipeline (the linear-phase EQ, the costliest stage, on one; the rest on
      // the other) while this thread reads, meters and writes: both cores stay busy.
      const [head, ...tail] = stages;
      const headStage = workerStage({ sampleRate, channelCount, stages: [{ processor: head.processor, params: head.params }] });
      const tailStage = workerStage({ sampleRate, channelCount, stages: tail.map((s) => ({ processor: s.processor, params: s.params })) });
      stopTail = async () => { await Promise.all([headStage.close(), tailStage.close()]); };
      let inputFrames = 0;
      const counted: BlockSource = async function* () {
        for await (const block of source()) {
          inputFrames += block[0].length;
          yield block;
        }
      };
      // The rest of the chain looks ahead by its latency: the head flushes that much of its ring-out.
      const tailed = tailStage.run(headStage.run(counted, tailStage.latency));
      // Output never runs ahead of the input read so far, so cutting at the input count keeps exactly N frames.
      for await (const block of tailed()) {
        const count = Math.min(block[0].length, inputFrames - frames);
        if (count > 0) await consume(block, count);
      }
    }
    await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  } finally {
    await stopTail?.();
  }
  return { integratedLufs: meter.integratedLufs(), frames, model };
}

export interface LimiterPassResult {
  driveDb: number;
  ceilingDb: number;
  integratedLufs: number;
  /** Largest gain reduction per hop (dB). */
  gainReductionDb: number[];
  hopSeconds: number;
}

export const GAIN_REDUCTION_HOP_SECONDS = 0.5;

/**
 * The plan's limiter with `driveDb` over the pre-chain render, as a source of aligned output blocks:
 * `result()` (after the source is drained) gives the output's integrated loudness and the gain
 * reduction per hop.
 */
export function limitedSource(
  preSource: BlockSource, plan: MasterPlan, sampleRate: number, channelCount: number, driveDb: number, ceilingDb: number,
): { source: BlockSource; result(): LimiterPassResult } {
  const meter = new LoudnessMeter({ sampleRate, channelLayout: defaultChannelLayout(channelCount) });
  const hop = Math.round(GAIN_REDUCTION_HOP_SECONDS * sampleRate);
  const gainReductionDb: number[] = [];
  let finished = false;
  const source: BlockSource = async function* () {
    const limiter = createPlanLimiter(plan, sampleRate, channelCount, driveDb, ceilingDb);
    const chain = new StreamingChain([limiter], channelCount);
    const views: Float32Array[] = new Array(channelCount);
    const pending: Float32Array[][] = [];
    const sink = (channels: Float32Array[], frames: number) => {
      meter.push(channels, frames);
      pending.push(channels.map((c) => c.subarray(0, frames)));
    };
    let hopFill = 0, hopMax = 0;
    for await (const block of preSource()) {
      const frames = block[0].length;
      // Slice at hop boundaries so the limiter's per-call reduction reads per hop.
      for (let start = 0; start < frames;) {
        const count = Math.min(frames - start, hop - hopFill);
        for (let c = 0; c < channelCount; c++) views[c] = block[c].subarray(start, start + count);
        chain.push(views, count, sink);
        hopMax = Math.max(hopMax, limiter.gainReductionDb);
        hopFill += count;
        if (hopFill >= hop) { gainReductionDb.push(Math.round(hopMax * 100) / 100); hopFill = 0; hopMax = 0; }
        start += count;
      }
      // The views point into `block`, which the source keeps until the next iteration.
      for (const out of pending) yield out;
      pending.length = 0;
    }
    chain.finish(sink);
    if (hopFill > 0) gainReductionDb.push(Math.round(hopMax * 100) / 100);
    for (const out of pending) yield out;
    finished = true;
  };
  return {
    source,
    result() {
      if (!finished) throw new Error('limitedSource: result() before the source was drained');
      return { driveDb, ceilingDb, integratedLufs: meter.integratedLufs(), gainReductionDb, hopSeconds: GAIN_REDUCTION_HOP_SECONDS };
    },
  };
}
