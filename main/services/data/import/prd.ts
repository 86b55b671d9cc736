// PRD's LFQA expert preferences (bcdnlp/PRD data/lfqa/experts_pairwise_human_preferences.jsonl): a question and two
// answers, an expert's overall_preference (-1 = answer_a, 1 = answer_b). Several experts may judge one (question,
// answer_a, answer_b) triple, in rows anywhere in the file: they make one pair with one label per expert. The file
// names no experts, so they are "expert 1", "expert 2", ... in the order their rows come for that pair.
//
// Reading it takes two passes: the first keeps each triple's votes (a content hash and a few signs, not the texts),
// the second yields each triple once, at its first row, with all its labels.
import type { PairLabel, Side } from '../../../../preload/contract';
import { type Importer, DROP_REASONS, UNKNOWN_MODEL, partsKey } from './common';
import { Fields, shown } from './fields';
import type { RecordSource } from './source';

const SIDES = new Map<unknown, Side>([[-1, 'A'], [1, 'B']]);

function read(f: Fields) {
  const query = f.string('question');
  const responseA = f.string('answer_a');
  const responseB = f.string('answer_b');
  const vote = f.data.overall_preference;
  // 0 would be a tie: no label from that expert.
  const preferred = vote === 0 ? null : SIDES.get(vote);
  if (preferred === undefined) f.fail(`expected -1 (answer_a), 1 (answer_b) or 0 (tie), found ${shown(vote)}`, 'overall_preference');
  // Whether each answer was written by a person or a model, the only "model" the file names.
  const modelA = f.optString('answer_a_type') ?? UNKNOWN_MODEL;
  const modelB = f.optString('answer_b_type') ?? UNKNOWN_MODEL;
  return { query, responseA, responseB, modelA, modelB, preferred };
}

const keyOf = (r: ReturnType<typeof read>) => partsKey([r.query, r.responseA, r.responseB]);

/** The first pass: each triple's votes in row order (null for a tie). */
export async function prdVotes(source: RecordSource, file: string): Promise<Map<string, (Side | null)[]>> {
  const votes = new Map<string, (Side | null)[]>();
  for await (const record of source.records) {
    const f: Fields = Fields.ofRecord(file, source, record);
    const r = read(f);
    const key = keyOf(r);
    votes.set(key, [...(votes.get(key) ?? []), r.preferred]);
  }
  return votes;
}

export const importPrd: Importer = async function* (source, file, drops, reopen) {
  const votes = await prdVotes(await reopen(), file);
  for await (const record of source.records) {
    const f: Fields = Fields.ofRecord(file, source, record);
    const r = read(f);
    const key = keyOf(r);
    const all = votes.get(key) ?? f.fail('the file changed while it was read', 'question');
    if (all.length === 0) continue; // a later row of a triple already yielded
    votes.set(key, []);
    const labels: PairLabel[] = [];
    all.forEach((side, i) => {
      if (side) labels.push({ judge: `expert ${i + 1}`, kind: 'human', preferred: side, probabilityA: null });
    });
    if (labels.length === 0) {
      drops.add(DROP_REASONS.tie);
      continue;
    }
    yield {
      externalId: key, query: r.query, responseA: r.responseA, responseB: r.responseB,
      modelA: r.modelA, modelB: r.modelB, scenario: null, fineScenario: null,
      unsafe: false, language: null, simulated: false, annotation: null, labels,
    };
  }
};
