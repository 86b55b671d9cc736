// The names people read for the paper's groups of pairs, shared by the services (messages, exported titles) and the
// renderer: the 10 scenarios and Unsafe Queries are named as they are; the five query-specific groups have keys
// (w_constraints, ...) that are named as the Data view names them.
export const QUERY_SPECIFIC_GROUP_LABELS = {
  intent_unclear: 'Unclear intent',
  express_feeling: 'Expresses feelings',
  w_constraints: 'With explicit constraints',
  w_stances: 'Shows subjective stances',
  w_mistakes: 'Contains mistakes or bias',
} as const;

export function groupLabel(group: string): string {
  return Object.hasOwn(QUERY_SPECIFIC_GROUP_LABELS, group) ? QUERY_SPECIFIC_GROUP_LABELS[group as keyof typeof QUERY_SPECIFIC_GROUP_LABELS] : group;
}

/** Whether a group is one of the five query-specific ones (not a scenario). */
export const isQuerySpecific = (group: string) => Object.hasOwn(QUERY_SPECIFIC_GROUP_LABELS, group);
