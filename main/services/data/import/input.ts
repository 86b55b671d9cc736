// Where an import's bytes come from: a file on disk (the command line) or bytes already in memory (an upload, which
// arrives base64 in its request). Each is read in chunks, as often as needed (once to hash, once to parse), and its
// size is known before a byte is read; parquet, whose index sits at the end, is read at random.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { AsyncBuffer } from 'hyparquet';
import { ImportError } from './types';

export interface ImportInput {
  /** The file's name, as messages show it. */
  name: string;
  /** Its size in bytes, from the file system or the upload. */
  size: number;
  /** Its bytes from the start, in chunks of about CHUNK_BYTES. */
  chunks(): AsyncIterable<Uint8Array>;
  /** Random access to the bytes (parquet). */
  asyncBuffer(): AsyncBuffer;
}

/**
 * 64 KiB: text pieces this small die young; 1 MiB ones land in V8's large-object space, which only a full collection
 * frees, and a 1,000,000-row import peaked 150 MB higher with them.
 */
export const CHUNK_BYTES = 1 << 16;

const arrayBuffer = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** A file on disk; a missing file is the caller's error (NodeJS.ErrnoException from stat). */
export async function fileInput(path: string, name: string): Promise<ImportInput> {
  const info = await stat(path);
  if (!info.isFile()) throw new ImportError(name, 'this is not a regular file (a folder or a device)');
  return {
    name,
    size: info.size,
    chunks: () => createReadStream(path, { highWaterMark: CHUNK_BYTES }),
    asyncBuffer: () => ({
      byteLength: info.size,
      slice: async (start, end) => {
        const parts: Buffer[] = [];
        if (end !== undefined && end <= start) return new ArrayBuffer(0);
        for await (const part of createReadStream(path, { start, end: end === undefined ? undefined : end - 1 })) parts.push(part as Buffer);
        return arrayBuffer(Buffer.concat(parts));
      },
    }),
  };
}

/** Bytes in memory. */
export function bytesInput(name: string, bytes: Uint8Array): ImportInput {
  return {
    name,
    size: bytes.length,
    async *chunks() {
      for (let i = 0; i < bytes.length; i += CHUNK_BYTES) yield bytes.subarray(i, i + CHUNK_BYTES);
    },
    asyncBuffer: () => ({ byteLength: bytes.length, slice: (start, end) => arrayBuffer(bytes.subarray(start, end)) }),
  };
}

/** An upload as its request carries it: decoded a chunk at a time rather than whole. */
export function base64Input(name: string, base64: string): ImportInput {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  // 4 base64 characters make 3 bytes, so cutting at multiples of 4 decodes each piece on its own.
  const step = 4 * Math.floor(CHUNK_BYTES / 3);
  return {
    name,
    size: Math.max(0, Math.floor((base64.length * 3) / 4) - padding),
    async *chunks() {
      for (let i = 0; i < base64.length; i += step) yield Buffer.from(base64.slice(i, i + step), 'base64');
    },
    asyncBuffer: () => {
      const bytes = Buffer.from(base64, 'base64');
      return { byteLength: bytes.length, slice: (start, end) => arrayBuffer(bytes.subarray(start, end)) };
    },
  };
}

/** SHA-256 of the input's bytes, streamed. */
export async function sha256Of(input: ImportInput): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of input.chunks()) hash.update(chunk);
  return hash.digest('hex');
}
