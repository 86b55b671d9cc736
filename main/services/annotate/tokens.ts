// Counting a prompt's tokens for the cost estimate and the cost cap: OpenAI's own tokenizer (js-tiktoken, the
// port of tiktoken) for OpenAI models, whose encoding is known; about four characters a token for any other model
// (a local server's tokenizer is not known here). The encodings are large (o200k_base is 2.3 MB of ranks), so each
// is loaded once, on first use, and never for a job that does not need it.
import { createRequire } from 'node:module';
import { Tiktoken, getEncodingNameForModel, type TiktokenBPE, type TiktokenModel } from 'js-tiktoken/lite';
import { estimateTokens } from './cost';
import type { ChatMessage } from './prompts';

export type Encoding = 'o200k_base' | 'cl100k_base';

/**
 * Model names js-tiktoken's table does not list (dated or newer versions, fine-tunes, Azure's gpt-35): their
 * family's encoding, as tiktoken's own MODEL_PREFIX_TO_ENCODING gives it. The first match wins.
 */
const PREFIXES: [RegExp, Encoding][] = [
  [/^(ft:)?(chatgpt-4o|gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4-mini|gpt-oss)(\b|-|$)/, 'o200k_base'],
  [/^(ft:)?(gpt-4|gpt-3\.5-turbo|gpt-35-turbo)(\b|-|$)/, 'cl100k_base'],
];

/** The encoding of an OpenAI model; null for any other model. */
export function encodingFor(model: string): Encoding | null {
  const name = model.trim();
  try {
    const known = getEncodingNameForModel(name as TiktokenModel);
    if (known === 'o200k_base' || known === 'cl100k_base') return known;
  } catch {
    // Not in the table: by its family's prefix below.
  }
  return PREFIXES.find(([prefix]) => prefix.test(name))?.[1] ?? null;
}

const requireRanks = createRequire(import.meta.url);
const encoders = new Map<Encoding, Tiktoken>();

function encoder(encoding: Encoding): Tiktoken {
  let e = encoders.get(encoding);
  if (!e) {
    // The CommonJS build of the ranks exports them whole; required, not imported, so that loading is on demand.
    e = new Tiktoken(requireRanks(`js-tiktoken/ranks/${encoding}`) as TiktokenBPE);
    encoders.set(encoding, e);
  }
  return e;
}

export interface TokenCounter {
  /** The encoding, or null where tokens are estimated from the characters. */
  encoding: Encoding | null;
  /** What was used, in words for the screen. */
  method: string;
  /**
   * A prompt's tokens. `texts`: a pair's texts (query, responses), wherever the messages carry them: each is
   * counted once while the same array is passed, and the prompt's fixed parts around them once for all pairs, so
   * estimating a large job costs little (pieces counted apart may differ from the whole by a token at a seam).
   * `worst`: the cap's pessimistic count where tokens are only estimated.
   */
  count(messages: ChatMessage[], opts?: { worst?: boolean; texts?: string[] }): number;
}

/** OpenAI's chat format: each message's text plus 3 tokens, and 3 for the reply's start (OpenAI's cookbook). */
const PER_MESSAGE = 3;
const PER_REPLY = 3;
const MAX_FIXED_PIECES = 10_000;
const WORST_FACTOR = 1.02;
const WORST_EXTRA = 16;
/** Shorter texts stay inside the pieces: cheap to count, and they could be found in a prompt's fixed text ("A"). */
const MIN_APART = 16;

export function tokenCounter(model: string): TokenCounter {
  const encoding = encodingFor(model);
  if (!encoding) {
    return {
      encoding: null,
      method: `No tokenizer is known for ${model}: tokens are estimated at about four characters a token.`,
      count: (messages, opts) => estimateTokens(messages, opts?.worst),
    };
  }
  const encode = (text: string) => (text === '' ? 0 : encoder(encoding).encode(text).length);
  // The pieces around a pair's texts are the prompts' fixed parts: few, and counted once. A pair's texts are
  // counted once for all the prompts that carry them (the same `texts` in a row).
  const fixed = new Map<string, number>();
  let textsOf: string[] | null = null;
  const own = new Map<string, number>();
  const remembered = (memo: Map<string, number>, text: string) => {
    let n = memo.get(text);
    if (n === undefined) memo.set(text, (n = encode(text)));
    return n;
  };
  const content = (text: string, texts: string[] | undefined) => {
    if (!texts) return encode(text);
    if (texts !== textsOf) {
      textsOf = texts;
      own.clear();
    }
    // A bound, should the pieces around the texts not be fixed after all.
    if (fixed.size > MAX_FIXED_PIECES) fixed.clear();
    let total = 0;
    let from = 0;
    for (;;) {
      // The next of the texts in the message, wherever and however often it comes.
      let at = -1;
      let found = '';
      for (const t of texts) {
        const i = t.length >= MIN_APART ? text.indexOf(t, from) : -1;
        if (i >= 0 && (at < 0 || i < at || (i === at && t.length > found.length))) [at, found] = [i, t];
      }
      if (at < 0) return total + remembered(fixed, text.slice(from));
      total += remembered(fixed, text.slice(from, at)) + remembered(own, found);
      from = at + found.length;
    }
  };
  return {
    encoding,
    method: `Tokens counted with ${encoding}, ${model}'s tokenizer.`,
    count: (messages, opts) => {
      const n = messages.reduce((sum, m) => sum + PER_MESSAGE + content(m.content, opts?.texts), PER_REPLY);
      // The cap's count leaves room for what the API may add that the format above does not count (JSON mode).
      return opts?.worst ? Math.ceil(n * WORST_FACTOR) + WORST_EXTRA : n;
    },
  };
}
