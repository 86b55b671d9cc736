// Judge labels (section 3.3) through the fake server: both orders, the log-probabilities of "A" and "B" averaged
// over the orders, label and probability stored, and the positional bias reported. Known answers by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bench } from './testing/harness';
import { combineOrders, judgeReport, letterLogprobs } from './labels';
import type { ChatAnswer } from './caller';
import { FIXTURE_PAIRS } from './testing/fixtures';

const ln = Math.log;
const answer = (tokens: { token: string; logprob: number; top: { token: string; logprob: number }[] }[]): ChatAnswer =>
  ({ content: tokens.map((t) => t.token).join(''), finishReason: 'stop', logprobs: tokens, usage: { input: 1, output: 1 } });

test('the letter is read at the first token that is A or B, summing tokens spelled alike', () => {
  const lp = letterLogprobs(answer([
    { token: 'Response', logprob: -0.1, top: [{ token: 'Response', logprob: -0.1 }] },
    { token: ' A', logprob: ln(0.5), top: [{ token: ' A', logprob: ln(0.5) }, { token: 'A', logprob: ln(0.2) }, { token: ' B', logprob: ln(0.3) }] },
  ]));
  assert.ok(Math.abs(lp.first - ln(0.7)) < 1e-12);
  assert.ok(Math.abs(lp.second - ln(0.3)) < 1e-12);
  // A letter missing from the alternatives gets the lowest listed log-probability (an upper bound).
  const missing = letterLogprobs(answer([{ token: 'B', logprob: ln(0.9), top: [{ token: 'B', logprob: ln(0.9) }, { token: 'The', logprob: ln(0.05) }] }]));
  assert.equal(missing.first, ln(0.05));
  assert.throws(() => letterLogprobs({ ...answer([]), logprobs: null }), /no log-probabilities/);
  assert.throws(() => letterLogprobs(answer([{ token: 'Both', logprob: -1, top: [] }])), /names neither A nor B/);
});

test('two orders combine as the paper says: A\'s log-probability is "A" shown first and "B" shown second', () => {
  // P1: P(A|AB) = .8, P(B|AB) = .2; with B first P(A) = .6 (the pair's B), P(B) = .4 (the pair's A).
  // la = (ln .8 + ln .4) / 2, lb = (ln .2 + ln .6) / 2, so P(A) = sqrt(.32) / (sqrt(.32) + sqrt(.12)) = 0.62021.
  const p = combineOrders({ first: ln(0.8), second: ln(0.2) }, { first: ln(0.6), second: ln(0.4) })!;
  assert.equal(p.preferred, 'A');
  assert.ok(Math.abs(p.probabilityA - 0.620204) < 1e-6, String(p.probabilityA));
  assert.equal(combineOrders({ first: ln(0.5), second: ln(0.5) }, { first: ln(0.5), second: ln(0.5) }), null);
});

test('a judge-label job stores label and probability in both orders and reports the positional bias', async () => {
  const b = await bench();
  try {
    const jobId = await b.run({ kind: 'judge', limit: 3, judge: 'fake judge' });
    const job = b.runner.job(jobId);
    assert.equal(job.status, 'done', job.message ?? '');
    assert.equal(b.fake.requests.filter((r) => r.kind === 'judge').length, 6, 'two orders per pair');
    const label = (id: string) => b.storage.pairs.pair(b.pairId(id)).labels.find((l) => l.judge === 'fake judge')!;
    // By hand: fx-paris sqrt(.8*.4)/(sqrt(.32)+sqrt(.2*.6)); fx-driving sqrt(.3*.1)/(sqrt(.03)+sqrt(.7*.9));
    // fx-square sqrt(.9*.8)/(sqrt(.72)+sqrt(.1*.2)).
    const expected: [string, 'A' | 'B', number][] = [['fx-paris', 'A', 0.620204], ['fx-driving', 'B', 0.179129], ['fx-square', 'A', 0.857143]];
    for (const [id, side, p] of expected) {
      assert.equal(label(id).kind, 'llm');
      assert.equal(label(id).preferred, side, id);
      assert.ok(Math.abs(label(id).probabilityA! - p) < 1e-5, `${id}: ${label(id).probabilityA}`);
    }
    const report = judgeReport('fake judge', b.storage.annotate.judgeOrders(jobId));
    // P(first shown preferred) per order: .8 .6 | .3 .9 | .9 .2: mean .61667, so the bias is +.11667; first wins in
    // 4 of 6 orders; only fx-paris flips; against the human votes (A, B, B) the labels (A, B, A) agree twice.
    assert.equal(report.pairs, 3);
    assert.ok(Math.abs(report.positionalBias - 0.116667) < 1e-5, String(report.positionalBias));
    assert.ok(Math.abs(report.firstShownPreferred - 4 / 6) < 1e-12);
    assert.ok(Math.abs(report.flipped - 1 / 3) < 1e-12);
    assert.ok(Math.abs(report.agreementWithHuman! - 2 / 3) < 1e-12);
    // Missing labels only: what is left for this judge is the fourth pair.
    assert.equal(b.runner.estimate({ studyId: b.studyId, kind: 'judge', scope: 'missing', mode: 'direct', costCap: null, judge: 'fake judge' }).pairs, 1);
  } finally {
    await b.close();
  }
});

test('an endpoint that returns no log-probabilities fails each item with that reason; a human judge name is refused', async () => {
  const b = await bench({ fake: { logprobs: false } });
  try {
    const jobId = await b.run({ kind: 'judge', limit: 1 });
    const failed = b.storage.annotate.annotationItems({ jobId, status: 'failed', offset: 0, limit: 5 }).rows;
    assert.equal(failed.length, 1);
    assert.match(failed[0].error!, /^Judge label: the endpoint returned no log-probabilities/);
    assert.throws(() => b.runner.start({ studyId: b.studyId, kind: 'judge', scope: 'all', mode: 'direct', costCap: null, judge: 'human' }), /"human" is a human judge/);
  } finally {
    await b.close();
  }
});

test('a tie (both orders give both responses the same averaged log-probability) is recorded as a tie, not a failure', async () => {
  const b = await bench();
  const colours = FIXTURE_PAIRS.find((p) => p.id === 'fx-colours')!;
  const saved = colours.answers.judge;
  // The same letter probabilities in both orders: A's average equals B's exactly.
  colours.answers.judge = { ab: { A: 0.7, B: 0.3 }, ba: { A: 0.7, B: 0.3 } };
  try {
    const job = b.runner.job(await b.run({ kind: 'judge', judge: 'tie judge' }));
    assert.equal(job.status, 'done', job.message ?? '');
    assert.equal(job.failed, 0, 'a retry could never fix a tie, so it is no failure');
    assert.match(job.message!, /1 ties \(both orders gave both responses the same averaged log-probability\): no label, as the paper drops ties/);
    assert.equal(b.storage.pairs.pair(b.pairId('fx-colours')).labels.find((l) => l.judge === 'tie judge'), undefined);
    const item = b.storage.annotate.annotationItems({ jobId: job.id, offset: 0, limit: 10 }).rows.find((r) => r.externalId === 'fx-colours')!;
    assert.deepEqual([item.status, item.error?.slice(0, 4)], ['done', 'Tie:']);
  } finally {
    colours.answers.judge = saved;
    await b.close();
  }
});
