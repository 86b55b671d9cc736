// The paper's raw pairs before annotation (GAIR-NLP/Preference-Dissection raw_data/sample_unannotated.jsonl): an
// Arena battle with its human vote in `winner`, Li et al.'s fine scenario, the paper's group (one of the 10
// scenarios or "Unsafe Queries"), GPT-4-Turbo's reference answer and counts (tokens, words, grammar errors) that
// the app computes itself and so does not read.
import type { Side } from '../../../../preload/contract';
import { SCENARIOS, UNSAFE_GROUP } from '../scenarios';
import { type Importer, DROP_REASONS, ExternalIds, readScenario } from './common';
import { Fields, shown } from './fields';

const WINNERS = new Map<string, Side>([['model_a', 'A'], ['model_b', 'B']]);
const TIES = new Map([['tie', DROP_REASONS.tie], ['tie (bothbad)', DROP_REASONS.bothBad]]);

export const importPaperRaw: Importer = async function* (source, file, drops) {
  const ids = new ExternalIds();
  for await (const record of source.records) {
    const f: Fields = Fields.ofRecord(file, source, record);
    const externalId = ids.given(f, 'id');
    const query = f.string('prompt');
    const responseA = f.string('response_a');
    const responseB = f.string('response_b');
    const modelA = f.string('model_a');
    const modelB = f.string('model_b');
    const winner = f.string('winner');
    const side = WINNERS.get(winner);
    const tie = TIES.get(winner);
    if (!side && !tie) f.fail(`expected model_a, model_b, tie or tie (bothbad), found ${shown(winner)}`, 'winner');
    const fine = readScenario(f, 'scenario');
    const group = f.optString('group');
    if (group !== null && group !== UNSAFE_GROUP && !(SCENARIOS as readonly string[]).includes(group)) {
      f.fail(`unknown group ${shown(group)}: expected one of ${SCENARIOS.join(', ')} or ${UNSAFE_GROUP}`, 'group');
    }
    const reference = f.optString('gpt4_ref_output');
    if (!side) {
      drops.add(tie!);
      continue;
    }
    yield {
      externalId, query, responseA, responseB, modelA, modelB,
      // The group is the paper's own scenario; an unsafe query keeps the one its fine scenario maps to.
      scenario: group !== null && group !== UNSAFE_GROUP ? group : fine.scenario,
      fineScenario: fine.fineScenario, unsafe: group === UNSAFE_GROUP, language: null, simulated: false,
      annotation: null, reference,
      labels: [{ judge: 'human', kind: 'human', preferred: side, probabilityA: null }],
    };
  }
};
