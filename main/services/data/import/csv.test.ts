import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCsv } from './csv';
import { ImportError } from './types';

const rows = (text: string) => parseCsv('t.csv', text).map((r) => [r.line, ...r.fields]);

function fails(text: string, line: number, message: RegExp) {
  assert.throws(() => parseCsv('t.csv', text), (e: unknown) => {
    assert.ok(e instanceof ImportError);
    assert.equal(e.line, line, e.message);
    assert.match(e.message, message);
    return true;
  });
}

describe('RFC 4180 CSV', () => {
  it('splits plain fields and records, LF or CRLF, with or without a final line break', () => {
    assert.deepEqual(rows('a,b,c\n1,2,3\n'), [[1, 'a', 'b', 'c'], [2, '1', '2', '3']]);
    assert.deepEqual(rows('a,b,c\r\n1,2,3\r\n'), [[1, 'a', 'b', 'c'], [2, '1', '2', '3']]);
    assert.deepEqual(rows('a,b,c\r\n1,2,3'), [[1, 'a', 'b', 'c'], [2, '1', '2', '3']]);
  });

  it('keeps empty fields, also at the end of a record', () => {
    assert.deepEqual(rows('a,,c\n,,\nx,y,'), [[1, 'a', '', 'c'], [2, '', '', ''], [3, 'x', 'y', '']]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, and numbers records by their first line', () => {
    const text = 'id,text\r\n1,"one, two"\r\n2,"say ""hi""\r\nand\nbye"\r\n3,"""quoted"""\r\n4,""\r\n';
    assert.deepEqual(rows(text), [
      [1, 'id', 'text'],
      [2, '1', 'one, two'],
      [3, '2', 'say "hi"\r\nand\nbye'],
      [6, '3', '"quoted"'],
      [7, '4', ''],
    ]);
  });

  it('skips blank lines between records but counts them', () => {
    assert.deepEqual(rows('a,b\n\n1,2\r\n\r\n3,4\n'), [[1, 'a', 'b'], [3, '1', '2'], [5, '3', '4']]);
  });

  it('keeps a carriage return that does not end a line', () => {
    assert.deepEqual(rows('a\rb,c\n'), [[1, 'a\rb', 'c']]);
  });

  it('refuses broken quoting, naming the line', () => {
    fails('a,b\n1,"never closed\nstill open\n', 2, /quoted field is never closed/);
    fails('a,b\n1,"x"y\n', 2, /unexpected text after the closing quote/);
    fails('a,b\n1,"multi\nline"\n2,ab"c\n', 4, /" inside an unquoted field/);
  });
});
