// Money: prices by model name, token estimates, and the guard that keeps the cost cap hard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CostCapReached, CostGuard, costOf, estimateTokens, priceFor } from './cost';

const price = { model: 'm', inputPerMillion: 1000, outputPerMillion: 2000 };

test('a model is priced by its own row or the longest model name it extends', () => {
  const prices = [{ model: 'gpt-4', inputPerMillion: 30, outputPerMillion: 60 }, { model: 'gpt-4o', inputPerMillion: 2.5, outputPerMillion: 10 }, { model: 'gpt-4o-mini', inputPerMillion: 0.15, outputPerMillion: 0.6 }];
  assert.equal(priceFor(prices, 'gpt-4o-2024-08-06')?.model, 'gpt-4o');
  assert.equal(priceFor(prices, 'gpt-4o-mini-2024-07-18')?.model, 'gpt-4o-mini');
  assert.equal(priceFor(prices, 'gpt-4-0613')?.model, 'gpt-4');
  assert.equal(priceFor(prices, 'llama3'), null);
  // 1,000 input and 500 output tokens at $1000/$2000 per million: $1 + $1; the Batch API halves it.
  assert.equal(costOf(price, { input: 1000, output: 500 }, false), 2);
  assert.equal(costOf(price, { input: 1000, output: 500 }, true), 1);
});

test('tokens: about four ASCII characters a token; the worst case counts three, and two tokens per other character', () => {
  const ascii = [{ role: 'user' as const, content: 'x'.repeat(400) }];
  assert.equal(estimateTokens(ascii), 3 + 4 + 100);
  assert.equal(estimateTokens(ascii, true), 3 + 4 + 134);
  assert.equal(estimateTokens([{ role: 'user', content: '日本語' }], true), 3 + 4 + 6);
});

test('the guard refuses a request whose worst case would pass the cap, and settles real usage', () => {
  const guard = new CostGuard(1, 0, price, false);
  const first = guard.reserve({ input: 500, output: 0 });
  assert.equal(first, 0.5);
  assert.throws(() => guard.reserve({ input: 600, output: 0 }), (e: unknown) => e instanceof CostCapReached && /cost cap of \$1\.00: \$0\.00 spent/.test(e.message));
  assert.equal(guard.settle(first, { input: 100, output: 100 }), 0.3);
  assert.equal(guard.spent, 0.3);
  const second = guard.reserve({ input: 600, output: 0 });
  guard.release(second);
  assert.equal(guard.spent, 0.3);
  // Without a price, nothing is counted and nothing is refused (a local server).
  const free = new CostGuard(null, 0, null, false);
  assert.equal(free.settle(free.reserve({ input: 1e9, output: 1e9 }), { input: 5, output: 5 }), 0);
});
