import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bradleyTerry, contributions, explainPair, modelRatings, preferenceElo, type Match } from './explain';
import { demoStorage, storeFit } from './testing';
import { comparisonFeatures } from '../data/features';
import { paperReference } from '../data/reference';
import { PROPERTY_NAMES } from '../data/properties';
import { Rng } from '../../../native-workers';

const { storage, studyId } = demoStorage();

test('contributions are alpha_i * phi_i and the probability is sigma of their sum, worked by hand', () => {
  const alpha = new Array(29).fill(0);
  const phi = new Array(29).fill(0);
  [alpha[0], alpha[1], alpha[2], alpha[3]] = [0.5, -1, 2, 3];
  [phi[0], phi[1], phi[2], phi[3]] = [1, 1, -1, 0];
  const e = contributions(alpha, phi);
  assert.deepEqual(e.contributions.slice(0, 4).map((c) => c.contribution), [0.5, -1, -2, 0]);
  assert.equal(e.logit, -2.5);
  assert.ok(Math.abs(e.probabilityA - 0.0758582) < 1e-6);
});

test("a pair is explained with the judge's model of its scenario, beside the judge's actual label", () => {
  const alpha = paperReference().weights.Code['gpt-4-1106-preview'];
  storeFit(storage, studyId, 'gpt-4-1106-preview', 'Code', alpha);
  const row = storage.db.prepare(`SELECT p.id, l.preferred FROM pairs p JOIN labels l ON l.pair_id = p.id JOIN judges j ON j.id = l.judge_id
    WHERE p.study_id = ? AND p.scenario = 'Code' AND p.unsafe = 0 AND p.annotated = 1 AND j.name = 'gpt-4-1106-preview' LIMIT 1`).get(studyId) as { id: number; preferred: string };
  const judge = { source: 'study' as const, name: 'gpt-4-1106-preview' };
  const e = explainPair(storage, { pairId: row.id, judge });
  const phi = comparisonFeatures(storage.annotations.annotation(row.id));
  let logit = 0;
  for (let i = 0; i < 29; i++) logit += alpha[i] * phi[i];
  assert.equal(e.group, 'Code');
  assert.ok(Math.abs(e.logit - logit) < 1e-12);
  assert.equal(e.predicted, logit >= 0 ? 'A' : 'B');
  assert.equal(e.actual, row.preferred);
  assert.deepEqual(e.contributions.map((c) => c.name), [...PROPERTY_NAMES]);
  assert.throws(() => explainPair(storage, { pairId: row.id, judge: { source: 'study', name: 'human' } }), /human has no finished fit on Code/);
  // The paper's model of the same judge explains the study's pair too, with the study judge's label beside it.
  const paper = explainPair(storage, { pairId: row.id, judge: { source: 'paper', name: 'gpt-4-1106-preview' } });
  assert.ok(Math.abs(paper.logit - logit) < 1e-12);
  assert.equal(paper.actual, row.preferred);
});

test('Bradley-Terry: 30 wins in 40 games put the winner 400 log10(3) Elo points ahead', () => {
  const matches = Array.from({ length: 40 }, (_, i) => ({ a: 0, b: 1, aWins: i < 30 }));
  const beta = bradleyTerry(matches, 2);
  const elo = (400 / Math.LN10) * (beta[0] - beta[1]);
  assert.ok(Math.abs(elo - 400 * Math.log10(3)) < 0.5, `${elo}`);
  assert.ok(Math.abs(beta[0] + beta[1]) < 1e-9, 'the ratings are centred');
  const unbeaten = bradleyTerry([{ a: 0, b: 1, aWins: true }, { a: 0, b: 1, aWins: true }], 2);
  assert.ok(Number.isFinite(unbeaten[0]) && unbeaten[0] > 0);
});

function simulatedMatches(truth: number[], games: number, seed: number): Match[] {
  const rng = new Rng(seed);
  return Array.from({ length: games }, () => {
    const a = rng.int(truth.length);
    let b = rng.int(truth.length - 1);
    if (b >= a) b++;
    const p = 1 / (1 + 10 ** ((truth[b] - truth[a]) / 400));
    return { a: `m${a}`, b: `m${b}`, aWins: rng.uniform() < p };
  });
}

test('ratings recover the Elo the games were drawn from; the bootstrap interval narrows as games grow', () => {
  const truth = [1150, 1050, 950, 850]; // mean 1000, the scale's centre
  const few = modelRatings(simulatedMatches(truth, 2000, 3), 200, 5);
  const many = modelRatings(simulatedMatches(truth, 8000, 4), 200, 5);
  assert.deepEqual(few.map((r) => r.model), ['m0', 'm1', 'm2', 'm3']);
  for (const r of many) {
    const t = truth[Number(r.model.slice(1))];
    assert.ok(Math.abs(r.rating - t) < 30, `${r.model}: ${r.rating.toFixed(1)} vs ${t}`);
    assert.ok(r.q5 < r.rating && r.rating < r.q95);
  }
  const width = (rs: typeof few) => rs.reduce((t, r) => t + r.q95 - r.q5, 0) / rs.length;
  // Four times the games: about half the width (1/sqrt(4)).
  const ratio = width(many) / width(few);
  assert.ok(ratio > 0.35 && ratio < 0.65, `width ratio ${ratio.toFixed(2)}`);
  assert.equal(few.reduce((t, r) => t + r.games, 0), 4000, 'each game counts for both models');
});

test('pElo on the pairs where a property differs uses exactly those pairs', () => {
  const result = preferenceElo(storage, { studyId, judge: 'human', property: 'lengthy', bootstrap: 20 });
  const pairs = storage.db.prepare(`SELECT p.id, p.annotated FROM pairs p JOIN labels l ON l.pair_id = p.id JOIN judges j ON j.id = l.judge_id
    WHERE p.study_id = ? AND j.name = 'human' AND p.model_a <> p.model_b`).all(studyId) as { id: number; annotated: number }[];
  const lengthy = PROPERTY_NAMES.indexOf('lengthy');
  const differs = pairs.filter((p) => p.annotated === 1 && comparisonFeatures(storage.annotations.annotation(p.id))[lengthy] !== 0).length;
  assert.equal(result.overall.pairs, pairs.length);
  assert.equal(result.property!.pairs, differs);
  assert.ok(differs > 100 && differs < pairs.length);
  assert.equal(result.property!.ratings.reduce((t, r) => t + r.wins, 0), differs, 'every pair has one winner');
  assert.throws(() => preferenceElo(storage, { studyId, judge: 'human', property: 'charm' }), /Unknown property "charm"/);
});
