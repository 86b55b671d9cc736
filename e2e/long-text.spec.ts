// A model that answered with a 4.8 MB Markdown table (3,000 rows x 40 columns): the researcher imports it, opens
// the pair and reads it at once; only the start is rendered as Markdown, and the rest is one click away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useApp } from './harness';

const ROWS = 3000;
const COLUMNS = 40;
const LAST_WORDS = 'The table ends here, after row 3000.';

function hugeTable(): string {
  const cell = (r: number, c: number) => `r${String(r).padStart(4, '0')} c${String(c).padStart(2, '0')} lorem ipsum dolor sit amet.`;
  // Hostile HTML in the header, which every later piece repeats: it must show as text there too.
  const head = `| ${Array.from({ length: COLUMNS }, (_, c) => `column ${c + 1}`).join(' | ')} <img src=x onerror="window.__pwned=1"> |`;
  const rule = `|${' --- |'.repeat(COLUMNS)}`;
  const rows = Array.from({ length: ROWS }, (_, r) => `| ${Array.from({ length: COLUMNS }, (_, c) => cell(r + 1, c + 1)).join(' | ')} |`);
  return `Here is the table you asked for.\n\n${head}\n${rule}\n${rows.join('\n')}\n\n${LAST_WORDS}`;
}

function arenaFile(): { path: string; bytes: number } {
  const table = hugeTable();
  // A long query too (half a megabyte): shown as plain text, laid out where it is scrolled to.
  const query = `Give me a table of 3000 rows and 40 columns.\n${Array.from({ length: 20_000 }, (_, i) => `Requirement ${i + 1}: be exact.`).join('\n')}`;
  const line = JSON.stringify({
    question_id: 'huge-table-1', model_a: 'verbose-model', model_b: 'terse-model', winner: 'model_b', judge: 'arena_user_1',
    conversation_a: [{ role: 'user', content: query }, { role: 'assistant', content: table }],
    conversation_b: [{ role: 'user', content: query }, { role: 'assistant', content: 'That table would be too long to be useful.' }],
    turn: 1, language: 'English',
  });
  const path = join(mkdtempSync(join(tmpdir(), 'ps-long-')), 'huge-table.jsonl');
  writeFileSync(path, `${line}\n`);
  return { path, bytes: Buffer.byteLength(table) };
}

const app = useApp();

const renderedRows = () => app.page.getByTestId('response-a').locator('table tbody tr').count();

test('a pair with a 4.8 MB Markdown table opens with its first rows, and the whole text can be reached', async () => {
  const file = arenaFile();
  assert.ok(file.bytes > 4_000_000 && file.bytes < 5_500_000, `the response is ${file.bytes} bytes`);
  await app.page.getByTestId('pair-row').first().waitFor();
  await app.page.getByTestId('import-study-name').fill('Long texts');
  await app.page.getByTestId('import-file-input').setInputFiles(file.path);
  await app.page.getByTestId('import-report').waitFor({ timeout: 60_000 });
  const row = app.page.getByTestId('pair-row').filter({ hasText: 'Give me a table' });
  await row.waitFor();

  const started = Date.now();
  await row.click();
  const responseA = app.page.getByTestId('response-a');
  await responseA.locator('td', { hasText: 'r0001 c01' }).waitFor({ timeout: 120_000 });
  const shown = Date.now() - started;
  // Interactive: the page answers a keypress (the pair closes on Escape) once the first rows are on screen.
  await app.page.keyboard.press('Escape');
  await app.page.getByTestId('pair-detail').waitFor({ state: 'detached', timeout: 120_000 });
  const interactive = Date.now() - started;
  console.log(`# huge pair (${file.bytes} bytes): first rows shown after ${shown} ms, Escape answered after ${interactive} ms`);

  await row.click();
  await responseA.locator('td', { hasText: 'r0001 c01' }).waitFor();
  const first = await renderedRows();
  assert.ok(first > 0 && first < ROWS / 10, `only the start is rendered as Markdown (${first} rows)`);
  assert.equal(await responseA.getByText(LAST_WORDS).count(), 0, 'the end is not rendered yet');
  const queryShown = await app.page.getByTestId('pair-query').evaluate((el) => ({ blocks: el.children.length, text: el.textContent ?? '' }));
  assert.ok(queryShown.blocks > 1, 'the long query is in blocks');
  assert.ok(queryShown.text.endsWith('Requirement 20000: be exact.'), 'all of it');
  const unsafe = () => app.page.evaluate(() => ({
    elements: document.querySelectorAll('[data-testid="response-a"] img, [data-testid="response-a"] [onerror]').length,
    ran: (window as unknown as { __pwned?: number }).__pwned ?? null,
  }));
  assert.deepEqual(await unsafe(), { elements: 0, ran: null });

  // "Show more" renders the next piece as Markdown; "Show all the rest" the remainder as plain text, to the end.
  const more = responseA.getByRole('button', { name: /show more/i });
  assert.match(await responseA.getByRole('group', { name: 'The rest of this text' }).innerText(), /Shown: [\d,]+ of 4,8\d\d,\d{3} characters/);
  await more.click();
  await app.page.waitForFunction((before) => document.querySelectorAll('[data-testid="response-a"] tbody tr').length > before, first);
  assert.deepEqual(await unsafe(), { elements: 0, ran: null }, 'the repeated header is sanitised too');
  assert.ok(await responseA.locator('thead').count() >= 2, 'the next piece repeats the header');
  const rest = responseA.getByRole('button', { name: /show the rest/i });
  assert.match(await rest.innerText(), /\d more characters/);
  await rest.click();
  const plain = responseA.getByTestId('markdown-plain-rest');
  await plain.waitFor();
  const tail = await plain.evaluate((el) => el.textContent ?? '');
  assert.match(tail, /\| r3000 c40 lorem ipsum dolor sit amet\. \|/, 'the last row is reachable');
  assert.ok(tail.endsWith(LAST_WORDS), 'and so are the last words');
  // Every row is on the page once: rendered as a table row or in the plain rest.
  const rowsAsTable = await renderedRows();
  const rowsAsText = tail.match(/^\| r\d{4} c01 /gm)?.length ?? 0;
  assert.equal(rowsAsTable + rowsAsText, ROWS);
});
