// A plain pairwise file (CSV, JSON Lines, JSON or parquet): prompt, response_a, response_b and the human vote in
// `winner`, plus optional model names, scenario, language, id and extra judges' votes (`judge:<name>` or
// `<name>_winner` columns, A or B).
import type { Side } from '../../../../preload/contract';
import { type Importer, DEFAULT_SCENARIO, DROP_REASONS, ExternalIds, UNKNOWN_MODEL, readScenario } from './common';
import { Fields, shown } from './fields';
import { ImportError, quote, type ImportedLabel } from './types';

const REQUIRED = ['prompt', 'response_a', 'response_b', 'winner'];
const OPTIONAL = ['model_a', 'model_b', 'scenario', 'language', 'id'];
const HUMAN = 'human';

const SIDES = new Map<string, Side>([['a', 'A'], ['b', 'B'], ['model_a', 'A'], ['model_b', 'B']]);
const TIES = new Map([['tie', DROP_REASONS.tie], ['tie (bothbad)', DROP_REASONS.bothBad]]);

/** The judge whose votes a column holds (`judge:<name>` or `<name>_winner`), else null. */
function judgeOf(column: string): string | null {
  const named = /^judge:(.+)$/.exec(column) ?? /^(.+)_winner$/.exec(column);
  return named?.[1].trim() || null;
}

/**
 * Checks one set of column names and returns the extra judges (column -> judge). `fail` reports where: the CSV
 * header, or the JSON record whose fields these are.
 */
function judgeColumns(columns: string[], fail: (detail: string, field?: string) => never): Map<string, string> {
  const missing = REQUIRED.filter((column) => !columns.includes(column));
  const unknown = columns.filter((column) => !REQUIRED.includes(column) && !OPTIONAL.includes(column) && !judgeOf(column));
  if (missing.length > 0 || unknown.length > 0) {
    // A hostile header may have thousands of columns: name a few.
    const listed = (names: string[]) => names.slice(0, 6).map((n) => (n.length > 60 ? `${n.slice(0, 60)}…` : n)).join(', ')
      + (names.length > 6 ? ` and ${names.length - 6} more` : '');
    const parts = [
      ...(missing.length > 0 ? [`missing column${missing.length > 1 ? 's' : ''} ${listed(missing)}`] : []),
      ...(unknown.length > 0 ? [`unknown column${unknown.length > 1 ? 's' : ''} ${listed(unknown)}`] : []),
    ];
    fail(`${parts.join('; ')} (expected ${REQUIRED.join(', ')}; optional ${OPTIONAL.join(', ')}; extra judges as judge:<name> or <name>_winner)`, missing[0] ?? unknown[0]);
  }
  const judges = new Map<string, string>();
  const named = new Map<string, string>([[HUMAN, 'winner']]);
  for (const column of columns) {
    const judge = judgeOf(column);
    if (!judge) continue;
    const other = named.get(judge);
    if (other) fail(`judge ${quote(judge)} is named by two columns (also ${quote(other)}; "winner" is the human vote)`, column);
    named.set(judge, column);
    judges.set(column, judge);
  }
  return judges;
}

export const importGeneric: Importer = async function* (source, file, drops) {
  const ids = new ExternalIds();
  // CSV records all share the header's columns: check them once, and blame the header.
  const csvJudges = source.columns !== undefined
    ? judgeColumns(source.columns, (detail, field) => {
      throw new ImportError(file, `in the header, ${detail}`, source.headerLine, field);
    })
    : null;

  for await (const record of source.records) {
    const f: Fields = new Fields({ file, unit: source.unit, at: record.at }, record.fields);
    const judges = csvJudges ?? judgeColumns(Object.keys(record.fields), (detail, field) => f.fail(detail, field));
    const query = f.string('prompt');
    const responseA = f.string('response_a');
    const responseB = f.string('response_b');
    const winner = f.string('winner').trim().toLowerCase();
    const outcome = SIDES.get(winner) ?? TIES.get(winner);
    if (!outcome) f.fail(`expected A, B, model_a, model_b or tie, found ${shown(f.data.winner)}`, 'winner');
    const modelA = f.optString('model_a') ?? UNKNOWN_MODEL;
    const modelB = f.optString('model_b') ?? UNKNOWN_MODEL;
    const { scenario, fineScenario } = f.isBlank('scenario')
      ? { scenario: DEFAULT_SCENARIO, fineScenario: null }
      : readScenario(f, 'scenario');
    const language = f.optString('language');
    const labels: ImportedLabel[] = [];
    for (const [column, judge] of judges) {
      if (f.isBlank(column)) continue;
      const vote = f.string(column).trim().toLowerCase();
      // A judge that saw no difference simply has no label for this pair.
      if (TIES.has(vote)) continue;
      const side = SIDES.get(vote);
      if (!side) f.fail(`expected A or B, found ${shown(f.data[column])}`, column);
      labels.push({ judge, kind: 'llm', preferred: side, probabilityA: null });
    }
    const externalId = f.isBlank('id')
      ? ids.hashed(f, [query, responseA, responseB, modelA, modelB])
      : ids.given(f, 'id', { query, responseA, responseB });
    if (outcome !== 'A' && outcome !== 'B') {
      drops.add(outcome);
      continue;
    }
    labels.unshift({ judge: HUMAN, kind: 'human', preferred: outcome, probabilityA: null });
    yield {
      externalId, query, responseA, responseB, modelA, modelB, scenario, fineScenario,
      unsafe: false, language, simulated: false, labels, annotation: null,
    };
  }
};
