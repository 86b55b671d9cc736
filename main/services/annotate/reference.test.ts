// A pair's own reference answer is the one error detection uses: the job asks for no second one; a reference the
// job wrote becomes the pair's, so a later job (a re-annotation) uses it too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bench } from './testing/harness';
import { FIXTURE_PAIRS } from './testing/fixtures';

test("error detection uses the pair's own reference answer and asks for none; one the job wrote is kept as the pair's", async () => {
  const b = await bench();
  try {
    const own = 'A day in Paris: a café in Montmartre, the Seine, the Luxembourg Gardens, Le Marais, dinner.';
    b.storage.db.prepare('UPDATE pairs SET reference_answer = ? WHERE id = ?').run(own, b.pairId('fx-paris'));
    const estimate = b.runner.estimate({ studyId: b.studyId, kind: 'annotate', scope: 'missing', mode: 'direct', costCap: null });
    const job = b.runner.job(await b.run());
    assert.equal(job.status, 'done', job.message ?? '');
    const references = b.fake.answered().filter((r) => r.kind === 'reference');
    assert.deepEqual(references.map((r) => r.pair).sort(), ['fx-colours', 'fx-driving', 'fx-square'], 'no reference asked for fx-paris');
    assert.equal(estimate.calls + estimate.cachedCalls, 4 * 5 + 2 - 1, 'the estimate counts no reference call for it either');
    assert.equal(b.storage.pairs.pair(b.pairId('fx-paris')).referenceAnswer, own, 'the own reference is kept');
    const square = FIXTURE_PAIRS.find((p) => p.id === 'fx-square')!;
    assert.equal(b.storage.pairs.pair(b.pairId('fx-square')).referenceAnswer, square.answers.reference, 'the written one becomes the pair\'s');

    const sent = b.fake.requests.length;
    const again = b.runner.job(await b.run({ scope: 'all' }));
    assert.equal(again.status, 'done', again.message ?? '');
    assert.equal(b.fake.requests.length, sent, 'a re-annotation asks for no reference and pays nothing: every answer is cached');
  } finally {
    await b.close();
  }
});
