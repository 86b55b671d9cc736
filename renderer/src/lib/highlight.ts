// highlight.js core with the languages chatbot answers use most (the full bundle registers ~190 of them).
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import latex from 'highlight.js/lib/languages/latex';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import plaintext from 'highlight.js/lib/languages/plaintext';
import python from 'highlight.js/lib/languages/python';
import r from 'highlight.js/lib/languages/r';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import scala from 'highlight.js/lib/languages/scala';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = {
  bash, c, cpp, csharp, css, diff, go, java, javascript, json, kotlin, latex, markdown, php, plaintext, python, r,
  ruby, rust, scala, shell, sql, swift, typescript, xml, yaml,
};
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);

/** Auto-detection is slow on long code; above this many characters an unlabelled block stays plain. */
const AUTO_DETECT_MAX_CHARS = 4000;
/** Even with its language named, a block this long is left plain: colouring it would hold up the text. */
const HIGHLIGHT_MAX_CHARS = 20_000;

/** Highlighted HTML for one code block (hljs escapes the code), or null to leave it plain. */
export function highlightCode(code: string, lang: string | undefined): { html: string; language: string } | null {
  const name = (lang ?? '').trim().split(/\s+/)[0].toLowerCase();
  if (code.length > HIGHLIGHT_MAX_CHARS) return null;
  try {
    if (name && hljs.getLanguage(name)) {
      return { html: hljs.highlight(code, { language: name, ignoreIllegals: true }).value, language: name };
    }
    if (!name && code.length <= AUTO_DETECT_MAX_CHARS) {
      const result = hljs.highlightAuto(code);
      if (result.language && result.relevance >= 5) return { html: result.value, language: result.language };
    }
  } catch {
    // A grammar that throws on odd input: the block is shown as plain, escaped text instead.
  }
  return null;
}
