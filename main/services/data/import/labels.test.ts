// Judges and labels on import (issue 13): kinds from the source, several judges on one pair, a judge's labels for
// pairs already in the study matched by content in either order, repeated and conflicting votes, the warning for
// labels all on one side, and the exported-pairs round trip.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Storage } from '../../storage';
import { exportPairs } from '../export-pairs';
import { bytesInput } from './input';
import { importFile } from './run';
import { jsonlBytes } from './testing';

type Row = Record<string, unknown>;
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('judges and labels on import', () => {
  let dir: string;
  let storage: Storage;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ps-labels-'));
    storage = new Storage(join(dir, 'db.sqlite'));
  });
  after(() => {
    storage.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const load = (study: string, name: string, rows: Row[] | Uint8Array) =>
    importFile(storage.studies, { studyName: study, input: bytesInput(name, rows instanceof Uint8Array ? rows : jsonlBytes(rows)) });
  const labelsOf = (study: string) => storage.db.prepare(`SELECT p.external_id AS id, j.name AS judge, j.kind, l.preferred, l.probability_a AS p
    FROM labels l JOIN pairs p ON p.id = l.pair_id JOIN judges j ON j.id = l.judge_id JOIN studies s ON s.id = p.study_id
    WHERE s.name = ? ORDER BY p.external_id, j.name`).all(study);
  const pairCount = (study: string) => storage.studies.study(storage.studies.studyIdByName(study)!).pairCount;
  const exported = (study: string, format: 'jsonl' | 'csv') => [...exportPairs(storage, storage.studies.studyIdByName(study)!, format)].join('');

  it('makes one pair with one label per judge when an id repeats once per judge, each judge with its kind', async () => {
    const base = { id: 'q1', prompt: 'Name a prime.', response_a: '7', response_b: '8' };
    const report = await load('Votes', 'votes.jsonl', [
      { ...base, winner: 'A', judge: 'expert_1', judge_kind: 'human' },
      { ...base, winner: 'B', judge: 'gpt-4', judge_kind: 'llm' },
      // The same pair with its sides the other way round: B here is "7", A on the pair.
      { ...base, response_a: '8', response_b: '7', winner: 'B', judge: 'author_2', judge_kind: 'human' },
    ]);
    assert.deepEqual([report.added, report.merged, report.matched, report.matchedSwapped, report.labelsAdded], [1, 2, 0, 1, 3]);
    assert.deepEqual(report.judges, [{ name: 'author_2', kind: 'human' }, { name: 'expert_1', kind: 'human' }, { name: 'gpt-4', kind: 'llm' }]);
    assert.equal(pairCount('Votes'), 1);
    assert.deepEqual(labelsOf('Votes').map((l) => Object.values(l as Row)), [
      ['q1', 'author_2', 'human', 'A', null], ['q1', 'expert_1', 'human', 'A', null], ['q1', 'gpt-4', 'llm', 'B', null],
    ]);
  });

  it('refuses a judge named with two kinds, in one file or against the database, writing nothing', async () => {
    const row = (judge: string, kind: string, i: number) => ({ prompt: `q${i}`, response_a: 'a', response_b: 'b', winner: 'A', judge, judge_kind: kind });
    await assert.rejects(load('Kinds', 'two.jsonl', [row('judge-x', 'human', 1), row('judge-x', 'llm', 2)]),
      /two\.jsonl, line 2: judge "judge-x" comes both as a human judge and as an LLM judge; nothing was written/);
    await assert.rejects(load('Kinds', 'known.jsonl', [row('gpt-4', 'human', 1)]), /known\.jsonl, line 1: judge "gpt-4" is already known as an LLM judge, not a human one/);
    assert.equal(storage.studies.studyIdByName('Kinds'), null);
  });

  it('refuses a named judge whose kind the file does not say, rather than calling it human', async () => {
    await assert.rejects(load('Unsaid', 'unsaid.jsonl', [{ prompt: 'q', response_a: 'a', response_b: 'b', winner: 'A', judge: 'claude' }]),
      /line 1, field "judge": the judge "claude" is not said to be human or an LLM/);
  });

  it("adds a judge's labels to pairs already in the study, matched by content in either order, a swapped pair's label flipped", async () => {
    const pairs = Array.from({ length: 4 }, (_, i) => ({ prompt: `question ${i}`, response_a: `left ${i}`, response_b: `right ${i}`, winner: i % 2 ? 'A' : 'B' }));
    await load('Match', 'humans.jsonl', pairs);
    const judged = [
      { prompt: 'question 0', response_a: 'left 0', response_b: 'right 0', winner: 'A' },
      { prompt: 'question 1', response_a: 'right 1', response_b: 'left 1', winner: 'A' }, // swapped: prefers "right 1", B on the pair
      { prompt: 'question 9', response_a: 'new', response_b: 'pair', winner: 'B' },
      { prompt: 'question 2', response_a: 'left 2', response_b: 'right 2', winner: 'tie' },
    ].map((r) => ({ ...r, judge: 'gpt-4-turbo', judge_kind: 'llm' }));
    const report = await load('Match', 'gpt4.jsonl', judged);
    assert.deepEqual([report.kept, report.added, report.matched, report.matchedSwapped, report.labelsAdded], [3, 1, 2, 1, 3]);
    assert.deepEqual(report.dropped, [{ reason: 'tie', count: 1 }]);
    assert.equal(pairCount('Match'), 5);
    const gpt = (labelsOf('Match') as { id: string; judge: string; preferred: string }[]).filter((l) => l.judge === 'gpt-4-turbo');
    const text = (id: string) => (storage.db.prepare('SELECT query FROM pairs WHERE external_id = ?').get(id) as { query: string }).query;
    assert.deepEqual(gpt.map((l) => [text(l.id), l.preferred]).sort(), [['question 0', 'A'], ['question 1', 'B'], ['question 9', 'B']]);
  });

  it('keeps a vote repeated once, leaves a judge without a label where its votes disagree, and keeps a stored label over a new one', async () => {
    const base = { id: 'p', prompt: 'q', response_a: 'a', response_b: 'b', judge_kind: 'human' };
    const report = await load('Repeat', 'repeat.jsonl', [
      { ...base, winner: 'A', judge: 'ann' }, { ...base, winner: 'A', judge: 'ann' },
      { ...base, winner: 'A', judge: 'bob' }, { ...base, winner: 'B', judge: 'bob' }, { ...base, winner: 'A', judge: 'bob' },
    ]);
    assert.deepEqual(report.labelsDropped, [
      { reason: 'the same vote of one judge on one pair repeated (kept once)', count: 1 },
      { reason: 'votes of one judge on one pair that disagree (the judge is left without a label on that pair)', count: 3 },
    ]);
    assert.deepEqual(labelsOf('Repeat').map((l) => (l as Row).judge), ['ann']);
    const later = await load('Repeat', 'later.jsonl', [{ ...base, winner: 'B', judge: 'ann' }]);
    assert.deepEqual([later.matched, later.labelsAdded, later.labelsDropped], [1, 0, [{ reason: 'differs from the label an earlier import stored (the stored one is kept)', count: 1 }]]);
    assert.deepEqual(labelsOf('Repeat').map((l) => (l as Row).preferred), ['A']);
  });

  it('still refuses an id given twice with different content, naming both lines', async () => {
    await assert.rejects(load('Dup', 'dup.jsonl', [
      { id: 'x', prompt: 'q', response_a: 'a', response_b: 'b', winner: 'A' }, { id: 'x', prompt: 'q2', response_a: 'a', response_b: 'b', winner: 'A' },
    ]), /line 2, field "id": duplicate id "x" \(first seen at line 1\) with a different query or responses/);
  });

  it('names the line of a pair already in the study with other content, counting the rows dropped before it', async () => {
    await load('Known', 'known-x.jsonl', [{ id: 'x', prompt: 'q', response_a: 'a', response_b: 'b', winner: 'A' }]);
    await assert.rejects(load('Known', 'later-x.jsonl', [
      { id: 't1', prompt: 'q1', response_a: 'a', response_b: 'b', winner: 'tie' }, { id: 't2', prompt: 'q2', response_a: 'a', response_b: 'b', winner: 'tie' },
      { id: 'x', prompt: 'another q', response_a: 'a', response_b: 'b', winner: 'A' },
    ]), /later-x\.jsonl, line 3: pair "x" is already in study "Known" with a different query or responses; nothing was written\./);
  });

  it('warns when every label prefers one side (ten or more), and not for fewer', async () => {
    const rows = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ prompt: `${tag} ${i}`, response_a: 'chosen', response_b: `rejected ${i}`, winner: 'A' }));
    const many = await load('Sides', 'all-a.jsonl', rows(12, 'many'));
    assert.equal(many.warnings.length, 1);
    assert.match(many.warnings[0], /^All 12 labels prefer response A: the sides look unshuffled/);
    const few = await load('Sides', 'few.jsonl', rows(9, 'few'));
    assert.deepEqual(few.warnings, []);
    const mixed = await load('Sides', 'mixed.jsonl', [...rows(11, 'mixed'), { prompt: 'b', response_a: 'x', response_b: 'y', winner: 'B' }]);
    assert.deepEqual(mixed.warnings, []);
  });

  for (const format of ['jsonl', 'csv'] as const) {
    it(`exports pairs as ${format} and gets the same study back: export, import into a new study, export again, identical`, async () => {
      await load(`Trip ${format}`, 'trip.jsonl', [
        { id: '1', prompt: '=HYPERLINK("x") a query', response_a: '-1 is odd', response_b: "'=quoted already", winner: 'A', model_a: 'm1', model_b: 'm2', scenario: 'code generation', language: 'English', 'judge:gpt-4': 'B' },
        { id: '2', prompt: 'line\r\nbreaks, "quotes" and 中文 😀', response_a: 'a', response_b: '@b', winner: 'B', scenario: 'Advice' },
      ].map((r) => ({ ...r })));
      await load(`Trip ${format}`, 'weighted.jsonl', utf8(`${JSON.stringify({ id: 'w', query: 'weighted', response_a: 'x', response_b: 'y', model_a: 'm', model_b: 'n', scenario: 'Others', unsafe: true, labels: [{ judge: 'alpaca_eval_gpt4_turbo', kind: 'llm', preferred: 'B', probability_a: 0.25 }] })}\n`));
      const first = exported(`Trip ${format}`, format);
      const back = await load(`Trip back ${format}`, `trip.${format}`, utf8(first));
      assert.equal(back.format, 'pairs');
      assert.equal(exported(`Trip back ${format}`, format), first);
      if (format === 'jsonl') {
        const records = first.trim().split('\n').map((l) => JSON.parse(l) as Row);
        assert.deepEqual(Object.keys(records[0]), ['id', 'query', 'response_a', 'response_b', 'model_a', 'model_b', 'scenario', 'fine_scenario', 'unsafe', 'language', 'reference', 'labels']);
        assert.deepEqual(records[0].labels, [{ judge: 'gpt-4', kind: 'llm', preferred: 'B', probability_a: null }, { judge: 'human', kind: 'human', preferred: 'A', probability_a: null }]);
        assert.deepEqual([records[0].fine_scenario, records[2].unsafe, records[2].labels], ['code-generation', true, [{ judge: 'alpaca_eval_gpt4_turbo', kind: 'llm', preferred: 'B', probability_a: 0.25 }]]);
      } else {
        assert.match(first, /^id,query,response_a,.*,labels\r\n1,"'=HYPERLINK\(""x""\) a query",'-1 is odd,''=quoted already,/);
      }
    });
  }
});
