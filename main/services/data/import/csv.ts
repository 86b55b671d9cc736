// RFC 4180 CSV: comma-separated fields, records ended by CRLF or LF, fields in double quotes may hold commas,
// line breaks and doubled quotes (""). Each record keeps the physical line it starts on, for error messages.
// Text may arrive in pieces cut anywhere: a record that runs past the end of what has arrived waits for the next piece.
import { ImportError } from './types';

export interface CsvRow {
  fields: string[];
  /** 1-based physical line where the record starts (a quoted field can span several lines). */
  line: number;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Reads records from text pieces; blank lines between records are skipped. Malformed quoting is an ImportError. */
export class CsvReader {
  private pending = '';
  private line = 1;

  constructor(private readonly file: string, private readonly maxRecordChars = Infinity) {}

  /** The complete records of the text so far plus `text`; `final` when no more text follows. */
  push(text: string, final: boolean): CsvRow[] {
    const buffer = this.pending + text;
    const rows: CsvRow[] = [];
    let i = 0;
    while (i < buffer.length) {
      const c0 = buffer.charCodeAt(i);
      if (c0 === LF || (c0 === CR && buffer.charCodeAt(i + 1) === LF)) {
        i += c0 === LF ? 1 : 2;
        this.line++;
        continue;
      }
      if (c0 === CR && i + 1 === buffer.length && !final) break; // a CRLF cut in two
      const row = this.record(buffer, i, final);
      if (!row) break;
      rows.push(row.row);
      i = row.next;
    }
    this.pending = buffer.slice(i);
    if (this.pending.length > this.maxRecordChars) {
      throw new ImportError(this.file, `the record is longer than ${this.maxRecordChars / 2 ** 20} MiB (is a quoted field never closed?)`, this.line);
    }
    return rows;
  }

  /** Rows of a text stream, as they complete. */
  async *rows(text: AsyncIterable<string>): AsyncGenerator<CsvRow> {
    for await (const piece of text) yield* this.push(piece, false);
    yield* this.push('', true);
  }

  /** One record from `i`, or null when it runs past the end of a buffer that is not final. */
  private record(text: string, from: number, final: boolean): { row: CsvRow; next: number } | null {
    const n = text.length;
    const rowLine = this.line;
    let line = this.line;
    const fields: string[] = [];
    let i = from;
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        // Find the closing quote, skipping doubled ones, then cut the field out in one piece.
        const start = i + 1;
        let q = text.indexOf('"', start);
        while (q !== -1 && text.charCodeAt(q + 1) === QUOTE) q = text.indexOf('"', q + 2);
        // A quote at the very end may be the first of a doubled pair: wait for what follows.
        if (!final && (q === -1 || q + 1 >= n)) return null;
        if (q === -1) throw new ImportError(this.file, 'a quoted field is never closed (missing ")', line);
        const raw = text.slice(start, q);
        fields.push(raw.includes('""') ? raw.replaceAll('""', '"') : raw);
        line += countNewlines(text, start, q);
        i = q + 1;
        const c = text.charCodeAt(i);
        if (c === COMMA) {
          i++;
        } else if (i >= n) {
          break;
        } else if (c === LF || (c === CR && text.charCodeAt(i + 1) === LF)) {
          i += c === LF ? 1 : 2;
          line++;
          break;
        } else if (c === CR && i + 1 >= n && !final) {
          return null;
        } else {
          throw new ImportError(this.file, 'unexpected text after the closing quote of a field (a " inside a quoted field must be doubled)', line);
        }
      } else {
        let j = i;
        for (; j < n; j++) {
          const c = text.charCodeAt(j);
          if (c === COMMA || c === LF) break;
          if (c === QUOTE) throw new ImportError(this.file, 'a " inside an unquoted field (quote the whole field and double the ")', line);
        }
        if (j >= n && !final) return null;
        const end = j > i && text.charCodeAt(j - 1) === CR && (j === n || text.charCodeAt(j) === LF) ? j - 1 : j;
        fields.push(text.slice(i, end));
        if (j < n && text.charCodeAt(j) === COMMA) {
          i = j + 1;
          // A comma ending the text ends the record with an empty field.
          if (i >= n) {
            if (!final) return null;
            fields.push('');
            break;
          }
        } else {
          if (j < n) line++;
          i = j + 1;
          break;
        }
      }
    }
    this.line = line;
    return { row: { fields, line: rowLine }, next: Math.min(i, n) };
  }
}

/** Parses a whole text at once. */
export function parseCsv(file: string, text: string): CsvRow[] {
  return new CsvReader(file).push(text, true);
}
