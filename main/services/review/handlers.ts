// The review's channels: rounds and checkers, the pair under review, verdicts (each saved at once, undo and
// redo), Table 12 agreement, disagreements and their settlement, the tables to export, refits with corrections.
import type { ExportedFile, Req, ReviewChannel } from '../../../preload/contract';
import type { HandlerGroup, StudioContext } from '../context';
import type { Storage } from '../storage';
import { addChecker, addMissedError, approveRest, giveVerdict, reviewPair, roundPairView, roundSummary, saveCursor, setNotes, undoVerdicts } from './review';
import { adjudicate, settleMany, agreementReport, agreementTable, disagreements, disagreementsTable, reliabilityTable, table12Table } from './report';
import { refitTable, refitsOf, startRefit } from './refit';
import { makePackage, makeReturn, mergeReturn, openPackage, returnsOf, settleReturn } from './package';
import { tableFile } from '../tables';
import { searchRound } from './search';
import { createDrawnRound } from './draw';
import { correctedReport, correctedTable } from './corrected';
import { AppFailure } from '../errors';

/** One of the review's tables as a file, named after what it is, the study and the round. */
export function reviewTableFile(storage: Storage, req: Req<'review.table'>): ExportedFile {
  const round = storage.review.reviewRound(req.roundId);
  const nameParts = [req.table, storage.studies.studyName(round.studyId), round.name];
  switch (req.table) {
    case 'agreement':
      return tableFile(agreementTable(agreementReport(storage, req.roundId), round.name), req.format, nameParts);
    case 'table12':
      return tableFile(table12Table(agreementReport(storage, req.roundId), round.name), req.format, nameParts);
    case 'reliability':
      return tableFile(reliabilityTable(agreementReport(storage, req.roundId), round.name), req.format, nameParts);
    case 'disagreements': {
      const checkers = storage.review.checkers(req.roundId).map((c) => c.name);
      return tableFile(disagreementsTable(disagreements(storage, req.roundId), checkers, round.name), req.format, nameParts);
    }
    case 'refit': {
      const refit = storage.refit.refits(req.roundId).find((r) => r.id === req.refitId);
      if (!refit) throw new AppFailure('NOT_FOUND', `Round "${round.name}" has no refit with id ${req.refitId}.`);
      if (refit.status !== 'done') throw new AppFailure('INVALID', `The refit of ${refit.judge} on ${refit.group} has not finished (${refit.status}).`);
      return tableFile(refitTable(refit, round.name), req.format, [...nameParts, refit.judge, refit.group]);
    }
    default:
      throw new AppFailure('INVALID', `There is no review table named ${JSON.stringify(req.table)}.`);
  }
}

export function reviewHandlers(context: StudioContext): HandlerGroup<ReviewChannel> {
  const { storage } = context;
  /** Tells every window that a round's verdicts changed, so an agreement on screen refreshes without a reload. */
  const changed = <T>(roundId: number, result: T): T => {
    context.emit('review.changed', { roundId });
    return result;
  };
  const ofChecker = (checkerId: number) => storage.review.checker(checkerId).roundId;
  // A refit that was running when the app stopped will not finish now.
  storage.refit.abandonRunningRefits();
  return {
    'review.rounds': ({ studyId }) => {
      storage.studies.studyName(studyId);
      return storage.review.reviewRounds(studyId).map((r) => roundSummary(storage, r.id));
    },
    'review.createRound': (req) => createDrawnRound(storage, req),
    'review.deleteRound': ({ roundId }) => {
      storage.review.deleteReviewRound(roundId);
      return { deleted: true };
    },
    'review.addChecker': (req) => addChecker(storage, req),
    'review.setNotes': (req) => setNotes(storage, req),
    'review.checkerRound': ({ checkerId }) => {
      const round = roundSummary(storage, storage.review.checker(checkerId).roundId);
      return { ...round, checkers: round.checkers.filter((c) => c.id === checkerId) };
    },
    'review.pair': ({ checkerId, position }) => reviewPair(storage, checkerId, position),
    'review.roundPair': ({ roundId, position }) => roundPairView(storage, roundId, position),
    // Each applied once per write id, so a write the page sends again after losing its answer is not applied twice.
    'review.verdict': (req) => changed(ofChecker(req.checkerId), storage.verdicts.writeOnce(req.writeId, req.checkerId, 'review.verdict', () => giveVerdict(storage, req))),
    'review.addMissedError': (req) => changed(ofChecker(req.checkerId), storage.verdicts.writeOnce(req.writeId, req.checkerId, 'review.addMissedError', () => addMissedError(storage, req))),
    'review.approveRest': (req) => changed(ofChecker(req.checkerId), storage.verdicts.writeOnce(req.writeId, req.checkerId, 'review.approveRest', () => approveRest(storage, req))),
    'review.undo': ({ checkerId, writeId }) => changed(ofChecker(checkerId), storage.verdicts.writeOnce(writeId, checkerId, 'review.undo', () => undoVerdicts(storage, checkerId, false))),
    'review.redo': ({ checkerId, writeId }) => changed(ofChecker(checkerId), storage.verdicts.writeOnce(writeId, checkerId, 'review.redo', () => undoVerdicts(storage, checkerId, true))),
    'review.cursor': ({ checkerId, position, itemKey }) => {
      saveCursor(storage, checkerId, { position, itemKey });
      return { saved: true };
    },
    'review.agreement': ({ roundId }) => agreementReport(storage, roundId),
    'review.disagreements': ({ roundId }) => {
      storage.review.reviewRound(roundId);
      return disagreements(storage, roundId);
    },
    'review.adjudicate': (req) => changed(req.roundId, adjudicate(storage, req)),
    'review.settleMany': (req) => changed(req.roundId, settleMany(storage, req)),
    'review.search': (req) => searchRound(storage, req),
    'review.table': (req) => reviewTableFile(storage, req),
    'review.refit': (req) => startRefit(context, req),
    'review.refits': ({ roundId }) => refitsOf(context, roundId),
    'review.corrected': (req) => correctedReport(storage, req),
    'review.correctedTable': ({ format, ...req }) => {
      const report = correctedReport(storage, req);
      return tableFile(correctedTable(report), format, ['corrected', storage.studies.studyName(storage.review.reviewRound(req.roundId).studyId), report.roundName, report.judge, report.group]);
    },
    'review.checkerLink': ({ checkerId }) => {
      storage.review.checker(checkerId);
      return { url: context.options.checkerLink?.(checkerId) ?? null };
    },
    'review.makePackage': ({ checkerId }) => makePackage(storage, checkerId),
    'review.openPackage': ({ content, fileName }) => openPackage(storage, content, fileName),
    'review.makeReturn': ({ checkerId }) => makeReturn(storage, checkerId),
    'review.mergeReturn': ({ content }) => {
      const merged = mergeReturn(storage, content);
      return merged.alreadyMerged ? merged : changed(merged.record.roundId, merged);
    },
    'review.returns': ({ roundId }) => returnsOf(storage, roundId),
    'review.settleReturn': ({ returnId, keep }) => {
      const record = settleReturn(storage, returnId, keep);
      return changed(record.roundId, record);
    },
  };
}
