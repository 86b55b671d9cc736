// The command line with real data: a table mapped with --map and --judge, the report saying what was matched and
// added, and `export pairs` whose file imports into a new study and exports again the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'ps-cli-labels-'));
const db = join(dir, 'cli.sqlite');
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/preference-studio.js', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('--map reads a table the app does not know, --judge and --judge-kind say whose votes they are', () => {
  const unknown = cli('import', 'e2e/fixtures/unknown-layout.csv', '--study', 'Mapped', '--db', db);
  assert.equal(unknown.code, 1);
  assert.match(unknown.err, /cannot tell the format .* or map the columns/);
  const noKind = cli('import', 'e2e/fixtures/unknown-layout.csv', '--study', 'Mapped', '--db', db, '--map', 'query=question,response_a=answer_1,response_b=answer_2,winner=choice', '--judge', 'gpt4_judge');
  assert.equal(noKind.code, 1);
  assert.match(noKind.err, /say whether the judge "gpt4_judge" is human or an LLM/);
  const ok = cli('import', 'e2e/fixtures/unknown-layout.csv', '--study', 'Mapped', '--db', db,
    '--map', 'query=question,response_a=answer_1,response_b=answer_2,model_a=generator_1,model_b=generator_2,winner=choice',
    '--judge', 'gpt4_judge', '--judge-kind', 'llm');
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /Imported 2 pairs into "Mapped" \(generic format\): 2 new; 0 annotated\./);
  assert.match(ok.out, /Judges: gpt4_judge \(LLM\)\./);
  assert.match(ok.out, /Dropped rows: 1 tie\./);

  // Another judge's votes on the same pairs, sides swapped: matched, not refused.
  const other = join(dir, 'human-votes.csv');
  writeFileSync(other, 'question,answer_1,answer_2,choice\nName a prime number.,8,7,2\nSay hello in French.,Bonjour,Hola,2\n');
  const matched = cli('import', other, '--study', 'Mapped', '--db', db, '--map', 'query=question,response_a=answer_1,response_b=answer_2,winner=choice');
  assert.equal(matched.code, 0, matched.err);
  assert.match(matched.out, /: 0 new, 2 matched pairs already in the study, 2 of them with the responses swapped \(labels flipped\)/);
  assert.match(matched.out, /Labels: 2 added\./);
});

test('export pairs writes JSONL or CSV; imported into a new study and exported again, the file is the same', () => {
  for (const format of ['jsonl', 'csv']) {
    const first = join(dir, `first.${format}`);
    const wrote = cli('export', 'pairs', '--study', 'Mapped', '--format', format, '--out', first, '--db', db);
    assert.equal(wrote.code, 0, wrote.err);
    assert.match(wrote.out, new RegExp(`Wrote 2 pairs of "Mapped" to ${first.replace(/[.]/g, '\\.')}`));
    const back = cli('import', first, '--study', `Back ${format}`, '--db', db);
    assert.equal(back.code, 0, back.err);
    assert.match(back.out, /\(pairs format\): 2 new/);
    const again = cli('export', 'pairs', '--study', `Back ${format}`, '--format', format, '--db', db);
    assert.equal(again.code, 0, again.err);
    assert.equal(again.out, readFileSync(first, 'utf8'));
  }
  const jsonl = readFileSync(join(dir, 'first.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { query: string; labels: unknown[] });
  const prime = jsonl.find((r) => r.query === 'Name a prime number.')!;
  assert.deepEqual(prime.labels, [
    { judge: 'gpt4_judge', kind: 'llm', preferred: 'A', probability_a: null },
    { judge: 'human', kind: 'human', preferred: 'A', probability_a: null },
  ]);
  const bad = cli('export', 'pairs', '--study', 'Mapped', '--format', 'xml', '--db', db);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--format must be jsonl or csv for pairs/);
});
