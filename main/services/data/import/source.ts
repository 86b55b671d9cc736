// Turns a file's bytes into records (plain objects with where each came from), whatever the container:
// JSON Lines, a JSON array, CSV or parquet. The format-specific importers only ever see records.
import { parquetReadObjects } from 'hyparquet';
import { parseCsv } from './csv';
import { ImportError, type ImportLocationUnit } from './types';

/**
 * Largest file accepted. A JS string holds at most ~2^29 UTF-16 units, so bigger text files could not even be
 * decoded, and a whole import has to fit in memory next to its parsed records.
 */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

export type Container = 'jsonl' | 'json' | 'csv' | 'parquet';

export interface RawRecord {
  fields: Record<string, unknown>;
  /** 1-based physical line (JSONL, CSV) or 1-based record position (JSON array, parquet): see `unit`. */
  at: number;
}

export interface RecordSource {
  container: Container;
  unit: ImportLocationUnit;
  records: RawRecord[];
  /** CSV only: the line of the header, whose column names every record shares. */
  headerLine?: number;
}

const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

const isParquet = (bytes: Uint8Array) =>
  bytes.length >= 8 && PARQUET_MAGIC.every((b, i) => bytes[i] === b && bytes[bytes.length - 4 + i] === b);

/** A JSON-like object (not an array, Date or typed array). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The container by extension, else by content (parquet magic, then the first non-blank character). */
export function detectContainer(fileName: string, bytes: Uint8Array): Container {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'parquet') return 'parquet';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  if (ext === 'csv') return 'csv';
  if (isParquet(bytes)) return 'parquet';
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3; // UTF-8 byte order mark
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  // A .json file may hold JSON Lines too (one object per line); an array is the only other JSON shape we take.
  if (bytes[i] === 0x5b /* [ */) return 'json';
  if (bytes[i] === 0x7b /* { */ || ext === 'json') return 'jsonl';
  return 'csv';
}

/** Strict UTF-8 decoding: a file in another encoding is refused, naming the first line that is not UTF-8. */
export function decodeText(file: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    if (!(e instanceof TypeError)) throw new ImportError(file, `too large to decode as text (${(e as Error).message})`);
  }
  // The newline byte never occurs inside a multi-byte UTF-8 sequence, so lines can be checked one by one.
  const lineDecoder = new TextDecoder('utf-8', { fatal: true });
  for (let start = 0, line = 1; start < bytes.length; line++) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl === -1 ? bytes.length : nl;
    try {
      lineDecoder.decode(bytes.subarray(start, end));
    } catch {
      throw new ImportError(file, 'the file is not UTF-8 text (save it as UTF-8 and import it again)', line);
    }
    start = end + 1;
  }
  throw new ImportError(file, 'the file is not UTF-8 text');
}

/** The one JSON Lines reader: one object per non-blank line, numbered by physical line. */
export function jsonLines(file: string, text: string): RawRecord[] {
  const records: RawRecord[] = [];
  for (let start = 0, line = 1; start <= text.length; line++) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    const raw = text.slice(start, end);
    start = end + 1;
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw new ImportError(file, `not valid JSON (${(e as Error).message})`, line);
    }
    if (!isPlainObject(value)) throw new ImportError(file, 'expected a JSON object on this line', line);
    records.push({ fields: value, at: line });
  }
  return records;
}

function jsonArray(file: string, text: string): RawRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    // V8 tells where it stopped as a line (newer versions) or a character position, or only quotes the text.
    const stated = /\(line (\d+) column/.exec(message);
    const position = /position (\d+)/.exec(message);
    let line: number | undefined = stated ? Number(stated[1]) : undefined;
    if (!stated && position) {
      line = 1;
      for (let i = text.indexOf('\n'); i !== -1 && i < Number(position[1]); i = text.indexOf('\n', i + 1)) line++;
    }
    throw new ImportError(file, `not valid JSON (${message})`, line);
  }
  if (!Array.isArray(value)) throw new ImportError(file, 'expected a JSON array of records (or JSON Lines)');
  return value.map((v, i) => {
    if (!isPlainObject(v)) throw new ImportError(file, 'expected a JSON object', i + 1, undefined, 'record');
    return { fields: v, at: i + 1 };
  });
}

/** Parquet integers arrive as BigInt (INT64); everything downstream expects plain JSON-like values. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = plain(value[key]);
    return out;
  }
  return value;
}

async function parquetRecords(file: string, bytes: Uint8Array): Promise<RawRecord[]> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let rows: Record<string, unknown>[];
  try {
    rows = await parquetReadObjects({ file: buffer, rowFormat: 'object' });
  } catch (e) {
    throw new ImportError(file, `not a readable parquet file (${(e as Error).message})`);
  }
  return rows.map((row, i) => ({ fields: plain(row) as Record<string, unknown>, at: i + 1 }));
}

/** CSV rows become records keyed by the header's column names. */
function csvRecords(file: string, text: string): RecordSource {
  const [header, ...rows] = parseCsv(file, text);
  const names = header.fields.map((n) => n.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '') throw new ImportError(file, 'the header has an empty column name', header.line);
    if (seen.has(name)) throw new ImportError(file, 'the header names this column twice', header.line, name);
    seen.add(name);
  }
  const records = rows.map(({ fields, line }) => {
    if (fields.length !== names.length) {
      throw new ImportError(file, `expected ${names.length} columns as in the header, found ${fields.length}`, line);
    }
    const record: Record<string, unknown> = {};
    names.forEach((name, i) => { record[name] = fields[i]; });
    return { fields: record, at: line };
  });
  return { container: 'csv', unit: 'line', records, headerLine: header.line };
}

/** All records of a file, or an ImportError for a file that is empty, too big, not UTF-8 or malformed. */
export async function readRecords(file: string, bytes: Uint8Array, container: Container): Promise<RecordSource> {
  if (bytes.length > MAX_IMPORT_BYTES) {
    throw new ImportError(file, `the file is ${(bytes.length / 2 ** 20).toFixed(0)} MiB; at most ${MAX_IMPORT_BYTES / 2 ** 20} MiB can be imported at once (split it)`);
  }
  if (bytes.length === 0) throw new ImportError(file, 'the file is empty');
  if (container === 'parquet') return { container, unit: 'record', records: await parquetRecords(file, bytes) };
  const text = decodeText(file, bytes);
  if (text.trim() === '') throw new ImportError(file, 'the file is empty (only blank lines)');
  if (container === 'csv') return csvRecords(file, text);
  if (container === 'json') return { container, unit: 'record', records: jsonArray(file, text) };
  return { container, unit: 'line', records: jsonLines(file, text) };
}
