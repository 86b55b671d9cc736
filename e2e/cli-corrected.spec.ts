// `preference-studio fit-corrected` through the real entry point (bin/preference-studio.js, a child process):
// the JSON and the table from two CSV files, and one sentence with exit 2 naming file, line and field for each
// kind of bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROPERTY_NAMES } from '../main/services/data/properties';
import { paperReference } from '../main/services/data/reference';
import { fitDsl } from '../native-workers/dsl';
import { Rng } from '../native-workers/rng';
import { annotateWithErrors, drawChecks, groupNonzeroRates, simulateComparisons } from '../native-workers/simulate';

const dir = mkdtempSync(join(tmpdir(), 'ps-cli-corrected-'));
const K = PROPERTY_NAMES.length;
const CLEAR = PROPERTY_NAMES.indexOf('clear');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/preference-studio.js', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr.trim() };
}
const oneSentence = (text: string) => assert.equal(text.split('\n').length, 1, `one line on stderr, got:\n${text}`);
const csvName = (n: string) => (n.includes(',') ? `"${n}"` : n);
const feature = (v: number) => (v === 1 ? '+1' : String(v));

// 820 Knowledge-aware pairs labelled by the human weights; the annotator reports "clear" the other way round in
// 40% of the pairs where it differs; 250 pairs checked, those with an annotated "clear" twice as likely.
const { X, y } = simulateComparisons(820, groupNonzeroRates('Knowledge-aware'), paperReference().weights['Knowledge-aware'].human, 3);
const rng = new Rng(3, 1);
const annotated = annotateWithErrors(X, K, { flip: { [CLEAR]: 0.4 } }, rng);
const probability = Float64Array.from(y, (_, i) => (annotated[i * K + CLEAR] !== 0 ? 0.45 : 0.225));
const isChecked = drawChecks(probability, rng);
const ids = Array.from(y, (_, i) => `pair-${i + 1}`);
const featuresCsv = [
  ['id', 'label', ...PROPERTY_NAMES.map(csvName)].join(','),
  ...ids.map((id, i) => [id, y[i] ? 'A' : 'B', ...Array.from(annotated.subarray(i * K, (i + 1) * K), feature)].join(',')),
].join('\n');
const checkedRows = ids.flatMap((id, i) => (isChecked[i] ? [[id, String(probability[i]), ...Array.from(X.subarray(i * K, (i + 1) * K), feature)].join(',')] : []));
const checkedHeader = ['id', 'probability', ...PROPERTY_NAMES.map(csvName)].join(',');
const featuresFile = join(dir, 'features.csv');
const checkedFile = join(dir, 'checked.csv');
writeFileSync(featuresFile, featuresCsv);
writeFileSync(checkedFile, [checkedHeader, ...checkedRows].join('\n'));

test('fit-corrected prints naive and corrected log-odds weights with 95% intervals as JSON, and as a table', () => {
  const r = cli('fit-corrected', featuresFile, '--checked', checkedFile, '--json');
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out) as { pairs: number; checked: number; properties: { property: string; naive: Record<string, number | null>; corrected: Record<string, number | null> }[] };
  assert.equal(out.pairs, 820);
  assert.equal(out.checked, checkedRows.length);
  assert.deepEqual(out.properties.map((p) => p.property), PROPERTY_NAMES);
  // the same numbers as the engine on the same arrays
  const fit = fitDsl({ K, y, annotated, checked: X, isChecked, probability });
  out.properties.forEach((p, k) => {
    if (!fit.corrected.estimable[k]) {
      assert.deepEqual(p.corrected, { estimate: null, low: null, high: null }, p.property);
      return;
    }
    for (const key of ['estimate', 'low', 'high'] as const) {
      assert.ok(Math.abs((p.corrected[key] as number) - fit.corrected[key][k]) < 1e-12, `${p.property} corrected ${key}`);
      assert.ok(Math.abs((p.naive[key] as number) - fit.naive[key][k]) < 1e-12, `${p.property} naive ${key}`);
    }
  });
  // the flipped property: the annotations shrink its weight; the check restores it
  const clear = out.properties[CLEAR];
  assert.ok((clear.corrected.estimate as number) > (clear.naive.high as number), JSON.stringify(clear));
  // a query-specific property never differs in Knowledge-aware
  assert.equal(out.properties[PROPERTY_NAMES.indexOf('clarify intent')].corrected.estimate, null);

  const table = cli('fit-corrected', featuresFile, '--checked', checkedFile);
  assert.equal(table.code, 0, table.err);
  assert.match(table.out, /^ {2}clear .* moved$/m);
  assert.match(table.out, /clarify intent +never differs +never differs/);
  assert.match(table.out, new RegExp(`820 pairs, ${checkedRows.length} checked`));
});

test('fit-corrected: each kind of bad input is one sentence naming file, line and field, exit 2', () => {
  const bad = join(dir, 'bad.csv');
  const line = (n: number) => n + 2; // data row n (0-based) is on line n + 2
  const cases: [string, string, RegExp][] = [
    ['unknown id', [checkedHeader, checkedRows[0].replace(/^pair-\d+/, 'pair-9999'), ...checkedRows.slice(1)].join('\n'), /^bad\.csv, line 2, field "id": pair "pair-9999" is not in features\.csv$/],
    ['probability 0', [checkedHeader, ...checkedRows.slice(0, 3), checkedRows[3].replace(/^(pair-\d+),[^,]+,/, '$1,0,')].join('\n'), new RegExp(`^bad\\.csv, line ${line(3)}, field "probability": "0" is not a probability`)],
    ['probability above 1', [checkedHeader, checkedRows[0].replace(/^(pair-\d+),[^,]+,/, '$1,1.5,')].join('\n'), /^bad\.csv, line 2, field "probability": "1\.5"/],
    ['probability missing', [checkedHeader, checkedRows[0].replace(/^(pair-\d+),[^,]+,/, '$1,,')].join('\n'), /^bad\.csv, line 2, field "probability"/],
    ['duplicate id', [checkedHeader, checkedRows[0], checkedRows[1], checkedRows[0]].join('\n'), /^bad\.csv, line 4, field "id": pair "pair-\d+" appears twice \(first on line 2\)$/],
    ['missing column', [checkedHeader.replace(',probability', ''), ...checkedRows.map((r) => r.replace(/^(pair-\d+),[^,]+,/, '$1,'))].join('\n'), /^bad\.csv, line 1: missing column "probability"$/],
    ['missing property', [checkedHeader.replace(',lengthy', ''), ...checkedRows.map((r) => r.replace(/,[^,]+$/, ''))].join('\n'), /^bad\.csv, line 1: missing column "lengthy"$/],
    ['bad feature value', [checkedHeader, checkedRows[0], checkedRows[1].replace(/,[^,]+$/, ',2')].join('\n'), /^bad\.csv, line 3, field "lengthy": "2" is not a comparison feature/],
  ];
  for (const [what, text, message] of cases) {
    writeFileSync(bad, text);
    const r = cli('fit-corrected', featuresFile, '--checked', bad);
    assert.equal(r.code, 2, `${what}: ${r.err}`);
    oneSentence(r.err);
    assert.match(r.err, message, what);
  }
  // the features file: a duplicate id, and a bad label on its own line (lines mapped back past a blank line)
  const rows = featuresCsv.split('\n');
  writeFileSync(bad, [...rows.slice(0, 3), rows[1]].join('\n'));
  const dup = cli('fit-corrected', bad, '--checked', checkedFile);
  assert.equal(dup.code, 2);
  assert.match(dup.err, /^bad\.csv, line 4, field "id": pair "pair-1" appears twice/);
  writeFileSync(bad, [rows[0], rows[1], '', rows[2].replace(/^(pair-\d+),[AB],/, '$1,C,')].join('\n'));
  const label = cli('fit-corrected', bad, '--checked', checkedFile);
  assert.equal(label.code, 2);
  assert.match(label.err, /^bad\.csv, line 4, field "label": "C" is not a label/);
  const noFlag = cli('fit-corrected', featuresFile);
  assert.equal(noFlag.code, 2);
  assert.match(noFlag.err, /--checked/);
});
