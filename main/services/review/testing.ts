// Fixtures the review domain's tests share: one annotated pair worked by hand and a study of such pairs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PairAnnotation } from '../../../preload/contract';
import { Storage } from '../storage';
import { RATED_BASIC_PROPERTIES } from '../data/properties';
import type { ImportedPair } from '../data/import/types';

/** One annotated pair: unclear intent, two constraints, one mistake, no error in A, one severe error in B. */
export function annotation(): PairAnnotation {
  const ratings: PairAnnotation['ratings'] = {};
  RATED_BASIC_PROPERTIES.forEach((p, i) => { ratings[p.name] = { A: i % 4, B: (i + 1) % 4 }; });
  ratings.lengthy = { A: 120, B: 40 };
  ratings['clarify intent'] = { A: 2, B: 1 };
  ratings['satisfy constraints'] = { A: 3, B: 1.5 };
  ratings['correct mistakes'] = { A: 3, B: 0 };
  return {
    ratings,
    prerequisites: { clearIntent: false, expressFeelings: false, constraints: ['under 50 words', 'a list'], stances: [], mistakes: ['the moon is a planet'] },
    items: [
      { kind: 'constraint', text: 'under 50 words', labels: { A: '3', B: '1' }, scores: { A: 3, B: 1 } },
      { kind: 'constraint', text: 'a list', labels: { A: '3', B: '2' }, scores: { A: 3, B: 2 } },
      { kind: 'mistake', text: 'the moon is a planet', labels: { A: 'Pointed out and corrected', B: 'Neither pointed out nor corrected' }, scores: { A: 3, B: 0 } },
    ],
    errors: {
      A: { applicable: true, errors: [] },
      B: { applicable: true, errors: [{ description: 'says the moon is a planet', type: 'Factual error', severity: 'severe' }] },
    },
    model: 'gpt-4-1106-preview',
    promptVersion: 'paper',
  };
}

export function pair(i: number, scenario = 'Advice'): ImportedPair {
  return {
    externalId: `q${i}`, query: `Question ${i}`, responseA: `Answer A ${i}`, responseB: `Answer B ${i}`, modelA: 'vicuna-13b', modelB: 'gpt-4',
    scenario, fineScenario: null, unsafe: false, language: 'English', simulated: false,
    labels: [{ judge: 'human', kind: 'human', preferred: i % 2 ? 'A' : 'B', probabilityA: null }], annotation: annotation(),
  };
}

export function studyWith(pairs: ImportedPair[]) {
  const path = join(mkdtempSync(join(tmpdir(), 'ps-review-')), 'db.sqlite');
  const storage = new Storage(path);
  const { studyId } = storage.studies.insertBatch({ name: 'Checked' }, { format: 'paper', pairs, dropped: [] }, { fileName: 'f', sha256: 'f' });
  return { storage, studyId, path };
}

