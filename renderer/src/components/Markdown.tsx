// Sanitised Markdown of untrusted text (see lib/markdown.ts). Links are shown but not followed: a click on one
// would otherwise navigate the app window away. A long text is rendered a piece at a time (lib/markdown-chunks.ts):
// the first piece at once, the next on "Show more", or all the rest as plain text (PlainText).
import { memo, useMemo, useState, type MouseEvent } from 'react';
import { renderMarkdown } from '../lib/markdown';
import { markdownChunk, MARKDOWN_CHUNK_CHARS, type MarkdownChunk } from '../lib/markdown-chunks';
import { formatCount } from '../lib/format';

function stayHere(e: MouseEvent<HTMLDivElement>) {
  if ((e.target as HTMLElement).closest('a')) e.preventDefault();
}

const MarkdownPiece = memo(function MarkdownPiece({ markdown }: { markdown: string }) {
  const html = useMemo(() => renderMarkdown(markdown), [markdown]);
  // The HTML comes from DOMPurify.sanitize (renderMarkdown), never from the raw text.
  return <div className="markdown-piece" dangerouslySetInnerHTML={{ __html: html }} />;
});

/**
 * Plain text (from `from` on) in blocks of about a piece's size, cut at line breaks: the browser lays out only the
 * blocks scrolled to (content-visibility), so megabytes of text show at once. Also used for long queries.
 */
export function PlainText({ text, from = 0, className, testId }: { text: string; from?: number; className?: string; testId?: string }) {
  const blocks = useMemo(() => {
    const out: string[] = [];
    for (let at = from; at < text.length;) {
      const lineBreak = text.lastIndexOf('\n', at + MARKDOWN_CHUNK_CHARS);
      let end = at + MARKDOWN_CHUNK_CHARS >= text.length ? text.length : lineBreak > at ? lineBreak + 1 : at + MARKDOWN_CHUNK_CHARS;
      // A line longer than a block is cut anyway, but never between the two halves of a surrogate pair.
      if (end < text.length && /[\ud800-\udbff]/.test(text[end - 1])) end -= 1;
      out.push(text.slice(at, end));
      at = end;
    }
    return out;
  }, [text, from]);
  return (
    <div className={className} data-testid={testId}>
      {blocks.map((block, i) => <div key={i} className="text-block">{block}</div>)}
    </div>
  );
}

interface Shown { text: string; chunks: MarkdownChunk[]; plainRest: boolean }

export function Markdown({ source, className }: { source: string; className?: string }) {
  // Line breaks as marked reads them, so the pieces' offsets are offsets into this text.
  const text = useMemo(() => source.replace(/\r\n?/g, '\n'), [source]);
  const first = useMemo(() => markdownChunk(text, 0), [text]);
  const [shown, setShown] = useState<Shown | null>(null);
  // Another text starts again from its first piece.
  const current: Shown = shown?.text === text ? shown : { text, chunks: [first], plainRest: false };
  const last = current.chunks[current.chunks.length - 1];
  const rest = text.length - last.end;
  const showMore = () => setShown({ ...current, chunks: [...current.chunks, markdownChunk(text, last.end, last.carryNext)] });
  const showRestAsText = () => setShown({ ...current, plainRest: true });
  return (
    <div className={`markdown ${className ?? ''}`} onClick={stayHere}>
      {current.chunks.map((c) => <MarkdownPiece key={c.start} markdown={c.carry + text.slice(c.start, c.end)} />)}
      {rest > 0 && (current.plainRest ? <PlainText text={text} from={last.end} className="markdown-plain" testId="markdown-plain-rest" /> : (
        <div className="markdown-more" role="group" aria-label="The rest of this text">
          <span className="muted small">Shown: {formatCount(last.end)} of {formatCount(text.length)} characters.</span>
          <button type="button" className="button small" onClick={showMore}>
            Show more ({formatCount(Math.min(rest, MARKDOWN_CHUNK_CHARS))} characters at most)
          </button>
          <button type="button" className="button small subtle" onClick={showRestAsText}>
            Show the rest as plain text ({formatCount(rest)} more characters)
          </button>
        </div>
      ))}
    </div>
  );
}
