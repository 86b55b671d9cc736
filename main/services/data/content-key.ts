// A pair's content as a key: the query and both responses, the responses in a fixed order, so that a file giving the
// same pair with its sides swapped finds it (issue 13: a judge's labels for pairs already in the study).
import { createHash } from 'node:crypto';

export function contentKey(query: string, responseA: string, responseB: string): string {
  const [first, second] = responseA <= responseB ? [responseA, responseB] : [responseB, responseA];
  return createHash('sha256').update(query).update('\u0000').update(first).update('\u0000').update(second).digest('hex').slice(0, 32);
}
