// Reading containers as they stream: any cut of the bytes into chunks reads the same; gzip and UTF-16 are read as
// the text they hold; a gzip bomb stops at the limit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parseImportFile, readImport } from './index';
import { bytesInput, type ImportInput } from './input';
import { gunzip } from './text';
import { fixture, rejectsWith } from './testing';

/** The same bytes in chunks of 1 to `max` bytes, cut at seeded places (inside characters, lines and quotes too). */
function choppy(name: string, bytes: Uint8Array, seed: number, max = 9): ImportInput {
  return {
    ...bytesInput(name, bytes),
    async *chunks() {
      let s = seed;
      for (let i = 0; i < bytes.length;) {
        s = (s * 1103515245 + 12345) % 2 ** 31;
        const n = 1 + (s % max);
        yield bytes.subarray(i, i + n);
        i += n;
      }
    },
  };
}

async function pairsOf(input: ImportInput) {
  const stream = await readImport(input);
  const pairs = [];
  for await (const p of stream.pairs) pairs.push(p);
  return { format: stream.format, pairs, dropped: stream.dropped() };
}

const FIXTURES = ['arena-sample.jsonl', 'arena-sample.json', 'generic-sample.csv', 'paper-sample.json'];
const withText = (text: string) => new TextEncoder().encode(text);

describe('streamed containers', () => {
  it('read the same whatever the chunks', async () => {
    for (const name of FIXTURES) {
      // Read whole through the same stream, so that each pair's place in the file is compared too.
      const whole = await pairsOf(bytesInput(name, fixture(name)));
      for (const seed of [1, 2, 3]) assert.deepEqual(await pairsOf(choppy(name, fixture(name), seed)), whole, `${name}, seed ${seed}`);
    }
    // Multi-byte characters, CRLF and quoted line breaks cut anywhere.
    const csv = 'prompt,response_a,response_b,winner\r\n"中文, ""quoted""\r\nline",😀 émoji,"b",A\r\nq2,a2,b2,B\r\n';
    const whole = await pairsOf(bytesInput('t.csv', withText(csv)));
    assert.deepEqual(whole.pairs.map((p) => [p.query, p.location]), [['中文, "quoted"\r\nline', { unit: 'line', at: 2 }], ['q2', { unit: 'line', at: 4 }]]);
    for (const seed of [4, 5, 6, 7]) assert.deepEqual(await pairsOf(choppy('t.csv', withText(csv), seed, 3)), whole);
  });

  it('name the right line of a bad byte whatever the chunks', async () => {
    const bytes = Buffer.concat([Buffer.from('{"prompt":"q","response_a":"a","response_b":"b","winner":"A"}\n\n{"prompt":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]);
    for (const seed of [1, 2, 3]) await rejectsWith(readImport(choppy('l.jsonl', bytes, seed)).then(async (s) => { for await (const _ of s.pairs); }), { line: 3 }, /not UTF-8 text/);
  });

  it('read gzip-compressed files of every container, by magic bytes or by name', async () => {
    for (const name of [...FIXTURES, 'arena-sample.parquet']) {
      const whole = await parseImportFile(name, fixture(name));
      assert.deepEqual(await parseImportFile(`${name}.gz`, gzipSync(fixture(name))), whole, `${name}.gz`);
    }
    // A gzip file named as what it holds is read too.
    assert.deepEqual(await parseImportFile('arena-sample.jsonl', gzipSync(fixture('arena-sample.jsonl'))), await parseImportFile('arena-sample.jsonl', fixture('arena-sample.jsonl')));
  });

  it('read UTF-16 text, little- or big-endian, with or without a byte order mark', async () => {
    for (const name of ['generic-sample.csv', 'arena-sample.jsonl', 'paper-sample.json']) {
      const whole = await parseImportFile(name, fixture(name));
      const le = Buffer.from(new TextDecoder().decode(fixture(name)), 'utf16le');
      const be = Buffer.from(le).swap16();
      for (const [label, bytes] of [['LE', le], ['BE', be], ['LE+BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), le])], ['BE+BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), be])]] as const) {
        assert.deepEqual(await parseImportFile(name, bytes), whole, `${name} as UTF-16${label}`);
      }
    }
  });

  it('stop a gzip bomb at the limit, without inflating the rest', async () => {
    const bomb = gzipSync(Buffer.alloc(8 * 2 ** 20, 0x20));
    let read = 0;
    await rejectsWith((async () => { for await (const out of gunzip('bomb.jsonl.gz', bytesInput('b', bomb).chunks(), 2 ** 20)) read += out.length; })(),
      { file: 'bomb.jsonl.gz' }, /decompresses to more than 1 MiB/);
    assert.ok(read <= 2 ** 20);
  });
});
