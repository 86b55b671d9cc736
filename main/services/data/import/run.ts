// One import, from a file to the database: the same path for the command line (a file on disk) and the app (an
// upload). The file is hashed (a second import of the same bytes is refused), then read as it streams, its pairs
// handed to storage a chunk at a time inside one write transaction.
import type { ColumnMapping, ImportFormat, Res } from '../../../../preload/contract';
import { AppFailure } from '../../errors';
import { paperReference } from '../reference';
import { createHash } from 'node:crypto';
import { readImports } from './index';
import { headerKey } from './mapping';
import { sha256Of, type ImportInput } from './input';
import { checkSize } from './source';
import type { InsertReport } from '../studies-store';
import type { ImportBatch, ImportedPair } from './types';

/** Pairs per chunk handed to storage. */
export const CHUNK_PAIRS = 1000;

/** What an import needs of storage (Storage has it). */
export interface ImportTarget {
  studyIdByName(name: string): number | null;
  findSourceFile(studyId: number, sha256: string): { fileName: string; importedAt: string } | null;
  insertStream(
    study: { name: string },
    source: { fileName: string; sha256: string; format: ImportFormat; judgeSizes?: Record<string, number> },
    chunks: AsyncIterable<ImportedPair[]>,
    dropped: () => ImportBatch['dropped'],
  ): Promise<InsertReport & { studyId: number }>;
  saveColumnMapping(headerKey: string, mapping: ColumnMapping): void;
}

async function* chunked<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Judges the paper evaluated, with their published sizes (no prototype: a judge named "constructor" finds nothing). */
function paperJudgeSizes(): Record<string, number> {
  const sizes: Record<string, number> = Object.create(null);
  for (const [judge, size] of Object.entries(paperReference().judgeSizes)) if (size !== null) sizes[judge] = size;
  return sizes;
}

/**
 * Imports one file, or several chosen together as one set (MT-bench, arena-hard), into a study (created when new);
 * throws, with nothing written, for anything it cannot take whole.
 */
export async function importFile(
  target: ImportTarget,
  { studyName, input, format, mapping }: { studyName: string; input: ImportInput | ImportInput[]; format?: ImportFormat; mapping?: ColumnMapping },
): Promise<Res<'import.file'>> {
  const name = studyName.trim();
  if (!name) throw new AppFailure('INVALID', 'Choose a study to import into.');
  const inputs = Array.isArray(input) ? input : [input];
  for (const one of inputs) checkSize(one);
  const hashes = await Promise.all(inputs.map((one) => sha256Of(one)));
  // A set is the same set whatever order its files were chosen in.
  const sha256 = hashes.length === 1 ? hashes[0] : createHash('sha256').update([...hashes].sort().join('\n')).digest('hex');
  const fileName = inputs.map((one) => one.name).join(' + ');
  const studyId = target.studyIdByName(name);
  const earlier = studyId === null ? null : target.findSourceFile(studyId, sha256);
  if (earlier) {
    throw new AppFailure('IMPORT_DUPLICATE', `${fileName}: ${inputs.length > 1 ? 'these files were' : 'this file was'} already imported into "${name}" (as ${earlier.fileName}, ${earlier.importedAt}); nothing was written.`);
  }
  const stream = await readImports(inputs, format, mapping);
  const report = await target.insertStream(
    { name },
    { fileName, sha256, format: stream.format, judgeSizes: paperJudgeSizes() },
    chunked(stream.pairs, CHUNK_PAIRS),
    stream.dropped,
  );
  // Remembered for the next file with the same columns, once it has imported.
  if (mapping) target.saveColumnMapping(headerKey(stream.columns), mapping);
  return { ...report, studyName: name, format: stream.format, fileName, dropped: stream.dropped(), notes: stream.notes() };
}
