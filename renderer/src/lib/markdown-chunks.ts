// A long model text is rendered as Markdown a piece at a time (Markdown.tsx asks for the next piece when the
// reader wants more). Pieces end between blocks, found by marked's own lexer on a window of the text, so a piece
// renders as it would inside the whole; kept apart from markdown.ts so it runs (and is tested) without a DOM.
import { Marked, type Token } from 'marked';

// Lexing only: the same GFM rules as markdown.ts's renderer.
const lexer = new Marked({ gfm: true, async: false });

/**
 * Characters of Markdown rendered at a time. A 4.8 MB answer (a 3,000 x 40 table) rendered whole froze the window
 * for about a minute, most of it laying out 120,000 table cells; a piece this size renders in tens of milliseconds.
 */
export const MARKDOWN_CHUNK_CHARS = 50_000;

/**
 * A piece of a long Markdown text rendered on its own: text[start, end) after `carry`, the header of a table or
 * the opening fence of a code block that an earlier piece cut in two (so its rows stay a table, its lines code).
 * `carryNext` is what the following piece must carry.
 */
export interface MarkdownChunk { start: number; end: number; carry: string; carryNext: string }

const FENCE_OPENING = /^ {0,3}(?:`{3,}|~{3,})[^\n]*\n/;

/** The first line(s) a block cut in two must repeat for its rest to parse as the same kind of block. */
function continuation(block: Token | undefined): string {
  if (block?.type === 'table') {
    const header = block.raw.indexOf('\n');
    const delimiter = block.raw.indexOf('\n', header + 1);
    return delimiter > 0 ? block.raw.slice(0, delimiter + 1) : '';
  }
  if (block?.type === 'code') return FENCE_OPENING.exec(block.raw)?.[0] ?? '';
  return '';
}

/**
 * The piece of `text` (line breaks already \n, as marked reads them) that starts at `start`: whole blocks up to
 * about `budget` characters, found by lexing only that window; a single block longer than that (a huge table,
 * code block or list) is cut at a line break.
 */
export function markdownChunk(text: string, start: number, carry = '', budget = MARKDOWN_CHUNK_CHARS): MarkdownChunk {
  if (text.length - start <= budget) return { start, end: text.length, carry, carryNext: '' };
  // Never between the two halves of a surrogate pair.
  const windowEnd = start + budget - (/[\ud800-\udbff]/.test(text[start + budget - 1]) ? 1 : 0);
  const window = text.slice(start, windowEnd);
  const blocks = lexer.lexer(carry + window);
  // The last block may run on past the window: it starts the next piece, unless that would leave this piece
  // short (one line of introduction before a huge table); then it is cut at a line break too.
  let whole = -carry.length;
  for (let i = 0; i < blocks.length - 1; i++) whole += blocks[i].raw.length;
  if (whole >= budget / 2) return { start, end: start + whole, carry, carryNext: '' };
  const lineBreak = window.lastIndexOf('\n');
  const end = start + (lineBreak > 0 ? lineBreak + 1 : window.length);
  const cutInside = end - start > whole && end < text.length;
  // A table ends at a blank line: a cut just before one leaves nothing of it to carry on.
  const goesOn = cutInside && text[end] !== '\n';
  const last = blocks[blocks.length - 1];
  return { start, end, carry, carryNext: goesOn ? (blocks.length === 1 && carry) || continuation(last) : '' };
}
