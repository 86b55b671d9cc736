// eslint-disable-next-line no-restricted-imports -- unit tests run under Node's own runner
import { test } from 'node:test';
// eslint-disable-next-line no-restricted-imports -- unit tests run under Node's own runner
import assert from 'node:assert/strict';
import { formatCount, plural, wordCount } from './format';

test('counts use en-US grouping, as in "1,234 pairs"', () => {
  assert.equal(formatCount(1234), '1,234');
  assert.equal(formatCount(100000), '100,000');
  assert.equal(plural(1, 'pair'), '1 pair');
  assert.equal(plural(4432, 'pair'), '4,432 pairs');
});

test('words are counted as the services count them (words and punctuation runs)', () => {
  assert.equal(wordCount(''), 0);
  assert.equal(wordCount('Hello, world!'), 4);
  assert.equal(wordCount("It's 12pm..."), 3);
});
