// A quality check as two checkers do it: ana reviews a three-pair round with the keyboard only, undoes and redoes,
// adds a missed error; the server is killed with SIGKILL halfway and restarted on the same data, and every verdict
// is there and she resumes where she was. ben reviews the same round; the exported Table 12 CSV and Cohen's kappa
// equal the numbers worked out by hand below.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { callApi, serve, useApp } from './harness';
import { wilsonInterval } from '../main/services/review/agreement';
import type { ReviewRound } from '../preload/contract';

const FIXTURE = 'e2e/fixtures/review-round.json';
const STUDY = 'Review fixture';

const app = useApp();


async function openStudy() {
  await app.page.getByTestId('study-select').locator('option', { hasText: STUDY }).waitFor({ state: 'attached' });
  await app.page.getByTestId('study-select').selectOption({ label: STUDY });
  await app.page.keyboard.press('Alt+3');
  await app.page.getByTestId('view-review').waitFor();
}

// ---------- what each checker does, by pair (the round's order is drawn by the seed) ----------

type Action = 'a' | 'r' | '1' | '2' | '3' | 'flip' | { choose: number } | 'missed' | 'undo-redo' | 'approve-rest';
type Plan = Record<'code' | 'job' | 'wall', Record<string, Action>>;

const tagOf = (query: string): keyof Plan => (query.includes('Python') ? 'code' : query.includes('job') ? 'job' : 'wall');

/** Everything not named here is approved with "a". */
const ANA: Plan = {
  code: { 'basic:A:friendly': 'r', 'basic:B:clear': '3', 'item:constraint:1:B': '3', 'complete:A': 'missed', 'error:B:0': 'r' },
  job: { 'prereq:clear intent': 'flip', 'qs:B:show empathetic': 'r' },
  wall: { 'basic:A:harmless': 'undo-redo', 'item:mistake:0:B': { choose: 3 }, 'error:B:1': 'r' },
};
const BEN: Plan = {
  code: { 'basic:A:friendly': 'r', 'item:constraint:1:B': 'r' },
  job: { 'qs:B:show empathetic': 'r', 'item:stance:0:A': 'approve-rest' },
  wall: { 'error:B:1': 'r', 'complete:B': 'r' },
};

interface Here { key: string; verdict: string; position: string; query: string }

const here = (): Promise<Here | null> => app.page.evaluate(() => {
  const el = document.querySelector<HTMLElement>('[data-testid="current-item"]');
  if (!el) return null;
  return {
    key: el.dataset.itemKey ?? '', verdict: el.dataset.verdict ?? '',
    position: document.querySelector('[data-testid="review-position"]')?.textContent ?? '',
    query: document.querySelector('[data-testid="review-query"]')?.textContent ?? '',
  };
});

async function waitFor(check: (h: Here) => boolean, what: string) {
  for (let i = 0; i < 400; i++) {
    const h = await here();
    if (h && check(h)) return h;
    await app.page.waitForTimeout(10);
  }
  throw new Error(`timed out waiting for ${what}; at ${JSON.stringify(await here())}`);
}

/** Presses a key and waits until the cursor or the verdict under it changes. */
async function press(key: string, from: Here) {
  await app.page.keyboard.press(key);
  await waitFor((h) => h.key !== from.key || h.verdict !== from.verdict || h.position !== from.position, `a change after "${key}" on ${from.key}`);
}

async function act(action: Action, h: Here) {
  if (action === 'flip') {
    // "c" on a yes/no item shows the choice first; Enter makes it.
    await app.page.keyboard.press('c');
    await app.page.getByTestId('choices-prompt').waitFor();
    return press('Enter', h);
  }
  if (typeof action === 'object') {
    await app.page.keyboard.press('c');
    await app.page.getByTestId('item-editor').waitFor();
    return press(String(action.choose), h);
  }
  if (action === 'approve-rest') return press('Shift+A', h);
  if (action === 'missed') {
    await app.page.keyboard.press('m');
    await app.page.getByTestId('error-description').waitFor();
    await app.page.keyboard.type('Does not say the list must be given as an argument');
    await app.page.keyboard.press('Enter');
    await app.page.getByTestId('missed-error').waitFor();
    const rejected = await waitFor((x) => x.key === h.key && x.verdict === 'reject', 'the missed error to reject "no error missed"');
    return press('j', rejected);
  }
  if (action === 'undo-redo') {
    // Reject, undo (back on the item, undecided), redo (rejected again), undo; then approve as planned.
    await press('r', h);
    await app.page.keyboard.press('u');
    await waitFor((x) => x.key === h.key && x.verdict === '', 'undo to take the rejection back');
    await app.page.keyboard.press('Shift+U');
    await waitFor((x) => x.key === h.key && x.verdict === 'reject', 'redo to give it back');
    await app.page.keyboard.press('Control+z');
    const undone = await waitFor((x) => x.key === h.key && x.verdict === '', 'undo again');
    return press('a', undone);
  }
  return press(action, h);
}

/** Reviews with the keyboard until the cursor stands on a decided item (the end) or `stop` says so. */
async function review(plan: Plan, stop: (h: Here, steps: number) => boolean = () => false): Promise<number> {
  let steps = 0;
  for (;;) {
    const h = await waitFor(() => true, 'an item under the cursor');
    if (h.verdict || stop(h, steps)) return steps;
    await act(plan[tagOf(h.query)][h.key] ?? 'a', h);
    steps++;
  }
}

const saved = () => app.page.waitForSelector('[data-testid="save-state"][data-pending="0"]');


async function storedVerdicts(checkerId: number) {
  const all: string[] = [];
  for (let position = 0; position < 3; position++) {
    const p = await callApi(app.page, 'review.pair', { checkerId, position });
    all.push(...p.verdicts.map((v) => `${position}|${v.itemKey}|${v.verdict}|${v.correctedValue ?? ''}`));
  }
  return all.sort();
}

let round: ReviewRound;

test('ana reviews with the keyboard; SIGKILL mid-round loses nothing and she resumes where she was', async () => {
  await app.page.getByTestId('pair-row').first().waitFor();
  await callApi(app.page, 'import.file', { studyName: STUDY, fileName: 'review-round.json', dataBase64: readFileSync(FIXTURE).toString('base64') });
  await app.page.reload();
  await openStudy();
  await app.page.getByTestId('round-size').fill('3');
  await app.page.getByTestId('round-seed').fill('7');
  await app.page.getByTestId('round-checkers').fill('ana, ben');
  await app.page.getByTestId('create-round').click();
  await app.page.getByTestId('review-as-ana').click();

  // The first pair and 20 items of the second.
  let secondPairFrom: number | null = null;
  await review(ANA, (h, steps) => {
    if (!h.position.startsWith('Pair 2')) return false;
    secondPairFrom ??= steps;
    return steps - secondPairFrom >= 20;
  });
  await saved();
  const before = await here();
  round = (await callApi(app.page, 'review.rounds', { studyId: (await callApi(app.page, 'studies.list', {})).find((s) => s.name === STUDY)!.id }))[0];
  const ana = round.checkers.find((c) => c.name === 'ana')!;
  const given = await storedVerdicts(ana.id);
  assert.ok(given.length > 60, `${given.length} verdicts before the kill`);
  assert.ok(given.some((v) => v.includes('|missed:A:1|add|')), 'the missed error was stored');

  app.served.process.kill('SIGKILL');
  await once(app.served.process, 'exit');
  app.served = await serve(app.served.dataDir);
  await app.page.goto(app.served.url);
  await openStudy();
  await app.page.getByTestId('review-as-ana').click();
  const resumed = await waitFor(() => true, 'the review to resume');
  assert.deepEqual([resumed.position, resumed.key], [before!.position, before!.key], 'resumes exactly where she left off');
  assert.deepEqual(await storedVerdicts(ana.id), given, 'every verdict given before the kill is there');
  assert.equal(Number(await app.page.getByTestId('review-decided').getAttribute('data-decided')), given.filter((v) => !v.includes('|add|')).length);

  await review(ANA);
  await saved();
  assert.equal(await app.page.getByTestId('review-decided').getAttribute('data-decided'), '155');
});

test('ben reviews the same round blind to ana\'s verdicts', async () => {
  await app.page.getByRole('button', { name: 'Back to rounds' }).click();
  await app.page.getByTestId('review-as-ben').click();
  await waitFor(() => true, 'ben\'s first item');
  assert.equal(await app.page.locator('.others').count(), 0, 'a blind checker sees no one else\'s verdicts');
  await review(BEN);
  await saved();
  assert.equal(await app.page.getByTestId('review-decided').getAttribute('data-decided'), '155');
});

// ---------- Table 12 of the fixture round, worked out by hand from the plans above ----------
// Three pairs: 6 responses, 3 queries. Applicable error checks: code A and B, job A, wall A and B (5 responses).
// ana: friendly and clear each lose one response (5/6); clear intent corrected (2/3); show empathetic B rejected
// (1/2); constraint 2 of B corrected (entities 3/4, responses 1/2); the mistake of B corrected (1/2, 1/2); code A
// misses an error (completeness 4/5); code B's error and wall B's second rejected (errors 1/3; responses with every
// detected error approved: code A (none), job A, wall A = 3/5). ben: friendly A (5/6); show empathetic B (1/2);
// constraint 2 of B (3/4, 1/2); wall B's second error and its "no error missed" rejected (errors 2/3, completeness
// 4/5, responses 4/5).
const BASIC = ['harmless', 'grammarly correct', 'friendly', 'polite', 'interactive', 'authoritative', 'funny', 'use rhetorical devices',
  'complex word & sentence', 'use supporting materials', 'well formatted', 'admit limits', 'persuasive', 'step-by-step',
  'use informal expressions', 'non-repetitive', 'clear', 'relevant', 'novel', 'contain rich info'];
const EXPECTED: [string, string, string, [number, number], [number, number]][] = [
  ...BASIC.map((p): [string, string, string, [number, number], [number, number]] =>
    ['Basic properties', p, 'response', p === 'friendly' || p === 'clear' ? [5, 6] : [6, 6], p === 'friendly' ? [5, 6] : [6, 6]]),
  ['Query-specific prerequisites', 'clear intent', 'sample', [2, 3], [3, 3]],
  ['Query-specific prerequisites', 'express feelings', 'sample', [3, 3], [3, 3]],
  ['Query-specific prerequisites', 'contain explicit constraints', 'sample', [3, 3], [3, 3]],
  ['Query-specific prerequisites', 'show explicit subjective stances', 'sample', [3, 3], [3, 3]],
  ['Query-specific prerequisites', 'contain mistakes or bias', 'sample', [3, 3], [3, 3]],
  ['Query-specific properties', 'clarify intent', 'response', [2, 2], [2, 2]],
  ['Query-specific properties', 'show empathetic', 'response', [1, 2], [1, 2]],
  ['Query-specific properties', 'satisfy constraints', 'response', [1, 2], [1, 2]],
  ['Query-specific properties', 'satisfy constraints', 'constraint', [3, 4], [3, 4]],
  ['Query-specific properties', 'support stances', 'response', [2, 2], [2, 2]],
  ['Query-specific properties', 'support stances', 'stance', [2, 2], [2, 2]],
  ['Query-specific properties', 'correct mistakes', 'response', [1, 2], [2, 2]],
  ['Query-specific properties', 'correct mistakes', 'mistake', [1, 2], [2, 2]],
  ['Error detection', 'completeness', 'response', [4, 5], [4, 5]],
  ['Error detection', 'agreement', 'response', [3, 5], [4, 5]],
  ['Error detection', 'agreement', 'error', [1, 3], [2, 3]],
  ['Overall', 'basic properties', 'response', [118, 120], [119, 120]],
  ['Overall', 'query-specific prerequisites', 'sample', [14, 15], [15, 15]],
  // clarify 2/2 + empathetic 1/2 + constraints 3/4 + stances 2/2 + mistakes 1/2 (ana) or 2/2 (ben).
  ['Overall', 'query-specific round two', 'entity', [9, 12], [10, 12]],
];

const number = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(3));
function csvLine(section: string, item: string, level: string, who: string, [agreed, total]: [number, number]) {
  const ci = wilsonInterval(agreed, total)!;
  const cells = [section, item, level, who, String(agreed), String(total), number(agreed / total), number(ci.low), number(ci.high)];
  return cells.map((c) => (/[",]/.test(c) ? `"${c}"` : c)).join(',');
}

test('the exported agreement CSV equals Table 12 worked out by hand', async () => {
  await app.page.getByTestId('review-tab-agreement').click();
  await app.page.getByTestId('agreement-table').waitFor();
  const downloading = app.page.waitForEvent('download');
  await app.page.getByTestId('export-agreement-csv').click();
  const file = await downloading;
  assert.match(file.suggestedFilename(), /^agreement_review-fixture_round-1_\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await file.path())!, 'utf8');
  const expected = [
    'Section,Item,Level,Checker,Agreed,Total,Rate,Wilson 95% low,Wilson 95% high',
    ...EXPECTED.flatMap(([section, item, level, ana, ben]) => [
      csvLine(section, item, level, 'ana', ana), csvLine(section, item, level, 'ben', ben),
      csvLine(section, item, level, 'pooled', [ana[0] + ben[0], ana[1] + ben[1]]),
    ]),
  ];
  assert.deepEqual(csv.split('\r\n').filter(Boolean), expected);
});

test("two checkers' Cohen's kappa equals the hand-computed 115/208", async () => {
  // 155 items judged by both. ana disagrees with the annotation on 9 (friendly A, clear B, constraint 2 B and code B's
  // error; clear intent, show empathetic B; wall B's mistake and second error; code A's "no error missed"), ben on 5
  // (friendly A, constraint 2 B, show empathetic B, wall B's second error and its "no error missed"); 4 of them
  // the same. p_o = (145 + 4) / 155; p_e = (146 * 150 + 9 * 5) / 155^2 = 21945 / 24025;
  // kappa = (149 * 155 - 21945) / (24025 - 21945) = 1150 / 2080 = 115 / 208 = 0.5529.
  assert.equal(await app.page.getByTestId('kappa-ana-ben').innerText(), (115 / 208).toFixed(3));
  const report = await callApi(app.page, 'review.agreement', { roundId: round.id });
  assert.equal(report.kappas[0].sharedItems, 155);
  assert.ok(Math.abs(report.kappas[0].kappa! - 115 / 208) < 1e-12, `kappa ${report.kappas[0].kappa}`);
  // Answers that differ: clear B, constraint 2 B (correct vs reject), code B's error, code A's and wall B's "no
  // error missed", clear intent, the mistake of B (friendly A, show empathetic B and wall B's second error: both reject).
  assert.equal(report.disagreements, 7);
  assert.equal(await app.page.getByTestId('disagreement').count(), 7);
  await app.page.getByTestId('disagreement').first().getByTestId('take-answer').first().click();
  await app.page.getByTestId('settled-as').first().waitFor();
});
