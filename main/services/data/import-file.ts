// Importing one file's bytes into a study: parsed by ./import, written by the studies store in one transaction.
import { createHash } from 'node:crypto';
import type { Req, Res } from '../../../preload/contract';
import type { Storage } from '../storage';
import { AppFailure } from '../errors';
import { parseImportFile } from './import';
import { paperReference } from './reference';

/** Parses and stores one file; the same bytes imported twice into one study are refused. */
export async function importBytes(
  storage: Storage,
  input: { studyName: string; fileName: string; bytes: Uint8Array; format?: Req<'import.file'>['format'] },
): Promise<Res<'import.file'>> {
  const studyName = input.studyName.trim();
  if (!studyName) throw new AppFailure('INVALID', 'Choose a study to import into.');
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  const studyId = storage.studies.studyIdByName(studyName);
  const earlier = studyId === null ? null : storage.studies.findSourceFile(studyId, sha256);
  if (earlier) {
    throw new AppFailure('IMPORT_DUPLICATE', `${input.fileName}: this file was already imported into "${studyName}" (as ${earlier.fileName}, ${earlier.importedAt}); nothing was written.`);
  }
  const batch = await parseImportFile(input.fileName, input.bytes, input.format);
  // Judges the paper evaluated get their published sizes, unless the file says otherwise.
  batch.judgeSizes = { ...nonNull(paperReference().judgeSizes), ...batch.judgeSizes };
  const report = storage.studies.insertBatch({ name: studyName }, batch, { fileName: input.fileName, sha256 });
  return {
    studyId: report.studyId, studyName, format: batch.format, fileName: input.fileName, kept: report.kept,
    dropped: batch.dropped, judges: report.judges, annotated: report.annotated,
  };
}

function nonNull(sizes: Record<string, number | null>): Record<string, number> {
  return Object.fromEntries(Object.entries(sizes).filter((e): e is [string, number] => e[1] !== null));
}
