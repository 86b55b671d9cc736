// Anthropic's hh-rlhf (chosen/rejected transcripts, usually .jsonl.gz): both transcripts share the conversation and
// differ in the last Assistant reply. As in the paper, only single-turn conversations are kept (one Human turn);
// the chosen reply goes on side A or B by a coin seeded from the row, so sides are mixed and a re-import identical.
import { type Importer, DROP_REASONS, ExternalIds, UNKNOWN_MODEL, seededSwap } from './common';
import { Fields } from './fields';

const HUMAN = '\n\nHuman:';
const ASSISTANT = '\n\nAssistant:';
/** The crowdworkers who chose between the two replies, as one judge. */
export const HH_RLHF_JUDGE = 'hh-rlhf crowdworkers';

/** The transcript before its last Assistant turn, and that turn's reply. */
function split(f: Fields, name: string): { context: string; reply: string } {
  const text = f.string(name);
  const at = text.lastIndexOf(ASSISTANT);
  if (at < 0) f.fail('the transcript has no "Assistant:" turn', name);
  return { context: text.slice(0, at), reply: text.slice(at + ASSISTANT.length).trim() };
}

const humanTurns = (context: string) => context.split(HUMAN).length - 1;

export const importHhRlhf: Importer = async function* (source, file, drops) {
  const ids = new ExternalIds();
  for await (const record of source.records) {
    const f: Fields = Fields.ofRecord(file, source, record);
    const chosen = split(f, 'chosen');
    const rejected = split(f, 'rejected');
    if (humanTurns(chosen.context) !== 1 || humanTurns(rejected.context) !== 1) {
      drops.add(DROP_REASONS.multiTurn);
      continue;
    }
    if (chosen.context !== rejected.context) {
      drops.add(DROP_REASONS.contextDiffers);
      continue;
    }
    const query = chosen.context.slice(chosen.context.indexOf(HUMAN) + HUMAN.length).trim();
    const swap = seededSwap([query, chosen.reply, rejected.reply]);
    const [responseA, responseB] = swap ? [rejected.reply, chosen.reply] : [chosen.reply, rejected.reply];
    yield {
      externalId: ids.hashed(f, [query, chosen.reply, rejected.reply]), query, responseA, responseB,
      modelA: UNKNOWN_MODEL, modelB: UNKNOWN_MODEL, scenario: null, fineScenario: null,
      unsafe: false, language: null, simulated: false, annotation: null,
      labels: [{ judge: HH_RLHF_JUDGE, kind: 'human', preferred: swap ? 'B' : 'A', probabilityA: null }],
    };
  }
};
