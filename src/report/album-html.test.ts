import { assert, test } from '../../test/support/node-test.js';
import { renderAlbumReportHtml } from './album-html.js';
import { sampleAlbumReport } from './sample-report.js';

const has = (text: string, pattern: RegExp, message?: string) => assert.ok(pattern.test(text), message ?? `expected ${pattern}`);

test('the track table links each track report and compares it with the album', () => {
  const report = sampleAlbumReport();
  const page = renderAlbumReportHtml(report);
  const links = [...page.matchAll(/<a href="([^"]*)">/g)].map((m) => m[1]);
  assert.deepEqual(links, report.tracks.map((t) => `${t.folder}/report.html`));
  has(page, /<a href="03-night-and-day\/report.html">Night &amp; Day &lt;live&gt;<\/a>/);
  // Runaway: −13.4 LUFS against an album at −14.5 LUFS.
  has(page, /Runaway<\/a><\/td><td data-label="Before" class="num">−17.2\u00a0LUFS<\/td><td data-label="After" class="num">−13.4\u00a0LUFS<\/td><td data-label="vs album" class="num">\+1.1\u00a0LU<\/td>/);
  has(page, /<tr class="album"><td[^>]*><\/td><td[^>]*>Whole album<\/td><td[^>]*>−19.3\u00a0LUFS<\/td><td[^>]*>−14.5\u00a0LUFS<\/td>/);
  has(page, /One gain strategy for the whole album/);
  has(page, /Letters stays 3.1 LU under the album/);
});

test('the bar chart has a before and an after bar per track, longer for louder', () => {
  const report = sampleAlbumReport();
  const svg = renderAlbumReportHtml(report).match(/<svg[\s\S]*?<\/svg>/g)!;
  assert.equal(svg.length, 1);
  const bars = [...svg[0]!.matchAll(/<rect class="bar" x="[\d.]+" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.equal(bars.length, 2 * report.tracks.length);
  report.tracks.forEach((track, i) => {
    assert.ok(bars[2 * i + 1]! > bars[2 * i]!, `${track.title}: after is louder, so its bar is longer`);
  });
  // The loudest after (Runaway, track 4) is the longest bar.
  assert.equal(Math.max(...bars), bars[7]);
});

test('user text in the album is escaped, including folder names used in links', () => {
  const report = sampleAlbumReport();
  report.title = '<script>alert(1)</script> & "Q"';
  report.tracks[0]!.folder = 'javascript:alert(1)" onclick="x';
  report.tracks[1]!.title = '<img src=x onerror=alert(1)>';
  report.notes = ['<b>bold</b>'];
  const page = renderAlbumReportHtml(report);
  assert.equal(page.match(/<script|<img|<b>|onclick="/gi), null);
  has(page, /<h1>&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;Q&quot;<\/h1>/);
  has(page, /href="javascript%3Aalert\(1\)%22%20onclick%3D%22x\/report.html"/);
});

test('an album without tracks or loudness still renders, with dashes', () => {
  const report = sampleAlbumReport();
  report.tracks = [];
  report.albumBeforeLufs = null;
  report.albumAfterLufs = null;
  report.notes = [];
  const page = renderAlbumReportHtml(report);
  has(page, /0 tracks/);
  has(page, /No tracks\./);
  has(page, /<div class="value">—<\/div>/);
  assert.equal(page.match(/NaN|Infinity|undefined/g), null);
});
