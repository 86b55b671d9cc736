// Reasons (the canonical-basis paper, figures 4-5) through the fake server: why the preferred response won,
// normalised into categories, each proposed as a candidate property with its share of pairs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bench } from './testing/harness';
import { reasonsReport } from './reasons';
import { reasonsPrompt } from './prompts';

test('the reasons prompt names the preferred assistant in both places, with the pair in its own order', () => {
  const [system, user] = reasonsPrompt({ query: 'Q {query}', responseA: 'first', responseB: 'second' }, 'B');
  assert.match(system.content, /'USER' preferred their interaction with ASSISTANT_B\./);
  assert.match(user.content, /\[USER\]: Q \{query\}\n\[ASSISTANT_A\]: first\n\[ASSISTANT_B\]: second/);
  assert.match(user.content, /preferred their interaction with ASSISTANT_B\.$/);
});

test('a reasons job explains the human votes and proposes categories with their share of pairs', async () => {
  const b = await bench();
  try {
    const jobId = await b.run({ kind: 'reasons' });
    const job = b.runner.job(jobId);
    assert.equal(job.status, 'done', job.message ?? '');
    assert.equal(job.done, 4);
    // Each pair's prompt names the side the human preferred.
    const prompts = b.fake.requests.filter((r) => r.kind === 'reasons');
    assert.equal(prompts.length, 4);
    assert.equal(b.fake.requests.filter((r) => r.kind === 'normalise').length, 1);
    const report = reasonsReport('human', b.storage.annotate.reasonsOf(jobId), b.storage.annotate.reasonCategories(jobId));
    // conciseness, brevity and concise all normalise to "concise" (fx-paris, fx-driving, fx-square: 3 of 4);
    // "code correctness" is a combination the model declined to normalise.
    assert.equal(report.pairs, 4);
    assert.deepEqual(report.categories.map((c) => [c.category, c.pairs, c.share]), [
      ['concise', 3, 0.75], ['accuracy', 1, 0.25], ['empathy', 1, 0.25], ['follows instructions', 1, 0.25],
    ]);
    assert.deepEqual(report.categories[0].reasons, ['brevity', 'concise', 'conciseness']);
    assert.deepEqual(report.unresolved, [{ reason: 'code correctness', error: 'combines correctness and code quality' }]);
    const stored = b.storage.db.prepare("SELECT preferred FROM reasons WHERE job_id = ? ORDER BY pair_id").all(jobId) as { preferred: string }[];
    assert.deepEqual(stored.map((r) => r.preferred), ['A', 'B', 'B', 'A'], 'the human votes of the fixtures');
  } finally {
    await b.close();
  }
});

test('reasons need a judge with labels in the study', async () => {
  const b = await bench();
  try {
    assert.throws(() => b.runner.start({ studyId: b.studyId, kind: 'reasons', scope: 'all', mode: 'direct', costCap: null, judge: 'nobody' }), /No pair of this study has a label from "nobody"/);
  } finally {
    await b.close();
  }
});
