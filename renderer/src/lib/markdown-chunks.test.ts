// eslint-disable-next-line no-restricted-imports -- unit tests run under Node's own runner
import { test } from 'node:test';
// eslint-disable-next-line no-restricted-imports -- unit tests run under Node's own runner
import assert from 'node:assert/strict';
import { Marked } from 'marked';
import { markdownChunk, type MarkdownChunk } from './markdown-chunks';

function allChunks(text: string, budget: number): MarkdownChunk[] {
  const chunks = [markdownChunk(text, 0, '', budget)];
  while (chunks[chunks.length - 1].end < text.length) {
    const last = chunks[chunks.length - 1];
    chunks.push(markdownChunk(text, last.end, last.carryNext, budget));
  }
  return chunks;
}

const html = (c: MarkdownChunk, text: string) => new Marked({ gfm: true, async: false }).parse(c.carry + text.slice(c.start, c.end)) as string;

const table = (rows: number) => [
  '| name | value |', '| --- | ---: |', ...Array.from({ length: rows }, (_, i) => `| row ${i + 1} | ${i * 10} |`),
].join('\n');

test('a short text is one piece', () => {
  assert.deepEqual(markdownChunk('# Hi\n\nthere', 0, '', 100), { start: 0, end: 11, carry: '', carryNext: '' });
});

test('pieces end between blocks and cover the text exactly once', () => {
  const paragraphs = Array.from({ length: 60 }, (_, i) => `Paragraph ${i} with *some* words in it.`).join('\n\n');
  const text = `# Title\n\n${paragraphs}\n\n- one\n- two\n`;
  const chunks = allChunks(text, 300);
  assert.ok(chunks.length > 5);
  assert.equal(chunks.map((c) => text.slice(c.start, c.end)).join(''), text);
  for (const c of chunks) {
    assert.ok(c.end - c.start <= 300);
    assert.equal(c.carry, '');
    // No paragraph is cut: every piece renders whole paragraphs.
    for (const p of html(c, text).match(/<p>[^<]*/g) ?? []) assert.match(p, /^<p>Paragraph \d+ with $/);
  }
});

test('a table longer than a piece is cut between rows, and every later piece repeats its header', () => {
  const text = `Before.\n\n${table(200)}\n\nAfter the table.`;
  const chunks = allChunks(text, 1000);
  assert.ok(chunks.length > 3);
  assert.equal(chunks.map((c) => text.slice(c.start, c.end)).join(''), text);
  const rendered = chunks.map((c) => html(c, text));
  const rows = rendered.join('').match(/<td>row \d+<\/td>/g) ?? [];
  assert.deepEqual(rows, Array.from({ length: 200 }, (_, i) => `<td>row ${i + 1}</td>`), 'each row once, in order, as a table row');
  // The first piece is not 'Before.' alone: it shows the table's first rows, and every later piece continues it.
  assert.match(rendered[0], /<p>Before.<\/p>[\s\S]*<td>row 1<\/td>/);
  for (const c of chunks.slice(1)) assert.equal(c.carry, '| name | value |\n| --- | ---: |\n');
  assert.match(rendered[rendered.length - 1], /<p>After the table.<\/p>/);
});

test('a fenced code block longer than a piece stays code in every piece', () => {
  const code = Array.from({ length: 100 }, (_, i) => `print(${i})  # *not emphasis*`).join('\n');
  const text = `Code:\n\n\`\`\`python\n${code}\n\`\`\`\n\nDone.`;
  const chunks = allChunks(text, 500);
  assert.equal(chunks.map((c) => text.slice(c.start, c.end)).join(''), text);
  const rendered = chunks.map((c) => html(c, text)).join('');
  assert.doesNotMatch(rendered, /<em>/, 'no line of code was read as Markdown');
  assert.equal(rendered.match(/print\(\d+\)/g)?.length, 100);
});

test('one line longer than a piece is cut anyway, never inside a surrogate pair', () => {
  const text = '😀'.repeat(1000);
  const chunks = allChunks(text, 301);
  assert.equal(chunks.map((c) => text.slice(c.start, c.end)).join(''), text);
  for (const c of chunks) assert.doesNotMatch(text.slice(c.start, c.end), /^[\udc00-\udfff]|[\ud800-\udbff]$/);
});
