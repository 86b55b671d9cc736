// Column mappings: a table the app does not know, read through the columns the user names, remembered per header.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Storage } from '../../storage';
import { createStudio, type Studio } from '../../studio';
import type { Req, Res } from '../../../../preload/contract';
import { mappingFromArgs } from './mapping';

const CSV = 'task,answer_1,answer_2,system_1,system_2,vote,rater\n'
  + 'Say hi,hi,hello,m1,m2,1,gpt4_judge\nSay bye,bye,ciao,m1,m2,2,gpt4_judge\nTie please,x,y,m1,m2,tie,gpt4_judge\n';

describe('column mapping', () => {
  let dir: string;
  let studio: Studio;
  let storage: Storage;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ps-mapping-'));
    studio = createStudio({ dataDir: dir, transport: 'browser', version: 't', demoOnFirstStart: false, samplerWorkerUrl: '' });
    storage = studio.storage;
  });
  after(async () => {
    await studio.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const dispatch = async <C extends 'import.preview' | 'import.file'>(channel: C, req: Req<C>) =>
    studio.dispatch(channel, req) as Promise<{ ok: true; res: Res<C> } | { ok: false; error: { message: string } }>;

  it('reads --map, --judge and --judge-kind as the command line gives them, and refuses what it cannot', () => {
    assert.deepEqual(mappingFromArgs('query=task,response_a=answer_1,response_b=answer_2,winner=vote', 'gpt4', 'llm'), {
      votes: [], query: 'task', responseA: 'answer_1', responseB: 'answer_2', winner: 'vote', judge: 'gpt4', judgeKind: 'llm',
    });
    assert.deepEqual(mappingFromArgs('query=q,response_a=a,response_b=b,judge:claude=c', undefined, 'llm').votes, [{ column: 'c', judge: 'claude', kind: 'llm' }]);
    assert.throws(() => mappingFromArgs('query=q,answer=a', undefined, undefined), /unknown target "answer"/);
    assert.throws(() => mappingFromArgs('query=q,response_a=a,response_b=b,judge:claude=c', undefined, undefined), /--judge-kind/);
    assert.throws(() => mappingFromArgs('query', undefined, undefined), /target=column/);
  });

  it('imports a table through a mapping with the judge and kind given, refuses a mapping naming missing columns, and remembers the mapping per header', async () => {
    const dataBase64 = Buffer.from(CSV).toString('base64');
    const before = await dispatch('import.preview', { fileName: 'alpaca.csv', dataBase64 });
    assert.ok(before.ok);
    assert.deepEqual([before.res.format, before.res.saved, before.res.columns.length, before.res.rows[0][0]], [null, null, 7, 'Say hi']);
    assert.match(before.res.unknownReason!, /cannot tell the format/);

    const mapping = { query: 'task', responseA: 'answer_1', responseB: 'answer_2', modelA: 'system_1', modelB: 'system_2', winner: 'vote', judgeColumn: 'rater', judgeKind: 'llm' as const };
    const wrong = await dispatch('import.file', { studyName: 'Mapped', fileName: 'alpaca.csv', dataBase64, mapping: { ...mapping, scenario: 'dataset' } });
    assert.ok(!wrong.ok);
    assert.match(wrong.error.message, /alpaca\.csv, line 1: the mapping names column the file does not have: "dataset" \(scenario\)/);
    assert.equal(storage.studies.studyIdByName('Mapped'), null);

    const done = await dispatch('import.file', { studyName: 'Mapped', fileName: 'alpaca.csv', dataBase64, mapping });
    assert.ok(done.ok, JSON.stringify(done));
    assert.deepEqual([done.res.added, done.res.dropped, done.res.judges], [2, [{ reason: 'tie', count: 1 }], [{ name: 'gpt4_judge', kind: 'llm' }]]);
    const labels = storage.db.prepare("SELECT p.query, l.preferred FROM labels l JOIN pairs p ON p.id = l.pair_id ORDER BY p.query").all();
    assert.deepEqual(labels.map((l) => Object.values(l as object)), [['Say bye', 'B'], ['Say hi', 'A']]);

    // Another file with the same columns in another order finds the mapping again.
    const reordered = 'rater,vote,task,answer_1,answer_2,system_1,system_2\ngpt4_judge,1,Q,a,b,m,n\n';
    const after = await dispatch('import.preview', { fileName: 'more.csv', dataBase64: Buffer.from(reordered).toString('base64') });
    assert.ok(after.ok);
    assert.deepEqual(after.res.saved, mapping);
  });

  it('reads the preview from the start of a file cut within a record', async () => {
    const cut = CSV.slice(0, CSV.indexOf('Tie please') + 5);
    const r = await dispatch('import.preview', { fileName: 'cut.csv', dataBase64: Buffer.from(cut).toString('base64') });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.res.rows.length, 2);
  });

  it("reads the table's own words for a vote (left, right, same) and refuses one word for two outcomes", async () => {
    const table = 'ask,left,right,verdict\nQ1,a1,b1,Left\nQ2,a2,b2,right\nQ3,a3,b3,same\n';
    const dataBase64 = Buffer.from(table).toString('base64');
    const base = { query: 'ask', responseA: 'left', responseB: 'right', winner: 'verdict' };
    const without = await dispatch('import.file', { studyName: 'Words', fileName: 'words.csv', dataBase64, mapping: base });
    assert.ok(!without.ok);
    assert.match(without.error.message, /words\.csv, line 2, field "verdict": expected A, B, model_a, model_b, 1, 2 or tie, found "Left"/);
    const same = await dispatch('import.file', { studyName: 'Words', fileName: 'words.csv', dataBase64, mapping: { ...base, voteWords: { a: 'left', b: 'Left' } } });
    assert.ok(!same.ok);
    assert.match(same.error.message, /the words for A, B and a tie must differ/);
    assert.equal(storage.studies.studyIdByName('Words'), null);
    const done = await dispatch('import.file', { studyName: 'Words', fileName: 'words.csv', dataBase64, mapping: { ...base, voteWords: { a: 'left', b: 'RIGHT', tie: 'same' } } });
    assert.ok(done.ok, JSON.stringify(done));
    assert.deepEqual([done.res.added, done.res.dropped], [2, [{ reason: 'tie', count: 1 }]]);
    const labels = storage.db.prepare("SELECT p.query, l.preferred FROM labels l JOIN pairs p ON p.id = l.pair_id WHERE p.query LIKE 'Q%' ORDER BY p.query").all();
    assert.deepEqual(labels.map((l) => Object.values(l as object)), [['Q1', 'A'], ['Q2', 'B']]);
    assert.deepEqual(mappingFromArgs('query=ask,response_a=left,response_b=right,winner=verdict,vote_a=left,vote_b=right', undefined, undefined).voteWords, { a: 'left', b: 'right' });
  });
});
