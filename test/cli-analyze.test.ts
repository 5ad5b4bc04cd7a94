// The analyze command as a user meets it: output contract, exit codes, and one-line errors for bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CLI, runCli, wavBytes } from './support/cli.js';
import { runTool, tempDir, testSignal, writeRawF32 } from './support/tools.js';

const dir = tempDir();

function sineWav(path: string, seconds: number, amplitude: number, sampleRate = 48000) {
  const frames = Math.round(seconds * sampleRate);
  const pcm = new Int16Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    const v = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * 1000 * i) / sampleRate));
    pcm[2 * i] = v; pcm[2 * i + 1] = v;
  }
  writeFileSync(path, wavBytes({ data: new Uint8Array(pcm.buffer), sampleRate }));
}

test('analyze --json: one object per file per line with every documented field', () => {
  const a = join(dir, 'tone-23.wav');
  const b = join(dir, 'tone-33.wav');
  sineWav(a, 5, Math.pow(10, -23 / 20));
  sineWav(b, 5, Math.pow(10, -33 / 20));
  const { status, stdout, stderr } = runCli(['analyze', '--json', a, b]);
  assert.equal(status, 0, stderr);
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  const [first, second] = lines.map((line) => JSON.parse(line));
  for (const key of ['file', 'sampleRate', 'channels', 'frames', 'durationSeconds', 'integratedLufs', 'loudnessRangeLu',
    'truePeakDbtp', 'samplePeakDbfs', 'maxMomentaryLufs', 'maxShortTermLufs', 'plrDb', 'crestDb', 'dcOffset',
    'clippedSamples', 'correlation', 'monoLossDb', 'spectrum']) {
    assert.ok(key in first, `missing ${key}`);
  }
  assert.equal(first.file, a);
  assert.equal(first.frames, 240000);
  assert.ok(Math.abs(first.integratedLufs - -23) < 0.1, `I ${first.integratedLufs}`);
  assert.ok(Math.abs(second.integratedLufs - -33) < 0.1, `I ${second.integratedLufs}`);
  assert.ok(Math.abs(first.correlation - 1) < 1e-6);
  assert.ok(Math.abs(first.monoLossDb) < 1e-6);
  // A 1 kHz sine: crest factor of a sine is 3.01 dB, PLR = TP - I.
  assert.ok(Math.abs(first.crestDb - 3.01) < 0.02, `crest ${first.crestDb}`);
  assert.ok(Math.abs(first.plrDb - (first.truePeakDbtp - first.integratedLufs)) < 1e-3);
  // The spectrum puts the tone in the 1 kHz band at about its AES17 level (-23 dB re full-scale sine).
  const band = first.spectrum.bandsHz.indexOf(1000);
  assert.ok(Math.abs(first.spectrum.levelDb[band] - -23) < 0.5, `1 kHz band ${first.spectrum.levelDb[band]}`);
  assert.ok(first.spectrum.levelDb[band - 3] < -60, 'energy stays in its band');
});

test('analyze --series: hop of at most 10 ms, window k ends at (k+1)*hop, partial windows null', () => {
  const a = join(dir, 'series.wav');
  sineWav(a, 4, Math.pow(10, -23 / 20));
  const { status, stdout } = runCli(['analyze', '--json', '--series', a]);
  assert.equal(status, 0);
  const { series, durationSeconds } = JSON.parse(stdout);
  assert.ok(series.hopSeconds <= 0.01);
  assert.equal(series.momentaryLufs.length, Math.floor(durationSeconds / series.hopSeconds + 1e-9));
  assert.equal(series.momentaryLufs[38], null); // window ending at 0.39 s is partial
  assert.ok(Math.abs(series.momentaryLufs[39] - -23) < 0.1); // ends at 0.40 s: first full window
  assert.equal(series.shortTermLufs[298], null);
  assert.ok(Math.abs(series.shortTermLufs[299] - -23) < 0.1);
});

test('analyze: silence gives null loudness, not a number', () => {
  const a = join(dir, 'silence.wav');
  writeFileSync(a, wavBytes({ data: new Uint8Array(48000 * 4) }));
  const { status, stdout } = runCli(['analyze', '--json', a]);
  assert.equal(status, 0);
  const r = JSON.parse(stdout);
  assert.equal(r.integratedLufs, null);
  assert.equal(r.truePeakDbtp, null);
  assert.equal(r.plrDb, null);
  assert.equal(r.correlation, null);
});

test('analyze: human-readable report by default; --help; usage errors exit 2', () => {
  const a = join(dir, 'human.wav');
  sineWav(a, 2, 0.1);
  const human = runCli(['analyze', a]);
  assert.equal(human.status, 0);
  assert.match(human.stdout, /integrated loudness\s+-2\d\.\d LUFS/);
  const help = runCli(['analyze', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: mixmaster analyze/);
  const top = runCli(['--help']);
  assert.equal(top.status, 0);
  const unknown = runCli(['analyze', '--bogus', a]);
  assert.equal(unknown.status, 2);
  assert.equal(unknown.stderr.trim().split('\n').length, 1);
  assert.equal(runCli(['analyze']).status, 2);
  assert.equal(runCli(['frobnicate']).status, 2);
});

/** Each bad input: exit 2, exactly one stderr line `mixmaster: FILE: problem`, no stack, nothing written. */
function expectBadInput(path: string, problem: RegExp) {
  const before = readdirSync(dir).sort();
  const { status, stdout, stderr } = runCli(['analyze', '--json', path], 30_000);
  assert.equal(status, 2, `exit status for ${path}: ${stderr}`);
  assert.equal(stdout, '');
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line: ${stderr}`);
  assert.ok(lines[0].startsWith(`mixmaster: ${path}: `), lines[0]);
  assert.match(lines[0], problem);
  assert.doesNotMatch(stderr, /\bat .*\.js:\d+/);
  assert.deepEqual(readdirSync(dir).sort(), before, 'nothing written');
}

test('bad input: empty, truncated, garbage, directory, missing', () => {
  const empty = join(dir, 'empty.wav');
  writeFileSync(empty, '');
  expectBadInput(empty, /empty/);

  const truncated = join(dir, 'truncated.wav');
  writeFileSync(truncated, wavBytes({ data: new Uint8Array(4000), declaredDataBytes: 400000 }));
  expectBadInput(truncated, /truncated/);

  const garbage = join(dir, 'garbage.wav');
  writeFileSync(garbage, Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919 + 13) & 0xff));
  expectBadInput(garbage, /not a valid WAV/);

  const folder = join(dir, 'folder.wav');
  mkdirSync(folder);
  expectBadInput(folder, /directory/);

  expectBadInput(join(dir, 'missing.wav'), /no such file/);

  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'these are not audio samples\n'.repeat(10));
  expectBadInput(text, /unsupported|unrecognised/);
});

test('bad input: NaN and Inf floats, zero channels, sample rate 0', () => {
  const floats = new Float32Array(48000 * 2).fill(0.25);
  floats[5000] = NaN;
  const nan = join(dir, 'nan.wav');
  writeFileSync(nan, wavBytes({ formatTag: 3, bits: 32, data: new Uint8Array(floats.buffer) }));
  expectBadInput(nan, /NaN/);

  floats[5000] = Infinity;
  const inf = join(dir, 'inf.wav');
  writeFileSync(inf, wavBytes({ formatTag: 3, bits: 32, data: new Uint8Array(floats.buffer) }));
  expectBadInput(inf, /infinite/);

  const zeroChannels = join(dir, 'zero-channels.wav');
  writeFileSync(zeroChannels, wavBytes({ channels: 0, data: new Uint8Array(400) }));
  expectBadInput(zeroChannels, /0 channels/);

  const zeroRate = join(dir, 'zero-rate.wav');
  writeFileSync(zeroRate, wavBytes({ sampleRate: 0, data: new Uint8Array(400) }));
  expectBadInput(zeroRate, /sample rate/);
});

test('bad input: a FLAC with a corrupt frame is reported, not decoded as noise', () => {
  const raw = join(dir, 'signal.f32');
  writeRawF32(raw, testSignal(48000 * 6, 48000));
  const flac = join(dir, 'corrupt.flac');
  runTool('sox', ['-t', 'f32', '-r', '48000', '-c', '2', raw, '-b', '16', flac]);
  const bytes = readFileSync(flac);
  for (let i = 0; i < 64; i++) bytes[Math.floor(bytes.length / 2) + i] ^= 0x5a;
  writeFileSync(flac, bytes);
  expectBadInput(flac, /corrupt/i);
});

test('progress bar: drawn on a terminal, silent when stderr is a pipe', () => {
  const a = join(dir, 'progress.wav');
  sineWav(a, 20, 0.1);
  // `script` gives the CLI a pseudo-terminal, as an interactive shell would.
  const command = `MIXMASTER_PROGRESS_DELAY_MS=0 ${process.execPath} ${CLI} analyze ${a}`;
  const onTerminal = runTool('script', ['-qec', command, '/dev/null']);
  assert.match(onTerminal, /analyze .*progress\.wav \[#*\s*\] \d+%/);
  assert.match(onTerminal, /integrated loudness/);
  const piped = spawnSync(process.execPath, [CLI, 'analyze', a], { encoding: 'utf8', env: { ...process.env, MIXMASTER_PROGRESS_DELAY_MS: '0' } });
  assert.equal(piped.status, 0);
  assert.equal(piped.stderr, '');
});
