// Model text is untrusted. It is rendered as Markdown with marked, raw HTML in it is shown as text, fenced code is
// highlighted by highlight.js (which escapes it), and the whole result then goes through DOMPurify before it can
// reach the DOM. Links are kept for reading but never followed (see Markdown.tsx); images are dropped (the CSP
// would block remote ones anyway). A long text is rendered a piece at a time (markdown-chunks.ts).
import { Marked, type Tokens } from 'marked';
import DOMPurify from 'dompurify';
import { highlightCode } from './highlight';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    code({ text, lang }: Tokens.Code): string {
      const highlighted = highlightCode(text, lang);
      const label = highlighted ? ` data-language="${escapeHtml(highlighted.language)}"` : '';
      const body = highlighted ? highlighted.html : escapeHtml(text);
      return `<pre class="code-block"${label}><code class="hljs">${body}</code></pre>\n`;
    },
    // A response that talks about HTML ("use the <div> tag") should show the tag, not hide it.
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    image({ text }: Tokens.Image): string {
      return escapeHtml(text ? `[image: ${text}]` : '[image]');
    },
  },
});

// Links stay readable (their address as a tooltip) but open nothing: no target, and Markdown.tsx stops the click.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    const href = node.getAttribute('href');
    node.removeAttribute('target');
    if (href) node.setAttribute('title', `Link in the model's text (not opened): ${href}`);
  }
});

const PURIFY_CONFIG = {
  FORBID_TAGS: ['img', 'style', 'form', 'iframe', 'object', 'embed', 'video', 'audio', 'source', 'picture', 'svg', 'math'],
  FORBID_ATTR: ['style', 'srcset'],
  ALLOW_DATA_ATTR: false,
  ADD_ATTR: ['data-language'],
};

/** Sanitised HTML for a Markdown string. */
export function renderMarkdown(source: string): string {
  let html: string;
  try {
    html = marked.parse(source, { async: false });
  } catch {
    html = `<pre>${escapeHtml(source)}</pre>`;
  }
  return DOMPurify.sanitize(html, PURIFY_CONFIG);
}
