// The import from file to database: written in chunks inside one transaction, unseen until it commits, rolled back
// whole by an error in any chunk, searchable once in; the upload's base64 decoded a chunk at a time.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Storage } from '../../storage';
import { createStudio } from '../../studio';
import { base64Input, bytesInput, type ImportInput } from './input';
import { CHUNK_PAIRS, importFile } from './run';
import { fixture, jsonlBytes, rejectsWith } from './testing';

const row = (i: number, extra: Record<string, unknown> = {}) => ({ prompt: `question ${i} about volcanoes`, response_a: `a${i}`, response_b: `b${i}`, winner: i % 2 ? 'A' : 'B', ...extra });

describe('importing a file into the database', () => {
  let dir: string;
  let storage: Storage;
  let counts: () => Record<string, number>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ps-import-run-'));
    storage = new Storage(join(dir, 'db.sqlite'));
    const tables = (storage.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    counts = () => Object.fromEntries(tables.map((t) => [t, (storage.db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]));
  });
  after(() => {
    storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes pairs in chunks that nobody else sees before the end, and keeps exact counts', async () => {
    const n = 2 * CHUNK_PAIRS + 345;
    const rows = Array.from({ length: n }, (_, i) => row(i, i % 10 === 0 ? { winner: 'tie' } : {}));
    const input = bytesInput('many.jsonl', jsonlBytes(rows));
    // Look at the database from the app's own connection while the import is between chunks.
    const seen: number[] = [];
    const watched: ImportInput = {
      ...input,
      async *chunks() {
        // Small pieces, so that the import is still under way between them.
        for await (const chunk of input.chunks()) {
          for (let i = 0; i < chunk.length; i += 4096) {
            seen.push(storage.studies.listStudies().length);
            yield chunk.subarray(i, i + 4096);
          }
        }
      },
    };
    const report = await importFile(storage.studies, { studyName: 'Many', input: watched });
    assert.ok(seen.length > 2);
    assert.deepEqual([...new Set(seen)], [0], 'no study is visible before the import commits');
    assert.equal(report.kept, n - Math.ceil(n / 10));
    assert.deepEqual(report.dropped, [{ reason: 'tie', count: Math.ceil(n / 10) }]);
    assert.equal(storage.studies.listStudies().find((s) => s.name === 'Many')?.pairCount, report.kept);
    const source = storage.db.prepare('SELECT kept, dropped_json FROM source_files WHERE file_name = ?').get('many.jsonl') as { kept: number; dropped_json: string };
    assert.deepEqual([source.kept, JSON.parse(source.dropped_json)], [report.kept, report.dropped]);
  });

  it('finds the imported text in search, and pairs inserted later too (the search trigger is back)', async () => {
    const studyId = storage.studies.studyIdByName('Many')!;
    assert.equal(storage.pairs.queryPairs({ studyId, search: 'question 2001', offset: 0, limit: 10 }).rows.length, 1);
    storage.studies.insertBatch({ name: 'Later' }, { format: 'generic', pairs: [{
      externalId: 'later', query: 'a later query about geysers', responseA: 'a', responseB: 'b', modelA: 'm', modelB: 'n', scenario: 'Others',
      fineScenario: null, unsafe: false, language: null, simulated: false, labels: [], annotation: null,
    }], dropped: [] }, { fileName: 'later', sha256: 'later' });
    assert.equal(storage.pairs.queryPairs({ studyId: storage.studies.studyIdByName('Later')!, search: 'geysers', offset: 0, limit: 10 }).rows.length, 1);
  });

  it('leaves nothing written when a record after the first chunks is bad', async () => {
    const before = counts();
    const rows = Array.from({ length: 3 * CHUNK_PAIRS }, (_, i) => row(i + 10_000, i === 2 * CHUNK_PAIRS + 7 ? { winner: 'C' } : {}));
    await rejectsWith(importFile(storage.studies, { studyName: 'Broken', input: bytesInput('broken.jsonl', jsonlBytes(rows)) }),
      { line: 2 * CHUNK_PAIRS + 8, field: 'winner' }, /expected A, B, model_a, model_b or tie, found "C"/);
    await rejectsWith(importFile(storage.studies, { studyName: 'Many', input: bytesInput('broken.jsonl', jsonlBytes(rows)) }),
      { line: 2 * CHUNK_PAIRS + 8, field: 'winner' }, /found "C"/);
    assert.deepEqual(counts(), before);
  });

  it('refuses a file too big by its size alone, without reading it', async () => {
    const huge: ImportInput = { name: 'huge.jsonl', size: 600 * 2 ** 20, chunks: () => { throw new Error('read'); }, asyncBuffer: () => { throw new Error('read'); } };
    await rejectsWith(importFile(storage.studies, { studyName: 'Huge', input: huge }), { file: 'huge.jsonl' }, /the file is 600 MiB; at most 512 MiB/);
  });

  it('takes judges named like Object\'s own properties ("constructor", "__proto__") as any other', async () => {
    const rows = [{ query: 'q', response_1: { content: 'a' }, response_2: { content: 'b' }, preference_labels: JSON.parse('{"human": "response_1", "constructor": "response_2", "__proto__": "response_1"}') }];
    const text = `${JSON.stringify(rows[0]).replace('"preference_labels":{', '"preference_labels":{"__proto__":"response_1",')}\n`;
    const report = await importFile(storage.studies, { studyName: 'Odd judges', input: bytesInput('odd.jsonl', new TextEncoder().encode(text)) });
    assert.deepEqual(report.judges.map((j) => j.name), ['__proto__', 'constructor', 'human']);
    const sizes = storage.db.prepare("SELECT name, size_billion FROM judges WHERE name IN ('constructor', '__proto__') ORDER BY name").all();
    assert.deepEqual(sizes, [{ name: '__proto__', size_billion: null }, { name: 'constructor', size_billion: null }]);
  });

  it('reports the new pairs without a scenario, and the values read otherwise than written', async () => {
    const rows = JSON.parse(new TextDecoder().decode(fixture('paper-sample.json'))) as Record<string, unknown>[];
    // Two of the four without any scenario; one rating the authors' code reads as 0.
    for (const r of rows.slice(2)) {
      delete r.scenario_group;
      delete r['scenario_auto-j'];
    }
    (rows[0].basic_response_1 as Record<string, unknown>).polite = 7;
    const first = await importFile(storage.studies, { studyName: 'Scenarios', input: bytesInput('paper.jsonl', jsonlBytes(rows.slice(0, 3))) });
    assert.deepEqual([first.added, first.unassigned], [3, 1]);
    assert.deepEqual(first.notes, [{ note: 'rating 7 read as 0, as the authors\' code does', count: 1 }]);
    // Pairs already in the study are not new: only the one added now is counted.
    const again = await importFile(storage.studies, { studyName: 'Scenarios', input: bytesInput('paper-all.jsonl', jsonlBytes(rows)) });
    assert.deepEqual([again.added, again.matched, again.unassigned], [1, 3, 1]);
  });

  it('decodes an upload\'s base64 a chunk at a time, to the same pairs', async () => {
    const bytes = fixture('arena-sample.jsonl');
    const decoded: Uint8Array[] = [];
    for await (const chunk of base64Input('a.jsonl', Buffer.from(bytes).toString('base64')).chunks()) decoded.push(chunk);
    assert.deepEqual(Buffer.concat(decoded), Buffer.from(bytes));
    assert.equal(base64Input('a.jsonl', Buffer.from(bytes).toString('base64')).size, bytes.length);
    const studio = createStudio({ dataDir: join(dir, 'studio'), transport: 'browser', version: 't', demoOnFirstStart: false, samplerWorkerUrl: '' });
    try {
      const reply = await studio.dispatch('import.file', { studyName: 'Upload', fileName: 'arena-sample.parquet', dataBase64: Buffer.from(fixture('arena-sample.parquet')).toString('base64') });
      assert.ok(reply.ok, JSON.stringify(reply));
      assert.equal((reply.res as { kept: number }).kept, 8);
    } finally {
      await studio.close();
    }
  });
});
