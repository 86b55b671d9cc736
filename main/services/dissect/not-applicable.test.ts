// Pairs whose error detection was "not applicable" (section 3.4): left out of the fit as the authors' code does
// (resolve_collected_data.py: either response's "accuracy check" other than "applicable" marks the pair 999, and
// the fit skips it), counted; kept with zero error features only under the named setting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '../storage';
import { comparisonData, validateSettings } from './dissection';
import type { ImportedPair } from '../data/import/types';
import type { ErrorCheck, PairAnnotation } from '../../../preload/contract';
import { PROPERTY_COUNT, PROPERTY_NAMES } from '../data/properties';

const severe = { description: 'wrong', type: 'Factual error', severity: 'severe' } as const;
function annotation(a: ErrorCheck, b: ErrorCheck): PairAnnotation {
  return {
    ratings: { clear: { A: 3, B: 1 }, lengthy: { A: 100, B: 50 } },
    prerequisites: { clearIntent: true, expressFeelings: false, constraints: [], stances: [], mistakes: [] },
    items: [], errors: { A: a, B: b }, model: 'hand', promptVersion: 'hand',
  };
}
function pair(id: string, a: ErrorCheck, b: ErrorCheck): ImportedPair {
  return {
    externalId: id, query: `q ${id}`, responseA: `a ${id}`, responseB: `b ${id}`, modelA: 'm1', modelB: 'm2',
    scenario: 'Code', fineScenario: null, unsafe: false, language: null, simulated: false,
    labels: [{ judge: 'human', kind: 'human', preferred: 'A', probabilityA: null }], annotation: annotation(a, b),
  };
}

test('a pair whose error check was not applicable for either response is left out of the fit and counted', () => {
  const storage = new Storage(join(mkdtempSync(join(tmpdir(), 'ps-na-')), 'db.sqlite'));
  const { studyId } = storage.studies.insertBatch({ name: 's' }, {
    format: 'generic', dropped: [], pairs: [
      pair('both', { applicable: true, errors: [] }, { applicable: true, errors: [severe] }),
      pair('a-na', { applicable: false, errors: [] }, { applicable: true, errors: [severe] }),
      pair('b-na', { applicable: true, errors: [] }, { applicable: false, errors: [] }),
      pair('both-na', { applicable: false, errors: [] }, { applicable: false, errors: [] }),
    ],
  }, { fileName: 'f', sha256: 'h' });
  const id = (ext: string) => (storage.db.prepare('SELECT id FROM pairs WHERE external_id = ?').get(ext) as { id: number }).id;

  const paper = comparisonData(storage, studyId, 'human', 'Code');
  assert.deepEqual(paper.pairIds, [id('both')]);
  assert.equal(paper.notApplicable, 3);
  assert.equal(paper.X.length, PROPERTY_COUNT);
  const severeAt = PROPERTY_NAMES.indexOf('no severe errors');
  assert.ok(severeAt >= 0, PROPERTY_NAMES.join(', '));

  const zeroed = comparisonData(storage, studyId, 'human', 'Code', 'zero-errors');
  assert.deepEqual(zeroed.pairIds, ['both', 'a-na', 'b-na', 'both-na'].map(id));
  assert.equal(zeroed.notApplicable, 3);
  // B's severe error counts where both checks applied (B worse: A gets +1), and nowhere else.
  assert.deepEqual(Array.from({ length: 4 }, (_, r) => zeroed.X[r * PROPERTY_COUNT + severeAt]), [1, 0, 0, 0]);
  storage.close();
});

test('the old behaviour is a named setting; anything else is refused', () => {
  assert.equal(validateSettings({}).notApplicable, undefined, 'absent: the paper\'s rule');
  assert.equal(validateSettings({ notApplicable: 'zero-errors' }).notApplicable, 'zero-errors');
  assert.throws(() => validateSettings({ notApplicable: 'keep' as never }), /either "exclude"d or kept with "zero-errors", not "keep"/);
});
