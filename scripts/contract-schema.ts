// `npm run contract:schema`: writes preload/contract.schema.json, the JSON Schema of the contract's types (their
// JSDoc bounds included), from which main/services/validator.ts checks every request. The types stay the one
// source of truth; scripts/contract-schema.test.ts fails when the committed schema is older than them.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SCHEMA_FILE = `${root}preload/contract.schema.json`;

/** The schema as the committed file holds it. */
export function contractSchemaText(): string {
  const generator = createGenerator({
    path: `${root}preload/contract/index.ts`,
    tsconfig: `${root}tsconfig.json`,
    type: 'Contract',
    // tsc checks the types already; skipping it here makes generating ~10 s instead of ~40 s.
    skipTypeCheck: true,
  });
  return `${JSON.stringify(generator.createSchema('Contract'), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SCHEMA_FILE, contractSchemaText());
  console.log(`Wrote ${SCHEMA_FILE}.`);
}
