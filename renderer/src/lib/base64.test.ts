// The chunked encoder must give exactly what a one-shot encoder gives, at and around its slice boundaries.
// eslint-disable-next-line no-restricted-imports -- unit tests run under Node's own runner
import { test } from 'node:test';
// eslint-disable-next-line no-restricted-imports -- unit tests run under Node's own runner
import assert from 'node:assert/strict';
import { bytesToBase64 } from './base64';

const SLICE = 3 * 8192;

function bytes(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

test('matches Buffer base64 for small and boundary lengths', async () => {
  for (const n of [0, 1, 2, 3, 4, 5, SLICE - 1, SLICE, SLICE + 1, SLICE + 2, 2 * SLICE + 1]) {
    const b = bytes(n, n + 1);
    assert.equal(await bytesToBase64(b), Buffer.from(b).toString('base64'), `length ${n}`);
  }
});

test('encodes a multi-megabyte buffer without one giant call, reporting progress up to 1', async () => {
  const b = bytes(5 * 1024 * 1024 + 7);
  const seen: number[] = [];
  const encoded = await bytesToBase64(b, (f) => seen.push(f));
  assert.equal(encoded, Buffer.from(b).toString('base64'));
  assert.ok(seen.length > 1, 'progress was reported along the way');
  assert.equal(seen[seen.length - 1], 1);
  assert.ok(seen.every((f, i) => i === 0 || f >= seen[i - 1]), 'progress never goes back');
});
