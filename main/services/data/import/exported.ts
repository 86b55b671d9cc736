// The layout `preference-studio export pairs` writes (JSON Lines or CSV): one record per pair with its labels
// [{judge, kind, preferred, probability_a}] (JSON-encoded in one CSV column). Importing it gives the study back.
import type { JudgeKind, Side } from '../../../../preload/contract';
import { unneutralised } from '../../tables';
import { toScenario } from '../scenarios';
import { type Importer, ExternalIds } from './common';
import { Fields, shown } from './fields';
import { quote, type ImportedLabel } from './types';

/** The fields of an exported pair, in the order the export writes them. */
export const EXPORTED_FIELDS = ['id', 'query', 'response_a', 'response_b', 'model_a', 'model_b', 'scenario', 'fine_scenario',
  'unsafe', 'language', 'reference', 'labels'] as const;

const KINDS: readonly JudgeKind[] = ['human', 'llm'];

/** true/false, also as CSV text. */
function readFlag(f: Fields, name: string): boolean {
  const v = f.data[name];
  if (v === true || v === 'true' || v === 1 || v === '1') return true;
  if (v === false || v === 'false' || v === 0 || v === '0' || f.isBlank(name)) return false;
  f.fail(`expected true or false, found ${shown(v)}`, name);
}

function readLabels(f: Fields): ImportedLabel[] {
  let raw = f.data.labels;
  if (typeof raw === 'string') {
    try {
      raw = raw.trim() === '' ? [] : JSON.parse(raw);
    } catch {
      f.fail('expected a JSON list of labels', 'labels');
    }
  }
  const list = new Fields(f.where, { labels: raw ?? [] });
  return list.objects('labels').map((l, i) => {
    const kind = l.string('kind') as JudgeKind;
    if (!KINDS.includes(kind)) l.fail(`expected human or llm, found ${quote(kind)}`, 'kind');
    const preferred = l.string('preferred') as Side;
    if (preferred !== 'A' && preferred !== 'B') l.fail(`expected A or B, found ${quote(preferred)}`, 'preferred');
    const p = l.data.probability_a;
    if (p !== undefined && p !== null && (typeof p !== 'number' || !(p >= 0 && p <= 1))) {
      l.fail(`expected a probability between 0 and 1 or null, found ${shown(p)}`, 'probability_a');
    }
    const judge = l.string('judge');
    if (!judge.trim()) l.fail(`expected the judge's name (label ${i + 1})`, 'judge');
    return { judge, kind, preferred, probabilityA: typeof p === 'number' ? p : null };
  });
}

export const importExported: Importer = async function* (source, file) {
  const ids = new ExternalIds();
  for await (const record of source.records) {
    // The export's CSV quoted text a spreadsheet would run as a formula ('=...): read back, the quote goes.
    const fields = source.container === 'csv'
      ? Object.fromEntries(Object.entries(record.fields).map(([k, v]) => [k, typeof v === 'string' ? unneutralised(v) : v]))
      : record.fields;
    const f: Fields = Fields.ofRecord(file, source, { at: record.at, fields });
    const query = f.string('query');
    const responseA = f.string('response_a');
    const responseB = f.string('response_b');
    const label = f.optString('scenario');
    // No scenario: unassigned, as the study had it.
    const scenario = label === null ? null : toScenario(label) ?? f.fail(`unknown scenario ${quote(label)}`, 'scenario');
    yield {
      externalId: ids.given(f, 'id', { query, responseA, responseB }),
      query, responseA, responseB,
      modelA: f.string('model_a'),
      modelB: f.string('model_b'),
      scenario,
      fineScenario: f.optString('fine_scenario'),
      unsafe: readFlag(f, 'unsafe'),
      language: f.optString('language'),
      simulated: false,
      labels: readLabels(f),
      annotation: null,
      reference: f.optString('reference'),
    };
  }
};
