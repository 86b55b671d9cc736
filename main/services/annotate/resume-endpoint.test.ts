// A job that failed on a wrong address, after the endpoint was fixed: a plain resume keeps the job's own address
// and says so; resuming with the current endpoint moves the job there and finishes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bench, deadPort } from './testing/harness';

test('failed on a dead port, the endpoint fixed: a plain resume says it keeps the old address; with the current endpoint it finishes', async () => {
  const dead = `http://127.0.0.1:${await deadPort()}/v1`;
  const b = await bench({ endpoint: { maxAttempts: 2 } });
  try {
    const good = b.fake.url;
    b.storage.endpoint.saveEndpointSettings({ ...b.runner.endpoint(), baseUrl: dead });
    const jobId = await b.run({ kind: 'scenario' });
    const failed = b.runner.job(jobId);
    assert.equal(failed.status, 'failed');
    assert.match(failed.message!, new RegExp(`^Cannot reach ${dead.replace(/[.:/]/g, '\\$&')} \\(.*\\), 2 times\\.$`));
    assert.equal(failed.endpointNow, null, 'the settings still name the job\'s address');

    b.storage.endpoint.saveEndpointSettings({ ...b.runner.endpoint(), baseUrl: `${good}/` });
    assert.equal(b.runner.jobs(b.studyId)[0].endpointNow, good, 'the job list says where the endpoint is now');

    b.events.length = 0;
    b.runner.resume(jobId);
    await b.runner.idle();
    const again = b.runner.job(jobId);
    assert.equal(again.status, 'failed');
    assert.equal(again.baseUrl, dead);
    const said = `Resumed at ${dead}, the job's own endpoint; the endpoint settings now name ${good} (resume with the current endpoint to use it).`;
    assert.ok(again.message!.endsWith(said), again.message!);
    assert.ok(b.events.some((e) => e.state === 'running' && e.message.endsWith(said)), 'the progress says it while the job runs');
    assert.equal(b.fake.requests.length, 0, 'nothing went to the fixed endpoint');

    b.runner.resume(jobId, undefined, undefined, true);
    await b.runner.idle();
    const done = b.runner.job(jobId);
    assert.equal(done.status, 'done', done.message ?? '');
    assert.equal(done.done, 4);
    assert.equal(done.baseUrl, `${good}/`);
    assert.equal(done.endpointNow, null);
    assert.ok(done.message!.endsWith(`Resumed at ${good}, the current endpoint (it was started at ${dead}).`), done.message!);
    assert.equal(b.fake.answered().filter((r) => r.kind === 'scenario').length, 4);
  } finally {
    await b.close();
  }
});
