// A domain reaches another domain's rows through that domain's exported functions, never its tables: every SQL text
// in main/ (string and template literals, read with TypeScript's own parser) names only tables its domain owns
// (db/owners.ts), and the map names exactly the tables the migrations create. Tests may read any table to check
// what was stored; db/ creates them all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { openDatabase } from './database';
import { TABLE_OWNERS, type Domain } from './owners';

const MAIN = 'main';
const DOMAINS = new Set(['data', 'annotate', 'review', 'dissect', 'insight', 'settings']);
/** A run-time substitution in a template, where the SQL text cannot be read. */
const HOLE = '${}';

/** The tables (and virtual tables) the migrations create; SQLite's own and FTS5's shadow tables are not a domain's. */
function migratedTables(): string[] {
  const db = openDatabase(':memory:');
  try {
    return (db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual') AND name NOT LIKE 'sqlite_%'")
      .all() as { name: string }[]).map((t) => t.name).sort();
  } finally {
    db.close();
  }
}

/** Every source file of main/ that the rule covers, with the domain it belongs to (null: the shells, the CLI, the root). */
function sources(dir = MAIN, out: { path: string; domain: string | null }[] = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'testing' && path !== join(MAIN, 'services', 'db')) sources(path, out);
    } else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.conformance.ts')) {
      const [top, folder] = relative(join(MAIN, 'services'), path).split(sep);
      out.push({ path, domain: top !== '..' && folder !== undefined && DOMAINS.has(top) ? top : null });
    }
  }
  return out;
}

/** The text of each string and template literal of a file that reads as SQL (an upper-case SQL keyword), with its line. */
function sqlTexts(path: string, source = readFileSync(path, 'utf8')): { line: number; text: string }[] {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true);
  const out: { line: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    let text: string | null = null;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text;
    else if (ts.isTemplateExpression(node)) text = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(` ${HOLE} `);
    if (text !== null && /\b(SELECT|INSERT|UPDATE|DELETE|FROM|JOIN|WHERE|EXISTS|VALUES)\b/.test(text)) {
      out.push({ line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1, text });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

/** What a SQL text does that its domain may not: a table of another domain named, or a table named at run time. */
function breaches(text: string, domain: string | null, owners: Record<string, Domain> = TABLE_OWNERS): string[] {
  const found: string[] = [];
  if (new RegExp(`\\b(FROM|JOIN|INTO|UPDATE|TABLE)\\s+\\${HOLE}`, 'i').test(text)) found.push('a table named at run time');
  for (const word of new Set(text.match(/[A-Za-z_]\w*/g) ?? [])) {
    const owner = owners[word.toLowerCase()];
    if (owner && owner !== domain) found.push(`${word.toLowerCase()} (${owner}'s)`);
  }
  return found;
}

test('every table the migrations create has an owning domain, and the map names no other', () => {
  assert.deepEqual(migratedTables(), Object.keys(TABLE_OWNERS).sort(),
    'a new table needs its owning domain in main/services/db/owners.ts (and a dropped one leaves the map)');
});

test("no domain's SQL names another domain's table (it calls that domain's store instead)", () => {
  const files = sources();
  assert.ok(files.some((f) => f.domain === 'annotate') && files.some((f) => f.domain === null), 'the walk found the domains and the root');
  const found = files.flatMap(({ path, domain }) => sqlTexts(path).flatMap(({ line, text }) =>
    breaches(text, domain).map((b) => `${path}:${line} (${domain ?? 'no domain'}): ${b}`)));
  assert.deepEqual(found, []);
});

test('the check sees a join, a comma join, a subquery, a write and a run-time table name, and lets a domain name its own', () => {
  assert.deepEqual(breaches('SELECT j.*, jd.name FROM annotation_jobs j LEFT JOIN judges jd ON jd.id = j.judge_id', 'annotate'), ["judges (data's)"]);
  assert.deepEqual(breaches('SELECT 1 FROM fits f, Pairs p WHERE p.id = f.id', 'dissect'), ["pairs (data's)"]);
  assert.deepEqual(breaches('p.id IN (SELECT pair_id FROM review_round_pairs)', 'data'), ["review_round_pairs (review's)"]);
  assert.deepEqual(breaches('DELETE FROM labels WHERE pair_id = ?', 'annotate'), ["labels (data's)"]);
  assert.deepEqual(breaches(`DELETE FROM ${HOLE} WHERE pair_id = ?`, 'data'), ['a table named at run time']);
  assert.deepEqual(breaches('SELECT count(*) FROM pairs p JOIN labels l ON l.pair_id = p.id', null), ["pairs (data's)", "labels (data's)"]);
  assert.deepEqual(breaches('SELECT p.id FROM pairs p JOIN labels l ON l.pair_id = p.id', 'data'), []);
});

test('SQL is read from string and template literals (substitutions marked), not from comments or prose', () => {
  const source = [
    '// Reads the labels: SELECT preferred FROM labels',
    "const message = 'Drawn from pairs the checkers saw.';",
    "const one = db.prepare('SELECT id FROM judges WHERE name = ?');",
    'const many = db.prepare(`SELECT id FROM pairs WHERE ${clause} ORDER BY id`);',
  ].join('\n');
  assert.deepEqual(sqlTexts('x.ts', source), [
    { line: 3, text: 'SELECT id FROM judges WHERE name = ?' },
    { line: 4, text: `SELECT id FROM pairs WHERE  ${HOLE}  ORDER BY id` },
  ]);
});
