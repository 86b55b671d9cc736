// From a file's byte chunks to checked text: gzip is decompressed as it streams, a binary file is named for what it
// is, UTF-16 is transcoded, and UTF-8 is checked piece by piece so that an error can name its line.
import { once } from 'node:events';
import { createGunzip } from 'node:zlib';
import { ImportError } from './types';

/** How many bytes are looked at to tell what a file is. */
const SNIFF_BYTES = 4096;

export interface Peeked {
  /** The first SNIFF_BYTES (fewer if the file is shorter). */
  head: Uint8Array;
  /** Every chunk, the peeked ones included. */
  all: AsyncIterable<Uint8Array>;
  /** Stops reading (closes the file) when `all` will not be iterated. */
  close(): Promise<void>;
}

export async function peek(chunks: AsyncIterable<Uint8Array>): Promise<Peeked> {
  const it = chunks[Symbol.asyncIterator]();
  const taken: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < SNIFF_BYTES) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    taken.push(r.value);
    length += r.value.length;
  }
  return {
    head: Buffer.concat(taken).subarray(0, SNIFF_BYTES),
    all: (async function* () {
      yield* taken;
      if (done) return;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    })(),
    close: async () => { await it.return?.(); },
  };
}

export const isGzip = (head: Uint8Array) => head[0] === 0x1f && head[1] === 0x8b;

/** Gzip decompressed as it is read, refused once it grows past `limit` bytes (a gzip bomb would otherwise fill memory). */
export async function* gunzip(file: string, chunks: AsyncIterable<Uint8Array>, limit: number): AsyncGenerator<Uint8Array> {
  const z = createGunzip({ chunkSize: 1 << 16 });
  const stop = new AbortController();
  const feeding = (async () => {
    try {
      for await (const chunk of chunks) {
        if (stop.signal.aborted) return;
        if (!z.write(chunk)) await once(z, 'drain', { signal: stop.signal });
      }
      z.end();
    } catch (e) {
      if (!stop.signal.aborted) z.destroy(e as Error);
    }
  })();
  let total = 0;
  try {
    for await (const out of z) {
      total += (out as Buffer).length;
      if (total > limit) throw new ImportError(file, `the file decompresses to more than ${limit / 2 ** 20} MiB; at most that much can be imported at once (split it)`);
      yield out as Buffer;
    }
  } catch (e) {
    if (e instanceof ImportError) throw e;
    const message = (e as Error).message;
    throw new ImportError(file, `not a readable gzip file (${message}${/unexpected end/i.test(message) ? ': the file may be cut short' : ''})`);
  } finally {
    stop.abort();
    z.destroy();
    await feeding;
  }
}

interface Binary { what: string; hint?: string }

const startsWith = (head: Uint8Array, bytes: (number | string)[], at = 0) => {
  const codes = bytes.flatMap((b) => (typeof b === 'string' ? [...b].map((c) => c.charCodeAt(0)) : [b]));
  return codes.every((b, i) => head[at + i] === b);
};

const SIGNATURES: [(head: Uint8Array) => boolean, Binary][] = [
  [(h) => startsWith(h, ['PK', 3, 4]) || startsWith(h, ['PK', 5, 6]) || startsWith(h, ['PK', 7, 8]),
    { what: 'a zip archive (Excel and Word files are zip archives too)', hint: 'unzip it, or save the sheet as CSV, and import that' }],
  [(h) => startsWith(h, [0x89, 'PNG\r\n', 0x1a, '\n']), { what: 'a PNG image' }],
  [(h) => startsWith(h, [0xff, 0xd8, 0xff]), { what: 'a JPEG image' }],
  [(h) => startsWith(h, ['GIF87a']) || startsWith(h, ['GIF89a']), { what: 'a GIF image' }],
  [(h) => startsWith(h, ['%PDF-']), { what: 'a PDF document' }],
  [(h) => startsWith(h, [0x7f, 'ELF']), { what: 'a program (an ELF executable)' }],
  [(h) => startsWith(h, ['SQLite format 3', 0]), { what: 'an SQLite database' }],
  [(h) => startsWith(h, ['BZh']) && startsWith(h, [0x31, 0x41, 0x59, 0x26, 0x53, 0x59], 4), { what: 'a bzip2 archive', hint: 'decompress it (or compress it with gzip, which is read as is)' }],
  [(h) => startsWith(h, [0xfd, '7zXZ', 0]), { what: 'an xz archive', hint: 'decompress it (or compress it with gzip, which is read as is)' }],
  [(h) => startsWith(h, [0x28, 0xb5, 0x2f, 0xfd]), { what: 'a zstd archive', hint: 'decompress it (or compress it with gzip, which is read as is)' }],
  [(h) => startsWith(h, ['7z', 0xbc, 0xaf, 0x27, 0x1c]), { what: 'a 7-Zip archive', hint: 'extract it and import the file inside' }],
  [isGzip, { what: 'a gzip archive inside a gzip archive', hint: 'decompress it once and import that' }],
];

/** Which UTF-16 the head is in: by its byte order mark, or by the zero bytes ASCII characters leave on one side. */
export function sniffUtf16(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const pairs = Math.floor(Math.min(head.length, 1024) / 2);
  if (pairs === 0) return null;
  let le = 0;
  let be = 0;
  for (let i = 0; i < pairs; i++) {
    const [a, b] = [head[2 * i], head[2 * i + 1]];
    if (a !== 0 && b === 0) le++;
    if (a === 0 && b !== 0) be++;
  }
  // Some characters (U+0100, U+DE00, ...) leave a zero byte on the other side: allow a few.
  if (le >= pairs * 0.6 && be <= pairs * 0.1) return 'utf-16le';
  if (be >= pairs * 0.6 && le <= pairs * 0.1) return 'utf-16be';
  return null;
}

/** A binary file of a known kind, named for what it is; anything else is null (other binary data fails as text). */
export function sniffBinary(head: Uint8Array): Binary | null {
  return SIGNATURES.find(([test]) => test(head))?.[1] ?? null;
}

/** UTF-16 text as UTF-8 bytes, so that one path reads every text file. */
export async function* transcodeUtf16(file: string, chunks: AsyncIterable<Uint8Array>, encoding: 'utf-16le' | 'utf-16be'): AsyncGenerator<Uint8Array> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  const invalid = () => new ImportError(file, `the file looks like ${encoding.toUpperCase()} text but is not valid ${encoding.toUpperCase()} (save it as UTF-8 and import it again)`);
  for await (const chunk of chunks) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw invalid();
    }
    if (text) yield Buffer.from(text, 'utf8');
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw invalid();
  }
  if (rest) yield Buffer.from(rest, 'utf8');
}

/** Where the last complete UTF-8 character of `bytes` ends (a chunk may end inside one). */
function completeUpTo(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let j = n - 1; j >= Math.max(0, n - 4); j--) {
    const b = bytes[j];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead byte
    const need = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return j + need <= n ? n : j;
  }
  return n;
}

function countLines(bytes: Buffer, from = 0, to = bytes.length): number {
  let n = 0;
  for (let i = bytes.indexOf(0x0a, from); i !== -1 && i < to; i = bytes.indexOf(0x0a, i + 1)) n++;
  return n;
}

/**
 * UTF-8 text in pieces cut between characters, a byte order mark at the start dropped. A byte sequence that is not
 * UTF-8, or a NUL byte, is an error naming its line.
 */
export class TextStream implements AsyncIterable<string> {
  /** Whether anything but white space was read. */
  sawText = false;
  constructor(private readonly file: string, private readonly chunks: AsyncIterable<Uint8Array>) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    let carry: Buffer = Buffer.alloc(0);
    let line = 1; // of the piece's first byte
    let first = true;
    const piece = (bytes: Buffer): string => {
      const nul = bytes.indexOf(0);
      if (nul !== -1) {
        throw new ImportError(this.file, 'the line holds a NUL byte: this is binary data, not text', line + countLines(bytes, 0, nul));
      }
      let text: string;
      try {
        text = decoder.decode(bytes);
      } catch {
        throw new ImportError(this.file, 'the file is not UTF-8 text (save it as UTF-8 and import it again)', line + this.badLine(bytes));
      }
      line += countLines(bytes);
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      if (!this.sawText && /\S/.test(text)) this.sawText = true;
      return text;
    };
    for await (const chunk of this.chunks) {
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const cut = completeUpTo(bytes);
      carry = Buffer.from(bytes.subarray(cut));
      if (cut > 0) yield piece(bytes.subarray(0, cut));
    }
    if (carry.length > 0) yield piece(carry);
  }

  /** The 0-based line (within `bytes`) of the first byte sequence that is not UTF-8. */
  private badLine(bytes: Buffer): number {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (let start = 0, line = 0; start < bytes.length; line++) {
      const nl = bytes.indexOf(0x0a, start);
      const end = nl === -1 ? bytes.length : nl;
      try {
        decoder.decode(bytes.subarray(start, end));
      } catch {
        return line;
      }
      start = end + 1;
    }
    return countLines(bytes);
  }
}
