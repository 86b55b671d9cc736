// The insight channels: effect strengths beside the paper's, accuracy, judge similarity, style vs substance,
// explanations, pElo, the manipulation kit, and every one of their tables as CSV, Markdown, LaTeX or JSON.
import type { ExportedFile, InsightChannel, InsightTable, TableFormat } from '../../../preload/contract';
import type { HandlerGroup, StudioContext } from '../context';
import type { Storage } from '../storage';
import {
  accuracyTable, effectStrengthsTable, intraInterTable, judgeAccuracies, judgeEffects, judgeLabel, judgeSimilarity,
  similarityTable, styleSubstance, styleSubstanceTable, topLastThreeTable,
} from './compare';
import { contributionsTable, explainPair, peloTable, preferenceElo } from './explain';
import { dpoDataset, judgeSystemMessage } from './manipulate';
import { exportFileName, tableFile, type Table } from '../tables';
import { AppFailure } from '../errors';

/** The table a spec names, built from the same computation its view shows, and where it came from (for the file name). */
export function insightTable(storage: Storage, spec: InsightTable): { table: Table; nameParts: string[] } {
  const studyName = (studyId: number) => storage.studies.study(studyId).name;
  switch (spec.table) {
    case 'effect-strengths':
      return {
        table: effectStrengthsTable(judgeEffects(storage, spec.studyId, spec.judges, [spec.group]), spec.group),
        nameParts: ['effect strengths', studyName(spec.studyId), spec.group],
      };
    case 'top-last-three':
      return { table: topLastThreeTable(judgeEffects(storage, spec.studyId, spec.judges, spec.groups)), nameParts: ['top last three', studyName(spec.studyId)] };
    case 'accuracy':
      return { table: accuracyTable(judgeAccuracies(storage, spec.studyId)), nameParts: ['held-out accuracy', studyName(spec.studyId)] };
    case 'similarity':
      return { table: similarityTable(judgeSimilarity(storage, spec)), nameParts: ['judge similarity', studyName(spec.studyId)] };
    case 'intra-inter':
      return { table: intraInterTable(judgeSimilarity(storage, spec)), nameParts: ['intra inter similarity', studyName(spec.studyId)] };
    case 'style-substance':
      return { table: styleSubstanceTable(styleSubstance(storage, spec)), nameParts: ['style vs substance', studyName(spec.studyId)] };
    case 'contributions': {
      const explanation = explainPair(storage, spec);
      return { table: contributionsTable(explanation), nameParts: ['contributions', `pair ${spec.pairId}`, judgeLabel(spec.judge)] };
    }
    case 'pelo': {
      const result = preferenceElo(storage, spec);
      return { table: peloTable(result), nameParts: ['pelo', studyName(spec.studyId), spec.judge, spec.property ?? ''] };
    }
    default:
      throw new AppFailure('INVALID', `There is no table named ${JSON.stringify((spec as { table: unknown }).table)}.`);
  }
}

export function exportInsightTable(storage: Storage, spec: InsightTable, format: TableFormat): ExportedFile {
  const { table, nameParts } = insightTable(storage, spec);
  return tableFile(table, format, nameParts);
}

export function insightHandlers({ storage }: StudioContext): HandlerGroup<InsightChannel> {
  return {
    'insight.effects': ({ studyId, judges, groups }) => judgeEffects(storage, studyId, judges, groups),
    'insight.accuracy': ({ studyId }) => judgeAccuracies(storage, studyId),
    'insight.similarity': (req) => judgeSimilarity(storage, req),
    'insight.styleSubstance': (req) => styleSubstance(storage, req),
    'insight.explainPair': (req) => explainPair(storage, req),
    'insight.pelo': (req) => preferenceElo(storage, req),
    'insight.systemMessage': (req) => judgeSystemMessage(storage, req),
    'insight.dpo': (req) => dpoDataset(storage, req),
    'insight.table': ({ spec, format }) => exportInsightTable(storage, spec, format),
    'insight.fileName': ({ parts, extension }) => {
      if (!/^[a-z0-9]{1,8}$/.test(extension)) throw new AppFailure('INVALID', `"${extension}" is not a file extension.`);
      return { fileName: exportFileName(parts, extension) };
    },
  };
}
