// Corrected by the check (issue 15): a judge's effect strengths as annotated beside the ones corrected by a review
// round's checked pairs (design-based supervised learning), with 95% intervals and the checks still needed.
// Part of the review domain's contract (ReviewContract extends CorrectedContract).
import type { ExportedFile, Id, Name, TableFormat } from './common';

/** Where an informative round spends its checks: the pairs of one judge and group. */
export interface InformativeDesign { judge: Name; group: Name }

/** A log-odds weight with its 95% interval, and the effect strength σ(weight) with the interval's image. */
export interface CorrectedEstimate { weight: number; low: number; high: number; strength: number; strengthLow: number; strengthHigh: number }

export interface CorrectedProperty {
  name: string;
  /** null when the property never differs in the group's pairs (its weight is not identified). */
  naive: CorrectedEstimate | null;
  corrected: CorrectedEstimate | null;
  /** The corrected weight has the other sign. */
  signChanged: boolean;
  /** Moves into or out of the three strongest / three weakest. */
  topThreeChanged: boolean;
  lastThreeChanged: boolean;
  /** Either estimate lies outside the other's 95% interval. */
  outsideOther: boolean;
  /** The corrected interval's width now (log-odds) and the checked pairs needed for the chosen width: in all and
   *  still to check (null: not reachable with this design even by checking every pair). */
  width: number | null;
  checksNeeded: number | null;
  moreChecks: number | null;
}

export interface CorrectedReport {
  roundId: number;
  roundName: string;
  judge: string;
  group: string;
  /** The judge's labelled pairs in the group, of which in the round and of those checked (every item settled). */
  pairs: number;
  inRound: number;
  checked: number;
  /** In the round but not checked: items not judged yet, or disagreements nobody settled. */
  notChecked: number;
  /** The round was drawn before probabilities were recorded: they are what its strategy implies now. */
  probabilitiesImplied: boolean;
  /** The chosen 95% interval width (log-odds) the planning figures aim at. */
  targetWidth: number;
  properties: CorrectedProperty[];
  /** What the check changed, in one or two plain sentences. */
  summary: string;
}

export interface CorrectedContract {
  /** Effect strengths as annotated and corrected by a round's checked pairs, for a judge and group. */
  'review.corrected': { req: { roundId: Id; judge: Name; group: Name; targetWidth?: number }; res: CorrectedReport };
  'review.correctedTable': { req: { roundId: Id; judge: Name; group: Name; targetWidth?: number; format: TableFormat }; res: ExportedFile };
}
