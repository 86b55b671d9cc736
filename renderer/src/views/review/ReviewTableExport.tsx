// One of the review's tables (review.table) as CSV, Markdown, LaTeX or JSON, for the selected round.
import type { ReviewTable } from '../../../../preload/contract';
import { useStudio } from '../../store';
import { call } from '../../api';
import { TableExport } from '../../components/TableExport';

export function ReviewTableExport({ table, testId, refitId }: { table: ReviewTable; testId: string; refitId?: number }) {
  const roundId = useStudio((s) => s.reviewRoundId);
  return <TableExport testId={testId} disabled={roundId === null}
    file={(format) => call('review.table', { roundId: roundId!, table, format, refitId })} />;
}
