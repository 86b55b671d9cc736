// Turns a file's bytes into records (plain objects with where each came from), whatever the container: JSON Lines,
// a JSON array, CSV or parquet, any of them gzip-compressed. Records stream: the bytes are read in chunks and each
// record is handed on as soon as it is complete, so memory stays bounded by the largest record, not the file.
// The format-specific importers only ever see records.
import { parquetMetadataAsync, parquetReadObjects, type AsyncBuffer } from 'hyparquet';
import { CsvReader } from './csv';
import { type ImportInput } from './input';
import { gunzip, isGzip, peek, sniffBinary, sniffUtf16, TextStream, transcodeUtf16 } from './text';
import { ImportError, type ImportLocationUnit } from './types';

/**
 * Largest file accepted (and, for gzip, the most it may decompress to). One import is one write transaction, whose
 * write-ahead log grows with it; a file this size is most likely a mistake, and splitting it costs nothing.
 */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;
/** Largest single record (a JSON Lines line, a JSON array element, a CSV record), in characters. */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

export type Container = 'jsonl' | 'json' | 'csv' | 'parquet';

export interface RawRecord {
  fields: Record<string, unknown>;
  /** 1-based physical line (JSONL, CSV) or 1-based record position (JSON array, parquet): see `unit`. */
  at: number;
}

export interface RecordSource {
  container: Container;
  unit: ImportLocationUnit;
  records: AsyncIterable<RawRecord>;
  /** CSV only: the header's line and column names, which every record shares. */
  headerLine?: number;
  columns?: string[];
  /** After `records` is exhausted: whether the file held anything but white space. */
  sawText(): boolean;
}

const CONTAINER_NAMES: Record<Container, string> = { jsonl: 'JSON Lines', json: 'JSON', csv: 'CSV', parquet: 'parquet' };
const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

/** A JSON-like object (not an array, Date or typed array). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function byExtension(name: string): Container | 'json?' | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (ext === 'parquet') return 'parquet';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  if (ext === 'csv') return 'csv';
  // A .json file may hold JSON Lines too (one object per line); an array is the only other JSON shape we take.
  if (ext === 'json') return 'json?';
  return undefined;
}

/** JSON array, JSON Lines or CSV by the first non-blank character. */
function byContent(head: Uint8Array, json: boolean): Container {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0; // UTF-8 byte order mark
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (head[i] === 0x5b /* [ */) return 'json';
  if (head[i] === 0x7b /* { */ || json) return 'jsonl';
  return 'csv';
}

/** What escapes in JSON text can make that no UTF-8 file holds: lone surrogates and NUL. */
const SUSPECT_ESCAPE = /\\u(?:[dD][89a-fA-F]|0000)/;

function badText(s: string): string | null {
  // In a /u regex a surrogate pair is one character, so \p{Cs} matches only halves standing alone.
  if (/\p{Cs}/u.test(s)) return 'a lone surrogate (half of a UTF-16 pair, e.g. \\ud800), which is not a character';
  if (s.includes('\0')) return 'a NUL character (\\u0000)';
  return null;
}

/** Refuses strings (and field names) that the database could not store as valid UTF-8 text. */
function checkStrings(file: string, value: unknown, at: number, unit: ImportLocationUnit): void {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const bad = badText(v);
      if (bad) throw new ImportError(file, `holds ${bad}; text must be valid Unicode`, at, path || undefined, unit);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (typeof v === 'object' && v !== null) {
      for (const [key, x] of Object.entries(v).reverse()) {
        const bad = badText(key);
        if (bad) throw new ImportError(file, `a field name holds ${bad}`, at, path || undefined, unit);
        stack.push([x, path ? `${path}.${key}` : key]);
      }
    }
  }
}

/** JSON.parse with the file's location on failure: `line` is where `text` starts. */
function parseJson(file: string, text: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    // V8 tells where it stopped as a line (newer versions) or a character position, or only quotes the text.
    const stated = /\(line (\d+) column/.exec(message);
    const position = /position (\d+)/.exec(message);
    let at = line;
    if (stated) at = line + Number(stated[1]) - 1;
    else if (position) {
      for (let i = text.indexOf('\n'); i !== -1 && i < Number(position[1]); i = text.indexOf('\n', i + 1)) at++;
    }
    throw new ImportError(file, `not valid JSON (${message.length > 200 ? `${message.slice(0, 200)}…` : message})`, at);
  }
}

/** JSON Lines: one object per non-blank line, numbered by physical line. */
async function* jsonLines(file: string, text: AsyncIterable<string>): AsyncGenerator<RawRecord> {
  let pending = '';
  let line = 1;
  const record = (raw: string, at: number): RawRecord | null => {
    if (raw.trim() === '') return null;
    const value = parseJson(file, raw, at);
    if (!isPlainObject(value)) throw new ImportError(file, 'expected a JSON object on this line', at);
    if (SUSPECT_ESCAPE.test(raw)) checkStrings(file, value, at, 'line');
    return { fields: value, at };
  };
  for await (const piece of text) {
    let start = 0;
    for (let nl = piece.indexOf('\n'); nl !== -1; nl = piece.indexOf('\n', start)) {
      const raw = pending === '' ? piece.slice(start, nl) : pending + piece.slice(start, nl);
      pending = '';
      start = nl + 1;
      const r = record(raw, line++);
      if (r) yield r;
    }
    pending += piece.slice(start);
    if (pending.length > MAX_RECORD_CHARS) throw new ImportError(file, `the line is longer than ${MAX_RECORD_CHARS / 2 ** 20} MiB`, line);
  }
  const last = record(pending, line);
  if (last) yield last;
}

const enum ArrayState { Before, ElementOrEnd, Element, After }

/**
 * A JSON array, element by element: a small splitter tracks strings and nesting only to find where each top-level
 * element ends; JSON.parse then reads the element (and finds any error in it).
 */
async function* jsonArray(file: string, text: AsyncIterable<string>): AsyncGenerator<RawRecord> {
  let state = ArrayState.Before;
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: string[] = [];
  let partsLength = 0;
  let elementLine = 1;
  let index = 0;
  const stringEnd = /["\\\n]/g;
  const fail = (detail: string) => { throw new ImportError(file, detail, line); };
  const element = (raw: string): RawRecord => {
    index++;
    const value = parseJson(file, raw, elementLine);
    if (!isPlainObject(value)) throw new ImportError(file, 'expected a JSON object', index, undefined, 'record');
    if (SUSPECT_ESCAPE.test(raw)) checkStrings(file, value, index, 'record');
    return { fields: value, at: index };
  };
  for await (const piece of text) {
    let start = 0; // where the current element's text begins in this piece
    for (let i = 0; i < piece.length; i++) {
      if (inString) {
        if (escaped) {
          escaped = false;
          continue;
        }
        stringEnd.lastIndex = i;
        const m = stringEnd.exec(piece);
        if (!m) break;
        i = m.index;
        const c = piece[i];
        if (c === '"') inString = false;
        else if (c === '\\') escaped = true;
        else line++;
        continue;
      }
      const c = piece.charCodeAt(i);
      if (c === 0x0a) line++;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      switch (state) {
        case ArrayState.Before:
          if (c !== 0x5b) fail('expected a JSON array of records (or JSON Lines)');
          state = ArrayState.ElementOrEnd;
          break;
        case ArrayState.ElementOrEnd:
          if (c === 0x5d /* ] */ && index === 0) {
            state = ArrayState.After;
          } else if (c === 0x5d || c === 0x2c) {
            fail('not valid JSON (expected an element of the array)');
          } else {
            state = ArrayState.Element;
            start = i;
            elementLine = line;
            i--; // read this character as part of the element
          }
          break;
        case ArrayState.Element:
          if (c === 0x22) inString = true;
          else if (c === 0x7b || c === 0x5b) depth++;
          else if ((c === 0x7d || c === 0x5d) && depth > 0) depth--;
          else if (depth === 0 && (c === 0x2c || c === 0x5d)) {
            parts.push(piece.slice(start, i));
            const raw = parts.join('');
            parts = [];
            partsLength = 0;
            yield element(raw);
            state = c === 0x5d ? ArrayState.After : ArrayState.ElementOrEnd;
          }
          break;
        case ArrayState.After:
          fail('not valid JSON (unexpected text after the closing "]" of the array)');
      }
    }
    if (state === ArrayState.Element) {
      parts.push(piece.slice(start));
      partsLength += piece.length - start;
      if (partsLength > MAX_RECORD_CHARS) {
        throw new ImportError(file, `the record is longer than ${MAX_RECORD_CHARS / 2 ** 20} MiB`, index + 1, undefined, 'record');
      }
    }
  }
  if (state !== ArrayState.After && state !== ArrayState.Before) {
    fail('not valid JSON (the array is never closed: the file may be cut short)');
  }
}

/** Parquet integers arrive as BigInt (INT64); everything downstream expects plain JSON-like values. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  // fromEntries defines "__proto__" as an own field rather than setting the object's prototype.
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** Parquet, a row group at a time. */
async function* parquetRecords(file: string, buffer: AsyncBuffer): AsyncGenerator<RawRecord> {
  const unreadable = (e: unknown) => new ImportError(file, `not a readable parquet file (${(e as Error).message})`);
  let metadata;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (e) {
    throw unreadable(e);
  }
  let at = 0;
  for (const group of metadata.row_groups) {
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file: buffer, metadata, rowStart: at, rowEnd: at + Number(group.num_rows), rowFormat: 'object' });
    } catch (e) {
      throw unreadable(e);
    }
    for (const row of rows) yield { fields: plain(row) as Record<string, unknown>, at: ++at };
  }
}

/** CSV rows become records keyed by the header's column names. */
async function csvRecords(file: string, text: TextStream): Promise<Pick<RecordSource, 'records' | 'headerLine' | 'columns'>> {
  const reader = new CsvReader(file, MAX_RECORD_CHARS);
  const rows = reader.rows(text)[Symbol.asyncIterator]();
  const first = await rows.next();
  if (first.done) return { records: (async function* () {})() };
  const header = first.value;
  const names = header.fields.map((n) => n.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '') {
      throw new ImportError(file, text.sawText ? 'the header has an empty column name' : 'the file is empty (only blank lines)', text.sawText ? header.line : undefined);
    }
    if (seen.has(name)) throw new ImportError(file, 'the header names this column twice', header.line, name);
    seen.add(name);
  }
  async function* records(): AsyncGenerator<RawRecord> {
    for (let r = await rows.next(); !r.done; r = await rows.next()) {
      const { fields, line } = r.value;
      if (fields.length !== names.length) {
        throw new ImportError(file, `expected ${names.length} columns as in the header, found ${fields.length}`, line);
      }
      // fromEntries keeps a "__proto__" column as a field rather than setting the record's prototype.
      yield { fields: Object.fromEntries(names.map((name, i) => [name, fields[i]])), at: line };
    }
  }
  return { records: records(), headerLine: header.line, columns: names };
}

/**
 * Opens a file's records: checks its size before reading, decompresses gzip, says what a binary file is, decodes
 * UTF-16 and checks UTF-8; the container follows the content's magic bytes, then the extension, then the first
 * character. Records are read as they are iterated; any problem is an ImportError naming where it is.
 */
/** Refuses a file too big or empty by its size alone, before a byte is read. */
export function checkSize(input: ImportInput): void {
  if (input.size > MAX_IMPORT_BYTES) {
    throw new ImportError(input.name, `the file is ${(input.size / 2 ** 20).toFixed(0)} MiB; at most ${MAX_IMPORT_BYTES / 2 ** 20} MiB can be imported at once (split it)`);
  }
  if (input.size === 0) throw new ImportError(input.name, 'the file is empty');
}

export async function openRecords(input: ImportInput): Promise<RecordSource> {
  const file = input.name;
  checkSize(input);
  let name = file;
  let bytes = await peek(input.chunks());
  let compressed = false;
  if (isGzip(bytes.head)) {
    compressed = true;
    name = name.replace(/\.gz$/i, '');
    bytes = await peek(gunzip(file, bytes.all, MAX_IMPORT_BYTES));
    if (bytes.head.length === 0) throw new ImportError(file, 'the file is empty (once decompressed)');
  }
  const head = bytes.head;
  const extension = byExtension(name);
  const expected = extension === 'json?' ? 'JSON' : extension ? CONTAINER_NAMES[extension] : 'JSON Lines, JSON, CSV or parquet';

  if (PARQUET_MAGIC.every((b, i) => head[i] === b)) {
    let buffer = input.asyncBuffer();
    if (compressed) {
      const parts: Uint8Array[] = [];
      for await (const part of bytes.all) parts.push(part);
      const whole = Buffer.concat(parts);
      buffer = { byteLength: whole.length, slice: (s, e) => whole.buffer.slice(whole.byteOffset + s, whole.byteOffset + (e ?? whole.length)) as ArrayBuffer };
    } else {
      await bytes.close();
    }
    return { container: 'parquet', unit: 'record', records: parquetRecords(file, buffer), sawText: () => true };
  }
  const binary = sniffBinary(head);
  if (binary) {
    await bytes.close();
    throw new ImportError(file, `this is ${binary.what}, not ${expected}${binary.hint ? `: ${binary.hint}` : ''}`);
  }
  if (extension === 'parquet') {
    await bytes.close();
    throw new ImportError(file, 'not a readable parquet file (it does not start with the parquet signature PAR1)');
  }
  const utf16 = sniffUtf16(head);
  if (utf16) bytes = await peek(transcodeUtf16(file, bytes.all, utf16));
  const container = extension === undefined || extension === 'json?' ? byContent(bytes.head, extension === 'json?') : extension;
  const text = new TextStream(file, bytes.all);
  const sawText = () => text.sawText;
  if (container === 'csv') return { container, unit: 'line', ...(await csvRecords(file, text)), sawText };
  if (container === 'json') return { container, unit: 'record', records: jsonArray(file, text), sawText };
  return { container, unit: 'line', records: jsonLines(file, text), sawText };
}
