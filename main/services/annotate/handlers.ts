// The annotation channels: endpoint settings and prices (never the key), the key kept in the keychain, cost
// estimates, and jobs (start, pause, resume, cancel, retry) with their items, judge reports and reasons.
import type { AnnotateChannel, AnnotateSettings, AnnotationTable, EndpointSettings, ModelPrice } from '../../../preload/contract';
import type { HandlerGroup, StudioContext } from '../context';
import { AppFailure } from '../errors';
import { AnnotationRunner } from './pipeline';
import { judgeReport } from './labels';
import { reasonsReport } from './reasons';
import { API_KEY, environmentSecrets } from './secrets';
import { PROMPT_VERSION } from './prompts';
import { normaliseBaseUrl } from './caller';
import { checkConnection } from './check';
import { tableFile, type Table } from '../tables';

const LIMITS: Record<Exclude<keyof EndpointSettings, 'model' | 'baseUrl' | 'jsonMode' | 'moderationModel'>, { min: number; max: number; whole: boolean; label: string }> = {
  concurrency: { min: 1, max: 256, whole: true, label: 'Concurrency' },
  requestsPerMinute: { min: 1, max: 1_000_000, whole: true, label: 'Requests per minute' },
  tokensPerMinute: { min: 100, max: 1e9, whole: true, label: 'Tokens per minute' },
  timeoutSeconds: { min: 0.1, max: 3600, whole: false, label: 'Timeout' },
  maxAttempts: { min: 1, max: 20, whole: true, label: 'Tries per request' },
  batchPollSeconds: { min: 1, max: 3600, whole: false, label: 'Batch poll interval' },
};

export function checkEndpoint(e: EndpointSettings): EndpointSettings {
  const model = String(e.model ?? '').trim();
  if (!model) throw new AppFailure('INVALID', 'Name the model to call (for example gpt-4-1106-preview).');
  const baseUrl = normaliseBaseUrl(String(e.baseUrl ?? ''));
  if (baseUrl && !/^https?:\/\/[^\s/]+/.test(baseUrl)) throw new AppFailure('INVALID', `The base URL must start with http:// or https:// (for example http://127.0.0.1:11434/v1), not "${baseUrl}".`);
  for (const [key, l] of Object.entries(LIMITS) as [keyof typeof LIMITS, (typeof LIMITS)[keyof typeof LIMITS]][]) {
    const v = e[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < l.min || v > l.max || (l.whole && !Number.isInteger(v))) {
      throw new AppFailure('INVALID', `${l.label} must be ${l.whole ? 'a whole number' : 'a number'} from ${l.min} to ${l.max}, not ${String(v)}.`);
    }
  }
  if (typeof e.jsonMode !== 'boolean') throw new AppFailure('INVALID', 'JSON mode must be on or off.');
  return { ...e, model, baseUrl, moderationModel: String(e.moderationModel ?? '').trim() };
}

function checkPrices(prices: ModelPrice[]): ModelPrice[] {
  const seen = new Set<string>();
  return prices.map((p) => {
    const model = String(p.model ?? '').trim();
    if (!model) throw new AppFailure('INVALID', 'Every price needs a model name.');
    if (seen.has(model)) throw new AppFailure('INVALID', `${model} is priced twice.`);
    seen.add(model);
    for (const [label, v] of [['input', p.inputPerMillion], ['output', p.outputPerMillion]] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new AppFailure('INVALID', `The ${label} price of ${model} must be a number of dollars per million tokens, 0 or more.`);
    }
    return { model, inputPerMillion: p.inputPerMillion, outputPerMillion: p.outputPerMillion };
  });
}

export function annotateHandlers(context: StudioContext): HandlerGroup<AnnotateChannel> {
  const { storage } = context;
  const secrets = context.options.secrets ?? environmentSecrets();
  const runner = new AnnotationRunner({ storage, secrets, emit: (p) => context.emit('job.progress', p) });
  context.onClose(() => runner.close());

  const settings = async (): Promise<AnnotateSettings> => ({
    endpoint: runner.endpoint(),
    prices: storage.endpoint.modelPrices(),
    key: { present: (await secrets.get(API_KEY)) !== null, location: secrets.location, settable: secrets.settable },
    promptVersion: PROMPT_VERSION,
  });

  const table = (jobId: number, which: AnnotationTable): Table => {
    const job = storage.annotate.annotationJob(jobId);
    if (which === 'failures') {
      const rows = storage.annotate.annotationItems({ jobId, status: 'failed', offset: 0, limit: 500 }).rows;
      return { title: `Failed items of annotation job ${jobId}`, columns: ['pair', 'query', 'attempts', 'reason'], rows: rows.map((r) => [r.externalId, r.queryPreview, r.attempts, r.error]) };
    }
    if (which === 'judge') {
      if (job.kind !== 'judge') throw new AppFailure('INVALID', `Job ${jobId} did not collect judge labels.`);
      const r = judgeReport(job.judge!, storage.annotate.judgeOrders(jobId));
      return {
        title: `Positional bias of ${r.judge}`, columns: ['judge', 'pairs', 'positional bias', 'first shown preferred', 'flipped by order', 'agreement with human'],
        rows: [[r.judge, r.pairs, r.positionalBias, r.firstShownPreferred, r.flipped, r.agreementWithHuman]],
      };
    }
    if (job.kind !== 'reasons') throw new AppFailure('INVALID', `Job ${jobId} did not collect reasons.`);
    const r = reasonsReport(job.judge!, storage.annotate.reasonsOf(jobId), storage.annotate.reasonCategories(jobId));
    return {
      title: `Candidate properties from the reasons for ${r.judge}'s preferences`, columns: ['candidate property', 'pairs', 'share of pairs', 'reasons'],
      rows: r.categories.map((c) => [c.category, c.pairs, c.share, c.reasons.join('; ')]),
    };
  };

  return {
    'annotate.settings': () => settings(),
    'annotate.saveSettings': async ({ endpoint, prices }) => {
      // Both are checked before either is written.
      const checkedEndpoint = endpoint ? checkEndpoint({ ...runner.endpoint(), ...endpoint }) : null;
      const checkedPrices = prices ? checkPrices(prices) : null;
      if (checkedEndpoint) storage.endpoint.saveEndpointSettings(checkedEndpoint);
      if (checkedPrices) storage.endpoint.replaceModelPrices(checkedPrices);
      return settings();
    },
    'annotate.setKey': async ({ apiKey }) => {
      await secrets.set(API_KEY, apiKey);
      return (await settings()).key;
    },
    'annotate.checkConnection': async ({ endpoint }) => checkConnection(checkEndpoint({ ...runner.endpoint(), ...endpoint }), await secrets.get(API_KEY), secrets.location),
    'annotate.estimate': (req) => runner.estimate(req),
    'annotate.start': (req) => runner.start(req),
    'annotate.jobs': ({ studyId }) => runner.jobs(studyId),
    'annotate.items': (q) => {
      storage.annotate.annotationJob(q.jobId);
      return storage.annotate.annotationItems(q);
    },
    'annotate.pause': ({ jobId }) => runner.pause(jobId),
    'annotate.resume': ({ jobId, costCap, useCurrentEndpoint }) => runner.resume(jobId, costCap, undefined, useCurrentEndpoint === true),
    'annotate.cancel': ({ jobId }) => runner.cancel(jobId),
    'annotate.retry': ({ jobId, pairIds }) => runner.retry(jobId, pairIds),
    'annotate.judgeReport': ({ jobId }) => {
      const job = storage.annotate.annotationJob(jobId);
      if (job.kind !== 'judge') throw new AppFailure('INVALID', `Job ${jobId} did not collect judge labels.`);
      return judgeReport(job.judge!, storage.annotate.judgeOrders(jobId));
    },
    'annotate.reasons': ({ jobId }) => {
      const job = storage.annotate.annotationJob(jobId);
      if (job.kind !== 'reasons') throw new AppFailure('INVALID', `Job ${jobId} did not collect reasons.`);
      return reasonsReport(job.judge!, storage.annotate.reasonsOf(jobId), storage.annotate.reasonCategories(jobId));
    },
    'annotate.table': ({ jobId, table: which, format }) => tableFile(table(jobId, which), format, ['annotation job', String(jobId), which]),
  };
}
