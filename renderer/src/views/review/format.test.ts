// eslint-disable-next-line no-restricted-imports -- unit tests run under Node's own runner
import { test } from 'node:test';
// eslint-disable-next-line no-restricted-imports -- unit tests run under Node's own runner
import assert from 'node:assert/strict';
import type { ReviewItem, Verdict } from '../../../../preload/contract';
import { signed, verdictText } from './format';

test('a shift that rounds to zero is shown as 0, never "-0.0"; others carry their sign', () => {
  assert.equal(signed(-0.0004 * 100, 1), '0.0');
  assert.equal(signed(-0.0001, 3), '0.000');
  assert.equal(signed(0, 1), '0.0');
  assert.equal(signed(0.0123 * 100, 1), '+1.2');
  assert.equal(signed(-0.5, 3), '−0.500');
});

test('verdicts read as words: "rejected", "approved", "corrected to 2", never "rejectd"', () => {
  const item: ReviewItem = { key: 'basic:B:grammarly correct', section: 'basic', valueKind: 'rating', side: 'B', property: 'grammarly correct', label: 'grammarly correct', title: 'grammarly correct of response B', value: '1', choices: ['0', '1', '2', '3'] };
  const v = (verdict: Verdict['verdict'], correctedValue: string | null = null): Verdict => ({ pairId: 1, itemKey: item.key, verdict, correctedValue, comment: null, givenAt: '' });
  assert.equal(verdictText(item, v('reject')), 'rejected');
  assert.equal(verdictText(item, v('approve')), 'approved');
  assert.equal(verdictText(item, v('correct', '2')), 'corrected to 2');
  assert.equal(verdictText(item, v('add')), 'added');
  assert.equal(verdictText(item, undefined), 'not decided');
});
