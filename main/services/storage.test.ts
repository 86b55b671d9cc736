import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Storage } from './storage';
import { SCHEMA_VERSION } from './db/migrations';
import type { ImportBatch, ImportedPair } from './data/import/types';
import type { PairAnnotation } from '../../preload/contract';
import { DEFAULT_ENDPOINT } from './annotate/cost';

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'ps-storage-')), 'db.sqlite');

const annotation: PairAnnotation = {
  ratings: { clear: { A: 3, B: 1 }, lengthy: { A: 120, B: 40 }, 'satisfy constraints': { A: 3, B: 1.5 } },
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
  promptVersion: 'paper-v1',
};

function pair(i: number, over: Partial<ImportedPair> = {}): ImportedPair {
  return {
    externalId: `q${i}`, query: `Question number ${i} about ${i % 2 ? 'volcanoes' : 'the moon'}`, responseA: `Answer A ${i}`,
    responseB: `Answer B ${i}`, modelA: i % 2 ? 'vicuna-13b' : 'gpt-4', modelB: 'claude-v1', scenario: i % 3 ? 'Code' : 'Advice',
    fineScenario: null, unsafe: i === 4, language: 'English', simulated: false,
    labels: [{ judge: 'human', kind: 'human', preferred: i % 2 ? 'A' : 'B', probabilityA: null }],
    annotation: null, ...over,
  };
}

const batch = (pairs: ImportedPair[]): ImportBatch => ({ format: 'generic', pairs, dropped: [{ reason: 'tie', count: 2 }] });

test('a new database is migrated to the current schema with the 29 properties, WAL and foreign keys', () => {
  const path = tempDb();
  const s = new Storage(path);
  assert.equal(s.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.equal(s.db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(s.db.pragma('foreign_keys', { simple: true }), 1);
  assert.equal((s.db.prepare('SELECT count(*) AS n FROM properties').get() as { n: number }).n, 29);
  s.close();
  new Storage(path).close(); // reopening runs no migration twice
});

test('a database from a newer version is refused, not opened', () => {
  const path = tempDb();
  const raw = new Database(path);
  raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  raw.close();
  assert.throws(() => new Storage(path), /newer Preference Studio/);
});

test('a batch is written whole: pairs, judges, labels and annotations round-trip', () => {
  const s = new Storage(tempDb());
  const report = s.studies.insertBatch({ name: 'Study' }, batch([pair(1, { annotation }), pair(2)]), { fileName: 'f.csv', sha256: 'x' });
  assert.deepEqual({ kept: report.kept, annotated: report.annotated, judges: report.judges.map((j) => j.name) }, { kept: 2, annotated: 1, judges: ['human'] });
  const [study] = s.studies.listStudies();
  assert.deepEqual([study.name, study.pairCount, study.annotatedCount, study.judgeCount], ['Study', 2, 1, 1]);
  const page = s.pairs.queryPairs({ studyId: report.studyId, offset: 0, limit: 10 });
  const detail = s.pairs.pair(page.rows[0].id);
  assert.deepEqual(detail.annotation, annotation);
  assert.deepEqual(detail.groups, ['intent_unclear', 'w_constraints', 'w_mistakes']);
  assert.deepEqual(detail.labels, [{ judge: 'human', kind: 'human', preferred: 'A', probabilityA: null }]);
  assert.equal(s.pairs.pair(page.rows[1].id).annotation, null);
  assert.equal(s.studies.findSourceFile(report.studyId, 'x')?.fileName, 'f.csv');
});

test('a batch that fails halfway writes nothing, not even its study', () => {
  const s = new Storage(tempDb());
  // The same id again with other text (the same text would be another judge's vote on that pair).
  assert.throws(() => s.studies.insertBatch({ name: 'Broken' }, batch([pair(1), pair(2), pair(1, { query: 'another question' })]), { fileName: 'dup.csv', sha256: 'y' }), /already in study "Broken" with a different query or responses/);
  assert.deepEqual(s.studies.listStudies(), []);
  assert.equal((s.db.prepare('SELECT count(*) AS n FROM pairs').get() as { n: number }).n, 0);
  assert.equal((s.db.prepare('SELECT count(*) AS n FROM judges').get() as { n: number }).n, 0);
});

test('pairs can be searched and filtered by scenario, unsafe, judge, source model and annotation', () => {
  const s = new Storage(tempDb());
  const pairs = Array.from({ length: 12 }, (_, i) => pair(i, i === 3 ? { annotation } : {}));
  pairs[5].labels.push({ judge: 'gpt-4-turbo', kind: 'llm', preferred: 'B', probabilityA: 0.2 });
  const { studyId } = s.studies.insertBatch({ name: 'S' }, batch(pairs), { fileName: 'f', sha256: 'z' });
  const total = (q: object) => s.pairs.queryPairs({ studyId, offset: 0, limit: 100, ...q }).total;
  assert.equal(total({}), 12);
  assert.equal(total({ search: 'volcan' }), 6);
  assert.equal(total({ search: 'moon question' }), 6);
  assert.equal(total({ scenario: 'Advice' }), 4);
  assert.equal(total({ scenario: 'Unsafe Queries' }), 1);
  assert.equal(total({ judge: 'gpt-4-turbo' }), 1);
  assert.equal(total({ sourceModel: 'vicuna-13b' }), 6);
  assert.equal(total({ sourceModel: 'claude-v1' }), 12);
  assert.equal(total({ annotated: true }), 1);
  assert.equal(total({ annotated: false }), 11);
  const page = s.pairs.queryPairs({ studyId, offset: 10, limit: 5 });
  assert.deepEqual([page.rows.length, page.rows[0].externalId], [2, 'q10']);
  const labelled = s.pairs.queryPairs({ studyId, judge: 'gpt-4-turbo', offset: 0, limit: 5 }).rows[0];
  assert.deepEqual(labelled.labels, { human: 'A', 'gpt-4-turbo': 'B' });
  const facets = s.pairs.facets(studyId);
  assert.deepEqual(facets.scenarios, ['Advice', 'Code', 'Unsafe Queries']);
  assert.deepEqual(facets.judges, ['human', 'gpt-4-turbo']);
  assert.deepEqual(facets.sourceModels, ['claude-v1', 'gpt-4', 'vicuna-13b']);
});

test('a judge cannot change kind between imports', () => {
  const s = new Storage(tempDb());
  s.studies.insertBatch({ name: 'S' }, batch([pair(1)]), { fileName: 'a', sha256: 'a' });
  const p = pair(2, { labels: [{ judge: 'human', kind: 'llm', preferred: 'A', probabilityA: 0.7 }] });
  assert.throws(() => s.studies.insertBatch({ name: 'S' }, batch([p]), { fileName: 'b', sha256: 'b' }), /already known as a human judge/);
  assert.equal(s.studies.listStudies()[0].pairCount, 1);
});

test('studies can be renamed and deleted with everything in them', () => {
  const s = new Storage(tempDb());
  const { studyId } = s.studies.insertBatch({ name: 'Old' }, batch([pair(1, { annotation })]), { fileName: 'a', sha256: 'a' });
  s.studies.createStudy('Other');
  assert.throws(() => s.studies.renameStudy(studyId, 'Other'), /already exists/);
  s.studies.renameStudy(studyId, 'New');
  assert.equal(s.studies.study(studyId).name, 'New');
  s.studies.deleteStudy(studyId);
  assert.equal((s.db.prepare('SELECT count(*) AS n FROM annotations').get() as { n: number }).n, 0);
  assert.equal((s.db.prepare('SELECT count(*) AS n FROM pairs_fts').get() as { n: number }).n, 0);
});

test('deleting a study says what goes with it, each domain counting its own rows: pairs, judges, rounds with their verdicts, fits and jobs', () => {
  const s = new Storage(tempDb());
  const gpt = { judge: 'gpt-4', kind: 'llm' as const, preferred: 'A' as const, probabilityA: 0.8 };
  const add = (name: string, pairs: ImportedPair[]) => s.studies.insertBatch({ name }, batch(pairs), { fileName: name, sha256: name }).studyId;
  const studyId = add('Counted', [pair(1, { annotation }), pair(2, { annotation, labels: [gpt] }), pair(3)]);
  const other = add('Other', [pair(1, { annotation }), pair(2, { annotation })]);
  const ids = (study: number) => s.pairs.queryPairs({ studyId: study, offset: 0, limit: 10 }).rows.map((r) => r.id);
  for (const study of [studyId, other]) {
    const roundId = s.review.createReviewRound({ studyId: study, name: 'R', seed: 1, strategy: 'random', blind: true, pairIds: ids(study).slice(0, 2), checkers: ['ana', 'ben'] });
    const verdict = { verdict: 'approve' as const, correctedValue: null, comment: null, givenAt: '2024-01-01' };
    for (const checker of s.review.checkers(roundId)) {
      s.verdicts.writeVerdicts(checker.id, ids(study).slice(0, 2).map((pairId) => ({ pairId, itemKey: 'basic:A:clear', after: verdict })));
    }
    const fitId = s.fits.startFit(study, 'human', 'Code', { chains: 4, warmup: 500, draws: 1500, folds: 10, priorScale: 0.1, seed: 1 });
    s.fits.finishFit(fitId, { status: 'failed', error: 'stopped' });
    s.annotate.createAnnotationJob({ studyId: study, kind: 'annotate', mode: 'direct', endpoint: DEFAULT_ENDPOINT, promptVersion: 'v',
      judgeId: null, costCap: null, estimate: null, pairIds: ids(study) });
  }
  s.review.createReviewRound({ studyId, name: 'R2', seed: 2, strategy: 'random', blind: false, pairIds: ids(studyId), checkers: ['cy'] });
  s.fits.startFit(studyId, 'gpt-4', 'Code', { chains: 4, warmup: 500, draws: 1500, folds: 10, priorScale: 0.1, seed: 1 });
  assert.deepEqual(s.studyDeleteImpact(studyId), { pairs: 3, annotated: 2, judges: 2, rounds: 2, verdicts: 4, fits: 2, jobs: 1 });
  assert.deepEqual(s.studyDeleteImpact(other), { pairs: 2, annotated: 2, judges: 1, rounds: 1, verdicts: 4, fits: 1, jobs: 1 });
  assert.throws(() => s.studyDeleteImpact(other + 1), /no study/);
});
