// What a checker applies to each item: the same definitions and scales the annotation prompts gave the model
// (annotate/prompts.ts, Figures 6-12), so checker and model judge by one text.
import type { Guideline, ReviewItem } from '../../../preload/contract';
import { PROPERTIES } from '../data/properties';
import { PREREQUISITE_QUESTIONS, QUERY_SPECIFIC_QUESTIONS, RATING_CRITERIA } from '../annotate/prompts';
import { PREREQUISITES } from './items';

const RATING_SCALE = RATING_CRITERIA.map((c, i) => `${i}: ${c}`);
const definitionOf = (property: string) => PROPERTIES.find((p) => p.name === property)?.description ?? '';

/** The guideline of one item: what the property means and what its values mean. */
export function guidelineFor(item: ReviewItem): Guideline {
  switch (item.section) {
    case 'basic':
      return { definition: `${item.property}: ${definitionOf(item.property)}`, scale: RATING_SCALE };
    case 'prerequisite': {
      const i = PREREQUISITES.findIndex((q) => `prereq:${q.key}` === item.key);
      return { definition: PREREQUISITE_QUESTIONS[i] ?? definitionOf(item.property), scale: [] };
    }
    case 'query-specific': {
      const kind = item.key.startsWith('item:') ? item.key.split(':')[1] as 'constraint' | 'stance' | 'mistake' : item.property === 'clarify intent' ? 'intent' : 'empathy';
      const text = kind === 'intent' || kind === 'empathy' ? QUERY_SPECIFIC_QUESTIONS[kind]() : QUERY_SPECIFIC_QUESTIONS[kind]([item.label]);
      return { definition: text, scale: item.valueKind === 'rating' && kind !== 'constraint' ? RATING_SCALE : [] };
    }
    default:
      return {
        definition: item.valueKind === 'complete'
          ? 'Every error of this response was found: add any the annotation missed (with its type and severity).'
          : `${item.property}: ${definitionOf(item.property)}`,
        scale: [],
      };
  }
}

/** The guidelines a package carries: every property's definition and the 0-3 scale. */
export interface RoundGuidelines { ratingScale: string[]; properties: { name: string; definition: string }[]; prerequisites: string[] }

export function roundGuidelines(): RoundGuidelines {
  return {
    ratingScale: RATING_SCALE,
    properties: PROPERTIES.map((p) => ({ name: p.name, definition: p.description })),
    prerequisites: [...PREREQUISITE_QUESTIONS],
  };
}
