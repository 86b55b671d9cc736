// `export pairs`: a study's pairs with every judge's label, as JSON Lines or CSV, in the layout the importer reads
// back (import/exported.ts), so that export, import into a new study and export again give the same file.
import { csvLine } from '../tables';
import type { Storage } from '../storage';
import { EXPORTED_FIELDS } from './import/exported';

export type PairsExportFormat = 'jsonl' | 'csv';

/** The export as pieces of text (about a thousand pairs each), read from the database as they are written. */
export function* exportPairs(storage: Storage, studyId: number, format: PairsExportFormat): Generator<string> {
  const lines: string[] = [];
  if (format === 'csv') lines.push(csvLine([...EXPORTED_FIELDS]));
  for (const row of storage.pairs.exportRows(studyId)) {
    const labels = JSON.parse(row.labels) as unknown[];
    if (format === 'jsonl') {
      lines.push(JSON.stringify({ ...row, labels }));
    } else {
      // The CSV's one column of labels holds them JSON-encoded; unsafe as true/false.
      lines.push(csvLine(EXPORTED_FIELDS.map((k) => (k === 'unsafe' ? String(row.unsafe) : k === 'labels' ? JSON.stringify(labels) : row[k]))));
    }
    if (lines.length >= 1000) yield lines.splice(0).join(format === 'csv' ? '\r\n' : '\n') + (format === 'csv' ? '\r\n' : '\n');
  }
  if (lines.length > 0) yield lines.join(format === 'csv' ? '\r\n' : '\n') + (format === 'csv' ? '\r\n' : '\n');
}
