// The engine is isomorphic: the same bundle (dist/engine.js, built for platform 'browser') runs a
// processing chain in real Chromium and gives the same numbers as in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The chain both sides run: a sine through Gain, measured by the loudness and true-peak meters. */
const CHAIN = `
  const rate = 48000;
  const frames = rate * 3;
  const left = new Float32Array(frames), right = new Float32Array(frames);
  for (let i = 0; i < frames; i++) { left[i] = 0.5 * Math.sin(2 * Math.PI * 997 * i / rate); right[i] = 0.5 * Math.sin(2 * Math.PI * 12000 * i / rate + 0.7); }
  const gain = new engine.Gain(rate, 2, { gainDb: -6 });
  const loudness = new engine.LoudnessMeter({ sampleRate: rate, channelLayout: ['L', 'R'] });
  const peak = new engine.TruePeakMeter(2);
  for (let start = 0; start < frames; start += 4096) {
    const n = Math.min(4096, frames - start);
    const block = [left.subarray(start, start + n), right.subarray(start, start + n)];
    gain.process(block, n);
    loudness.push(block, n);
    peak.push(block, n);
  }
  return { integratedLufs: loudness.integratedLufs(), truePeak: peak.maxPeak(), wasm: peak.usesWasm, last: left[frames - 1] };
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
    assert.ok(Math.abs((inNode as { integratedLufs: number }).integratedLufs - (-12 + 0.5 * 0)) < 3, 'a plausible loudness');
    assert.equal((inBrowser as { wasm: boolean }).wasm, true, 'the WASM SIMD true-peak kernel runs in Chromium');
  } finally {
    await browser.close();
    server.close();
  }
});
