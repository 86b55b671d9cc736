// The importers' one entry point: a file in, its format and its pairs out as they are read, or an ImportError.
// Pure: no database; storage writes the pairs in one transaction (run.ts joins the two).
import type { ColumnMapping, ImportFormat } from '../../../../preload/contract';
import { importAlpacaEval } from './alpaca-eval';
import { importArena } from './arena';
import { importAutoJ } from './auto-j';
import { ImportTally, type Importer } from './common';
import { importExported } from './exported';
import { importGeneric, importTabular } from './generic';
import { importHhRlhf } from './hh-rlhf';
import { layoutOfMapping, mappingProblem } from './mapping';
import { bytesInput, type ImportInput } from './input';
import { importKaggleArena } from './kaggle-arena';
import { COMPANION_ROLES, companionRole, readJoined } from './joined';
import { importPaper } from './paper';
import { paperCompanion } from './paper-companions';
import { importPaperRaw } from './paper-raw';
import { importPrd } from './prd';
import { openRecords, type Container, type RawRecord, type RecordSource } from './source';
import { ImportError, quote, type ImportBatch, type ImportedPair, type ImportNote } from './types';

export { MAX_IMPORT_BYTES } from './source';
export { DROP_REASONS } from './common';
export { ImportError } from './types';
export type { ImportBatch, ImportedLabel, ImportedPair } from './types';

/** The one-file layouts (MT-bench and arena-hard come as several files: joined.ts). */
type OneFileFormat = Exclude<ImportFormat, 'mt-bench' | 'arena-hard'>;
const IMPORTERS: Record<OneFileFormat, Importer> = {
  arena: importArena,
  paper: importPaper,
  generic: importGeneric,
  'paper-raw': importPaperRaw,
  'alpaca-eval': importAlpacaEval,
  'auto-j': importAutoJ,
  prd: importPrd,
  'hh-rlhf': importHhRlhf,
  'kaggle-arena': importKaggleArena,
  pairs: importExported,
};

/** Formats whose fields are all flat text, which CSV can carry. */
const FLAT_FORMATS = new Set<ImportFormat>(['generic', 'pairs', 'kaggle-arena', 'alpaca-eval', 'auto-j', 'hh-rlhf', 'paper-raw']);

/** The layouts the app knows, for the message about a file it cannot tell (each importer's header says more). */
export const KNOWN_LAYOUTS = [
  'Chatbot Arena conversations (and MT-bench human judgments)', 'the paper\'s annotated pairs', 'the paper\'s raw pairs',
  'alpaca_eval annotations', 'Auto-J pairwise test data', 'PRD expert preferences', 'hh-rlhf chosen/rejected',
  'the Kaggle Chatbot Arena CSV', 'MT-bench and arena-hard sets (questions, model answers and judgments chosen together)',
  'plain pairwise files (prompt, response_a, response_b, winner)', 'pairs exported by Preference Studio',
];

/** The format from the first record's fields; each importer then checks every record in full. */
export function detectFormat(file: string, source: RecordSource, first: RawRecord): OneFileFormat {
  const has = (name: string) => Object.hasOwn(first.fields, name);
  if (has('conversation_a') || has('conversation_b')) return 'arena';
  if (has('response_1') || has('basic_response_1')) return 'paper';
  if (has('labels') && has('query') && has('response_a')) return 'pairs';
  if (has('winner_model_a') || has('winner_tie')) return 'kaggle-arena';
  if (has('gpt4_ref_output') || has('prompt llama tokens') || (has('group') && has('response_a'))) return 'paper-raw';
  if (has('output_1') && has('instruction')) return 'alpaca-eval';
  if (has('response 1') || has('response 2')) return 'auto-j';
  if (has('overall_preference') || (has('answer_a') && has('question'))) return 'prd';
  if (has('chosen') && has('rejected')) return 'hh-rlhf';
  const role = companionRole(first.fields);
  if (role) {
    throw new ImportError(file, `this is ${COMPANION_ROLES[role]}: choose it together with the other files of its set (${
      role.startsWith('mt-bench') ? 'question.jsonl, the model_answer files and a model_judgment/*_pair.jsonl' : 'question.jsonl and two or more model_answer files, and model_judgment files if any'
    }) and import them as one`);
  }
  if (has('prompt') || has('response_a')) return 'generic';
  const fields = Object.keys(first.fields).slice(0, 12).map((k) => quote(k, 40)).join(', ');
  throw new ImportError(
    file,
    `cannot tell the format from the fields ${fields || '(none)'}: the layouts the app knows are ${KNOWN_LAYOUTS.join(', ')}; or map the columns`,
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
  /** Values read otherwise than written, complete once `pairs` is exhausted. */
  notes(): ImportNote[];
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
  const first = await records.next().catch(async (e: unknown) => {
    const companion = e instanceof ImportError ? await paperCompanion(input) : null;
    throw companion ? new ImportError(file, companion) : e;
  });
  if (first.done) {
    if (!source.sawText()) throw new ImportError(file, 'the file is empty (only blank lines)');
    throw new ImportError(file, source.container === 'csv' ? 'the file has a header but no rows' : 'the file holds no records');
  }
  if (format === 'mt-bench' || format === 'arena-hard') {
    await records.return?.();
    throw new ImportError(file, `the ${format} layout comes as several files: choose its question, model answer and judgment files together`);
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
  if (source.container === 'csv' && !FLAT_FORMATS.has(chosen)) {
    await records.return?.();
    throw new ImportError(file, `the ${chosen} format has nested fields and cannot come as CSV: use JSON, JSON Lines or parquet`);
  }
  let read = 0;
  // Every importer yields a pair while it reads that pair's (first) record: the last one read places it.
  let at = first.value.at;
  const counted = async function* (): AsyncGenerator<RawRecord> {
    read++;
    yield first.value;
    for (let r = await records.next(); !r.done; r = await records.next()) {
      read++;
      at = r.value.at;
      yield r.value;
    }
  };
  const drops = new ImportTally();
  const importer = mapping ? importTabular(() => layoutOfMapping(mapping)) : IMPORTERS[chosen];
  const pairs = async function* (): AsyncGenerator<ImportedPair> {
    let kept = 0;
    for await (const pair of importer({ ...source, records: counted() }, file, drops, () => openRecords(input))) {
      kept++;
      yield { ...pair, location: { unit: source.unit, at } };
    }
    if (kept === 0) {
      const why = drops.list().map((d) => `${d.reason}: ${d.count}`).join(', ');
      throw new ImportError(file, `no usable rows: all ${read} were dropped (${why})`);
    }
  };
  return { format: chosen, container: source.container, pairs: pairs(), dropped: () => drops.list(), notes: () => drops.notes(), columns };
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

/**
 * Opens the files chosen for one import: one file as readImport does, several as one set (MT-bench or arena-hard's
 * questions, model answers and judgments).
 */
export async function readImports(inputs: ImportInput[], format?: ImportFormat, mapping?: ColumnMapping): Promise<ImportStream> {
  if (inputs.length === 0) throw new ImportError('(no file)', 'choose a file to import');
  if (inputs.length === 1) return readImport(inputs[0], format, mapping);
  if (mapping) throw new ImportError(inputs[0].name, 'a column mapping is for one table: import the files one at a time');
  const joined = await readJoined(inputs);
  if (format && format !== joined.format) throw new ImportError(inputs[0].name, `these files are a ${joined.format} set, not ${format}`);
  return { ...joined, container: 'jsonl', columns: [] };
}

/** A pair as the file gives it, without its place in the file (a line or a record, as the container counts). */
function unplaced({ location: _, ...pair }: ImportedPair): ImportedPair {
  return pair;
}

/** Several files' pairs in memory (tests). */
export async function parseImportFiles(files: { name: string; bytes: Uint8Array }[]): Promise<ImportBatch> {
  const stream = await readImports(files.map((f) => bytesInput(f.name, f.bytes)));
  const pairs: ImportedPair[] = [];
  for await (const pair of stream.pairs) pairs.push(unplaced(pair));
  return { format: stream.format, pairs, dropped: stream.dropped(), notes: stream.notes() };
}

/** A whole file's pairs in memory (tests and small files); imports go through readImport and stream. */
export async function parseImportFile(fileName: string, bytes: Uint8Array, format?: ImportFormat): Promise<ImportBatch> {
  const stream = await readImport(bytesInput(fileName, bytes), format);
  const pairs: ImportedPair[] = [];
  for await (const pair of stream.pairs) pairs.push(unplaced(pair));
  return { format: stream.format, pairs, dropped: stream.dropped(), notes: stream.notes() };
}
