// eslint-disable-next-line no-restricted-imports -- unit tests run under Node's own runner
import { test } from 'node:test';
// eslint-disable-next-line no-restricted-imports -- unit tests run under Node's own runner
import assert from 'node:assert/strict';
import { signed } from './format';

test('a shift that rounds to zero is shown as 0, never "-0.0"; others carry their sign', () => {
  assert.equal(signed(-0.0004 * 100, 1), '0.0');
  assert.equal(signed(-0.0001, 3), '0.000');
  assert.equal(signed(0, 1), '0.0');
  assert.equal(signed(0.0123 * 100, 1), '+1.2');
  assert.equal(signed(-0.5, 3), '−0.500');
});
