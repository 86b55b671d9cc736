import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExternalIds } from './common';
import { Fields } from './fields';

const at = (line: number) => new Fields({ file: 'f.jsonl', unit: 'line', at: line }, {});

describe('content-hash ids', () => {
  it('suffix identical rows in order, and re-importing yields the same ids', () => {
    const run = () => {
      const ids = new ExternalIds();
      return [1, 2, 3, 4].map((line) => ids.hashed(at(line), ['q', 'a', 'b']));
    };
    const first = run();
    assert.match(first[0], /^[0-9a-f]{20}$/);
    assert.deepEqual(first.slice(1), [`${first[0]}-2`, `${first[0]}-3`, `${first[0]}-4`]);
    assert.deepEqual(run(), first);
  });

  it('skips a suffixed id the file already gave', () => {
    const ids = new ExternalIds();
    const base = ids.hashed(at(1), ['x']);
    ids.given(new Fields({ file: 'f.jsonl', unit: 'line', at: 2 }, { id: `${base}-2` }), 'id', { query: 'q', responseA: 'a', responseB: 'b' });
    assert.equal(ids.hashed(at(3), ['x']), `${base}-3`);
  });

  it('costs a bounded number of look-ups per identical row (was one per earlier copy: n^2 / 2 in all)', () => {
    const ids = new ExternalIds();
    const has = Map.prototype.has;
    let calls = 0;
    Map.prototype.has = function (this: Map<unknown, unknown>, key: unknown) {
      calls++;
      return has.call(this, key);
    };
    const n = 3000;
    try {
      for (let line = 1; line <= n; line++) ids.hashed(at(line), ['same', 'row']);
    } finally {
      Map.prototype.has = has;
    }
    assert.ok(calls <= 3 * n, `${calls} look-ups for ${n} identical rows`);
  });
});
