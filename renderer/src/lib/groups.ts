// The names people read for the paper's groups of pairs: the 10 scenarios and Unsafe Queries are named as they are;
// the five query-specific groups have keys (w_constraints, ...) that are shown as the Data view names them.
const QUERY_SPECIFIC_LABELS: Record<string, string> = {
  intent_unclear: 'Unclear intent',
  express_feeling: 'Expresses feelings',
  w_constraints: 'With explicit constraints',
  w_stances: 'Shows subjective stances',
  w_mistakes: 'Contains mistakes or bias',
};

export function groupLabel(group: string): string {
  return QUERY_SPECIFIC_LABELS[group] ?? group;
}

/** Whether a group is one of the five query-specific ones (not a scenario). */
export const isQuerySpecific = (group: string) => group in QUERY_SPECIFIC_LABELS;
