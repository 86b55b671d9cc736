// Annotation: the paper's prompts through an OpenAI-compatible endpoint (issue 5; section 3.3-3.4, appendix A, F).
import type { ExportedFile, Id, Name, Offset, PageLimit, TableFormat, Text } from './common';

/** scenario: each query's fine scenario of Table 8 and whether it is unsafe (issue 18). */
export type AnnotationJobKind = 'annotate' | 'judge' | 'reasons' | 'scenario';
export type AnnotationJobStatus = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';
/** direct: one request per call, within the rate limits; batch: the OpenAI Batch API (JSONL upload, polling), half price. */
export type AnnotationMode = 'direct' | 'batch';

/** Where and how model calls go. The API key is never part of these settings (see 'annotate.setKey'). */
export interface EndpointSettings {
  model: Name;
  /** '' for OpenAI itself; otherwise an OpenAI-compatible server's URL ending in /v1 (vLLM, Ollama, LM Studio, llama.cpp, Azure). */
  baseUrl: Name;
  /** Requests in flight at once. */
  concurrency: number;
  requestsPerMinute: number;
  tokensPerMinute: number;
  timeoutSeconds: number;
  /** Tries per request, the first included, on 429, 5xx, timeouts and lost connections. */
  maxAttempts: number;
  /** Ask for a JSON object (response_format) where the prompt wants JSON; off for servers without it. */
  jsonMode: boolean;
  /** Seconds between polls of a Batch API job. */
  batchPollSeconds: number;
  /**
   * The model of the endpoint's moderation API (/v1/moderations) that flags unsafe queries; '' where the endpoint has
   * none (local servers): the scenario prompt then also asks whether the query is unsafe.
   */
  moderationModel: string;
}

/** US dollars per million tokens; the Batch API costs half. */
export interface ModelPrice { model: Name; inputPerMillion: number; outputPerMillion: number }

export interface ApiKeyStatus {
  present: boolean;
  /** Where the key is kept, in words. */
  location: string;
  /** False in browser mode, where the key is read from the environment. */
  settable: boolean;
}

/** What one tiny request to an endpoint showed ("Test connection", `annotate --check`). */
export interface ConnectionCheck {
  ok: boolean;
  /** The address, as said to the user (api.openai.com for OpenAI's own). */
  baseUrl: string;
  /** The model asked for. */
  model: string;
  /** The model the endpoint says answered (OpenAI names the dated version); null without an answer. */
  answeredBy: string | null;
  /** Milliseconds from sending the request to its whole answer. */
  latencyMs: number | null;
  /** Whether the answer carried log-probabilities (judge labels need them); null without an answer. */
  logprobs: boolean | null;
  /** Whether response_format json_object was accepted and the answer was a JSON object; null without an answer. */
  jsonMode: boolean | null;
  /** One sentence: what answered and what works, or why nothing did. */
  message: string;
}

export interface AnnotateSettings { endpoint: EndpointSettings; prices: ModelPrice[]; key: ApiKeyStatus; promptVersion: string }

export interface AnnotationJobRequest {
  studyId: Id;
  kind: AnnotationJobKind;
  /**
   * missing: pairs without an annotation (annotate), without this judge's label (judge), not yet explained (reasons),
   * without a scenario (scenario). A scenario set by hand is never changed by a job, whatever the scope.
   */
  scope: 'missing' | 'all';
  /** At most this many pairs, in pair order. */
  limit?: number;
  mode: AnnotationMode;
  /** The job stops before it could spend more than this many US dollars; null: no cap. */
  costCap: number | null;
  /** judge: the name the labels are stored under (default: the model); reasons: whose preferences are explained (default: human). */
  judge?: Name;
}

export interface CostEstimate {
  pairs: number;
  /** Model calls the job is expected to make (the second round only where round one finds something), cache hits left out. */
  calls: number;
  /** Calls already answered in the request cache: they cost nothing again. */
  cachedCalls: number;
  inputTokens: number;
  outputTokens: number;
  /** US dollars; null when the price table has no price for the model. */
  cost: number | null;
  /** Every answer at its token limit: what the cost cap guards against. */
  worstCaseCost: number | null;
  note: string;
  /** How the prompts' tokens were counted: the model's own tokenizer (OpenAI models), or about four characters a token. */
  tokenCounting: string;
}

export interface AnnotationJob {
  id: number;
  studyId: number;
  kind: AnnotationJobKind;
  status: AnnotationJobStatus;
  mode: AnnotationMode;
  model: string;
  baseUrl: string;
  promptVersion: string;
  /** judge: whose labels are written; reasons: whose preferences are explained. */
  judge: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  total: number;
  done: number;
  failed: number;
  pending: number;
  /** US dollars paid for answers this job received (cache hits are free). */
  spent: number;
  costCap: number | null;
  estimate: number | null;
  requests: number;
  cacheHits: number;
  retries: number;
  /** Why the job stopped or failed, in one sentence. */
  message: string | null;
  etaSeconds: number | null;
  /**
   * A paused or failed job whose address is not the one the endpoint settings name now: that address (it can
   * resume there with `useCurrentEndpoint`); null otherwise.
   */
  endpointNow: string | null;
  /** The estimate's tokens when the job was started, and how they were counted; null for jobs from before. */
  estimateTokens: { input: number; output: number; counting: string } | null;
  /** The tokens the job's answers cost, as the endpoint's usage reported them (cache hits cost none). */
  usedTokens: { input: number; output: number };
  /** Seconds left while the job's requests wait for the rate limit (a 429's wait, or the limits per minute); null otherwise. */
  rateLimitWaitSeconds: number | null;
}

export interface AnnotationJobItem {
  pairId: number;
  externalId: string;
  queryPreview: string;
  status: 'pending' | 'done' | 'failed';
  /** Why the item failed: the stage and what was wrong with the answer. */
  error: string | null;
  attempts: number;
}

/** An LLM judge's positional bias (section 3.3): both orders of every pair it labelled in a job. */
export interface JudgeReport {
  judge: string;
  pairs: number;
  /** Mean probability that the response shown first is preferred, minus 0.5: > 0 favours the first position. */
  positionalBias: number;
  /** Share of (pair, order) verdicts that chose the response shown first. */
  firstShownPreferred: number;
  /** Share of pairs whose verdict changes when the order is swapped. */
  flipped: number;
  /** Agreement of the averaged label with the human label, where the pair has one. */
  agreementWithHuman: number | null;
  humanPairs: number;
}

/** A normalised reason (canonical-basis paper, figure 5) proposed as a candidate property. */
export interface ReasonCategory { category: string; pairs: number; share: number; reasons: string[] }
export interface ReasonsReport {
  judge: string;
  /** Pairs with reasons. */
  pairs: number;
  categories: ReasonCategory[];
  /** Reasons the model could not normalise, with its note. */
  unresolved: { reason: string; error: string }[];
}

export type AnnotationTable = 'failures' | 'judge' | 'reasons';

/** The annotate channels: request and reply of each. */
export interface AnnotateContract {
  // annotation (issue 5): jobs of model calls with the paper's prompts; progress as job.progress (kind annotate, judge, reasons)
  'annotate.settings': { req: Record<string, never>; res: AnnotateSettings };
  'annotate.saveSettings': { req: { endpoint?: Partial<EndpointSettings>; prices?: ModelPrice[] }; res: AnnotateSettings };
  /** Keeps the API key in the system keychain (Electron); refused in browser mode, where it comes from OPENAI_API_KEY. */
  'annotate.setKey': { req: { apiKey: Text }; res: ApiKeyStatus };
  /** Sends one tiny request to the endpoint as saved, with `endpoint`'s fields in place of the saved ones (not saved). */
  'annotate.checkConnection': { req: { endpoint?: Partial<EndpointSettings> }; res: ConnectionCheck };
  'annotate.estimate': { req: AnnotationJobRequest; res: CostEstimate };
  'annotate.start': { req: AnnotationJobRequest; res: AnnotationJob };
  'annotate.jobs': { req: { studyId: Id }; res: AnnotationJob[] };
  'annotate.items': { req: { jobId: Id; status?: AnnotationJobItem['status']; offset: Offset; limit: PageLimit }; res: { total: number; rows: AnnotationJobItem[] } };
  /** Stops after the requests in flight have answered; nothing answered is lost. */
  'annotate.pause': { req: { jobId: Id }; res: AnnotationJob };
  /**
   * Continues a paused, stopped or interrupted job; `costCap` replaces its cap. The job keeps its own address unless
   * `useCurrentEndpoint` moves it to the endpoint settings' (a job that failed on a wrong address).
   */
  'annotate.resume': { req: { jobId: Id; costCap?: number | null; useCurrentEndpoint?: boolean }; res: AnnotationJob };
  'annotate.cancel': { req: { jobId: Id }; res: AnnotationJob };
  /** Sends the failed items (or the given ones) again; answers that could not be used are asked anew. */
  'annotate.retry': { req: { jobId: Id; pairIds?: Id[] }; res: AnnotationJob };
  'annotate.judgeReport': { req: { jobId: Id }; res: JudgeReport };
  'annotate.reasons': { req: { jobId: Id }; res: ReasonsReport };
  'annotate.table': { req: { jobId: Id; table: AnnotationTable; format: TableFormat }; res: ExportedFile };
}
export type AnnotateChannel = keyof AnnotateContract;
