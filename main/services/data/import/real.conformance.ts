// Conformance with the real public files in ../shared/data/real (never copied into the project): every file is
// imported as it is (related files together) and checked against a manifest of expected outcomes counted from the
// sources with jq, and pair by pair against the source text read here with plain JSON.parse. Skipped, with the
// reason, where the folder is absent. Run: npm run test:real.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseImportFile, parseImportFiles } from './index';
import type { ImportBatch, ImportedPair } from './types';

const REAL = fileURLToPath(new URL('../../../../../shared/data/real/', import.meta.url));
const skip = existsSync(REAL) ? false : `the real data folder ${REAL} is absent (it sits beside the clone, as in CI)`;

const bytes = (path: string) => new Uint8Array(readFileSync(REAL + path));
const name = (path: string) => path.split('/').pop()!;
const importOne = (path: string) => parseImportFile(name(path), bytes(path));
const importSet = (paths: string[]) => parseImportFiles(paths.map((p) => ({ name: name(p), bytes: bytes(p) })));
const jsonLines = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const judgesOf = (batch: ImportBatch) => [...new Set(batch.pairs.flatMap((p) => p.labels.map((l) => `${l.judge} (${l.kind})`)))].sort();
const preferredText = (p: ImportedPair, i = 0) => (p.labels[i].preferred === 'A' ? p.responseA : p.responseB);

/** Expected outcomes, counted from the sources with jq (see the comment by each). */
const ALPACA = [
  // jq '[.[]|select(.preference==0 or .preference==1.5)]|length'; A: preference < 1.5; B: > 1.5
  { file: 'alpaca-eval/alpaca-7b__alpaca_eval_gpt4.json', judge: 'alpaca_eval_gpt4', kept: 789, ties: 16, a: 584, weighted: false },
  { file: 'alpaca-eval/Ein-70B-v0.1__alpaca_eval_gpt4_turbo_fn.json', judge: 'alpaca_eval_gpt4_turbo_fn', kept: 803, ties: 2, a: 604, weighted: false },
  { file: 'alpaca-eval/text_davinci_003__weighted_alpaca_eval_gpt4_turbo.json', judge: 'weighted_alpaca_eval_gpt4_turbo', kept: 801, ties: 4, a: 787, weighted: true },
];

describe('real public preference files import as they are', { skip }, () => {
  for (const m of ALPACA) {
    it(`alpaca_eval: ${name(m.file)}`, async () => {
      const batch = await importOne(m.file);
      assert.equal(batch.format, 'alpaca-eval');
      assert.equal(batch.pairs.length, m.kept);
      assert.deepEqual(batch.dropped, [{ reason: 'tie', count: m.ties }]);
      assert.deepEqual(judgesOf(batch), [`${m.judge} (llm)`]);
      assert.equal(batch.pairs.filter((p) => p.labels[0].preferred === 'A').length, m.a);
      const rows = (JSON.parse(readFileSync(REAL + m.file, 'utf8')) as Record<string, unknown>[])
        .filter((r) => r.preference !== 0 && r.preference !== 1.5);
      rows.forEach((r, i) => {
        const p = batch.pairs[i];
        assert.deepEqual([p.query, p.responseA, p.responseB, p.modelA, p.modelB], [r.instruction, r.output_1, r.output_2, r.generator_1, r.generator_2]);
        assert.equal(p.labels[0].probabilityA, m.weighted ? 2 - (r.preference as number) : null);
        assert.equal(p.scenario, null);
      });
    });
  }

  it('Auto-J pairwise test data', async () => {
    const batch = await importOne('auto-j/testdata_pairwise.jsonl');
    // jq -s '[.[]|select(.label==0)]|length' -> 520, label 1 -> 499, label 2 -> 373; 58 scenarios.
    assert.equal(batch.format, 'auto-j');
    assert.equal(batch.pairs.length, 1019);
    assert.deepEqual(batch.dropped, [{ reason: 'tie', count: 373 }]);
    assert.deepEqual(judgesOf(batch), ['Auto-J annotators (human)']);
    const rows = jsonLines(readFileSync(REAL + 'auto-j/testdata_pairwise.jsonl', 'utf8')).filter((r) => r.label !== 2);
    rows.forEach((r, i) => {
      const p = batch.pairs[i];
      assert.equal(p.query, r.prompt);
      assert.equal(preferredText(p), r.label === 0 ? r['response 1'] : r['response 2']);
    });
    // Table 8: every fine scenario lands in one of the 10, "others" in Others.
    assert.equal(new Set(batch.pairs.map((p) => p.fineScenario ?? p.scenario)).size, 58);
    assert.deepEqual(batch.pairs.filter((p) => rows[batch.pairs.indexOf(p)].scenario === 'post_summarization').map((p) => p.scenario)[0], 'NLP Tasks');
    assert.ok(batch.pairs.every((p) => p.scenario !== null));
  });

  it('PRD LFQA expert preferences: one pair per triple, a label per expert', async () => {
    const batch = await importOne('prd-lfqa/experts_pairwise_human_preferences.jsonl');
    // jq -s 'group_by([.question,.answer_a,.answer_b])|map(length)' -> 60 triples once, 40 twice, 40 three times.
    assert.equal(batch.format, 'prd');
    assert.equal(batch.pairs.length, 140);
    assert.deepEqual(batch.dropped, []);
    assert.deepEqual(batch.pairs.map((p) => p.labels.length).sort().join(''), `${'1'.repeat(60)}${'2'.repeat(40)}${'3'.repeat(40)}`);
    assert.deepEqual(judgesOf(batch), ['expert 1 (human)', 'expert 2 (human)', 'expert 3 (human)']);
    // jq: 140 rows say -1 (answer_a), 120 say 1.
    const labels = batch.pairs.flatMap((p) => p.labels);
    assert.equal(labels.filter((l) => l.preferred === 'A').length, 140);
    assert.equal(labels.filter((l) => l.preferred === 'B').length, 120);
  });

  it('hh-rlhf harmless-base (gzip): single-turn kept, the chosen reply on both sides', async () => {
    const batch = await importOne('hh-rlhf/harmless-base-test.jsonl.gz');
    // Counted with node: 662 rows with one Human turn in both transcripts, one of them (line 1951) with different
    // contexts; 1650 multi-turn.
    assert.equal(batch.format, 'hh-rlhf');
    assert.equal(batch.pairs.length, 661);
    assert.deepEqual(batch.dropped, [{ reason: 'multi-turn conversation', count: 1650 }, { reason: 'the two transcripts differ before the last reply', count: 1 }]);
    assert.deepEqual(judgesOf(batch), ['hh-rlhf crowdworkers (human)']);
    const chosen = new Set(jsonLines(gunzipSync(readFileSync(REAL + 'hh-rlhf/harmless-base-test.jsonl.gz')).toString('utf8'))
      .map((r) => (r.chosen as string).slice((r.chosen as string).lastIndexOf('\n\nAssistant:') + 12).trim()));
    for (const p of batch.pairs) assert.ok(chosen.has(preferredText(p)), `${p.externalId}: the preferred reply is a chosen one`);
    const a = batch.pairs.filter((p) => p.labels[0].preferred === 'A').length;
    assert.ok(a > 0.4 * 661 && a < 0.6 * 661, `chosen on A ${a} of 661`);
  });

  it('the paper\'s raw pairs, with reference answers', async () => {
    const batch = await importOne('gair-preference-dissection/sample_unannotated.jsonl');
    const rows = jsonLines(readFileSync(REAL + 'gair-preference-dissection/sample_unannotated.jsonl', 'utf8'));
    assert.equal(batch.format, 'paper-raw');
    assert.deepEqual(batch.pairs.map((p) => [p.externalId, p.scenario, p.fineScenario, p.unsafe, p.labels[0].preferred]),
      [['0', 'Functional Writing', null, false, 'B'], ['1', 'Others', 'default', false, 'B']]);
    batch.pairs.forEach((p, i) => {
      assert.deepEqual([p.query, p.responseA, p.responseB, p.reference], [rows[i].prompt, rows[i].response_a, rows[i].response_b, rows[i].gpt4_ref_output]);
    });
    assert.deepEqual(judgesOf(batch), ['human (human)']);
  });

  it('the paper\'s companion files are refused alone, naming the file they belong with', async () => {
    for (const file of ['example_preference_labels.json', 'query_aware_idxs.json']) {
      await assert.rejects(importOne(`gair-preference-dissection/${file}`), { message: new RegExp(`^${file.replace('.', '\\.')}: .*chatbot_arena_no-tie_group_balanced_resolved\\.jsonl: it holds no texts and cannot be imported alone$`) });
    }
  });

  it('MT-bench: the judgment file with the questions and both models\' answers', async () => {
    const m = 'fastchat-mt-bench/';
    const batch = await importSet([`${m}model_judgment__gpt-4_pair.jsonl`, `${m}question.jsonl`, `${m}model_answer__phi-3.jsonl`, `${m}model_answer__phi-3-dpo.jsonl`]);
    // jq '[.g1_winner,.g2_winner]': 18 model_1 twice, 20 model_2 twice, 8 tie twice, 2 with an error, 27 disagreeing.
    assert.equal(batch.format, 'mt-bench');
    assert.equal(batch.pairs.length, 38);
    assert.deepEqual(batch.dropped, [{ reason: 'tie', count: 8 }, { reason: 'tie (the two orders disagree)', count: 27 }, { reason: 'no verdict (judge error)', count: 2 }]);
    assert.deepEqual(judgesOf(batch), ['gpt-4 (llm)']);
    assert.equal(batch.pairs.filter((p) => p.labels[0].preferred === 'A').length, 18);
    const questions = new Map(jsonLines(readFileSync(`${REAL}${m}question.jsonl`, 'utf8')).map((q) => [q.question_id, (q.turns as string[])[0]]));
    const answers = new Map(jsonLines(readFileSync(`${REAL}${m}model_answer__phi-3.jsonl`, 'utf8')).map((a) => [String(a.question_id), (a.choices as { turns: string[] }[])[0].turns[0]]));
    for (const p of batch.pairs) {
      const qid = p.externalId.split(':')[0];
      assert.equal(p.query, questions.get(Number(qid)));
      assert.equal(p.modelA, 'phi-3');
      assert.equal(p.responseA, answers.get(qid));
    }
  });

  it('MT-bench and arena-hard questions with two models\' answers: unlabelled pairs for a judge job', async () => {
    const m = 'fastchat-mt-bench/';
    const mt = await importSet([`${m}question.jsonl`, `${m}model_answer__phi-3.jsonl`, `${m}model_answer__phi-3-dpo.jsonl`]);
    assert.equal(mt.pairs.length, 80);
    const a = 'arena-hard-auto/';
    const ah = await importSet([`${a}question.jsonl`, `${a}model_answer__gpt-4-0314.jsonl`, `${a}model_answer__gpt-3.5-turbo-0125.jsonl`]);
    assert.equal(ah.format, 'arena-hard');
    assert.equal(ah.pairs.length, 500);
    assert.deepEqual(ah.dropped, []);
    assert.ok(ah.pairs.every((p) => p.labels.length === 0 && p.scenario === null));
    const prompts = new Map(jsonLines(readFileSync(`${REAL}${a}question.jsonl`, 'utf8')).map((q) => [q.uid, q.prompt]));
    for (const p of ah.pairs) assert.equal(p.query, prompts.get(p.externalId.split(':')[0]));
    const onA = ah.pairs.filter((p) => p.modelA === 'gpt-4-0314').length;
    assert.ok(onA > 200 && onA < 300, `gpt-4-0314 on side A in ${onA} of 500`);
  });
});
