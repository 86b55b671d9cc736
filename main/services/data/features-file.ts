// A CSV of comparison features, for fitting without a study: a `label` column (1 or "A" when response A was
// preferred, 0 or "B" otherwise) and one column per property named by the paper's short names, each -1, 0 or +1.
import { parseCsv } from './import/csv';
import { ImportError } from './import/types';
import { PROPERTY_COUNT, PROPERTY_NAMES } from './properties';

export function comparisonsFromCsv(file: string, text: string): { X: Int8Array; y: Uint8Array } {
  const rows = parseCsv(file, text);
  if (rows.length === 0) throw new ImportError(file, 'the file is empty');
  const header = rows[0].fields.map((h) => h.trim());
  const missing = ['label', ...PROPERTY_NAMES].filter((name) => !header.includes(name));
  if (missing.length) throw new ImportError(file, `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`, 1);
  const unknown = header.filter((h) => h !== 'label' && !PROPERTY_NAMES.includes(h));
  if (unknown.length) throw new ImportError(file, `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; property columns use the paper's short names`, 1);
  const labelAt = header.indexOf('label');
  const columnOf = PROPERTY_NAMES.map((name) => header.indexOf(name));
  const data = rows.slice(1);
  if (data.length === 0) throw new ImportError(file, 'the file has a header but no rows');
  const X = new Int8Array(data.length * PROPERTY_COUNT);
  const y = new Uint8Array(data.length);
  data.forEach((row, i) => {
    if (row.fields.length !== header.length) throw new ImportError(file, `expected ${header.length} fields, found ${row.fields.length}`, row.line);
    const label = row.fields[labelAt].trim();
    if (label === '1' || label === 'A') y[i] = 1;
    else if (label !== '0' && label !== 'B') throw new ImportError(file, `"${label}" is not a label: use 1 or A when response A was preferred, 0 or B otherwise`, row.line, 'label');
    columnOf.forEach((column, k) => {
      const raw = row.fields[column].trim();
      const v = raw === '+1' ? 1 : Number(raw);
      if (raw === '' || !(v === -1 || v === 0 || v === 1)) throw new ImportError(file, `"${raw}" is not a comparison feature: use -1, 0 or +1`, row.line, PROPERTY_NAMES[k]);
      X[i * PROPERTY_COUNT + k] = v;
    });
  });
  return { X, y };
}
