import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { contractSchemaText, SCHEMA_FILE } from './contract-schema';

test('the committed contract schema is generated from the contract as it is now (else: npm run contract:schema)', { timeout: 120_000 }, () => {
  assert.ok(readFileSync(SCHEMA_FILE, 'utf8') === contractSchemaText(), 'preload/contract.schema.json is stale: run npm run contract:schema and commit it.');
});
