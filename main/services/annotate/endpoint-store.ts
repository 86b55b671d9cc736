// The annotation's endpoint settings, model prices and request cache (an answer is paid for once).
import type { EndpointSettings, ModelPrice } from '../../../preload/contract';

import { transaction, type DB } from '../db/database';


export class EndpointStore {
  constructor(private readonly db: DB) {}

  endpointSettings(): EndpointSettings | null {
    const r = this.db.prepare('SELECT * FROM endpoint_settings WHERE id = 1').get() as Record<string, unknown> | undefined;
    if (!r) return null;
    return {
      model: r.model as string, baseUrl: r.base_url as string, concurrency: r.concurrency as number,
      requestsPerMinute: r.requests_per_minute as number, tokensPerMinute: r.tokens_per_minute as number,
      timeoutSeconds: r.timeout_seconds as number, maxAttempts: r.max_attempts as number, jsonMode: r.json_mode === 1,
      batchPollSeconds: r.batch_poll_seconds as number, moderationModel: r.moderation_model as string,
    };
  }

  saveEndpointSettings(e: EndpointSettings): void {
    this.db.prepare(`INSERT OR REPLACE INTO endpoint_settings (id, model, base_url, concurrency, requests_per_minute,
      tokens_per_minute, timeout_seconds, max_attempts, json_mode, batch_poll_seconds, moderation_model) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(e.model, e.baseUrl, e.concurrency, e.requestsPerMinute, e.tokensPerMinute, e.timeoutSeconds, e.maxAttempts, e.jsonMode ? 1 : 0, e.batchPollSeconds, e.moderationModel);
  }

  modelPrices(): ModelPrice[] {
    return this.db.prepare('SELECT model, input_per_million AS inputPerMillion, output_per_million AS outputPerMillion FROM model_prices ORDER BY model')
      .all() as ModelPrice[];
  }

  /** The whole price table at once. */
  replaceModelPrices(prices: ModelPrice[]): void {
    const insert = this.db.prepare('INSERT INTO model_prices (model, input_per_million, output_per_million) VALUES (?, ?, ?)');
    transaction(this.db, () => {
      this.db.prepare('DELETE FROM model_prices').run();
      for (const p of prices) insert.run(p.model, p.inputPerMillion, p.outputPerMillion);
    });
  }

  /** A cached answer by its request's hash. */
  cachedAnswer(hash: string): unknown {
    const row = this.db.prepare('SELECT response_json FROM request_cache WHERE hash = ?').get(hash) as { response_json: string } | undefined;
    return row ? JSON.parse(row.response_json) : null;
  }

  /** Which of these hashes are answered in the cache. */
  cachedHashes(hashes: string[]): Set<string> {
    const has = this.db.prepare('SELECT 1 FROM request_cache WHERE hash = ?');
    return new Set(hashes.filter((h) => has.get(h)));
  }

  /** Fresh answers: cached, and put on the job's bill, together. A Batch API job's output clears its batch too. */
  cacheAnswers(jobId: number, answers: { hash: string; model: string; answer: { usage: { input: number; output: number } }; cost: number }[], batchDone = false): void {
    const insert = this.db.prepare(`INSERT OR REPLACE INTO request_cache (hash, model, response_json, prompt_tokens, completion_tokens, cost, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const bill = this.db.prepare(`UPDATE annotation_jobs SET spent = spent + ?, requests = requests + 1, input_tokens = input_tokens + ?,
      output_tokens = output_tokens + ? WHERE id = ?`);
    transaction(this.db, () => {
      const now = new Date().toISOString();
      for (const a of answers) {
        insert.run(a.hash, a.model, JSON.stringify(a.answer), a.answer.usage.input, a.answer.usage.output, a.cost, now);
        bill.run(a.cost, a.answer.usage.input, a.answer.usage.output, jobId);
      }
      if (batchDone) this.db.prepare('UPDATE annotation_jobs SET batch_json = NULL WHERE id = ?').run(jobId);
    });
  }

  cacheAnswer(a: { hash: string; model: string; answer: { usage: { input: number; output: number } }; cost: number; jobId: number }): void {
    this.cacheAnswers(a.jobId, [a]);
  }
}
