// alpaca_eval annotations (tatsu-lab/alpaca_eval results/<model>/<annotator>/annotations.json): a JSON array, one LLM
// judge's verdict per instruction on output_1 (the baseline) against output_2. `preference` is 1 (output_1) or 2
// (output_2), 0 or 1.5 a draw (pairwise_evaluator.py); the weighted annotators write 1 + P(output_2 preferred)
// (metrics/winrate.py), kept as the label's probability.
import { type Importer, DROP_REASONS, ExternalIds } from './common';
import { Fields, shown } from './fields';

/** Whether a preference value carries a probability rather than a plain choice. */
const isWeighted = (annotator: string, preference: number) =>
  /^weighted/i.test(annotator) || ![1, 1.5, 2].includes(preference);

export const importAlpacaEval: Importer = async function* (source, file, drops) {
  const ids = new ExternalIds();
  for await (const record of source.records) {
    const f: Fields = Fields.ofRecord(file, source, record);
    const query = f.string('instruction');
    const responseA = f.string('output_1');
    const responseB = f.string('output_2');
    const modelA = f.string('generator_1');
    const modelB = f.string('generator_2');
    const judge = f.string('annotator');
    const value = f.data.preference;
    const preference = typeof value === 'number' && (value === 0 || (value >= 1 && value <= 2))
      ? value
      : f.fail(`expected 1 (output_1), 2 (output_2), 0 or 1.5 (a draw), or a weight in [1, 2], found ${shown(value)}`, 'preference');
    const externalId = ids.hashed(f, [query, responseA, responseB, modelA, modelB]);
    const probabilityA = preference === 0 ? 0.5 : 2 - preference;
    if (probabilityA === 0.5) {
      drops.add(DROP_REASONS.tie);
      continue;
    }
    yield {
      externalId, query, responseA, responseB, modelA, modelB, scenario: null, fineScenario: null,
      unsafe: false, language: null, simulated: false, annotation: null,
      labels: [{
        judge, kind: 'llm', preferred: probabilityA > 0.5 ? 'A' : 'B',
        probabilityA: isWeighted(judge, preference) ? probabilityA : null,
      }],
    };
  }
};
