// `fit-corrected`: the effect strengths from annotated comparison features beside the ones corrected by a checked
// subset of pairs (DSL, native-workers/dsl.ts). Both files are fit-features' CSV with an `id` column; the checked
// file has `probability` (the pair's probability of having been checked) instead of `label`. Rows are read by
// fit-features' reader (comparisonsFromCsv) after setting the key columns aside, so both files share its
// messages; its line numbers are mapped back to the file's own.
import { parseCsv, type CsvRow } from '../data/import/csv';
import { ImportError } from '../data/import/types';
import { comparisonsFromCsv } from '../data/features-file';
import { PROPERTY_COUNT, PROPERTY_NAMES } from '../data/properties';
import type { DslFit } from '../../../native-workers';

interface KeyedRows {
  ids: string[];
  /** each data row's line in the file */
  lines: number[];
  /** raw values of the set-aside column (probability), when asked for */
  kept: string[];
  X: Int8Array;
  y: Uint8Array;
}

const quote = (field: string) => `"${field.replace(/"/g, '""')}"`;

/**
 * Reads a features CSV keyed by `id`: `id` (and `keep`, when given) are set aside, the rest goes to
 * comparisonsFromCsv (with a constant label column added when the file has none).
 */
function readKeyed(file: string, text: string, keep?: string): KeyedRows {
  const rows: CsvRow[] = parseCsv(file, text);
  if (rows.length === 0) throw new ImportError(file, 'the file is empty');
  const header = rows[0].fields.map((h) => h.trim());
  const missing = ['id', ...(keep ? [keep] : [])].filter((c) => !header.includes(c));
  if (missing.length) throw new ImportError(file, `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`, 1);
  const idAt = header.indexOf('id');
  const keepAt = keep ? header.indexOf(keep) : -1;
  const addLabel = keep !== undefined;
  const ids: string[] = [];
  const lines: number[] = [];
  const kept: string[] = [];
  const seen = new Map<string, number>();
  const projected = rows.map((row, r) => {
    if (r > 0) {
      if (row.fields.length !== header.length) throw new ImportError(file, `expected ${header.length} fields, found ${row.fields.length}`, row.line);
      const id = row.fields[idAt].trim();
      if (id === '') throw new ImportError(file, 'the pair has no id', row.line, 'id');
      const first = seen.get(id);
      if (first !== undefined) throw new ImportError(file, `pair "${id}" appears twice (first on line ${first})`, row.line, 'id');
      seen.set(id, row.line);
      ids.push(id);
      lines.push(row.line);
      if (keepAt >= 0) kept.push(row.fields[keepAt].trim());
    }
    const fields = row.fields.filter((_, j) => j !== idAt && j !== keepAt);
    if (addLabel) fields.push(r === 0 ? 'label' : '0');
    return fields.map(quote).join(',');
  });
  try {
    return { ids, lines, kept, ...comparisonsFromCsv(file, projected.join('\n')) };
  } catch (err) {
    // projected line j + 1 is rows[j]
    if (err instanceof ImportError && err.line !== undefined) throw new ImportError(file, err.detail, rows[err.line - 1]?.line ?? err.line, err.field);
    throw err;
  }
}

export interface CorrectedInput {
  K: number;
  ids: string[];
  y: Uint8Array;
  annotated: Int8Array;
  checked: Int8Array;
  isChecked: Uint8Array;
  probability: Float64Array;
}

/** Joins FEATURES.csv (id, label, properties) and CHECKED.csv (id, probability, properties) by id. */
export function correctedInputFromCsv(featuresFile: string, featuresText: string, checkedFile: string, checkedText: string): CorrectedInput {
  const features = readKeyed(featuresFile, featuresText);
  const checks = readKeyed(checkedFile, checkedText, 'probability');
  const n = features.ids.length;
  const rowOf = new Map(features.ids.map((id, i) => [id, i]));
  const checked = new Int8Array(n * PROPERTY_COUNT);
  const isChecked = new Uint8Array(n);
  const probability = new Float64Array(n);
  checks.ids.forEach((id, c) => {
    const i = rowOf.get(id);
    if (i === undefined) throw new ImportError(checkedFile, `pair "${id}" is not in ${featuresFile}`, checks.lines[c], 'id');
    const raw = checks.kept[c];
    const p = raw === '' ? NaN : Number(raw);
    if (!(p > 0 && p <= 1)) throw new ImportError(checkedFile, `"${raw}" is not a probability of having been checked: use a number greater than 0 and at most 1`, checks.lines[c], 'probability');
    isChecked[i] = 1;
    probability[i] = p;
    checked.set(checks.X.subarray(c * PROPERTY_COUNT, (c + 1) * PROPERTY_COUNT), i * PROPERTY_COUNT);
  });
  return { K: PROPERTY_COUNT, ids: features.ids, y: features.y, annotated: features.X, checked, isChecked, probability };
}

const interval = (e: DslFit['naive'], k: number) => e.estimable[k]
  ? { estimate: e.estimate[k], low: e.low[k], high: e.high[k] }
  : { estimate: null, low: null, high: null };

/** The command's --json: log-odds weights with 95% intervals; null for a property that never differs. */
export function correctedJson(fit: DslFit) {
  return {
    pairs: fit.pairs,
    checked: fit.checked,
    properties: PROPERTY_NAMES.map((property, k) => ({ property, naive: interval(fit.naive, k), corrected: interval(fit.corrected, k) })),
  };
}

/** The readable table; "sign" and "moved" mark a corrected weight of the other sign or outside the naive interval. */
export function correctedTable(fit: DslFit): string {
  const cell = (e: DslFit['naive'], k: number) => e.estimable[k]
    ? `${e.estimate[k].toFixed(3).padStart(7)} [${e.low[k].toFixed(3)}, ${e.high[k].toFixed(3)}]`.padEnd(28)
    : 'never differs'.padEnd(28);
  const lines = PROPERTY_NAMES.map((name, k) => {
    const n = fit.naive;
    const c = fit.corrected;
    const flags = n.estimable[k] && c.estimable[k]
      ? [Math.sign(n.estimate[k]) !== Math.sign(c.estimate[k]) ? 'sign' : '', c.estimate[k] < n.low[k] || c.estimate[k] > n.high[k] ? 'moved' : ''].filter(Boolean).join(', ')
      : '';
    return `  ${name.padEnd(26)} ${cell(n, k)} ${cell(c, k)} ${flags}`.trimEnd();
  });
  return [
    `  ${'property'.padEnd(26)} ${'annotated [95% interval]'.padEnd(28)} ${'corrected [95% interval]'.padEnd(28)}`,
    ...lines,
    `  ${fit.pairs} pairs, ${fit.checked} checked; log-odds weights, corrected by design-based supervised learning (Egami et al. 2023)`,
  ].join('\n');
}
