// serve --host: the coordinator starts the server with checkers' links; ana opens hers in Chromium on the checkers'
// address and reviews with the keyboard; her verdicts are in the coordinator's round, and her page can reach nothing
// but her own review.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '../main/services/storage';
import { importBytes } from '../main/services/studio';
import { createRound } from '../main/services/review/review';
import { launchChromium } from './harness';

const dataDir = mkdtempSync(join(tmpdir(), 'ps-e2e-link-'));
const HOST = '127.0.0.2';
let round: { id: number; checkers: { id: number; name: string }[] };

test('the coordinator\'s server prints each checker\'s link and the plain-HTTP warning; ana reviews through hers', async () => {
  const storage = new Storage(join(dataDir, 'preference-studio.sqlite'));
  const { studyId } = await importBytes(storage, { studyName: 'Link fixture', fileName: 'review-round.json', bytes: readFileSync('e2e/fixtures/review-round.json') });
  round = createRound(storage, { studyId, size: 3, strategy: 'random', seed: 7, checkers: ['ana', 'ben'], blind: true, perPair: 1 });
  storage.close();

  const child = spawn(process.execPath, ['out/main/serve.js', '--data-dir', dataDir, '--port', '0', '--host', HOST], { stdio: ['ignore', 'pipe', 'pipe'] });
  after(() => child.kill('SIGTERM'));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Warning: the traffic/.test(output) && /ben \(round/.test(output)) resolve();
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
  });
  assert.match(output, /open http:\/\/127\.0\.0\.1:\d+\/\?token=\w+/);
  assert.match(output, /Warning: the traffic to 127\.0\.0\.2 is plain HTTP/);
  const link = new RegExp(`ana \\(round "Round 1" of "Link fixture"\\): (http://127\\.0\\.0\\.2:\\d+/\\?token=c${round.checkers[0].id}-[0-9a-f]+)`).exec(output)?.[1];
  assert.ok(link, output);
  // The same link under Rounds, "Link" (review.checkerLink, the coordinator's call).
  const coordinator = new URL(/open (http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/.exec(output)![1]);
  const asked = await (await fetch(`${coordinator.origin}/api/review.checkerLink`, {
    method: 'POST', headers: { 'x-studio-token': coordinator.searchParams.get('token')!, 'content-type': 'application/json' }, body: JSON.stringify({ checkerId: round.checkers[0].id }),
  })).json() as { ok: boolean; res: { url: string } };
  assert.equal(asked.res.url, link);

  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (err) => { throw err; });
    await page.goto(link);
    await page.getByTestId('checker-app').waitFor();
    await page.getByTestId('current-item').waitFor();
    assert.equal(await page.getByText('Back to rounds').count(), 0, 'a checker has no rounds to go back to');
    assert.equal(await page.getByTestId('study-select').count(), 0, 'nor the studies');
    const position = await page.getByTestId('review-position').innerText();
    assert.match(position, /^Pair 1 of [12]$/, 'her share, not the round');
    const key = await page.getByTestId('current-item').getAttribute('data-item-key');
    await page.keyboard.press('r');
    await page.waitForSelector('[data-testid="save-state"][data-pending="0"]');
    await page.locator(`[data-item-key="${key}"][data-verdict="reject"]`).waitFor();
    // From her page, the coordinator's channels answer 403.
    const status = await page.evaluate(async () => {
      const token = sessionStorage.getItem('preference-studio-token') ?? '';
      return (await fetch('/api/review.agreement', { method: 'POST', headers: { 'x-studio-token': token, 'content-type': 'application/json' }, body: '{"roundId":1}' })).status;
    });
    assert.equal(status, 403);
  } finally {
    await browser.close();
  }
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  const stored = new Storage(join(dataDir, 'preference-studio.sqlite'));
  assert.deepEqual(stored.verdicts.checkerVerdicts(round.checkers[0].id).map((v) => v.verdict), ['reject'], 'her verdict is in the coordinator\'s round');
  stored.close();
});
