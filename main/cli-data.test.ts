// The import summary a terminal shows: every count of the report in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ImportReport } from '../preload/contract';
import { importSummary } from './cli-data';

const report: ImportReport = {
  studyId: 1, studyName: 'Paper', format: 'paper', fileName: 'paper.jsonl', kept: 4, added: 4, matched: 0, merged: 0,
  matchedSwapped: 0, dropped: [], notes: [], unassigned: 0, labelsAdded: 4, labelsDropped: [],
  judges: [{ name: 'human', kind: 'human' }], annotated: 4, warnings: [],
};

test('the import summary says how many new pairs have no scenario, and only when some have none', () => {
  assert.doesNotMatch(importSummary(report).join('\n'), /no scenario/);
  assert.match(importSummary({ ...report, unassigned: 2 })[0], /; 4 annotated\. 2 of the new pairs have no scenario \(unassigned: the scenario job, `annotate --kind scenario`, or a person gives them one\)\.$/);
});

test('the import summary lists each kind of value read otherwise than written, with how often', () => {
  const lines = importSummary({ ...report, notes: [
    { note: 'rating 4 read as 0, as the authors\' code does', count: 1 },
    { note: 'error of severity "tiny" not counted, as the authors\' code does', count: 3 },
  ], warnings: ['All labels prefer A.'] });
  assert.deepEqual(lines.slice(-3), [
    'Read otherwise than written: rating 4 read as 0, as the authors\' code does (once).',
    'Read otherwise than written: error of severity "tiny" not counted, as the authors\' code does (3 times).',
    'Warning: All labels prefer A.',
  ]);
});
