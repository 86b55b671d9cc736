// serve --host: each checker's link reaches that checker's own share through the channels a checker needs, and
// nothing else; the coordinator's token is refused from any address but 127.0.0.1. The checkers' address is
// 127.0.0.2 here (a second loopback address every Linux has), and a client binding 127.0.0.2 as its own address
// stands for another machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { WebSocket } from 'ws';
import { CHECKER_CHANNELS, startBridge, TOKEN_HEADER } from './bridge';
import { createStudio } from './services/studio';
import { defaultWorkerUrl } from '../native-workers/worker-path';
import { CHANNELS, type ReviewPair, type ReviewRound } from '../preload/contract';
import { pair } from './services/review/testing';

const limit = { timeout: 60_000 };
const HOST = '127.0.0.2';

interface Answer { status: number; body: { ok: boolean; res?: unknown; error?: { code: string; message: string } } }

/** A call as a browser on `from` (its own address) would make it, to the server's address `to`. */
function callFrom(from: string, to: string, port: number, token: string, channel: string, req: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const r = request({ host: to, port, localAddress: from, path: `/api/${channel}`, method: 'POST', headers: { host: `${to}:${port}`, [TOKEN_HEADER]: token, 'content-type': 'application/json' } }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) }));
    });
    r.on('error', reject);
    r.end(JSON.stringify(req));
  });
}

test('a checker\'s link reads and writes only its own share, calls only the checker\'s channels, and the coordinator\'s token stays on 127.0.0.1', limit, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-bridge-checkers-'));
  const rendererDir = mkdtempSync(join(tmpdir(), 'ps-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Preference Studio</title>');
  const studio = createStudio({ dataDir, transport: 'browser', version: 'test', samplerWorkerUrl: defaultWorkerUrl(), samplerThreads: 1, demoOnFirstStart: false });
  const { studyId } = studio.storage.studies.insertBatch({ name: 'Team' }, { format: 'paper', pairs: [1, 2, 3, 4].map((i) => pair(i)), dropped: [] }, { fileName: 'f', sha256: 'f' });
  const bridge = await startBridge({ port: 0, rendererDir, dispatch: studio.dispatch, host: HOST });
  try {
    const coordinator = (channel: string, req: unknown, from = '127.0.0.1', to = '127.0.0.1') => callFrom(from, to, bridge.port, bridge.token, channel, req);
    const made = await coordinator('review.createRound', { studyId, size: 4, strategy: 'random', seed: 1, checkers: ['ana', 'ben'], blind: true, perPair: 1 });
    assert.ok(made.body.ok, JSON.stringify(made.body));
    const round = made.body.res as ReviewRound;
    const [ana, ben] = round.checkers.map((c) => c.id);
    const anaLink = new URL(bridge.checkerUrl(ana));
    assert.equal(anaLink.host, `${HOST}:${bridge.port}`, 'the link names the checkers\' address');
    const anaToken = anaLink.searchParams.get('token')!;
    assert.notEqual(anaToken, bridge.token);
    const asAna = (channel: string, req: unknown) => callFrom(HOST, HOST, bridge.port, anaToken, channel, req);

    // Her own round (only her progress), her pairs, her verdicts, her place.
    const mine = await asAna('review.checkerRound', { checkerId: ana });
    assert.equal(mine.status, 200);
    assert.deepEqual((mine.body.res as ReviewRound).checkers.map((c) => c.name), ['ana']);
    const p = await asAna('review.pair', { checkerId: ana, position: 0 });
    assert.equal(p.status, 200);
    const first = p.body.res as ReviewPair;
    const verdict = await asAna('review.verdict', { checkerId: ana, pairId: first.pair.id, itemKey: 'basic:A:clear', verdict: 'reject' });
    assert.equal(verdict.status, 200, JSON.stringify(verdict.body));
    assert.equal((await asAna('review.search', { checkerId: ana, kind: 'undecided', limit: 1 })).status, 200);

    // Never ben's share, in any channel that names a checker.
    for (const [channel, req] of [
      ['review.checkerRound', { checkerId: ben }], ['review.pair', { checkerId: ben, position: 0 }],
      ['review.verdict', { checkerId: ben, pairId: first.pair.id, itemKey: 'basic:A:clear', verdict: 'approve' }],
      ['review.cursor', { checkerId: ben, position: 0, itemKey: null }], ['review.search', { checkerId: ben, kind: 'undecided' }],
      ['review.approveRest', { checkerId: ben, pairId: first.pair.id }], ['review.undo', { checkerId: ben }],
    ] as const) {
      const r = await asAna(channel, req);
      assert.equal(r.status, 403, `${channel} as ben`);
      assert.equal(r.body.error?.message, "A checker's link reviews that checker's own pairs only, not another checker's.");
    }
    // Nor any other channel: not the round's agreement, nor the pairs of the study, nor the coordinator's ones.
    const others = CHANNELS.filter((c) => !CHECKER_CHANNELS.has(c));
    assert.ok(others.includes('review.agreement') && others.includes('pairs.query') && others.includes('review.makePackage'));
    for (const channel of others) {
      const r = await asAna(channel, { checkerId: ana, roundId: round.id, studyId });
      assert.equal(r.status, 403, channel);
      assert.equal(r.body.error?.code, 'FORBIDDEN');
    }
    assert.equal(studio.storage.verdicts.checkerVerdicts(ben).length, 0, 'nothing of ben\'s was written');

    // The coordinator's token: from 127.0.0.1 on either address, never from another address.
    assert.equal((await coordinator('review.agreement', { roundId: round.id })).status, 200);
    assert.equal((await coordinator('review.agreement', { roundId: round.id }, '127.0.0.1', HOST)).status, 200);
    const remote = await coordinator('review.agreement', { roundId: round.id }, HOST, HOST);
    assert.equal(remote.status, 403);
    assert.match(remote.body.error!.message, /works on the coordinator's own machine only/);
    // A checker's token cannot be bent into the coordinator's: a forged one for ana, or one for another id.
    assert.equal((await callFrom(HOST, HOST, bridge.port, `c${ben}-${'0'.repeat(40)}`, 'review.pair', { checkerId: ben, position: 0 })).status, 401);
    const forged = anaToken.slice(0, -1) + (anaToken.endsWith('0') ? '1' : '0');
    assert.equal((await callFrom(HOST, HOST, bridge.port, forged, 'app.info', {})).status, 401);

    // Events go to the coordinator's socket only; the coordinator's token opens no socket from another address.
    const open = (token: string, from: string, to: string) => new Promise<{ socket: WebSocket | null; status: number }>((resolve) => {
      const ws = new WebSocket(`ws://${to}:${bridge.port}/events?token=${token}`, { localAddress: from });
      ws.on('open', () => resolve({ socket: ws, status: 101 }));
      ws.on('unexpected-response', (_req, res) => resolve({ socket: null, status: res.statusCode ?? 0 }));
      ws.on('error', () => resolve({ socket: null, status: 0 }));
    });
    assert.equal((await open(bridge.token, HOST, HOST)).status, 403);
    const theirs = await open(anaToken, HOST, HOST);
    const ours = await open(bridge.token, '127.0.0.1', '127.0.0.1');
    const heard: string[] = [];
    theirs.socket!.on('message', (m) => heard.push(`ana:${String(m)}`));
    const told = new Promise<void>((resolve) => ours.socket!.on('message', (m) => { heard.push(`coordinator:${String(m)}`); resolve(); }));
    bridge.emit('review.changed', { roundId: round.id });
    await told;
    // A ping round trip on ana's socket: anything sent to her before it would have arrived by now.
    await new Promise<void>((resolve) => { theirs.socket!.once('pong', () => resolve()); theirs.socket!.ping(); });
    assert.deepEqual(heard, [`coordinator:${JSON.stringify({ event: 'review.changed', payload: { roundId: round.id } })}`]);
    theirs.socket!.close();
    ours.socket!.close();
  } finally {
    await bridge.close();
    await studio.close();
  }
});
