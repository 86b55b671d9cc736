// From the model's answers to the stored annotation: Appendix F's conversions of the query-specific labels to
// 0-3 ratings (itemScore, shared with the paper's importer), non-repetitive as 3 - "repetitive", lengthy as a
// word count, and the error checks as given.
import type { ErrorCheck, PairAnnotation, Prerequisites, QueryItem, QueryItemKind, Side } from '../../../preload/contract';
import { wordCount } from '../data/features';
import { itemScore } from '../data/import/paper';
import type { ErrorAnswer, PrerequisiteAnswer, QuerySpecificAnswer } from './parse';
import type { RoundTwoQuestions } from './prompts';

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** The property each kind of item is averaged into (Appendix F). */
export const ITEM_PROPERTY: Record<QueryItemKind, string> = {
  constraint: 'satisfy constraints', stance: 'support stances', mistake: 'correct mistakes',
};

/** Which round-two questions apply (section 3.4): only properties whose prerequisite the query meets. */
export function roundTwoQuestions(pre: PrerequisiteAnswer): RoundTwoQuestions {
  return {
    intent: !pre.clearIntent,
    empathy: pre.expressFeelings,
    items: { constraint: pre.constraints, stance: pre.stances, mistake: pre.mistakes },
  };
}

export interface AnsweredPair {
  responseA: string;
  responseB: string;
  /** Figure 6-8 ratings by property name, as the model gave them ("non-repetitive" holds the "repetitive" rating). */
  basic: Record<string, Record<Side, number>>;
  prerequisites: PrerequisiteAnswer;
  /** null when round one found nothing to ask. */
  querySpecific: QuerySpecificAnswer | null;
  errors: Record<Side, ErrorAnswer>;
  model: string;
  promptVersion: string;
}

/** The stored annotation of a pair from its answers. */
export function toAnnotation(a: AnsweredPair): PairAnnotation {
  const ratings: PairAnnotation['ratings'] = {};
  for (const [name, r] of Object.entries(a.basic)) {
    // The prompt asks whether a response is "repetitive"; the property is the opposite, so higher is better.
    ratings[name] = name === 'non-repetitive' ? { A: 3 - r.A, B: 3 - r.B } : { ...r };
  }
  ratings.lengthy = { A: wordCount(a.responseA), B: wordCount(a.responseB) };

  const items: QueryItem[] = [];
  const q = a.querySpecific;
  if (q) {
    if (q.intent) ratings['clarify intent'] = { ...q.intent };
    if (q.empathy) ratings['show empathetic'] = { ...q.empathy };
    for (const kind of ['constraint', 'stance', 'mistake'] as const) {
      const ofKind = q.items.filter((i) => i.kind === kind).map((i): QueryItem => ({
        kind, text: i.text, labels: i.labels, scores: { A: itemScore(kind, i.labels.A)!, B: itemScore(kind, i.labels.B)! },
      }));
      if (ofKind.length === 0) continue;
      items.push(...ofKind);
      ratings[ITEM_PROPERTY[kind]] = { A: mean(ofKind.map((i) => i.scores.A)), B: mean(ofKind.map((i) => i.scores.B)) };
    }
  }
  const prerequisites: Prerequisites = { ...a.prerequisites };
  const errors: Record<Side, ErrorCheck> = {
    A: { applicable: a.errors.A.applicable, errors: a.errors.A.errors.map((e) => ({ ...e })) },
    B: { applicable: a.errors.B.applicable, errors: a.errors.B.errors.map((e) => ({ ...e })) },
  };
  return { ratings, prerequisites, items, errors, model: a.model, promptVersion: a.promptVersion };
}
