// The import layouts as people know them (the contract's keys are for programs and the command line).
import type { ImportFormat } from '../../../../preload/contract';

export const LAYOUT_NAMES: Record<ImportFormat, string> = {
  arena: 'Chatbot Arena',
  paper: "the paper's annotated pairs",
  'paper-raw': "the paper's raw pairs",
  generic: 'plain pairwise table',
  'alpaca-eval': 'alpaca_eval annotations',
  'auto-j': 'Auto-J pairwise',
  prd: 'PRD expert preferences',
  'hh-rlhf': 'hh-rlhf chosen/rejected',
  'mt-bench': 'MT-bench set',
  'arena-hard': 'arena-hard set',
  'kaggle-arena': 'Kaggle Chatbot Arena CSV',
  pairs: 'pairs exported by Preference Studio',
};
