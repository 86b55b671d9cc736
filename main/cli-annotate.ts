// `preference-studio annotate`: a job of model calls through the same runner the Annotate view uses (started, or
// resumed where a stopped one of the same kind left off), and `annotate --check`, the view's "Test connection".
import { existsSync } from 'node:fs';
import type { EndpointSettings } from '../preload/contract';
import { AppFailure } from './services/errors';
import { UsageError, type Output, parse, openStorage, number, progressBar, databasePath } from './cli-common';

export async function annotateCommand(args: string[], o: Output): Promise<void> {
  const { values } = parse(args, {
    study: { type: 'string' }, model: { type: 'string' }, 'base-url': { type: 'string' }, batch: { type: 'boolean' },
    kind: { type: 'string' }, judge: { type: 'string' }, all: { type: 'boolean' }, limit: { type: 'string' },
    'cost-cap': { type: 'string' }, concurrency: { type: 'string' }, timeout: { type: 'string' }, poll: { type: 'string' },
    tries: { type: 'string' }, 'retry-failed': { type: 'boolean' }, 'moderation-model': { type: 'string' },
    'current-endpoint': { type: 'boolean' }, check: { type: 'boolean' },
  }, 0);
  const flags: Partial<EndpointSettings> = {
    ...(values.model ? { model: values.model } : {}), ...(values['base-url'] !== undefined ? { baseUrl: values['base-url'] } : {}),
    ...(values.concurrency ? { concurrency: number('concurrency', values.concurrency) } : {}),
    ...(values.timeout ? { timeoutSeconds: number('timeout', values.timeout, false) } : {}),
    ...(values.tries ? { maxAttempts: number('tries', values.tries) } : {}),
    ...(values.poll ? { batchPollSeconds: number('poll', values.poll, false) } : {}),
    ...(values['moderation-model'] !== undefined ? { moderationModel: values['moderation-model'] } : {}),
  };
  if (values.check) return check(flags, values.db, o);
  if (!values.study) throw new UsageError('Name the study with --study NAME.');
  const kind = (values.kind ?? 'annotate') as 'annotate' | 'judge' | 'reasons' | 'scenario';
  if (!['annotate', 'judge', 'reasons', 'scenario'].includes(kind)) throw new UsageError(`--kind must be annotate, judge, reasons or scenario, not "${kind}".`);
  const limit = number('limit', values.limit);
  if (limit !== undefined && limit < 1) throw new UsageError(`--limit must be at least 1, not ${limit}.`);
  const costCap = number('cost-cap', values['cost-cap'], false);
  if (costCap !== undefined && costCap <= 0) throw new UsageError(`--cost-cap must be a positive number of US dollars, not ${costCap}.`);
  if (values['current-endpoint'] && values['retry-failed']) throw new UsageError('--current-endpoint resumes a stopped job; --retry-failed asks a job\'s failed pairs again: use one.');
  const storage = await openStorage(values.db, true);
  const { AnnotationRunner, rateLimitWait } = await import('./services/annotate/pipeline');
  const { environmentSecrets } = await import('./services/annotate/secrets');
  const { checkEndpoint } = await import('./services/annotate/handlers');
  const { endpointName, normaliseBaseUrl } = await import('./services/annotate/caller');
  const bar = progressBar(`${kind} ${values.study}`);
  const runner = new AnnotationRunner({
    storage, secrets: environmentSecrets(),
    emit: (p) => bar({ fraction: p.total ? p.done / p.total : 0, etaSeconds: p.etaSeconds, note: p.rateLimitWaitSeconds == null ? null : rateLimitWait(p.rateLimitWaitSeconds) }),
  });
  try {
    const studyId = storage.studies.studyIdByName(values.study);
    if (studyId === null) throw new AppFailure('NOT_FOUND', `There is no study named "${values.study}".`);
    const endpoint = checkEndpoint({ ...runner.endpoint(), ...flags });
    const mode = values.batch ? 'batch' as const : 'direct' as const;
    const stoppedJob = (j: { status: string }) => j.status === 'paused' || j.status === 'failed';
    const sameAddress = (j: { baseUrl: string }) => normaliseBaseUrl(j.baseUrl) === normaliseBaseUrl(endpoint.baseUrl);
    // The latest job of this kind with this model that stopped before its end is resumed rather than redone: on its
    // own address, or moved to this one with --current-endpoint.
    const kindJobs = runner.jobs(studyId).filter((j) => j.kind === kind && j.model === endpoint.model && j.mode === mode);
    const same = kindJobs.filter(sameAddress);
    let job;
    let resumed = false;
    if (values['retry-failed']) {
      const withFailures = same.find((j) => j.failed > 0 && j.status !== 'cancelled');
      if (!withFailures) throw new AppFailure('NOTHING_TO_RETRY', `No ${kind} job of "${values.study}" with ${endpoint.model} has failed pairs to retry.`);
      job = runner.retry(withFailures.id);
      resumed = true;
    } else if (values['current-endpoint']) {
      const stopped = kindJobs.find(stoppedJob);
      if (!stopped) throw new AppFailure('NOTHING_TO_RESUME', `No ${kind} job of "${values.study}" with ${endpoint.model} is paused or failed, so there is none to resume at ${endpointName(endpoint.baseUrl)}.`);
      job = runner.resume(stopped.id, costCap, endpoint, true);
      resumed = true;
    } else {
      const stopped = same.find(stoppedJob);
      const elsewhere = kindJobs.find((j) => stoppedJob(j) && !sameAddress(j));
      if (stopped) {
        job = runner.resume(stopped.id, costCap, endpoint);
        resumed = true;
      } else {
        job = runner.start({ studyId, kind, scope: values.all ? 'all' : 'missing', mode, costCap: costCap ?? null, limit, judge: values.judge }, endpoint);
        if (elsewhere && !o.json) o.err(`Job ${elsewhere.id}, stopped at ${endpointName(elsewhere.baseUrl)}, is left as it is; --current-endpoint would resume it at ${endpointName(endpoint.baseUrl)} instead.`);
      }
    }
    if (!o.json) o.err(`${resumed ? 'Resuming' : 'Started'} job ${job.id}: ${job.total} pairs with ${job.model} at ${endpointName(storage.annotate.annotationJob(job.id).baseUrl)}${job.done ? ` (${job.done} done before)` : ''}.`);
    const pause = () => runner.pause(job.id);
    process.once('SIGINT', pause);
    await runner.idle();
    process.off('SIGINT', pause);
    const end = runner.job(job.id);
    const failures = storage.annotate.annotationItems({ jobId: end.id, status: 'failed', offset: 0, limit: 500 }).rows;
    if (o.json) {
      o.out(JSON.stringify({ ...end, resumed, failures: failures.map((f) => ({ pair: f.externalId, reason: f.error })) }));
    } else {
      o.out(`Job ${end.id} (${end.kind}, ${end.model}${end.mode === 'batch' ? ', Batch API' : ''}): ${end.done} of ${end.total} pairs done, ${end.failed} failed; $${end.spent.toFixed(4)} spent, ${end.requests} requests sent, ${end.cacheHits} answers from the cache, ${end.retries} retries.`);
      for (const f of failures) o.out(`  failed: ${f.externalId}: ${f.error}`);
    }
    if (end.status !== 'done') throw new AppFailure(end.status.toUpperCase(), end.message ?? `The job is ${end.status}.`);
    if (end.failed > 0) throw new AppFailure('ITEMS_FAILED', `${end.failed} pairs failed (reasons above); run again with --retry-failed to ask for them again.`);
  } finally {
    await runner.close();
    storage.close();
  }
}

/** The endpoint as saved (where a database is) with the flags over it: one tiny request, its report on stdout. */
async function check(flags: Partial<EndpointSettings>, db: string | undefined, o: Output): Promise<void> {
  const { DEFAULT_ENDPOINT } = await import('./services/annotate/cost');
  const { checkEndpoint } = await import('./services/annotate/handlers');
  const { checkConnection } = await import('./services/annotate/check');
  const { environmentSecrets, API_KEY } = await import('./services/annotate/secrets');
  let saved: EndpointSettings | null = null;
  if (existsSync(databasePath(db))) {
    const storage = await openStorage(db, true);
    try {
      saved = storage.endpoint.endpointSettings();
    } finally {
      storage.close();
    }
  }
  const secrets = environmentSecrets();
  const result = await checkConnection(checkEndpoint({ ...DEFAULT_ENDPOINT, ...saved, ...flags }), await secrets.get(API_KEY), secrets.location);
  if (o.json) o.out(JSON.stringify(result));
  else if (result.ok) o.out(result.message);
  if (!result.ok) throw new AppFailure('CONNECTION_FAILED', result.message);
}
