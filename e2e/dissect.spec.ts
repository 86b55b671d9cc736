// An analyst's afternoon on the demo project: fits two judges on one group with small settings, watches the
// progress, reads the effect strengths, the top/last three and the accuracy, explains a pair, rates the source
// models, compares the judges with the paper's 33, edits the style/substance split, and takes away tables,
// charts, system messages and a DPO dataset. Every number checked against the stored fits through the contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Download } from 'playwright-core';
import type { FitRecord, PairDetail, PairPage, PaperReference, SimilarityResult } from '../preload/contract';
import { holdBack, useApp } from './harness';
import { pearson } from './by-hand';

const GROUP = 'Communication';
const JUDGES = ['human', 'gpt-4-1106-preview'];

const app = useApp();

/** A call through the real transport, as the renderer makes it. */
async function api<T>(channel: string, req: unknown): Promise<T> {
  const reply = await app.page.evaluate(async ([c, r]) => {
    const token = sessionStorage.getItem('preference-studio-token') ?? '';
    const res = await fetch(`/api/${c}`, { method: 'POST', headers: { 'x-studio-token': token, 'content-type': 'application/json' }, body: JSON.stringify(r) });
    return res.json();
  }, [channel, req] as const);
  assert.ok(reply.ok, JSON.stringify(reply.error));
  return reply.res as T;
}

const firstNumber = (text: string) => Number(/-?\d+(\.\d+)?/.exec(text)![0]);
const pct = (v: number) => (v * 100).toFixed(1);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

async function go(view: string) {
  await app.page.goto(`${app.served.url}#/${view}`);
  await app.page.getByTestId(`view-${view}`).waitFor();
}


async function saved(click: () => Promise<void>): Promise<{ name: string; text: string; bytes: Buffer }> {
  const [download] = await Promise.all([app.page.waitForEvent('download') as Promise<Download>, click()]);
  const bytes = readFileSync((await download.path())!);
  return { name: download.suggestedFilename(), text: bytes.toString('utf8'), bytes };
}

async function studyId(): Promise<number> {
  const studies = await api<{ id: number; isDemo: boolean }[]>('studies.list', {});
  return studies.find((s) => s.isDemo)!.id;
}

async function storedFits(): Promise<FitRecord[]> {
  const fits = await api<FitRecord[]>('dissect.fits', { studyId: await studyId() });
  return fits.filter((f) => f.group === GROUP && JUDGES.includes(f.judge) && f.status === 'done');
}

async function setJudges(names: string[]) {
  const list = app.page.getByTestId('dissect-judges');
  await list.locator('input[data-judge="human"]').waitFor();
  for (const box of await list.locator('input[type=checkbox]').all()) {
    const name = await box.getAttribute('data-judge');
    if ((await box.isChecked()) !== names.includes(name!)) await box.click();
  }
  await app.page.waitForFunction((n) => document.querySelector('[data-testid=start-fit]')?.textContent?.startsWith(`Fit ${n} judge`), names.length);
}

async function setSettings(values: Record<string, string>) {
  for (const [field, value] of Object.entries(values)) await app.page.getByTestId(`setting-${field}`).fill(value);
}

test('Dissect: a long fit shows its MAP preview and progress with an ETA, and cancels with x', async () => {
  await go('dissect');
  await setJudges(['human']);
  await app.page.locator(`[data-testid=fit-group][data-group="Code"]`).check();
  await app.page.locator(`[data-testid=fit-group][data-group="${GROUP}"]`).uncheck();
  await setSettings({ chains: '4', warmup: '500', draws: '1500', folds: '10' });
  await app.page.getByTestId('setting-integrator').selectOption('leapfrog');
  await app.page.locator('body').click({ position: { x: 5, y: 5 } });
  await app.page.keyboard.press('f');
  const job = app.page.getByTestId('fit-job').filter({ hasText: 'human on Code' });
  await job.waitFor();
  await app.page.getByTestId('strength-group').selectOption('Code');
  await app.page.getByTestId('strengths-table').getByText('human (MAP preview, fit running)').waitFor();
  await app.page.waitForFunction(() => /left|estimating/.test(document.querySelector('[data-testid=fit-job]')?.textContent ?? ''));
  await app.page.locator('body').click({ position: { x: 5, y: 5 } });
  await app.page.keyboard.press('x');
  // The service records the cancel first; the view follows on the job's last progress event.
  const codeFit = async () => (await api<FitRecord[]>('dissect.fits', { studyId: await studyId() })).find((f) => f.judge === 'human' && f.group === 'Code');
  for (let waited = 0; (await codeFit())?.status === 'running' && waited < 60_000; waited += 500) await app.page.waitForTimeout(500);
  assert.equal((await codeFit())?.status, 'cancelled', 'x cancelled the fit in the service');
  assert.equal((await codeFit())?.settings.integrator, 'leapfrog', 'the Integrator choice reached the service');
  await app.page.locator('[data-testid=fit-job][data-state=cancelled]').waitFor({ timeout: 30_000 });
  await app.page.getByTestId('setting-integrator').selectOption('split');
});

test('Dissect: a small fit of two judges shows the stored effect strengths, diagnostics, top/last three and accuracy', async () => {
  await go('dissect');
  await setJudges(JUDGES);
  await app.page.locator('[data-testid=fit-group][data-group="Code"]').uncheck();
  await app.page.locator(`[data-testid=fit-group][data-group="${GROUP}"]`).check();
  await setSettings({ chains: '2', warmup: '150', draws: '200', folds: '2' });
  // The first judge's MAP preview is held back until its fit is done, so that job ends before the second judge's
  // starts (as on a slow machine): both must stay listed.
  const release = await holdBack(app.page, '**/api/dissect.preview');
  await app.page.getByTestId('start-fit').click();
  for (let waited = 0; (await storedFits()).length === 0 && waited < 240_000; waited += 250) await app.page.waitForTimeout(250);
  release();
  await app.page.waitForFunction((n) => document.querySelectorAll('[data-testid=fit-job][data-state=done]').length === n, JUDGES.length, { timeout: 300_000 });
  await app.page.unrouteAll({ behavior: 'wait' });
  await app.page.getByTestId('strength-group').selectOption(GROUP);

  const fits = await storedFits();
  assert.equal(fits.length, 2);
  for (const fit of fits) {
    assert.deepEqual([fit.settings.chains, fit.settings.warmup, fit.settings.draws, fit.settings.folds, fit.settings.integrator], [2, 150, 200, 2, 'split']);
    for (const p of fit.properties) {
      const cell = app.page.locator(`[data-testid=strength-cell][data-judge="${fit.judge}"][data-property="${p.name}"]`);
      const text = await cell.innerText();
      assert.equal(firstNumber(text).toFixed(1), pct(p.strength), `${fit.judge} / ${p.name}`);
      assert.ok(text.includes(`[${pct(p.strengthQ5)}, ${pct(p.strengthQ95)}]`), text);
    }
    const badge = app.page.locator(`[data-testid=diagnostics-badge][data-judge="${fit.judge}"]`);
    assert.equal(await badge.getAttribute('data-flagged'), String(fit.diagnostics!.flagged));
    assert.match(await badge.innerText(), fit.diagnostics!.flagged ? /Flagged/ : /Converged/);
    assert.ok((await badge.innerText()).includes(`max R-hat ${fit.diagnostics!.maxRhat.toFixed(3)}`));
    assert.match(await badge.innerText(), /NUTS, split integrator, (wasm-simd|js) kernel/);

    // Tables 3/13: the top and last three of the stored strengths.
    const order = [...fit.properties].sort((a, b) => b.strength - a.strength).map((p) => p.name);
    const row = await app.page.locator(`[data-testid=toplast-row][data-judge="${fit.judge}"][data-group="${GROUP}"]`).innerText();
    const cells = row.split('\t').map((c) => c.trim());
    for (const [i, name] of [...order.slice(0, 3), ...order.slice(-3).reverse()].entries()) assert.ok(cells[2 + i].startsWith(name), `${cells[2 + i]} vs ${name}`);
    // Table 10: one scenario fitted, so the judge's accuracy is that fit's.
    assert.equal(await app.page.locator(`[data-testid=accuracy-cell][data-judge="${fit.judge}"]`).innerText(), pct(fit.accuracy!));
  }

  // Sorting by a judge puts its most preferred property first.
  const human = fits.find((f) => f.judge === 'human')!;
  await app.page.getByTestId('strengths-table').getByRole('button', { name: /^human %/ }).click();
  const first = await app.page.locator('[data-testid=strengths-table] tbody tr th').first().innerText();
  assert.equal(first, [...human.properties].sort((a, b) => b.strength - a.strength)[0].name);

  // The chart exports as SVG and PNG, the table as CSV, under names a user finds later.
  const svg = await saved(() => app.page.getByTestId('strengths-chart-svg').click());
  assert.match(svg.name, /^effect-strengths_demo-project_communication_\d{4}-\d{2}-\d{2}\.svg$/);
  assert.match(svg.text, /^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.ok(svg.text.includes('no severe errors') && svg.text.includes('recharts-surface'), 'the chart itself, not a legend icon');
  assert.match(svg.text, />gpt-4-1106-preview<\/text>/, 'the legend says which colour is which judge');
  const png = await saved(() => app.page.getByTestId('strengths-chart-png').click());
  assert.deepEqual([...png.bytes.subarray(1, 4)], [...Buffer.from('PNG')]);
  const csv = await saved(() => app.page.getByTestId('strengths-export-csv').click());
  assert.match(csv.name, /^effect-strengths_demo-project_communication_\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = csv.text.trim().split('\r\n');
  assert.equal(lines.length, 30);
  assert.ok(lines.some((l) => l.startsWith('clear,')));
});

test('Explain: the waterfall of a pair uses the stored fit; pElo rates the source models', async () => {
  await app.page.getByTestId('explain-judge').selectOption('study:human');
  await app.page.getByTestId('explain-probability').waitFor();
  const pairId = Number(await app.page.getByTestId('explain-pair').inputValue());
  const pair = await api<PairDetail>('pairs.get', { pairId });
  const human = (await storedFits()).find((f) => f.judge === 'human')!;
  // Worked out here: sigma(sum alpha_i phi_i) with the stored posterior means.
  const logit = human.properties.reduce((t, p, i) => t + p.alphaMean * pair.comparisonFeatures![i], 0);
  assert.equal(await app.page.getByTestId('explain-probability').innerText(), sigmoid(logit).toFixed(3));
  const verdict = await app.page.getByTestId('explain-verdict').innerText();
  const label = pair.labels.find((l) => l.judge === 'human')!.preferred;
  assert.ok(verdict.includes(`human labelled ${label}`), verdict);
  await app.page.getByTestId('waterfall-chart').locator('svg').first().waitFor();

  // The picker holds a page of the scenario's pairs; n past its last one fetches the next page and moves on.
  const scenario = await app.page.getByTestId('explain-scenario').inputValue();
  // The picker lists the pairs the fit uses: the group as fitted, labelled by the judge.
  const beyond = await api<PairPage>('pairs.query', { studyId: await studyId(), group: scenario, judge: 'human', annotated: true, offset: 50, limit: 1 });
  assert.ok(beyond.total > 50, `${scenario} has ${beyond.total} annotated pairs`);
  const position = app.page.getByTestId('explain-position');
  assert.ok((await position.innerText()).startsWith(`1 of ${beyond.total} `), await position.innerText());
  const options = app.page.getByTestId('explain-pair').locator('option');
  assert.equal(await options.count(), 50);
  await app.page.getByTestId('explain-pair').selectOption((await options.nth(49).getAttribute('value'))!);
  await app.page.waitForFunction((t) => document.querySelector('[data-testid=explain-position]')?.textContent?.startsWith(`50 of ${t} `), beyond.total);
  await app.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await app.page.keyboard.press('n');
  await app.page.waitForFunction((t) => document.querySelector('[data-testid=explain-position]')?.textContent?.startsWith(`51 of ${t} `), beyond.total);
  assert.equal(Number(await app.page.getByTestId('explain-pair').inputValue()), beyond.rows[0].id);
  assert.equal(await options.count(), Math.min(100, beyond.total));

  await app.page.getByTestId('pelo-judge').selectOption('human');
  await app.page.getByTestId('pelo-property').selectOption('lengthy');
  await app.page.getByTestId('pelo-run').click();
  await app.page.getByTestId('pelo-table').waitFor();
  const pelo = await api<{ overall: { ratings: { model: string; rating: number }[] } }>('insight.pelo', { studyId: await studyId(), judge: 'human', property: 'lengthy', bootstrap: 200 });
  for (const r of pelo.overall.ratings) {
    assert.equal(await app.page.locator(`[data-testid=pelo-rating][data-model="${r.model}"]`).innerText(), String(Math.round(r.rating)));
  }
});


test('Compare: the study judges beside the paper\'s 33, their similarity and their style vs substance shares', async () => {
  await go('compare');
  await app.page.getByTestId('similarity-chart').locator('svg').first().waitFor();
  const fits = await storedFits();
  const paper = await api<PaperReference>('reference.paper', {});
  const judges = [...JUDGES.map((name) => ({ source: 'study', name })), ...Object.keys(paper.judgeSizes).map((name) => ({ source: 'paper', name }))];
  const similarity = await api<SimilarityResult>('insight.similarity', { studyId: await studyId(), judges });
  assert.equal(similarity.judges.length, 35);
  for (const g of similarity.intra) {
    assert.equal(await app.page.locator(`[data-testid=intra-cell][data-group="${g.group}"]`).innerText(), g.similarity!.toFixed(3));
  }
  // The study's human against the paper's human: Pearson of the weights on the one group both have.
  const csv = await saved(() => app.page.getByTestId('similarity-export-csv').click());
  assert.match(csv.name, /^judge-similarity_demo-project_\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = csv.text.trim().split('\r\n').map((l) => l.split(','));
  const column = rows[0].indexOf('human (paper)');
  const humanRow = rows.find((r) => r[0] === 'human')!;
  const ours = fits.find((f) => f.judge === 'human')!.properties.map((p) => p.alphaMean);
  assert.equal(Number(humanRow[column]).toFixed(2), pearson(ours, paper.weights[GROUP].human).toFixed(2));

  // Style share: sum |alpha| over the style properties / sum |alpha|, worked out from the stored fit.
  const styleShare = async (judge: string) => Number(await app.page.locator(`[data-testid=style-share][data-judge="${judge}"]`).innerText());
  const style = await app.page.locator('[data-testid=style-split] .chip-button.style').evaluateAll((els) => els.map((e) => e.getAttribute('data-property')!));
  const human = fits.find((f) => f.judge === 'human')!;
  const share = (names: string[]) => {
    const total = human.properties.reduce((t, p) => t + Math.abs(p.alphaMean), 0);
    return human.properties.filter((p) => names.includes(p.name)).reduce((t, p) => t + Math.abs(p.alphaMean), 0) / total;
  };
  assert.equal((await styleShare('human')).toFixed(1), pct(share(style)));
  await app.page.locator('[data-testid=style-split] .chip-button.style[data-property="lengthy"]').click();
  await app.page.locator('[data-testid=style-split] .chip-button.substance[data-property="lengthy"]').waitFor();
  await app.page.waitForFunction((expected) => document.querySelector('[data-testid=style-share][data-judge="human"]')?.textContent === expected,
    pct(share(style.filter((n) => n !== 'lengthy'))));
  await app.page.getByRole('button', { name: 'Reset to the default split' }).click();
});

test('Export: every table in every format, a system message and a DPO dataset of the demo', async () => {
  await go('export');
  const table = await saved(() => app.page.getByTestId('export-held-out-accuracy-latex').click());
  assert.match(table.name, /^held-out-accuracy_demo-project_\d{4}-\d{2}-\d{2}\.tex$/);
  assert.match(table.text, /\\begin\{tabular\}/);
  const md = await saved(() => app.page.getByTestId('export-top-and-last-three-per-group-md').click());
  assert.match(md.text, /^\| group \| judge \| top 1/);

  const human = (await storedFits()).find((f) => f.judge === 'human')!;
  await app.page.getByTestId('system-judge').selectOption('study:human');
  await app.page.locator('[data-testid=system-messages] select').nth(1).selectOption(GROUP);
  await app.page.getByTestId('system-generate').click();
  const text = await app.page.getByTestId('system-text').innerText();
  const top = [...human.properties].sort((a, b) => b.strength - a.strength).slice(0, 3).map((p) => p.name);
  for (const [i, name] of top.entries()) assert.ok(text.includes(`${i + 1}. ${name}: `), text);

  await app.page.getByTestId('dpo-judge').selectOption('study:gpt-4-1106-preview');
  // Only Communication is fitted: its few hand-written pairs may all be left out, so the simulated ones come too.
  await app.page.getByTestId('dpo-include-simulated').check();
  await app.page.getByTestId('dpo-build').click();
  await app.page.getByTestId('dpo-result').waitFor();
  const count = Number(await app.page.getByTestId('dpo-count').innerText());
  const dpo = await api<{ count: number; considered: number }>('insight.dpo', { studyId: await studyId(), judge: { source: 'study', name: 'gpt-4-1106-preview' }, direction: 'towards', includeSimulated: true });
  assert.equal(count, dpo.count);
  assert.ok(count > 0 && count < dpo.considered);
  const file = await saved(() => app.page.getByTestId('dpo-download').click());
  assert.match(file.name, /^dpo_demo-project_gpt-4-1106-preview_towards_\d{4}-\d{2}-\d{2}\.jsonl$/);
  const lines = file.text.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, count);
  // A quick fit is usually flagged, and then each line says so.
  for (const l of lines) assert.deepEqual(Object.keys(l).filter((k) => k !== 'fit_flag'), ['prompt', 'chosen', 'rejected']);
});
