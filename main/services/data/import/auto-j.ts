// Auto-J's pairwise test data (GAIR-NLP/auto-j data/test/testdata_pairwise.jsonl, Li et al. 2023a): a prompt, two
// responses, one of the 58 fine scenarios (mapped to the paper's 10 by Table 8) and the human label: 0 = response 1,
// 1 = response 2, 2 = tie (dropped and counted).
import type { Side } from '../../../../preload/contract';
import { type Importer, DROP_REASONS, ExternalIds, UNKNOWN_MODEL, readScenario } from './common';
import { Fields, shown } from './fields';

const LABELS = new Map<unknown, Side | 'tie'>([[0, 'A'], [1, 'B'], [2, 'tie']]);
/** The people who labelled the test set, as one judge. */
export const AUTO_J_JUDGE = 'Auto-J annotators';

export const importAutoJ: Importer = async function* (source, file, drops) {
  const ids = new ExternalIds();
  for await (const record of source.records) {
    const f: Fields = Fields.ofRecord(file, source, record);
    const query = f.string('prompt');
    const responseA = f.string('response 1');
    const responseB = f.string('response 2');
    const label = LABELS.get(f.data.label) ?? f.fail(`expected 0 (response 1), 1 (response 2) or 2 (tie), found ${shown(f.data.label)}`, 'label');
    const { scenario, fineScenario } = readScenario(f, 'scenario');
    const externalId = ids.hashed(f, [query, responseA, responseB]);
    if (label === 'tie') {
      drops.add(DROP_REASONS.tie);
      continue;
    }
    yield {
      externalId, query, responseA, responseB, modelA: UNKNOWN_MODEL, modelB: UNKNOWN_MODEL, scenario, fineScenario,
      unsafe: false, language: null, simulated: false, annotation: null,
      labels: [{ judge: AUTO_J_JUDGE, kind: 'human', preferred: label, probabilityA: null }],
    };
  }
};
