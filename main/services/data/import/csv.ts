// RFC 4180 CSV: comma-separated fields, records ended by CRLF or LF, fields in double quotes may hold commas,
// line breaks and doubled quotes (""). Each record keeps the physical line it starts on, for error messages.
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

/** Parses the whole text; blank lines between records are skipped. Throws ImportError on malformed quoting. */
export function parseCsv(file: string, text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const c0 = text.charCodeAt(i);
    if (c0 === LF || (c0 === CR && text.charCodeAt(i + 1) === LF)) {
      i += c0 === LF ? 1 : 2;
      line++;
      continue;
    }
    const rowLine = line;
    const fields: string[] = [];
    let more = true; // another field follows in this record
    while (more) {
      if (text.charCodeAt(i) === QUOTE) {
        // Find the closing quote, skipping doubled ones, then cut the field out in one piece.
        const start = i + 1;
        let q = text.indexOf('"', start);
        while (q !== -1 && text.charCodeAt(q + 1) === QUOTE) q = text.indexOf('"', q + 2);
        if (q === -1) throw new ImportError(file, 'a quoted field is never closed (missing ")', line);
        const raw = text.slice(start, q);
        fields.push(raw.includes('""') ? raw.replaceAll('""', '"') : raw);
        line += countNewlines(text, start, q);
        i = q + 1;
        const c = text.charCodeAt(i);
        if (c === COMMA) i++;
        else if (i >= n) more = false;
        else if (c === LF || (c === CR && text.charCodeAt(i + 1) === LF)) {
          i += c === LF ? 1 : 2;
          line++;
          more = false;
        } else {
          throw new ImportError(file, 'unexpected text after the closing quote of a field (a " inside a quoted field must be doubled)', line);
        }
      } else {
        let j = i;
        for (; j < n; j++) {
          const c = text.charCodeAt(j);
          if (c === COMMA || c === LF) break;
          if (c === QUOTE) throw new ImportError(file, 'a " inside an unquoted field (quote the whole field and double the ")', line);
        }
        const end = j > i && text.charCodeAt(j - 1) === CR && (j === n || text.charCodeAt(j) === LF) ? j - 1 : j;
        fields.push(text.slice(i, end));
        if (j < n && text.charCodeAt(j) === COMMA) {
          i = j + 1;
        } else {
          if (j < n) line++;
          i = j + 1;
          more = false;
        }
      }
    }
    rows.push({ fields, line: rowLine });
  }
  return rows;
}
