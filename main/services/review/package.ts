// Packages: a checker's share of a round as one file for their own laptop, and their verdicts as one file back
// (issue 14). Both files are JSON: a format name and version, and a body with its SHA-256 so a damaged file is
// refused before anything is written.
//
// Decisions:
// - A round is named across data folders by a random uid, given when its first package is made.
// - Each pair carries a fingerprint of its annotation items (key and value). A verdict on a pair whose items have
//   changed since the package was made is flagged and not applied: it judged something no longer there.
// - A return that disagrees with verdicts the checker already has in the coordinator's round (from an earlier
//   return, or given here) is kept as a conflict, nothing applied, until someone chooses which one stands.
// - Merging is idempotent: a file merged before (same body) changes nothing.
import { createHash, randomUUID } from 'node:crypto';
import type { ExportedFile, InformativeDesign, PackageOrigin, ReturnRecord, ReviewItem, ReviewRound, ReviewStrategy, Verdict } from '../../../preload/contract';
import type { ImportedPair } from '../data/import/types';
import type { Storage } from '../storage';
import type { StoredVerdict } from './verdicts-store';
import { AppFailure } from '../errors';
import { transaction } from '../db/database';
import { reviewItems } from './items';
import { checkerPairIds, roundSummary } from './review';
import { roundGuidelines, type RoundGuidelines } from './guidelines';

export const PACKAGE_FORMAT = 'preference-studio/review-package';
export const RETURN_FORMAT = 'preference-studio/review-return';
const VERSION = 1;

interface PackageBody {
  round: {
    uid: string; name: string; study: string; seed: number; strategy: ReviewStrategy; perPair: number | null; notes: string;
    /** Absent in packages made before rounds recorded it. */
    design?: InformativeDesign | null;
  };
  checker: string;
  madeAt: string;
  /** The checker's pairs in review order, with the coordinator's pair id and the annotation's fingerprint. */
  pairs: { pairId: number; fingerprint: string; pair: Omit<ImportedPair, 'labels'> }[];
  guidelines: RoundGuidelines;
}

interface ReturnBody {
  roundUid: string;
  roundName: string;
  checker: string;
  returnedAt: string;
  pairs: { pairId: number; fingerprint: string; verdicts: (StoredVerdict & { itemKey: string })[] }[];
}

/** What a round opened from a package remembers (review_rounds.origin_json). */
interface StoredOrigin extends PackageOrigin { pairs: { pairId: number; fingerprint: string }[] }

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The annotation items a checker judges, as they are now: verdicts refer to these. */
export const fingerprint = (items: ReviewItem[]) => sha256(JSON.stringify(items.map((i) => [i.key, i.value])));

function fileOf(format: string, body: unknown, fileName: string): ExportedFile {
  const text = JSON.stringify(body);
  return { fileName, mime: 'application/json', content: `{"format":${JSON.stringify(format)},"version":${VERSION},"sha256":"${sha256(text)}","body":${text}}\n` };
}

const safeName = (s: string) => s.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '') || 'round';

/** The body of a package or return file, or one sentence saying why it is refused. */
function readFile<T>(content: string, format: string, what: string): T {
  let file: { format?: unknown; version?: unknown; sha256?: unknown; body?: unknown };
  try {
    file = JSON.parse(content) as typeof file;
  } catch {
    throw new AppFailure('INVALID', `This is not a ${what}: it is not JSON (the file may be damaged or cut short).`);
  }
  if (!file || typeof file !== 'object' || file.format !== format) {
    const other = file && typeof file === 'object' && (file.format === PACKAGE_FORMAT || file.format === RETURN_FORMAT);
    throw new AppFailure('INVALID', other ? `This is a ${file.format === PACKAGE_FORMAT ? 'package for a checker' : "checker's return"}, not a ${what}.` : `This is not a ${what}.`);
  }
  if (file.version !== VERSION) throw new AppFailure('INVALID', `This ${what} has version ${JSON.stringify(file.version)}; this app reads version ${VERSION}.`);
  if (typeof file.body !== 'object' || file.body === null || typeof file.sha256 !== 'string' || sha256(JSON.stringify(file.body)) !== file.sha256) {
    throw new AppFailure('INVALID', `This ${what} is damaged: its contents do not match its checksum, so nothing was read from it.`);
  }
  return file.body as T;
}

// ---------- the coordinator: a checker's package ----------

export function makePackage(storage: Storage, checkerId: number): ExportedFile {
  const checker = storage.review.checker(checkerId);
  const round = storage.review.reviewRound(checker.roundId);
  if (round.origin !== null) throw new AppFailure('INVALID', `Round "${round.name}" was itself opened from a package; packages are made by the coordinator's round.`);
  const uid = round.uid ?? storage.review.setRoundUid(round.id, randomUUID());
  const study = storage.studies.studyName(round.studyId);
  const pairs = checkerPairIds(storage, checker).map((pairId) => {
    const { externalId, query, responseA, responseB, modelA, modelB, scenario, fineScenario, unsafe, language, simulated, annotation } = storage.pairs.pair(pairId);
    return {
      pairId, fingerprint: fingerprint(reviewItems(annotation)),
      pair: { externalId, query, responseA, responseB, modelA, modelB, scenario, fineScenario, unsafe, language, simulated, annotation },
    };
  });
  const body: PackageBody = {
    round: { uid, name: round.name, study, seed: round.seed, strategy: round.strategy, perPair: round.perPair, notes: round.notes, design: round.design },
    checker: checker.name, madeAt: new Date().toISOString(), pairs, guidelines: roundGuidelines(),
  };
  return fileOf(PACKAGE_FORMAT, body, `${safeName(round.name)}-${safeName(checker.name)}.review-package.json`);
}

// ---------- the checker: open a package, return the verdicts ----------

export function openPackage(storage: Storage, content: string, fileName = 'package'): { round: ReviewRound; checkerId: number } {
  const body = readFile<PackageBody>(content, PACKAGE_FORMAT, 'package for a checker');
  const { round, checker } = body;
  const studyName = `${round.study} · ${round.name} · ${checker}`;
  if (storage.studies.studyIdByName(studyName) !== null) {
    throw new AppFailure('EXISTS', `This package is already open here (study "${studyName}"); review it there.`);
  }
  const origin: StoredOrigin = {
    roundUid: round.uid, roundName: round.name, checker, study: round.study, madeAt: body.madeAt,
    pairs: body.pairs.map((p) => ({ pairId: p.pairId, fingerprint: p.fingerprint })),
  };
  const roundId = transaction(storage.db, () => {
    const { studyId } = storage.studies.insertBatch({ name: studyName },
      { format: 'paper', pairs: body.pairs.map((p) => ({ ...p.pair, labels: [] })), dropped: [] }, { fileName, sha256: sha256(content) });
    // Inserted in the package's order, so their ids are too.
    const pairIds = storage.pairs.annotatedStrata(studyId).map((c) => c.pairId);
    if (pairIds.length !== body.pairs.length) throw new AppFailure('INVALID', 'This package holds a pair without annotation; it cannot be reviewed.');
    return storage.review.createReviewRound({
      studyId, name: round.name, seed: round.seed, strategy: round.strategy, blind: true, pairIds, checkers: [checker], notes: round.notes, origin,
      design: round.design ?? null,
    });
  });
  const summary = roundSummary(storage, roundId);
  return { round: summary, checkerId: summary.checkers[0].id };
}

export function makeReturn(storage: Storage, checkerId: number): ExportedFile {
  const checker = storage.review.checker(checkerId);
  const round = storage.review.reviewRound(checker.roundId);
  if (round.origin === null) throw new AppFailure('INVALID', `Round "${round.name}" was not opened from a package: its verdicts are already in the coordinator's round.`);
  const origin = round.origin as StoredOrigin;
  const local = storage.review.roundPairIds(round.id);
  const body: ReturnBody = {
    roundUid: origin.roundUid, roundName: origin.roundName, checker: checker.name, returnedAt: new Date().toISOString(),
    pairs: origin.pairs.map((p, position) => ({
      pairId: p.pairId, fingerprint: p.fingerprint,
      verdicts: storage.verdicts.checkerVerdicts(checker.id, local[position]).map(({ itemKey, verdict, correctedValue, comment, givenAt }) => ({ itemKey, verdict, correctedValue, comment, givenAt })),
    })),
  };
  return fileOf(RETURN_FORMAT, body, `${safeName(origin.roundName)}-${safeName(checker.name)}.review-return.json`);
}

// ---------- the coordinator: merge a return ----------

export interface MergeOutcome { record: ReturnRecord; alreadyMerged: boolean }

export function mergeReturn(storage: Storage, content: string): MergeOutcome {
  const body = readFile<ReturnBody>(content, RETURN_FORMAT, "checker's return");
  const digest = sha256(JSON.stringify(body));
  const roundId = typeof body.roundUid === 'string' ? storage.review.roundByUid(body.roundUid) : null;
  if (roundId === null) throw new AppFailure('NOT_FOUND', `This return is for round "${body.roundName}", which is not a round of this data folder; merge it where its package was made.`);
  const round = storage.review.reviewRound(roundId);
  const checker = storage.review.checkers(roundId).find((c) => c.name === body.checker);
  if (!checker) throw new AppFailure('NOT_FOUND', `Round "${round.name}" has no checker named "${body.checker}".`);
  const known = storage.verdicts.returns(roundId).find((r) => r.checkerId === checker.id && r.sha256 === digest);
  if (known) return { record: returnRecord(storage, known), alreadyMerged: true };

  const mine = new Set(checkerPairIds(storage, checker));
  const stale: ReturnRecord['stale'] = [];
  const changes: { pairId: number; itemKey: string; after: StoredVerdict }[] = [];
  for (const p of body.pairs) {
    if (!mine.has(p.pairId)) throw new AppFailure('INVALID', `This return has verdicts on pair ${p.pairId}, which is not in ${checker.name}'s share of round "${round.name}".`);
    const items = reviewItems(storage.annotations.annotation(p.pairId));
    if (fingerprint(items) !== p.fingerprint) {
      if (p.verdicts.length > 0) stale.push({ pairId: p.pairId, externalId: storage.pairs.pair(p.pairId).externalId, verdicts: p.verdicts.length });
      continue;
    }
    for (const v of p.verdicts) changes.push({ pairId: p.pairId, itemKey: v.itemKey, after: { verdict: v.verdict, correctedValue: v.correctedValue, comment: v.comment, givenAt: v.givenAt } });
  }
  const stored = new Map(storage.verdicts.checkerVerdicts(checker.id).map((v) => [`${v.pairId}\u0000${v.itemKey}`, v]));
  const conflicts = changes.filter((c) => {
    const have = stored.get(`${c.pairId}\u0000${c.itemKey}`);
    return have !== undefined && !sameDecision(have, c.after);
  }).length;
  const id = storage.verdicts.recordReturn({
    roundId, checkerId: checker.id, sha256: digest, status: conflicts > 0 ? 'conflict' : 'merged', stale, body: JSON.stringify(body),
    apply: conflicts > 0 ? [] : changes,
  });
  return { record: returnRecord(storage, storage.verdicts.returns(roundId).find((r) => r.id === id)!, conflicts), alreadyMerged: false };
}

const sameDecision = (a: Pick<Verdict, 'verdict' | 'correctedValue' | 'comment'>, b: Pick<Verdict, 'verdict' | 'correctedValue' | 'comment'>) =>
  a.verdict === b.verdict && a.correctedValue === b.correctedValue && a.comment === b.comment;

/** Settles a conflicting return: its verdicts replace the checker's ('return') or the checker's stand ('current'). */
export function settleReturn(storage: Storage, returnId: number, keep: 'return' | 'current'): ReturnRecord {
  const row = storage.verdicts.returnRow(returnId);
  if (row.status !== 'conflict') throw new AppFailure('INVALID', `This return is ${row.status === 'merged' ? 'merged' : 'settled'} already.`);
  if (keep !== 'return' && keep !== 'current') throw new AppFailure('INVALID', `Keep the return's verdicts or the current ones, not ${JSON.stringify(keep)}.`);
  const body = JSON.parse(row.body) as ReturnBody;
  const stale = new Set(row.stale.map((s) => s.pairId));
  const apply = keep === 'current' ? [] : body.pairs.filter((p) => !stale.has(p.pairId)).flatMap((p) => p.verdicts.map((v) => ({
    pairId: p.pairId, itemKey: v.itemKey, after: { verdict: v.verdict, correctedValue: v.correctedValue, comment: v.comment, givenAt: v.givenAt },
  })));
  storage.verdicts.settleReturn(returnId, keep === 'return' ? 'merged' : 'kept', apply);
  return returnRecord(storage, storage.verdicts.returnRow(returnId));
}

export function returnsOf(storage: Storage, roundId: number): ReturnRecord[] {
  storage.review.reviewRound(roundId);
  return storage.verdicts.returns(roundId).map((r) => returnRecord(storage, r));
}

function returnRecord(storage: Storage, r: ReturnType<Storage['verdicts']['returnRow']>, conflicts?: number): ReturnRecord {
  const body = JSON.parse(r.body) as ReturnBody;
  let count = conflicts ?? 0;
  if (conflicts === undefined && r.status === 'conflict') {
    const stored = new Map(storage.verdicts.checkerVerdicts(r.checkerId).map((v) => [`${v.pairId}\u0000${v.itemKey}`, v]));
    const stale = new Set(r.stale.map((s) => s.pairId));
    count = body.pairs.filter((p) => !stale.has(p.pairId)).flatMap((p) => p.verdicts.map((v) => ({ pairId: p.pairId, v })))
      .filter(({ pairId, v }) => {
        const have = stored.get(`${pairId}\u0000${v.itemKey}`);
        return have !== undefined && !sameDecision(have, v);
      }).length;
  }
  return {
    id: r.id, roundId: r.roundId, checkerId: r.checkerId, checker: storage.review.checker(r.checkerId).name, receivedAt: r.receivedAt, returnedAt: body.returnedAt,
    status: r.status, verdicts: body.pairs.reduce((t, p) => t + p.verdicts.length, 0), applied: r.applied, conflicts: count, stale: r.stale,
  };
}
