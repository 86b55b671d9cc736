// The Kaggle "LMSYS - Chatbot Arena Human Preference" CSV (train.csv): prompt, response_a and response_b are
// JSON-encoded lists of turns, the human vote one-hot in winner_model_a / winner_model_b / winner_tie. As for Arena
// data, ties and multi-turn conversations are dropped; a turn the model did not answer (null) is dropped too.
import type { Side } from '../../../../preload/contract';
import { type Importer, DROP_REASONS, ExternalIds } from './common';
import { Fields, shown } from './fields';

/** A JSON-encoded list of turns: the texts, null for a missing one. */
function turns(f: Fields, name: string): (string | null)[] {
  const raw = f.string(name);
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    f.fail('expected a JSON-encoded list of texts, found text that is not JSON', name);
  }
  if (!Array.isArray(list) || list.length === 0 || !list.every((t) => t === null || typeof t === 'string')) {
    f.fail(`expected a JSON-encoded list of texts, found ${shown(raw)}`, name);
  }
  return list as (string | null)[];
}

/** One of the one-hot winner columns, as CSV gives it ("0"/"1") or as JSON does (0/1). */
function oneHot(f: Fields, name: string): boolean {
  const v = f.data[name];
  if (v === 1 || v === '1' || v === true) return true;
  if (v === 0 || v === '0' || v === false) return false;
  return f.fail(`expected 0 or 1, found ${shown(v)}`, name);
}

export const importKaggleArena: Importer = async function* (source, file, drops) {
  const ids = new ExternalIds();
  for await (const record of source.records) {
    const f: Fields = Fields.ofRecord(file, source, record);
    const externalId = ids.given(f, 'id');
    const modelA = f.string('model_a');
    const modelB = f.string('model_b');
    const prompt = turns(f, 'prompt');
    const a = turns(f, 'response_a');
    const b = turns(f, 'response_b');
    const votes = (['winner_model_a', 'winner_model_b', 'winner_tie'] as const).map((name) => oneHot(f, name));
    if (votes.filter(Boolean).length !== 1) f.fail('expected exactly one of winner_model_a, winner_model_b and winner_tie to be 1', 'winner_model_a');
    if (votes[2]) {
      drops.add(DROP_REASONS.tie);
      continue;
    }
    if (prompt.length > 1 || a.length > 1 || b.length > 1) {
      drops.add(DROP_REASONS.multiTurn);
      continue;
    }
    if (prompt[0] === null || a[0] === null || b[0] === null) {
      drops.add(DROP_REASONS.noAnswer);
      continue;
    }
    const preferred: Side = votes[0] ? 'A' : 'B';
    yield {
      externalId, query: prompt[0], responseA: a[0], responseB: b[0], modelA, modelB, scenario: null, fineScenario: null,
      unsafe: false, language: null, simulated: false, annotation: null,
      labels: [{ judge: 'human', kind: 'human', preferred, probabilityA: null }],
    };
  }
};
