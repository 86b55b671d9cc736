// Sanitised Markdown of untrusted text (see lib/markdown.ts). Links are shown but not followed: a click on one
// would otherwise navigate the app window away.
import { useMemo, type MouseEvent } from 'react';
import { renderMarkdown } from '../lib/markdown';

function stayHere(e: MouseEvent<HTMLDivElement>) {
  if ((e.target as HTMLElement).closest('a')) e.preventDefault();
}

export function Markdown({ source, className }: { source: string; className?: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  // The HTML comes from DOMPurify.sanitize (renderMarkdown), never from the raw text.
  return <div className={`markdown ${className ?? ''}`} onClick={stayHere} dangerouslySetInnerHTML={{ __html: html }} />;
}
