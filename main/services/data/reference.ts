// The paper's published effect strengths, shipped in resources/ as the app's built-in reference judges.
import type { PaperReference } from '../../../preload/contract';
import raw from '../../../resources/paper-effect-strengths.json';

interface ReferenceFile {
  properties: string[];
  group_sizes: Record<string, number>;
  judge_sizes_billion_params: Record<string, number | null>;
  groups: Record<string, Record<string, number[]>>;
}

export function paperReference(): PaperReference {
  const file: ReferenceFile = raw;
  return {
    properties: file.properties,
    groups: Object.keys(file.groups),
    groupSizes: file.group_sizes,
    judgeSizes: file.judge_sizes_billion_params,
    weights: file.groups,
  };
}
