// The engine is isomorphic: the same bundle (dist/engine.js, built for platform 'browser') runs a
// processing chain (EQ, compressor, saturation, reverb, width, limiter, meters) in real Chromium and
// gives bit-identical results to Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The chain both sides run: a mix-bus and mastering chain from the engine, then the meters. */
const CHAIN = `
  const rate = 48000;
  const frames = rate * 3;
  const left = new Float32Array(frames), right = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    const t = i / rate, beat = t % 0.5;
    left[i] = 0.4 * Math.sin(2 * Math.PI * 110 * t) + 0.3 * Math.sin(2 * Math.PI * 55 * beat) * Math.exp(-beat * 10) + 0.05 * Math.sin(2 * Math.PI * 7000 * t);
    right[i] = 0.4 * Math.sin(2 * Math.PI * 165 * t + 0.7) + 0.3 * Math.sin(2 * Math.PI * 55 * beat) * Math.exp(-beat * 10);
  }
  const chain = [
    new engine.Biquad(rate, 2, { type: 'highPass', frequencyHz: 30, q: 0.707 }),
    new engine.Biquad(rate, 2, { type: 'peaking', frequencyHz: 2500, q: 1, gainDb: 2 }),
    new engine.Compressor(rate, 2, { thresholdDb: -18, ratio: 2, attackSeconds: 0.01, releaseSeconds: 0.15 }),
    new engine.Saturation(rate, 2, { mode: 'tube', driveDb: 6 }),
    new engine.FdnReverb(rate, 2, { decaySeconds: 1.2, mix: 0.15 }),
    new engine.Width(rate, 2, { widthPercent: 120, bassMonoHz: 120 }),
    new engine.Gain(rate, 2, { gainDb: 6 }),
    new engine.Limiter(rate, 2, { ceilingDb: -1 }),
  ];
  const loudness = new engine.LoudnessMeter({ sampleRate: rate, channelLayout: ['L', 'R'] });
  const peak = new engine.TruePeakMeter(2);
  for (let start = 0; start < frames; start += 4096) {
    const n = Math.min(4096, frames - start);
    const block = [left.subarray(start, start + n), right.subarray(start, start + n)];
    for (const processor of chain) processor.process(block, n);
    loudness.push(block, n);
    peak.push(block, n);
  }
  let checksum = 0;
  for (let i = 0; i < frames; i++) checksum += left[i] * (i % 97) - right[i] * (i % 89);
  return { integratedLufs: loudness.integratedLufs(), truePeakDbtp: 20 * Math.log10(peak.maxPeak()), wasm: peak.usesWasm, checksum };
`;

test('the engine bundle runs a chain in Chromium with the same results as in Node', async () => {
  const server = createServer((request, response) => {
    if (request.url === '/engine.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(readFileSync(`${root}/dist/engine.js`));
    } else {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><title>engine</title>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    const inBrowser = await page.evaluate(`(async () => { const engine = await import('/engine.js'); ${CHAIN} })()`);
    const engine = await import('mixmaster/engine');
    const inNode = new Function('engine', CHAIN)(engine);
    assert.deepEqual(inBrowser, inNode);
    const result = inNode as { integratedLufs: number; truePeakDbtp: number };
    assert.ok(result.integratedLufs > -20 && result.integratedLufs < -5, `a plausible loudness: ${result.integratedLufs}`);
    assert.ok(result.truePeakDbtp <= -1, `the limiter holds its ceiling in both: ${result.truePeakDbtp}`);
    assert.equal((inBrowser as { wasm: boolean }).wasm, true, 'the WASM SIMD true-peak kernel runs in Chromium');
  } finally {
    await browser.close();
    server.close();
  }
});
