// The manipulation kit of section 4.3.2: system messages that ask a model to satisfy a judge's top three (or last
// three) properties of a scenario (training-free), and a DPO dataset whose pairs are relabelled by the judge's
// fitted models, towards or against its preferences (training-based).
import type { DpoExport, JudgeEffects, JudgeRef, SystemMessage } from '../../../preload/contract';
import type { Storage } from '../storage';
import { comparisonFeatures } from '../data/features';
import { propertyByName } from '../data/properties';
import { contributions } from './explain';
import { GROUPS } from '../data/scenarios';
import { judgeEffects, judgeLabel, PARTITION_GROUPS } from './compare';
import { exportFileName } from '../tables';
import { AppFailure } from '../errors';
import { groupLabel, isQuerySpecific } from '../../../preload/contract';

/**
 * How a system message asks for a property. Basic properties use the annotation prompt's own descriptions
 * (Figures 7 and 8); the others are counted or judged per query, so they are phrased as requests here.
 */
const REQUESTS: Record<string, string> = {
  'non-repetitive': 'The response does not repeat the same or similar information or content.',
  'no minor errors': 'The response contains no minor inaccuracies, not even ones that barely affect its correctness.',
  'no moderate errors': 'The response contains no inaccuracies that affect its overall correctness.',
  'no severe errors': 'The response contains no severe inaccuracies that would make it totally wrong.',
  'clarify intent': 'When the query\'s intent is unclear, the response includes relevant information, makes reasonable inferences and asks for what it needs to clarify the intent.',
  'show empathetic': 'When the user expresses feelings, the response shows understanding of and sensitivity to them.',
  'satisfy constraints': 'The response satisfies every explicit constraint in the query.',
  'support stances': 'The response supports the subjective stances the user shows in the query.',
  'correct mistakes': 'The response points out and corrects any mistake or bias in the query.',
  lengthy: 'The response is long and detailed.',
};

export const propertyRequest = (name: string) => REQUESTS[name] ?? propertyByName(name).description;

/** The training-free strategy: ask for the judge's top (or last) three properties in the query's scenario. */
export function systemMessage(effects: JudgeEffects, which: 'top' | 'last'): SystemMessage {
  const names = which === 'top' ? effects.top : effects.last;
  const properties = names.map((name) => ({ name, strength: effects.properties.find((p) => p.name === name)!.strength }));
  const text = [
    `You are a helpful assistant. The user's query ${isQuerySpecific(effects.group) ? 'is in the group' : 'belongs to the scenario'} "${groupLabel(effects.group)}". Write your response so that it has each of these characteristics:`,
    ...names.map((name, i) => `${i + 1}. ${name}: ${propertyRequest(name)}`),
  ].join('\n');
  return { judge: effects.judge, group: effects.group, which, properties, text, flag: effects.flag };
}

export function judgeSystemMessage(storage: Storage, input: { studyId: number; judge: JudgeRef; group: string; which: 'top' | 'last' }): SystemMessage {
  if (input.which !== 'top' && input.which !== 'last') throw new AppFailure('INVALID', `Ask for the "top" or the "last" three properties, not ${JSON.stringify(input.which)}.`);
  const [effects] = judgeEffects(storage, input.studyId, [input.judge], [input.group]);
  if (!effects) throw new AppFailure('NO_FIT', `${judgeLabel(input.judge)} has no finished fit on ${groupLabel(input.group)}; fit it in Dissect first.`);
  return systemMessage(effects, input.which);
}

/** The paper drops pairs whose relabelled probability is within 50 +- 15% "to emphasize the preferences". */
export const DPO_MARGIN = 0.15;

/**
 * Relabels every annotated pair of each scenario group (the 10 scenarios and Unsafe Queries: every pair is in
 * exactly one) with the judge's model of that group, P(A) = sigma(sum alpha_i phi_i); keeps the pairs with
 * |P(A) - 0.5| > margin; "towards" makes the preferred response `chosen`, "against" inverts the labels.
 * One TRL-ready JSON line per pair: {"prompt", "chosen", "rejected"}, and "fit_flag" (why) when the group's fit
 * is flagged. Simulated pairs (placeholder text) would teach a model nothing: left out unless asked for.
 */
export function dpoDataset(
  storage: Storage,
  input: { studyId: number; judge: JudgeRef; direction: 'towards' | 'against'; margin?: number; includeSimulated?: boolean },
): DpoExport {
  const { studyId, judge, direction } = input;
  if (direction !== 'towards' && direction !== 'against') throw new AppFailure('INVALID', `The direction must be "towards" or "against", not ${JSON.stringify(direction)}.`);
  const margin = input.margin ?? DPO_MARGIN;
  if (!(margin >= 0 && margin < 0.5)) throw new AppFailure('INVALID', `The margin must be at least 0 and below 0.5, not ${margin}.`);
  const study = storage.studies.study(studyId);
  const effects = judgeEffects(storage, studyId, [judge], [...PARTITION_GROUPS]);
  if (effects.length === 0) throw new AppFailure('NO_FIT', `${judgeLabel(judge)} has no finished fit on any scenario; fit it in Dissect first.`);
  const lines: string[] = [];
  const groups: DpoExport['groups'] = [];
  const includeSimulated = input.includeSimulated === true;
  let considered = 0;
  let simulatedLeftOut = 0;
  for (const group of GROUPS.filter((g) => PARTITION_GROUPS.includes(g))) {
    const model = effects.find((e) => e.group === group);
    if (!model) continue;
    const alpha = model.properties.map((p) => p.alpha);
    const all = storage.pairs.groupPairs(studyId, group);
    const pairs = includeSimulated ? all : all.filter((p) => !p.simulated);
    simulatedLeftOut += all.length - pairs.length;
    let kept = 0;
    for (const pair of pairs) {
      const { probabilityA } = contributions(alpha, comparisonFeatures(storage.annotations.annotation(pair.pairId)));
      if (Math.abs(probabilityA - 0.5) <= margin) continue;
      const aChosen = (probabilityA > 0.5) === (direction === 'towards');
      lines.push(JSON.stringify({
        prompt: pair.query,
        chosen: aChosen ? pair.responseA : pair.responseB,
        rejected: aChosen ? pair.responseB : pair.responseA,
        ...(model.flag ? { fit_flag: model.flag } : {}),
      }));
      kept++;
    }
    considered += pairs.length;
    groups.push({ group, pairs: pairs.length, kept, flag: model.flag });
  }
  return {
    fileName: exportFileName(['dpo', study.name, judgeLabel(judge), direction], 'jsonl'),
    jsonl: lines.length ? `${lines.join('\n')}\n` : '',
    direction, count: lines.length, considered, simulatedLeftOut, includeSimulated, leftOut: considered - lines.length, margin, groups,
    skipped: PARTITION_GROUPS.filter((g) => !effects.some((e) => e.group === g)).map((g) => `${groupLabel(g)}: no finished fit`),
  };
}
