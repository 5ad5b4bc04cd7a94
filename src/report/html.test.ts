import { assert, test } from '../../test/support/node-test.js';
import { escapeHtml, html, raw, relativeHref, table } from './html.js';

test('escaping covers element text and both kinds of quoted attribute', () => {
  assert.equal(escapeHtml(`<script>alert(1)</script> & "Q" 'x'`), '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Q&quot; &#39;x&#39;');
});

test('the html template escapes strings, passes nested markup through once, and drops null/false', () => {
  const name = '<b>&</b>';
  const inner = html`<i>${name}</i>`;
  assert.equal(html`<p title="${name}">${inner}${null}${false}${[html`<br>`, 'a<b']}</p>`.value,
    '<p title="&lt;b&gt;&amp;&lt;/b&gt;"><i>&lt;b&gt;&amp;&lt;/b&gt;</i><br>a&lt;b</p>');
  assert.equal(html`${raw('<hr>')}`.value, '<hr>');
});

test('links to user-named folders are percent-encoded relative paths', () => {
  assert.equal(relativeHref('03 Night & Day', 'report.html'), '03%20Night%20%26%20Day/report.html');
  assert.equal(relativeHref('javascript:alert(1)', 'report.html'), 'javascript%3Aalert(1)/report.html', 'never a URL scheme');
  assert.equal(relativeHref('a"b/c', 'report.html'), 'a%22b/c/report.html');
});

test('a table escapes its cells and labels each cell with its column for narrow screens', () => {
  const markup = table([{ header: 'File', cell: (r: string) => r }, { header: 'Size', numeric: true, cell: () => '1' }], ['<x>.wav']).value;
  assert.match(markup, /<td data-label="File">&lt;x&gt;\.wav<\/td>/);
  assert.match(markup, /<td data-label="Size" class="num">1<\/td>/);
  assert.match(markup, /^<div class="table-wrap">/);
});
