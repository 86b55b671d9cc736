// Importing one file into a study: read as it streams by ./import, written by the studies store in one transaction.
import type { Req, Res } from '../../../preload/contract';
import type { Storage } from '../storage';
import { bytesInput } from './import/input';
import { importFile } from './import/run';

/** Parses and stores one file held in memory; the same bytes imported twice into one study are refused. */
export function importBytes(
  storage: Storage,
  input: { studyName: string; fileName: string; bytes: Uint8Array; format?: Req<'import.file'>['format'] },
): Promise<Res<'import.file'>> {
  return importFile(storage.studies, { studyName: input.studyName, input: bytesInput(input.fileName, input.bytes), format: input.format });
}
