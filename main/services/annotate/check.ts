// "Test connection": one tiny chat request to the endpoint as set (saved or not) that reports which model
// answered, how long it took, and whether the two things jobs rely on work: log-probabilities (judge labels,
// section 3.3) and JSON mode (response_format). A server that refuses one of them with a 400 is asked again
// without it, so the report says which one it refused; any other failure is one sentence.
import { performance } from 'node:perf_hooks';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { ConnectionCheck, EndpointSettings } from '../../../preload/contract';
import { connectionReason, describe, endpointName, isOpenAi, openAiClient, redact, type ChatRequest } from './caller';

/** The check's whole prompt; JSON mode needs the word JSON in the messages. */
export const CHECK_PROMPT = 'Reply with the JSON object {"ok": true} and nothing else.';

/** Long enough for the answer; the check must cost next to nothing. */
const CHECK_MAX_TOKENS = 16;

/** The check waits for the endpoint's own timeout, but never longer than this. */
const CHECK_TIMEOUT_SECONDS = 30;

interface Asked { jsonMode: boolean; logprobs: boolean }

export async function checkConnection(endpoint: EndpointSettings, apiKey: string | null, keyLocation: string): Promise<ConnectionCheck> {
  const where = endpointName(endpoint.baseUrl);
  const base = { baseUrl: where, model: endpoint.model, answeredBy: null, latencyMs: null, logprobs: null, jsonMode: null };
  if (!apiKey && isOpenAi(endpoint.baseUrl)) return { ...base, ok: false, message: `There is no API key for OpenAI: it is read from ${keyLocation}.` };
  const timeoutSeconds = Math.min(endpoint.timeoutSeconds, CHECK_TIMEOUT_SECONDS);
  const client = openAiClient(endpoint.baseUrl, apiKey, timeoutSeconds);
  const send = async (asked: Asked) => {
    const request: ChatRequest = {
      model: endpoint.model, messages: [{ role: 'user', content: CHECK_PROMPT }], temperature: 0, max_tokens: CHECK_MAX_TOKENS, seed: 42,
      ...(asked.jsonMode ? { response_format: { type: 'json_object' as const } } : {}),
      ...(asked.logprobs ? { logprobs: true, top_logprobs: 2 } : {}),
    };
    const started = performance.now();
    const body = await client.chat.completions.create(request as Parameters<typeof client.chat.completions.create>[0] & { stream?: false });
    return { body, latencyMs: Math.round(performance.now() - started) };
  };
  // Both first; on a 400, without JSON mode, then without log-probabilities, then without both.
  const tries: Asked[] = [{ jsonMode: true, logprobs: true }, { jsonMode: false, logprobs: true }, { jsonMode: true, logprobs: false }, { jsonMode: false, logprobs: false }];
  const refused: string[] = [];
  for (const asked of tries) {
    try {
      const { body, latencyMs } = await send(asked);
      const choice = body.choices?.[0];
      const content = choice?.message?.content ?? '';
      const logprobs = asked.logprobs && (choice?.logprobs?.content?.length ?? 0) > 0;
      const jsonMode = asked.jsonMode && isJsonObject(content);
      const answeredBy = body.model || endpoint.model;
      const works = (what: string, on: boolean, wasAsked: boolean) => `${what} ${on ? 'work' : wasAsked ? 'do not work (asked for, none came back)' : 'do not work (refused)'}`;
      const message = `${answeredBy} answered at ${where} in ${latencyMs} ms; ${works('log-probabilities', logprobs, asked.logprobs)}; ${
        jsonMode ? 'JSON mode works' : asked.jsonMode ? 'JSON mode does not work (the answer was not a JSON object)' : 'JSON mode does not work (refused)'}.`;
      return { ...base, ok: true, answeredBy, latencyMs, logprobs, jsonMode, message: redact(message, apiKey) };
    } catch (err) {
      if (err instanceof APIError && err.status === 400) {
        refused.push(err.message.replace(/^\d+\s*/, ''));
        continue;
      }
      return { ...base, ok: false, message: redact(failure(err, where, timeoutSeconds, endpoint.model), apiKey) };
    }
  }
  return { ...base, ok: false, message: redact(`The endpoint refused even the plainest request (400): ${refused.at(-1)}`, apiKey) };
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** One sentence for a check that got no answer. */
function failure(err: unknown, where: string, timeoutSeconds: number, model: string): string {
  if (err instanceof APIConnectionTimeoutError) return `No answer from ${where} within ${timeoutSeconds} s.`;
  if (err instanceof APIConnectionError) return `Cannot reach ${where}: ${connectionReason(err)}.`;
  if (err instanceof APIError && err.status === 404) {
    const detail = err.message.replace(/^\d+\s*/, '');
    // OpenAI says model_not_found; vLLM, Ollama and others say so in words. Any other 404 is a wrong path.
    if (err.code === 'model_not_found' || /model/i.test(detail)) return `${where} does not know the model "${model}" (404): ${detail}`;
    return `${where} has no chat completions API (404: ${detail}); an OpenAI-compatible base URL usually ends in /v1.`;
  }
  return describe(err, 1, { maxAttempts: 1, timeoutMs: timeoutSeconds * 1000, baseDelayMs: 0, maxDelayMs: 0, random: Math.random }, where);
}
