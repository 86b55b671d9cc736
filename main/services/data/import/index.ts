// The importers' one entry point: a file in, its format and its pairs out as they are read, or an ImportError.
// Pure: no database; storage writes the pairs in one transaction (run.ts joins the two).
import type { ColumnMapping, ImportFormat } from '../../../../preload/contract';
import { importArena } from './arena';
import { DropTally, type Importer } from './common';
import { importExported } from './exported';
import { importGeneric, importTabular } from './generic';
import { layoutOfMapping, mappingProblem } from './mapping';
import { bytesInput, type ImportInput } from './input';
import { importPaper } from './paper';
import { openRecords, type Container, type RawRecord, type RecordSource } from './source';
import { ImportError, quote, type ImportBatch, type ImportedPair } from './types';

export { MAX_IMPORT_BYTES } from './source';
export { DROP_REASONS } from './common';
export { ImportError } from './types';
export type { ImportBatch, ImportedLabel, ImportedPair } from './types';

const IMPORTERS: Record<ImportFormat, Importer> = {
  arena: importArena,
  paper: importPaper,
  generic: importGeneric,
  pairs: importExported,
};

/** The format from the first record's fields; each importer then checks every record in full. */
function detectFormat(file: string, source: RecordSource, first: RawRecord): ImportFormat {
  const has = (name: string) => Object.hasOwn(first.fields, name);
  if (has('conversation_a') || has('conversation_b')) return 'arena';
  if (has('response_1') || has('basic_response_1')) return 'paper';
  if (has('labels') && has('query') && has('response_a')) return 'pairs';
  if (has('prompt') || has('response_a')) return 'generic';
  const fields = Object.keys(first.fields).slice(0, 12).map((k) => quote(k, 40)).join(', ');
  throw new ImportError(
    file,
    `cannot tell the format from the fields ${fields || '(none)'}: expected Chatbot Arena conversations ` +
      '(question_id, model_a, model_b, winner, conversation_a, conversation_b, ...), the paper\'s annotated pairs ' +
      '(query, response_1, response_2, basic_response_1, ...), pairs exported by Preference Studio (id, query, ' +
      'response_a, response_b, ..., labels) or prompt, response_a, response_b, winner; or map the columns',
    source.headerLine ?? first.at,
    undefined,
    source.unit,
  );
}

export interface ImportStream {
  format: ImportFormat;
  container: Container;
  /** The pairs as they are read; reading to the end checks the whole file, and throws an ImportError for a bad one. */
  pairs: AsyncIterable<ImportedPair>;
  /** Rows left out by reason, complete once `pairs` is exhausted. */
  dropped(): ImportBatch['dropped'];
  /** The file's column names (a CSV header, or the first record's fields). */
  columns: string[];
}

/**
 * Opens one file (Chatbot Arena conversations, the paper's annotated pairs, or a generic pairwise file) for import.
 * The container (JSON Lines, JSON array, CSV, parquet, any of them gzip-compressed) follows the content and the
 * extension; the format follows the first record's fields when not given.
 */
export async function readImport(input: ImportInput, format?: ImportFormat, mapping?: ColumnMapping): Promise<ImportStream> {
  const file = input.name;
  const source = await openRecords(input);
  const records = source.records[Symbol.asyncIterator]();
  const first = await records.next();
  if (first.done) {
    if (!source.sawText()) throw new ImportError(file, 'the file is empty (only blank lines)');
    throw new ImportError(file, source.container === 'csv' ? 'the file has a header but no rows' : 'the file holds no records');
  }
  const columns = source.columns ?? Object.keys(first.value.fields);
  if (mapping) {
    const problem = mappingProblem(mapping, source.columns ?? null);
    if (problem) {
      await records.return?.();
      throw new ImportError(file, problem, source.headerLine);
    }
  }
  const chosen = mapping ? 'generic' : format ?? detectFormat(file, source, first.value);
  if (source.container === 'csv' && chosen !== 'generic' && chosen !== 'pairs') {
    await records.return?.();
    throw new ImportError(file, `the ${chosen} format has nested fields and cannot come as CSV: use JSON, JSON Lines or parquet`);
  }
  let read = 0;
  const counted = async function* (): AsyncGenerator<RawRecord> {
    read++;
    yield first.value;
    for (let r = await records.next(); !r.done; r = await records.next()) {
      read++;
      yield r.value;
    }
  };
  const drops = new DropTally();
  const importer = mapping ? importTabular(() => layoutOfMapping(mapping)) : IMPORTERS[chosen];
  const pairs = async function* (): AsyncGenerator<ImportedPair> {
    let kept = 0;
    for await (const pair of importer({ ...source, records: counted() }, file, drops)) {
      kept++;
      yield pair;
    }
    if (kept === 0) {
      const why = drops.list().map((d) => `${d.reason}: ${d.count}`).join(', ');
      throw new ImportError(file, `no usable rows: all ${read} were dropped (${why})`);
    }
  };
  return { format: chosen, container: source.container, pairs: pairs(), dropped: () => drops.list(), columns };
}

const PREVIEW_ROWS = 5;
const PREVIEW_CELL_CHARS = 200;

/**
 * The first rows of a file (which may be only the start of it) for mapping its columns: its column names, the rows'
 * cells as text, and the layout when the app knows it (else why not).
 */
export async function previewImport(input: ImportInput): Promise<{ columns: string[]; rows: string[][]; format: ImportFormat | null; unknownReason: string | null }> {
  const source = await openRecords(input);
  const records: RawRecord[] = [];
  try {
    for await (const record of source.records) {
      records.push(record);
      if (records.length === PREVIEW_ROWS) break;
    }
  } catch (err) {
    // The start of a file may end within a record: the rows read before it are the preview.
    if (!(err instanceof ImportError) || records.length === 0) throw err;
  }
  if (records.length === 0) throw new ImportError(input.name, 'the file holds no rows to preview');
  const columns = source.columns ?? [...new Set(records.flatMap((r) => Object.keys(r.fields)))];
  const cell = (v: unknown) => {
    const text = v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    return text.length > PREVIEW_CELL_CHARS ? `${text.slice(0, PREVIEW_CELL_CHARS)}…` : text;
  };
  let format: ImportFormat | null = null;
  let unknownReason: string | null = null;
  try {
    format = detectFormat(input.name, source, records[0]);
  } catch (err) {
    if (!(err instanceof ImportError)) throw err;
    unknownReason = err.message;
  }
  return { columns, rows: records.map((r) => columns.map((c) => cell(Object.hasOwn(r.fields, c) ? r.fields[c] : undefined))), format, unknownReason };
}

/** A whole file's pairs in memory (tests and small files); imports go through readImport and stream. */
export async function parseImportFile(fileName: string, bytes: Uint8Array, format?: ImportFormat): Promise<ImportBatch> {
  const stream = await readImport(bytesInput(fileName, bytes), format);
  const pairs: ImportedPair[] = [];
  for await (const pair of stream.pairs) pairs.push(pair);
  return { format: stream.format, pairs, dropped: stream.dropped() };
}
