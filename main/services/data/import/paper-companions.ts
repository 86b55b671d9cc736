// Two files of the paper's visualization data that only make sense beside the resolved pairs they index
// (visualization/data/chatbot_arena_no-tie_group_balanced_resolved.jsonl): example_preference_labels.json, the human
// label ("A"/"B") of each of the 5,240 pairs by position, and query_aware_idxs.json, group -> pair positions. Alone
// they hold no query or response, so importing one is refused with a sentence saying which file it belongs with.
import type { ImportInput } from './input';

const RESOLVED = 'the paper\'s chatbot_arena_no-tie_group_balanced_resolved.jsonl';

/** The refusal for a companion file, told from its first bytes; null for anything else. */
export async function paperCompanion(input: ImportInput): Promise<string | null> {
  let head = '';
  for await (const chunk of input.chunks()) {
    head += Buffer.from(chunk).toString('utf8');
    if (head.length >= 4096) break;
  }
  const start = head.replace(/^\uFEFF/, '').trimStart();
  if (/^\[\s*"[AB]"\s*[,\]]/.test(start)) {
    return `this is a list of "A"/"B" labels by position (the paper's example_preference_labels.json), which labels the pairs of ${RESOLVED}: it holds no texts and cannot be imported alone`;
  }
  if (/^\{\s*"[^"]+"\s*:\s*\[\s*\d/.test(start) && /"(Unsafe Queries|w_constraints|intent_unclear|express_feeling|w_stances|w_mistakes)"/.test(head)) {
    return `this maps groups to pair positions (the paper's query_aware_idxs.json) in ${RESOLVED}: it holds no texts and cannot be imported alone`;
  }
  return null;
}
