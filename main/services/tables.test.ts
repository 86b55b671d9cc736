import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportFileName, formatTable, type Table } from './tables';

const table: Table = {
  title: 'Agreement of checker A & B',
  columns: ['property', 'agreed', 'rate'],
  rows: [['friendly', 95, 0.95], ['say "hi", then | go', 3, null], ['100%_sure', 0, 0.12345]],
};

test('CSV quotes what needs quoting and ends lines with CRLF', () => {
  assert.equal(formatTable(table, 'csv'),
    'property,agreed,rate\r\nfriendly,95,0.950\r\n"say ""hi"", then | go",3,\r\n100%_sure,0,0.123\r\n');
});

test('Markdown escapes pipes and right-aligns numeric columns', () => {
  assert.equal(formatTable(table, 'md'), [
    '| property | agreed | rate |', '| --- | ---: | ---: |', '| friendly | 95 | 0.950 |',
    '| say "hi", then \\| go | 3 |  |', '| 100%_sure | 0 | 0.123 |', '',
  ].join('\n'));
});

test('LaTeX escapes its special characters and captions the table', () => {
  const out = formatTable(table, 'latex');
  assert.match(out, /\\begin\{tabular\}\{lrr\}/);
  assert.match(out, /100\\%\\_sure & 0 & 0\.123 \\\\/);
  assert.match(out, /\\caption\{Agreement of checker A \\& B\}/);
});

test('JSON keeps numbers as numbers', () => {
  assert.deepEqual(JSON.parse(formatTable(table, 'json'))[0], { property: 'friendly', agreed: 95, rate: 0.95 });
});

test('export names say what, where from and when', () => {
  assert.equal(exportFileName(['Effect strengths', 'Demo project', 'Code'], 'csv', new Date('2026-11-23T10:00:00Z')),
    'effect-strengths_demo-project_code_2026-11-23.csv');
});
