import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNELS, type Channel, type Req } from '../../preload/contract';
import schema from '../../preload/contract.schema.json';
import { requestProblem } from './validator';
import { createStudio } from './studio';
import { MAX_IMPORT_BYTES } from './data/import';
import { defaultWorkerUrl } from '../../native-workers/worker-path';

type Schema = { [keyword: string]: unknown };
const definitions = schema.definitions as unknown as Record<string, Schema>;

function resolve(s: Schema): Schema {
  return typeof s.$ref === 'string' ? resolve(definitions[s.$ref.slice(s.$ref.lastIndexOf('/') + 1)]) : s;
}

const reqSchema = (channel: Channel) => resolve((definitions.Contract.properties as Record<string, Schema>)[channel].properties as Schema).req as Schema;

/** The smallest request a schema allows: required fields only, each at its lower bound. */
function sample(raw: Schema): unknown {
  const s = resolve(raw);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (Array.isArray(s.anyOf)) return sample(s.anyOf[0] as Schema);
  // A union told apart by a field (InsightTable): its first branch.
  if (Array.isArray(s.allOf)) return sample((s.allOf[0] as { then: Schema }).then);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, Schema>;
      return Object.fromEntries(((s.required ?? []) as string[]).map((k) => [k, sample(properties[k])]));
    }
    case 'array': return [];
    case 'string': return 'a';
    case 'integer': case 'number': return (s.minimum as number | undefined) ?? 1;
    case 'boolean': return true;
    case 'null': return null;
    default: throw new Error(`No sample for ${JSON.stringify(s)}`);
  }
}

test('every channel has a request schema, and its smallest request passes', () => {
  for (const channel of CHANNELS) assert.equal(requestProblem(channel, sample(reqSchema(channel))), null, channel);
});

test('every channel refuses a missing field, a wrong type, an extra field and an out-of-bound value, naming the field', () => {
  let bounds = 0;
  let missing = 0;
  for (const channel of CHANNELS) {
    const valid = sample(reqSchema(channel)) as Record<string, unknown>;
    const properties = (reqSchema(channel).properties ?? {}) as Record<string, Schema>;
    assert.equal(requestProblem(channel, 5), `${channel}: the request must be an object, not a number.`);
    assert.equal(requestProblem(channel, { ...valid, notAField: 1 }), `${channel}: notAField is not part of this call.`);
    for (const field of Object.keys(valid)) {
      const { [field]: _dropped, ...without } = valid;
      assert.equal(requestProblem(channel, without), `${channel}: ${field} is missing.`);
      missing++;
      // A value of another kind than the field takes: the first of these the schema refuses.
      const wrong = [{ x: 1 }, 5, 'text', [1]].find((v) => requestProblem(channel, { ...valid, [field]: v }) !== null);
      assert.ok(wrong !== undefined, `${channel}.${field} takes anything`);
      assert.match(requestProblem(channel, { ...valid, [field]: wrong })!, new RegExp(`^${channel.replace('.', '\\.')}: ${field}(\\.|\\[| )`));
    }
    for (const [field, raw] of Object.entries(properties)) {
      const s = resolve(raw);
      const over = (value: unknown, words: string) => {
        const problem = requestProblem(channel, { ...valid, [field]: value });
        assert.ok(problem?.startsWith(`${channel}: ${field} must be ${words}`), `${channel}.${field}: ${problem}`);
        bounds++;
      };
      if (typeof s.maximum === 'number') over(s.maximum + 1, `at most ${s.maximum}`);
      if (typeof s.minimum === 'number') over(s.minimum - 1, `at least ${s.minimum}`);
      if (s.type === 'integer') over((s.minimum as number) + 0.5, 'a whole number');
      if (typeof s.maxLength === 'number' && s.maxLength <= 100_000) over('x'.repeat(s.maxLength + 1), `at most ${s.maxLength} characters long`);
    }
  }
  // The walk reached the fields (not a schema that lost them all).
  assert.ok(missing > 80, `${missing} required fields`);
  assert.ok(bounds > 100, `${bounds} bounds`);
});

test('the sentences name the call and the field in users\' words', () => {
  const query = { studyId: 1, offset: 0, limit: 200 };
  assert.equal(requestProblem('pairs.query', query), null);
  assert.equal(requestProblem('pairs.query', { ...query, limit: 1e9 }), 'pairs.query: limit must be at most 1000 (got 1000000000).');
  assert.equal(requestProblem('pairs.query', { ...query, search: 5 }), 'pairs.query: search must be text, not a number.');
  assert.equal(requestProblem('pairs.query', { ...query, studyId: Number.NaN }), 'pairs.query: studyId must be a whole number (got NaN).');
  assert.equal(requestProblem('review.verdict', { pairId: 1, itemKey: 'basic:A:clear', verdict: 'approve' }), 'review.verdict: checkerId is missing.');
  assert.equal(
    requestProblem('review.verdict', { checkerId: 1, pairId: 1, itemKey: 'basic:A:clear', verdict: 'maybe' }),
    'review.verdict: verdict must be "approve", "reject", "correct" or null (got "maybe").',
  );
  assert.equal(requestProblem('dissect.fit', { studyId: 1, judge: 'human', groups: [], settings: { priorScale: 'big' } }), 'dissect.fit: settings.priorScale must be a number or "auto" (got "big").');
  assert.equal(requestProblem('insight.effects', { studyId: 1, judges: [{ source: 'web', name: 'x' }] }), 'insight.effects: judges[0].source must be one of "study", "paper" (got "web").');
  assert.equal(requestProblem('insight.table', { spec: { table: 'accuracy', studyId: 1, judges: [] }, format: 'csv' }), 'insight.table: spec.judges is not part of this call.');
  assert.equal(requestProblem('insight.fileName', { parts: ['chart'], extension: '../x' }), 'insight.fileName: extension must be a file extension: lower-case letters and digits, at most 8 (got "../x").');
  assert.equal(requestProblem('app.info', { x: 1 }), 'app.info: x is not part of this call.');
  assert.equal(requestProblem('pairs.query', JSON.parse('{"studyId":1,"offset":0,"limit":1,"__proto__":{"limit":5}}')), 'pairs.query: __proto__ is not part of this call.');
});

test('requests the app sends pass as they are', () => {
  const requests: { [C in Channel]?: Req<C> } = {
    'app.info': {},
    'pairs.query': { studyId: 1, scenario: 'Advice', annotated: true, search: 'café', offset: 50, limit: 50 },
    'review.verdict': { checkerId: 2, pairId: 9, itemKey: 'basic:A:clear', verdict: 'correct', correctedValue: '2', comment: null, cursor: { position: 3, itemKey: null } },
    'review.cursor': { checkerId: 2, position: 0, itemKey: 'prereq:clear intent' },
    'review.createRound': { studyId: 1, name: '', size: 50, strategy: 'random', seed: 1, checkers: ['ana', 'ben'], blind: true },
    'dissect.fit': { studyId: 1, judge: 'human', groups: ['Advice'], settings: { chains: 2, warmup: 150, draws: 200, folds: 2, priorScale: 'auto', seed: 1, integrator: 'leapfrog' } },
    'insight.table': { spec: { table: 'pelo', studyId: 1, judge: 'human', property: 'harmless', bootstrap: 100, seed: 7 }, format: 'latex' },
    'annotate.start': { studyId: 1, kind: 'judge', scope: 'all', mode: 'batch', costCap: 2.5, limit: 10, judge: 'gpt' },
    'annotate.resume': { jobId: 3, costCap: null },
    'annotate.items': { jobId: 3, status: 'failed', offset: 0, limit: 200 },
    'import.file': { studyName: 'Mine', fileName: 'a.jsonl', dataBase64: 'e30K', format: 'generic' },
  };
  for (const [channel, req] of Object.entries(requests)) assert.equal(requestProblem(channel as Channel, req), null, channel);
});

test('an upload is bounded by the import size limit, as base64', () => {
  const dataBase64 = resolve((reqSchema('import.file').properties as Record<string, Schema>).dataBase64);
  assert.equal(dataBase64.maxLength, Math.ceil(MAX_IMPORT_BYTES / 3) * 4);
});

test('dispatch: unknown and inherited names are no calls; a wrong-shaped body never reaches a service', async () => {
  const studio = createStudio({ dataDir: mkdtempSync(join(tmpdir(), 'ps-validator-')), transport: 'browser', version: 'test', samplerWorkerUrl: defaultWorkerUrl() });
  try {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'nope']) {
      assert.deepEqual(await studio.dispatch(name, {}), { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `There is no call named "${name}".` } });
    }
    const studyId = (await studio.dispatch('studies.list', undefined) as { ok: true; res: { id: number }[] }).res[0].id;
    const page = await studio.dispatch('pairs.query', { studyId, offset: 0, limit: 5 });
    assert.ok(page.ok && (page.res as { rows: unknown[] }).rows.length === 5);
    assert.deepEqual(await studio.dispatch('pairs.query', { studyId, offset: 0, limit: 1e9 }), {
      ok: false, error: { code: 'INVALID', message: 'pairs.query: limit must be at most 1000 (got 1000000000).' },
    });
    assert.deepEqual(await studio.dispatch('pairs.query', { studyId, offset: 0, limit: 5, search: 5 }), {
      ok: false, error: { code: 'INVALID', message: 'pairs.query: search must be text, not a number.' },
    });
    // Nothing half-done: a refused rename leaves the study as it was.
    const renamed = await studio.dispatch('studies.rename', { studyId, name: 'x'.repeat(1001) });
    assert.equal(renamed.ok, false);
    assert.equal(!renamed.ok && renamed.error.code, 'INVALID');
    assert.notEqual(studio.storage.studies.study(studyId).name, 'x'.repeat(1001));
  } finally {
    await studio.close();
  }
});
