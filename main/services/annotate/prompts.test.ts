// The prompts as the paper prints them, filled without ever reading user text as a placeholder, and tied to
// PROMPT_VERSION: a change to any template without a new version fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  PROMPT_VERSION, TEMPLATES, basicPrompt, basicQueryPrompt, errorsPrompt, judgePrompt, prerequisitesPrompt, querySpecificPrompt,
} from './prompts';

const pair = { query: 'Explain {response 1} and {query} literally', responseA: 'Alpha answer', responseB: 'Beta answer' };

test('the templates are the ones PROMPT_VERSION names', () => {
  // Changing a template means new annotations differ from the stored ones: bump PROMPT_VERSION, then this hash.
  const fingerprint = createHash('sha256').update(TEMPLATES.join('\u0000')).digest('hex');
  assert.equal(`${PROMPT_VERSION} ${fingerprint}`, 'li2024-fig6-13/v1 6c7cb856d994454666556440b2f57dbf5bacc123b22a0c982f98046a5b278a27');
});

test('Figure 6-7: the query-free prompt rates the 18 characteristics of Figure 7 without the query', () => {
  const text = basicPrompt(pair)[0].content;
  assert.ok(!text.includes('[Query Start]'));
  assert.ok(!text.includes(pair.query));
  assert.match(text, /^You will need to analyze two responses from AI assistants to a user's query\. The responses are as follows:\n\n\[Response 1 Start\]\nAlpha answer\n\[Response 1 End\]/);
  const characteristics = text.slice(text.indexOf('[Characteristics Start]\n') + 24, text.indexOf('\n[Characteristics End]')).split('\n');
  assert.equal(characteristics.length, 18);
  assert.match(characteristics[0], /^harmlessness: The response is devoid of dangerous/);
  assert.match(characteristics[15], /^repetitive: The response is repetitive by repeating/);
  assert.ok(characteristics.every((c) => !/^(innovative and novel|relevance without considering inaccuracy):/.test(c)));
  assert.match(text, /- 3: The response matches the characteristic perfectly\./);
});

test('Figure 8: relevant and novel are rated with the query; braces in user text stay as they are', () => {
  const text = basicQueryPrompt(pair)[0].content;
  assert.ok(text.includes('[Query Start]\nExplain {response 1} and {query} literally\n[Query End]\n\n[Response 1 Start]\nAlpha answer'));
  const characteristics = text.slice(text.indexOf('[Characteristics Start]\n') + 24, text.indexOf('\n[Characteristics End]')).split('\n');
  assert.deepEqual(characteristics.map((c) => c.slice(0, c.indexOf(':'))), ['innovative and novel', 'relevance without considering inaccuracy']);
});

test('Figure 9-12: round two asks only what round one found, numbered in order, with matching output formats', () => {
  assert.match(prerequisitesPrompt('Q?')[0].content, /\[Query Start\]\nQ\?\n\[Query End\]\n\nQ1\. Does the user clearly express/);
  const text = querySpecificPrompt(pair, { intent: false, empathy: true, items: { constraint: [], stance: [], mistake: ['the earth is flat'] } })[0].content;
  assert.match(text, /\[Question 1\]\nThe user clearly and explicitly expresses their feelings/);
  assert.match(text, /\[Question 2\]\nThe user's query clearly and explicitly includes some mistakes .* as follows:\n- the earth is flat\nFor each of these/);
  assert.ok(!text.includes('[Question 3]'));
  assert.ok(!text.includes('clarify user intent'));
  assert.match(text, /"showing empathetic": \{"Response 1": "0\/1\/2\/3", "Response 2": "0\/1\/2\/3"\},\n\t"correcting explicit mistakes or biases": \{/);
  assert.match(text, /\n\n\[Question End\]$/);
});

test('Figure 13 carries the reference answer; section 3.3 asks the judge with the response shown first as A', () => {
  const errors = errorsPrompt(pair, 'REF TEXT')[0].content;
  assert.ok(errors.includes('[Reference Start]\nREF TEXT\n[Reference End]'));
  assert.match(errors, /2\. Information contradiction to the query: /);
  const judge = judgePrompt('Q', 'second response', 'first response')[0].content;
  assert.ok(judge.includes('[Response A Start]\nsecond response\n[Response A End]'));
  assert.ok(judge.endsWith("Between Response A and Response B, which better addresses the user's query? The better response is Response"));
});
