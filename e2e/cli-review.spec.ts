// `preference-studio agreement` through the real entry point: Table 12 of a review round in each format, one clear
// sentence and exit status 1 or 2 on a mistake.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '../main/services/storage';
import { importBytes } from '../main/services/studio';
import { approveRest, createRound, giveVerdict } from '../main/services/review/review';

const dir = mkdtempSync(join(tmpdir(), 'ps-cli-review-'));
const db = join(dir, 'review.sqlite');
let roundId: number;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/preference-studio.js', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr.trim() };
}
const oneSentence = (text: string) => assert.equal(text.split('\n').length, 1, `one line on stderr, got:\n${text}`);

/** One checker, ana, rejects "friendly" of response A on each of the three fixture pairs and approves the rest. */
before(async () => {
  const storage = new Storage(db);
  const { studyId } = await importBytes(storage, { studyName: 'Fixture', fileName: 'review-round.json', bytes: readFileSync('e2e/fixtures/review-round.json') });
  const round = createRound(storage, { studyId, size: 3, strategy: 'random', seed: 7, checkers: ['ana'], blind: true });
  roundId = round.id;
  const ana = round.checkers[0].id;
  for (const pairId of storage.review.roundPairIds(round.id)) {
    giveVerdict(storage, { checkerId: ana, pairId, itemKey: 'basic:A:friendly', verdict: 'reject' });
    approveRest(storage, { checkerId: ana, pairId });
  }
  storage.close();
});

test('agreement prints Table 12 as CSV by default, worked out by hand', () => {
  const r = cli('agreement', '--round', String(roundId), '--db', db);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\r\n');
  assert.equal(lines[0], 'Section,Item,Level,Checker,Agreed,Total,Rate,Wilson 95% low,Wilson 95% high');
  // friendly: 3 of 6 responses. Wilson: centre 0.5; half = 1.959964 / 1.640244 * sqrt(0.25 / 6 + 3.841459 / 144) = 0.312384.
  assert.ok(lines.includes('Basic properties,friendly,response,ana,3,6,0.500,0.188,0.812'), r.out);
  assert.ok(lines.includes('Basic properties,friendly,response,pooled,3,6,0.500,0.188,0.812'));
  // Everything else approved; 120 basic ratings, 3 rejected. Wilson of 6/6: low = 6 / (6 + 3.841459) = 0.610.
  assert.ok(lines.includes('Basic properties,clear,response,ana,6,6,1,0.610,1'));
  assert.ok(lines.includes('Overall,basic properties,response,ana,117,120,0.975,0.929,0.991'));
  // Five applicable error checks; three detected errors.
  assert.ok(lines.includes('Error detection,agreement,error,ana,3,3,1,0.439,1'));
  assert.ok(lines.includes('Error detection,completeness,response,ana,5,5,1,0.566,1'));
  assert.equal(lines.filter((l) => l.includes(',ana,')).length, 39);
});

test('agreement speaks Markdown, LaTeX and JSON', () => {
  const md = cli('agreement', '--round', String(roundId), '--db', db, '--format', 'md');
  assert.equal(md.code, 0, md.err);
  assert.match(md.out, /^\| Section \| Item \| Level \| Checker \|/);
  assert.match(md.out, /\| Basic properties \| friendly \| response \| ana \| 3 \| 6 \| 0\.500 \| 0\.188 \| 0\.812 \|/);
  const latex = cli('agreement', '--round', String(roundId), '--db', db, '--format', 'latex');
  assert.match(latex.out, /\\begin\{tabular\}\{llllrrrrr\}/);
  assert.match(latex.out, /complex word \\& sentence & response & ana & 6 & 6 & 1 & 0\.610 & 1 \\\\/);
  for (const args of [['--format', 'json'], ['--json']]) {
    const json = cli('agreement', '--round', String(roundId), '--db', db, ...args);
    const rows = JSON.parse(json.out) as Record<string, string | number>[];
    const friendly = rows.find((row) => row.Item === 'friendly' && row.Checker === 'ana')!;
    assert.deepEqual([friendly.Agreed, friendly.Total, friendly.Rate], [3, 6, 0.5]);
  }
});

test('agreement --layout paper prints Table 12 as the paper does: x/y under each section, a column per checker and pooled', () => {
  const csv = cli('agreement', '--round', String(roundId), '--db', db, '--layout', 'paper');
  assert.equal(csv.code, 0, csv.err);
  const lines = csv.out.split('\r\n');
  assert.equal(lines[0], 'Item,ana,pooled');
  assert.equal(lines[1], 'Basic Properties (response-level),,');
  assert.ok(lines.includes('friendly,3/6,3/6'), csv.out);
  assert.ok(lines.includes('Error Detection,,'));
  assert.ok(lines.includes('agreement (error-level),3/3,3/3'));
  assert.ok(lines.includes('completeness (response-level),5/5,5/5'));
  const md = cli('agreement', '--round', String(roundId), '--db', db, '--layout', 'paper', '--format', 'md');
  assert.match(md.out, /^\| Item \| ana \| pooled \|\n\| --- \| --- \| --- \|\n\| Basic Properties \(response-level\) \| {2}\| {2}\|\n/);
  assert.ok(md.out.includes('\n| friendly | 3/6 | 3/6 |\n'));
  const wrong = cli('agreement', '--round', String(roundId), '--db', db, '--layout', 'long');
  assert.equal(wrong.code, 2);
  assert.equal(wrong.err, '--layout is "paper" (Table 12 as the paper prints it), not "long".');
});

test('a wrong round, format or database gives one sentence and the right exit status', () => {
  for (const args of [['agreement', '--db', db], ['agreement', '--round', 'first', '--db', db], ['agreement', '--round', '0', '--db', db],
    ['agreement', '--round', '1', '--format', 'xml', '--db', db], ['agreement', '--round', '1', '--colour', 'red', '--db', db]]) {
    const r = cli(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    oneSentence(r.err);
  }
  const unknown = cli('agreement', '--round', '99', '--db', db);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.err, 'There is no review round with id 99.');
  const missing = cli('agreement', '--round', '1', '--db', join(dir, 'none.sqlite'));
  assert.equal(missing.code, 1);
  assert.match(missing.err, /There is no database at .*none\.sqlite/);
  oneSentence(missing.err);
  assert.match(cli('--help').out, /^ {2}agreement --round R/m);
});

test('review package, open, return and merge carry a share to another data folder and back', () => {
  const laptop = join(mkdtempSync(join(tmpdir(), 'ps-cli-laptop-')), 'laptop.sqlite');
  const pkg = join(dir, 'ana.review-package.json');
  const made = cli('review', 'package', '--round', String(roundId), '--checker', 'ana', '--out', pkg, '--db', db);
  assert.equal(made.code, 0, made.err);
  assert.equal(made.err, `Wrote the package for ana to ${pkg}.`);
  const opened = cli('review', 'open', pkg, '--db', laptop, '--json');
  assert.equal(opened.code, 0, opened.err);
  const { roundId: laptopRound, checkerId } = JSON.parse(opened.out) as { roundId: number; checkerId: number };
  assert.ok(Number.isInteger(laptopRound) && Number.isInteger(checkerId));
  const again = cli('review', 'open', pkg, '--db', laptop);
  assert.equal(again.code, 1);
  oneSentence(again.err);
  assert.match(again.err, /already open here/);

  // ana reviews on the laptop: the same verdicts as in the coordinator's round, plus one more rejection.
  const storage = new Storage(laptop);
  for (const pairId of storage.review.roundPairIds(laptopRound)) {
    giveVerdict(storage, { checkerId, pairId, itemKey: 'basic:A:friendly', verdict: 'reject' });
    approveRest(storage, { checkerId, pairId });
  }
  storage.close();
  const back = join(dir, 'ana.review-return.json');
  const returned = cli('review', 'return', '--round', String(laptopRound), '--checker', 'ana', '--out', back, '--db', laptop);
  assert.equal(returned.code, 0, returned.err);
  const merged = cli('review', 'merge', back, '--db', db);
  assert.equal(merged.code, 0, merged.err);
  assert.match(merged.out, /^Merged ana's return: 0 of \d+ verdicts changed the round\.\n$/, 'the same verdicts were there already');
  assert.match(cli('review', 'merge', back, '--db', db).out, /merged before .*nothing changed/);
  // A package is not a return; a damaged return is refused with one sentence.
  const wrong = cli('review', 'merge', pkg, '--db', db);
  assert.equal(wrong.code, 1);
  assert.equal(wrong.err, "This is a package for a checker, not a checker's return.");
  const damaged = join(dir, 'damaged.json');
  writeFileSync(damaged, readFileSync(back, 'utf8').replace('"reject"', '"approve"'));
  const refused = cli('review', 'merge', damaged, '--db', db);
  assert.equal(refused.code, 1);
  oneSentence(refused.err);
  assert.match(refused.err, /damaged/);
  assert.equal(cli('review', 'frobnicate', '--db', db).code, 2);
});
