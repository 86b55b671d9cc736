// Review: the human quality check of the annotations (issue 4; section 3.4, appendix G, Table 12).
import type { ExportedFile, Id, Name, Offset, PageLimit, Seed, Side, TableFormat, Text } from './common';
import type { DetectedError, PairDetail } from './data';
import type { FitSettings, PropertyEffect } from './dissect';
import type { CorrectedContract, InformativeDesign } from './corrected';

/** 'informative': drawn where checking helps most for one judge and group (each pair independently, with the
 *  probability recorded), see the review.createRound request's `design`. */
export type ReviewStrategy = 'random' | 'stratified' | 'informative';
/** 'add' is a missed error a checker adds to a response's detected errors. */
export type VerdictKind = 'approve' | 'reject' | 'correct' | 'add';
/** Table 12's groups of annotation items. */
export type ReviewSection = 'basic' | 'prerequisite' | 'query-specific' | 'error';
/** What a correction chooses: a 0-3 rating, yes/no, a list (one entry per line), a stance or mistake label, an
 *  error (DetectedError as JSON); 'complete' is "no error of this response was missed", approved or rejected only. */
export type ReviewValueKind = 'rating' | 'yes-no' | 'list' | 'stance' | 'mistake' | 'error' | 'complete';

/** One annotation item of a pair that a checker approves, rejects or corrects. */
export interface ReviewItem {
  /** Stable key: "basic:A:clear", "prereq:clear intent", "qs:B:clarify intent", "item:constraint:2:B", "error:B:3", "complete:A". */
  key: string;
  section: ReviewSection;
  valueKind: ReviewValueKind;
  side: Side | null;
  /** The property (Table 1) the item feeds; "error detection" for "no error missed", which feeds all three. */
  property: string;
  /** What is judged, in the paper's words (a property, a prerequisite question, a constraint's text, an error). */
  label: string;
  /** The item in users' words, for every place it is named: "grammarly correct of response B", "constraint
   *  “under 50 words” in response A", "the query: clear intent", "no error missed in response B". */
  title: string;
  /** The annotation's value as text, in the form a correction takes. */
  value: string;
  /** The values a correction chooses from; for errors (and "no error missed"), the error types; empty for lists. */
  choices: string[];
}

export interface Verdict {
  pairId: number;
  itemKey: string;
  verdict: VerdictKind;
  /** The right value for 'correct' (in ReviewItem.value's form); the missed error (DetectedError JSON) for 'add'. */
  correctedValue: string | null;
  comment: string | null;
  givenAt: string;
}

export interface CheckerProgress {
  id: number;
  name: string;
  /** Blind checkers do not see the other checkers' verdicts while reviewing. */
  blind: boolean;
  /** Items decided (missed errors added are not items) of the items of the checker's pairs. */
  decided: number;
  total: number;
  /** The pairs the checker reviews: their share, or the whole round. */
  pairs: number;
  /** Pairs with every item decided. */
  pairsDone: number;
  /** Where the checker left off: position (0-based) among the checker's pairs and item. */
  position: number;
  itemKey: string | null;
  /** That item in users' words (ReviewItem.title); null with no item or one the pair no longer has. */
  itemTitle: string | null;
}

export interface ReviewRound {
  id: number;
  studyId: number;
  name: string;
  seed: number;
  strategy: ReviewStrategy;
  /** A round drawn where checking helps most: the judge and group its probabilities were drawn for (only their pairs
   *  could be drawn). null for the other strategies and for such rounds drawn before this was recorded. */
  design: InformativeDesign | null;
  /** The default for checkers added later. */
  blind: boolean;
  createdAt: string;
  pairCount: number;
  itemCount: number;
  /** Each pair goes to this many of the checkers (their shares); null: every checker reviews every pair. */
  perPair: number | null;
  /** The coordinator's notes to the checkers, shown beside the guidelines. */
  notes: string;
  /** Set on a round opened from a package: the coordinator's round it is a share of. */
  fromPackage: PackageOrigin | null;
  checkers: CheckerProgress[];
}

/** A checker's return merged (or waiting to be settled) in the coordinator's round. */
export interface ReturnRecord {
  id: number;
  roundId: number;
  checkerId: number;
  checker: string;
  receivedAt: string;
  returnedAt: string;
  /** merged: its verdicts stand; conflict: it disagrees with verdicts the checker already has, nothing applied
   *  until settled; kept: settled in favour of the verdicts already there. */
  status: 'merged' | 'conflict' | 'kept';
  verdicts: number;
  /** Verdicts that changed what was stored. */
  applied: number;
  /** Items where the return and the stored verdicts differ (while in conflict). */
  conflicts: number;
  /** Pairs whose annotation changed since the package was made: their verdicts are flagged, not applied. */
  stale: { pairId: number; externalId: string; verdicts: number }[];
}

/** Where a round opened from a package came from. */
export interface PackageOrigin { roundUid: string; roundName: string; checker: string; study: string; madeAt: string }

/** A pair of a round as a checker reviews it. */
export interface ReviewPair {
  roundId: number;
  checkerId: number;
  position: number;
  pairCount: number;
  pair: PairDetail;
  items: ReviewItem[];
  /** This checker's verdicts on the pair, missed errors included. */
  verdicts: Verdict[];
  /** The other checkers' verdicts; empty for a blind checker. */
  others: { checker: string; verdicts: Verdict[] }[];
  /** Per item key, what the item asks and what its values mean: the text the annotation prompts gave the model. */
  guidelines: Record<string, Guideline>;
  /** The coordinator's notes to the round's checkers. */
  notes: string;
}

/** A pair of a round as the coordinator settling disagreements sees it: every checker's verdicts, read-only (no
 *  checker's place moves). */
export interface RoundPairView {
  roundId: number;
  position: number;
  pairCount: number;
  pair: PairDetail;
  items: ReviewItem[];
  checkers: { checker: string; verdicts: Verdict[] }[];
  guidelines: Record<string, Guideline>;
  notes: string;
}

export interface Guideline { definition: string; scale: string[] }

export interface VerdictChange { pairId: number; itemKey: string; verdict: Verdict | null }

/** Where a checker is in a round: the pair's round position (0-based) and the item. */
export interface ReviewCursor { position: Offset; itemKey: Name | null }

/**
 * A review write's own id, made unique by the page (1 to 128 characters) and sent again with every retry of that
 * write: the service applies a write once per id and answers a repeat with the answer it stored, so a write whose
 * answer was lost (the server stopped after storing it) is not applied twice (a missed error added twice, an undo
 * taking back two steps).
 * @minLength 1
 * @maxLength 128
 */
export type ReviewWriteId = string;

/** What a verdict, undo or redo changed, as stored. */
export interface ReviewWriteResult {
  changes: VerdictChange[];
  /** Round position of the pair changed: undo and redo go there. */
  position: number | null;
  canUndo: boolean;
  canRedo: boolean;
  /** The checker's decided items after the change. */
  decided: number;
}

export interface AgreementCount { agreed: number; total: number; rate: number | null; low: number | null; high: number | null }

/** A row of Table 12: x of y items agreed, per checker and pooled ("pooled" key), with a Wilson 95% interval. */
export interface AgreementRow {
  section: string;
  item: string;
  /** What one of the y items is: a response, a sample (query), a constraint/stance/mistake of a response, an error. */
  level: string;
  counts: Record<string, AgreementCount>;
}

/** Cohen's kappa of two checkers on agree/disagree with the annotation, over the items both judged. */
export interface CheckerKappa { first: string; second: string; sharedItems: number; observed: number | null; expected: number | null; kappa: number | null }

export interface AgreementReport {
  roundId: number;
  checkers: string[];
  rows: AgreementRow[];
  kappas: CheckerKappa[];
  /** Krippendorff's alpha (nominal) over all checkers; null with fewer than two checkers. */
  alpha: { value: number | null; checkers: number; units: number } | null;
  disagreements: number;
  settled: number;
}

export interface Adjudication { verdict: VerdictKind; correctedValue: string | null; comment: string | null; decidedAt: string }

/** An item the checkers answered differently, to settle. */
export interface Disagreement {
  pairId: number;
  position: number;
  externalId: string;
  item: ReviewItem;
  verdicts: { checker: string; verdict: Verdict; missedErrors: DetectedError[] }[];
  adjudication: Adjudication | null;
}

/** What a checker looks for inside a round: a pair (its number, id or query text), an item (its property or
 *  words, e.g. "grammarly correct" or "response B"), the next item they have not decided, or the next item another
 *  checker answered differently. */
export type ReviewSearchKind = 'pair' | 'property' | 'undecided' | 'disagreement';

/** A place a search found: the pair (position among the checker's pairs) and the item (null: the pair itself). */
export interface ReviewSearchHit { position: number; itemKey: string | null; externalId: string; what: string }

/** A disagreement named for a bulk settlement. */
export interface DisagreementRef { pairId: Id; itemKey: Name }

/** 'group': every pair of the group, the reviewed ones corrected; 'reviewed': the round's pairs of the group only. */
export type RefitScope = 'group' | 'reviewed';

export interface RefitProperty {
  name: string;
  original: PropertyEffect;
  corrected: PropertyEffect;
  /** corrected - original, of sigma(alpha) and of alpha. */
  strengthShift: number;
  alphaShift: number;
  /** The corrected posterior mean lies outside the original fit's 90% credible interval. */
  exceedsUncertainty: boolean;
}

export interface RefitRecord {
  id: number;
  roundId: number;
  judge: string;
  group: string;
  scope: RefitScope;
  settings: FitSettings;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  startedAt: string;
  finishedAt: string | null;
  jobId: string | null;
  originalRows: number;
  correctedRows: number;
  /** Rows whose comparison features the corrections changed. */
  changedRows: number;
  /** Items the checkers disagree on and nobody settled: kept as annotated. */
  unsettled: number;
  /** The stored dissection fit reused as the original side, if any. */
  reusedFitId: number | null;
  properties: RefitProperty[];
  error: string | null;
}

/** 'table12': the agreement in the paper's layout (x/y per item under each section, a column per checker and pooled). */
export type ReviewTable = 'agreement' | 'table12' | 'reliability' | 'disagreements' | 'refit';

/** The review channels: request and reply of each. */
export interface ReviewContract extends CorrectedContract {
  // review (issue 4): rounds, a verdict on every annotation item, Table 12 agreement, refit with the corrections
  'review.rounds': { req: { studyId: Id }; res: ReviewRound[] };
  /** Draws `size` annotated pairs of the study (random or stratified by scenario, seeded) for the named checkers. */
  'review.createRound': {
    req: {
      studyId: Id; name?: Name; size: number; strategy: ReviewStrategy; seed: Seed; checkers: Name[]; blind: boolean;
      /** Give each pair to this many of the checkers (balanced, seeded); absent or all of them: everyone reviews every pair. */
      perPair?: number | null; notes?: Text;
      /** Draw simulated pairs too (placeholders no checker can judge); by default only real ones are drawn. */
      includeSimulated?: boolean;
      /** Informative rounds: the judge and group whose pairs the checks are spent on. */
      design?: InformativeDesign;
    };
    res: ReviewRound;
  };
  'review.deleteRound': { req: { roundId: Id }; res: { deleted: true } };
  'review.addChecker': { req: { roundId: Id; name: Name; blind?: boolean }; res: ReviewRound };
  /** Sets the coordinator's notes that every checker of the round sees beside the guidelines. */
  'review.setNotes': { req: { roundId: Id; notes: Text }; res: ReviewRound };
  /** The round of one checker as that checker sees it: the round's settings and their own progress only (what a
   *  checker's link may read; the other checkers are left out). */
  'review.checkerRound': { req: { checkerId: Id }; res: ReviewRound };
  /** The pair at a round position with its items and verdicts, as the checker sees it. */
  'review.pair': { req: { checkerId: Id; position: Offset }; res: ReviewPair };
  /** A pair of the round with every checker's verdicts, to read (from a disagreement): nobody's place moves. */
  'review.roundPair': { req: { roundId: Id; position: Offset }; res: RoundPairView };
  /** Gives (or with verdict null, takes back) a verdict; saved at once, in the same transaction as the place the
   *  checker moves on to (`cursor`), so a crash loses neither. */
  'review.verdict': {
    req: {
      checkerId: Id; pairId: Id; itemKey: Name; verdict: Exclude<VerdictKind, 'add'> | null;
      correctedValue?: Text | null; comment?: Text | null; cursor?: ReviewCursor; writeId?: ReviewWriteId;
    };
    res: ReviewWriteResult;
  };
  /** Adds an error the annotation missed to a response; its "nothing missed" item becomes rejected. */
  'review.addMissedError': {
    req: { checkerId: Id; pairId: Id; side: Side; error: DetectedError; comment?: Text | null; cursor?: ReviewCursor; writeId?: ReviewWriteId };
    res: ReviewWriteResult;
  };
  /** Approves the items of the pair the checker has not decided yet from `fromItemKey` on (the cursor; absent: the
   *  whole pair), never the ones skipped above it (one undo step). */
  'review.approveRest': { req: { checkerId: Id; pairId: Id; fromItemKey?: Name | null; cursor?: ReviewCursor; writeId?: ReviewWriteId }; res: ReviewWriteResult };
  'review.undo': { req: { checkerId: Id; writeId?: ReviewWriteId }; res: ReviewWriteResult };
  'review.redo': { req: { checkerId: Id; writeId?: ReviewWriteId }; res: ReviewWriteResult };
  /** Remembers where the checker is, so the review resumes there (a place: sent twice, it is the same place, so it
   *  needs no write id). */
  'review.cursor': { req: { checkerId: Id } & ReviewCursor; res: { saved: true } };
  /** Table 12 per checker and pooled, Cohen's kappa and Krippendorff's alpha between checkers. */
  'review.agreement': { req: { roundId: Id }; res: AgreementReport };
  'review.disagreements': { req: { roundId: Id }; res: Disagreement[] };
  /** The checker's places matching a search, in round order from just after `from` (wrapping round): the first is
   *  the next one. A blind checker cannot look for disagreements (the others' verdicts are not theirs to see). */
  'review.search': {
    req: { checkerId: Id; kind: ReviewSearchKind; text?: Text; from?: ReviewCursor; limit?: PageLimit };
    res: { hits: ReviewSearchHit[]; total: number };
  };
  /** Settles many disagreements at once, as one checker said (`asChecker`) or, without one, as annotated; those that
   *  checker gave no verdict on, or that are no longer disagreements, are skipped and counted. All or nothing. */
  'review.settleMany': {
    req: { roundId: Id; items: DisagreementRef[]; asChecker?: Name | null };
    res: { settled: number; skipped: number; disagreements: Disagreement[] };
  };
  /** Records how a disagreement was settled (verdict null takes the settlement back). */
  'review.adjudicate': {
    req: { roundId: Id; pairId: Id; itemKey: Name; verdict: VerdictKind | null; correctedValue?: Text | null; comment?: Text | null };
    res: Disagreement;
  };
  'review.table': { req: { roundId: Id; table: ReviewTable; format: TableFormat; refitId?: Id }; res: ExportedFile };
  /** Refits a judge on a group with the corrected annotations beside the original; progress as job.progress. */
  'review.refit': { req: { roundId: Id; judge: Name; group: Name; scope: RefitScope; settings?: Partial<FitSettings> }; res: RefitRecord };
  'review.refits': { req: { roundId: Id }; res: RefitRecord[] };
  // team work (issue 14): a checker's share as a file for their own app, and their verdicts back
  /** The checker's own link when the app is served with --host (null otherwise): it reaches their review only. */
  'review.checkerLink': { req: { checkerId: Id }; res: { url: string | null } };
  /** The checker's package: their pairs with annotations, the guidelines and the round's settings. */
  'review.makePackage': { req: { checkerId: Id }; res: ExportedFile };
  /** Opens a package in this data folder as a round of its own with its one checker. */
  'review.openPackage': { req: { content: string; fileName?: Name }; res: { round: ReviewRound; checkerId: number } };
  /** The verdicts of a round opened from a package, as the file to send back. */
  'review.makeReturn': { req: { checkerId: Id }; res: ExportedFile };
  /** Merges a checker's return into the coordinator's round (a file merged before changes nothing). */
  'review.mergeReturn': { req: { content: string }; res: { record: ReturnRecord; alreadyMerged: boolean } };
  'review.returns': { req: { roundId: Id }; res: ReturnRecord[] };
  'review.settleReturn': { req: { returnId: Id; keep: 'return' | 'current' }; res: ReturnRecord };
}
export type ReviewChannel = keyof ReviewContract;
