import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FINE_SCENARIOS, SCENARIOS, toScenario } from './scenarios';
import { MIGRATIONS } from '../db/migrations';
import { Storage } from '../storage';
import type { ImportedPair } from './import/types';

test("Table 8 maps Auto-J's 58 fine scenarios onto the 10 scenarios, each once, each with a definition", () => {
  assert.equal(FINE_SCENARIOS.length, 58);
  assert.equal(new Set(FINE_SCENARIOS.map((f) => f.name)).size, 58);
  for (const s of SCENARIOS) assert.ok(FINE_SCENARIOS.some((f) => f.scenario === s), `${s} has a fine scenario`);
  for (const f of FINE_SCENARIOS) {
    assert.equal(toScenario(f.name), f.scenario, f.name);
    assert.ok(f.definition.length > 10, `${f.name} has a definition`);
  }
  assert.deepEqual(FINE_SCENARIOS.filter((f) => f.scenario === 'NLP Tasks').length, 18);
});

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'ps-scenarios-')), 'db.sqlite');

test('migration 4: an Arena pair given "Others" for want of a scenario becomes unassigned; chosen scenarios stay', () => {
  const path = tempDb();
  const old = new Database(path);
  for (const m of MIGRATIONS.filter((x) => x.version <= 3)) m.up(old);
  old.pragma('user_version = 3');
  old.exec(`INSERT INTO studies (id, name, created_at) VALUES (1, 's', 'now');
    INSERT INTO source_files (id, study_id, file_name, sha256, format, imported_at, kept, dropped_json) VALUES
      (1, 1, 'arena.jsonl', 'x', 'arena', 'now', 3, '[]'), (2, 1, 'demo', 'y', 'demo', 'now', 1, '[]');`);
  const insert = old.prepare(`INSERT INTO pairs (study_id, external_id, query, response_a, response_b, model_a, model_b, scenario,
    fine_scenario, unsafe, simulated, source_file_id) VALUES (1, ?, 'q', 'a', 'b', 'm1', 'm2', ?, ?, 0, 0, ?)`);
  insert.run('defaulted', 'Others', null, 1);
  insert.run('classified', 'Code', 'code-generation', 1);
  insert.run('fine-default', 'Others', 'default', 1);
  insert.run('demo-others', 'Others', null, 2);
  old.exec("INSERT INTO judges (id, name, kind) VALUES (1, 'human', 'human'); INSERT INTO labels (pair_id, judge_id, preferred) SELECT id, 1, 'A' FROM pairs;");
  old.close();

  const storage = new Storage(path);
  const rows = storage.db.prepare('SELECT external_id, scenario FROM pairs ORDER BY id').all();
  assert.deepEqual(rows, [
    { external_id: 'defaulted', scenario: null }, { external_id: 'classified', scenario: 'Code' },
    { external_id: 'fine-default', scenario: 'Others' }, { external_id: 'demo-others', scenario: 'Others' },
  ]);
  assert.equal((storage.db.prepare('SELECT count(*) AS n FROM labels').get() as { n: number }).n, 4, 'no label went with the rebuilt column');
  assert.deepEqual(storage.pairs.groups(1), {
    groups: [{ group: 'Code', pairs: 1, annotated: 0 }, { group: 'Others', pairs: 2, annotated: 0 }], unassigned: 1,
  });
  storage.close();
});

function pair(i: number, over: Partial<ImportedPair> = {}): ImportedPair {
  return {
    externalId: `q${i}`, query: `Question ${i}`, responseA: `A ${i}`, responseB: `B ${i}`, modelA: 'm1', modelB: 'm2',
    scenario: null, fineScenario: null, unsafe: false, language: null, simulated: false,
    labels: [{ judge: 'human', kind: 'human', preferred: 'A', probabilityA: null }], annotation: null, ...over,
  };
}

test('unassigned pairs: counted, filtered, in no group; a hand correction sets scenario and safety and is marked', () => {
  const storage = new Storage(tempDb());
  const { studyId } = storage.studies.insertBatch({ name: 's' }, {
    format: 'arena', dropped: [],
    pairs: [pair(1), pair(2), pair(3, { scenario: 'Advice', fineScenario: 'seeking-advice' }), pair(4, { unsafe: true })],
  }, { fileName: 'f', sha256: 'h' });
  assert.equal(storage.pairs.facets(studyId).unassigned, 3);
  assert.deepEqual(storage.pairs.queryPairs({ studyId, unassigned: true, offset: 0, limit: 10 }).rows.map((r) => r.externalId), ['q1', 'q2', 'q4']);
  assert.deepEqual(storage.pairs.groups(studyId), {
    groups: [{ group: 'Advice', pairs: 1, annotated: 0 }, { group: 'Unsafe Queries', pairs: 1, annotated: 0 }], unassigned: 2,
  });
  const q1 = storage.pairs.queryPairs({ studyId, search: 'Question 1', offset: 0, limit: 1 }).rows[0].id;
  storage.pairs.setScenario({ pairId: q1, scenario: 'code-generation', unsafe: false });
  const detail = storage.pairs.pair(q1);
  assert.deepEqual([detail.scenario, detail.fineScenario, detail.unsafe, detail.scenarioByHand], ['Code', 'code-generation', false, true]);
  assert.throws(() => storage.pairs.setScenario({ pairId: q1, scenario: 'Cooking', unsafe: false }), /"Cooking" is not a scenario/);
  assert.equal(storage.pairs.pair(q1).scenario, 'Code', 'a refused correction changes nothing');
  storage.close();
});
