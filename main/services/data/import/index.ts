// The importers' one entry point: a file's bytes in, a complete ImportBatch out, or an ImportError and nothing.
// Pure: no database, no file system; storage inserts the batch in one transaction.
import type { ImportFormat } from '../../../../preload/contract';
import { importArena } from './arena';
import type { ImporterResult } from './common';
import { importGeneric } from './generic';
import { importPaper } from './paper';
import { detectContainer, readRecords, type RecordSource } from './source';
import { ImportError, type ImportBatch } from './types';

export { MAX_IMPORT_BYTES } from './source';
export { DROP_REASONS } from './common';
export { ImportError } from './types';
export type { ImportBatch, ImportedLabel, ImportedPair } from './types';

const IMPORTERS: Record<ImportFormat, (source: RecordSource, file: string) => ImporterResult> = {
  arena: importArena,
  paper: importPaper,
  generic: importGeneric,
};

/** The format from the first record's fields; each importer then checks every record in full. */
function detectFormat(file: string, source: RecordSource): ImportFormat {
  const first = source.records[0];
  const has = (name: string) => name in first.fields;
  if (has('conversation_a') || has('conversation_b')) return 'arena';
  if (has('response_1') || has('basic_response_1')) return 'paper';
  if (has('prompt') || has('response_a')) return 'generic';
  const fields = Object.keys(first.fields).slice(0, 12).map((k) => `"${k}"`).join(', ');
  throw new ImportError(
    file,
    `cannot tell the format from the fields ${fields || '(none)'}: expected Chatbot Arena conversations ` +
      '(question_id, model_a, model_b, winner, conversation_a, conversation_b, ...), the paper\'s annotated pairs ' +
      '(query, response_1, response_2, basic_response_1, ...) or prompt, response_a, response_b, winner',
    source.headerLine ?? first.at,
    undefined,
    source.unit,
  );
}

/**
 * Parses one file (Chatbot Arena conversations, the paper's annotated pairs, or a generic pairwise file) into
 * an ImportBatch. The container (JSON Lines, JSON array, CSV, parquet) follows the extension, else the content;
 * the format follows the fields when not given. Throws ImportError for anything it cannot take whole.
 */
export async function parseImportFile(fileName: string, bytes: Uint8Array, format?: ImportFormat): Promise<ImportBatch> {
  const container = detectContainer(fileName, bytes);
  const source = await readRecords(fileName, bytes, container);
  if (source.records.length === 0) {
    throw new ImportError(fileName, container === 'csv' ? 'the file has a header but no rows' : 'the file holds no records');
  }
  const chosen = format ?? detectFormat(fileName, source);
  if (container === 'csv' && chosen !== 'generic') {
    throw new ImportError(fileName, `the ${chosen} format has nested fields and cannot come as CSV: use JSON, JSON Lines or parquet`);
  }
  const { pairs, dropped } = IMPORTERS[chosen](source, fileName);
  if (pairs.length === 0) {
    const why = dropped.map((d) => `${d.reason}: ${d.count}`).join(', ');
    throw new ImportError(fileName, `no usable rows: all ${source.records.length} were dropped (${why})`);
  }
  return { format: chosen, pairs, dropped };
}
