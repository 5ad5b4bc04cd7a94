// Finds the limiter drive that brings the master to its target loudness. Limiting is not linear (the
// louder the drive, the more the limiter takes back), so the drive is found by secant steps on real
// limiter passes over the pre-chain render, each measured with the BS.1770 meter. Every pass writes its
// output, so the pass that lands within tolerance is already the master: no extra render.
import { rename } from 'node:fs/promises';
import type { MasterPlan } from '../engine/master/plan.js';
import { createFloatWav, limiterPass, withWriter, type BlockSource, type LimiterPassResult } from './passes.js';

/** Within this of the target the drive is final (the issue allows ±0.3 LU; we aim well inside). */
export const LOUDNESS_TOLERANCE_LU = 0.05;
const MAX_PASSES = 6;
const MIN_DRIVE_DB = -24;
const MAX_DRIVE_DB = 36;

export interface Calibration {
  pass: LimiterPassResult;
  passes: number;
  /** Loudness reached (LUFS); equals the target within the tolerance unless the drive range ran out. */
  reachedLufs: number;
  note: string | null;
}

const clampDrive = (db: number) => Math.min(MAX_DRIVE_DB, Math.max(MIN_DRIVE_DB, db));

/**
 * Runs limiter passes until the loudness is within tolerance of `targetLufs` (or, when the target is
 * null, one pass at `startDriveDb`). The chosen pass's output is left at `outPath`.
 */
export async function calibrateDrive(
  preSource: BlockSource, plan: MasterPlan, sampleRate: number, channelCount: number,
  preLufs: number, targetLufs: number | null, startDriveDb: number, ceilingDb: number, outPath: string,
): Promise<Calibration> {
  const scratch = [`${outPath}.a.wav`, `${outPath}.b.wav`];
  let slot = 0;
  const run = async (driveDb: number) => {
    const path = scratch[slot];
    slot ^= 1;
    const result = await withWriter(await createFloatWav(path, sampleRate, channelCount), (writer) =>
      limiterPass(preSource, plan, sampleRate, channelCount, driveDb, ceilingDb, (channels, frames) => writer.write(channels, frames)));
    return { result, path };
  };
  let drive = clampDrive(targetLufs === null || !Number.isFinite(preLufs) ? startDriveDb : targetLufs - preLufs);
  let current = await run(drive);
  let best = current;
  let passes = 1;
  let previous: { drive: number; lufs: number } | null = null;
  const error = (lufs: number) => (targetLufs === null ? 0 : targetLufs - lufs);
  while (targetLufs !== null && Math.abs(error(current.result.integratedLufs)) > LOUDNESS_TOLERANCE_LU && passes < MAX_PASSES) {
    const lufs = current.result.integratedLufs;
    if (!Number.isFinite(lufs)) break;
    // Slope dLUFS/dDrive: 1 without limiting, smaller the harder the limiter works.
    let slope = previous ? (lufs - previous.lufs) / (drive - previous.drive) : 0.75;
    if (!Number.isFinite(slope) || slope < 0.05) slope = 0.05;
    if (slope > 1) slope = 1;
    previous = { drive, lufs };
    const next = clampDrive(drive + error(lufs) / slope);
    if (next === drive) break;
    drive = next;
    current = await run(drive);
    passes++;
    if (Math.abs(error(current.result.integratedLufs)) < Math.abs(error(best.result.integratedLufs))) best = current;
  }
  await rename(best.path, outPath);
  const reachedLufs = best.result.integratedLufs;
  const missed = targetLufs !== null && Math.abs(targetLufs - reachedLufs) > LOUDNESS_TOLERANCE_LU;
  return {
    pass: best.result, passes, reachedLufs,
    note: missed ? `the limiter reached ${reachedLufs.toFixed(2)} LUFS, not ${targetLufs} LUFS (drive ${best.result.driveDb.toFixed(1)} dB after ${passes} passes)` : null,
  };
}
