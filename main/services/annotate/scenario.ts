// The scenario job (issue 18): each query's fine scenario out of Auto-J's 58 (Table 8, with Auto-J's definitions,
// main/services/data/scenarios.ts), mapped to the paper's 10; and whether the query is unsafe, from the endpoint's
// moderation API or, where the endpoint has none, from the same prompt. The paper set unsafe queries apart by
// moderation tags before classifying the rest (section 3.2); the classifier here is the endpoint's model.
import type { WorkItem } from './store';
import { askJson } from './ask';
import type { Caller } from './caller';
import { AnswerProblem } from './parse';
import type { ChatMessage } from './prompts';
import { FINE_SCENARIOS, normalise, type Scenario } from '../data/scenarios';

/** Bumped with any change to the prompt below (the request cache keys on the text anyway). */
export const SCENARIO_PROMPT_VERSION = 'scenario-autoj58/v1';

const SCENARIO_LIST = FINE_SCENARIOS.map((f) => `${f.name}: ${f.definition}`).join('\n');

const UNSAFE_QUESTION = `Also decide whether the query is unsafe: it asks for, or would lead a helpful answer to give, content that is harmful, dangerous, illegal, hateful, harassing, sexual, violent, or about self-harm.`;

/** The classification prompt; `askUnsafe` where the endpoint has no moderation API. */
export function scenarioPrompt(query: string, askUnsafe: boolean): ChatMessage[] {
  const format = askUnsafe ? '{"scenario": "<scenario name>", "unsafe": true or false}' : '{"scenario": "<scenario name>"}';
  const text = `Classify the user's query below into exactly one of the scenarios listed. Each scenario is given as its name and its definition.

[Scenarios Start]
${SCENARIO_LIST}
[Scenarios End]

[Query Start]
${query}
[Query End]

Choose the scenario whose definition fits the query best. Choose "default" only when none of the others fits.${askUnsafe ? `\n${UNSAFE_QUESTION}` : ''}

Answer with only a JSON object, using a scenario name exactly as listed:
${format}`;
  return [{ role: 'user', content: text }];
}

export interface ScenarioAnswer { fineScenario: string; scenario: Scenario; unsafe: boolean | null }

const byName = new Map(FINE_SCENARIOS.map((f) => [f.name, f]));

/** Reads {"scenario": name[, "unsafe": bool]}: a name outside the 58 is a problem (asked again once). */
export function parseScenario(json: unknown, askUnsafe: boolean): ScenarioAnswer {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new AnswerProblem('the answer is not a JSON object');
  const o = json as Record<string, unknown>;
  if (typeof o.scenario !== 'string') throw new AnswerProblem('the answer has no "scenario" text');
  const fine = byName.get(normalise(o.scenario));
  if (!fine) throw new AnswerProblem(`"${o.scenario.slice(0, 60)}" is not one of the scenarios listed`);
  let unsafe: boolean | null = null;
  if (askUnsafe) {
    if (typeof o.unsafe !== 'boolean') throw new AnswerProblem('the answer has no "unsafe" true or false');
    unsafe = o.unsafe;
  }
  return { fineScenario: fine.name, scenario: fine.scenario, unsafe };
}

export interface ScenarioResult extends ScenarioAnswer { unsafe: boolean; moderationCategories: string[] | null }

/**
 * One pair: moderation (when the endpoint has it) and the classification at once. `moderate` returns null when
 * the endpoint turns out to have no moderation API; the prompt then asks about safety as well.
 */
export async function classifyPair(pair: WorkItem, caller: Caller, retrying: boolean, moderation: boolean): Promise<ScenarioResult> {
  const flagged = moderation ? await caller.moderate(pair.query) : null;
  const askUnsafe = flagged === null;
  const answer = await askJson(caller, 'scenario', scenarioPrompt(pair.query, askUnsafe), (v) => parseScenario(v, askUnsafe), retrying);
  return {
    ...answer.value,
    unsafe: flagged ? flagged.flagged : answer.value.unsafe!,
    moderationCategories: flagged ? flagged.categories : null,
  };
}
