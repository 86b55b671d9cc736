// The new-round form's fields for a round drawn where checking helps most: whose effect strengths, on which group,
// the check should correct (the draw favours pairs whose check is expected to move them most).
import { useEffect, useState } from 'react';
import type { InformativeDesign } from '../../../../preload/contract';
import { call } from '../../api';
import { useStudio } from '../../store';

export function InformativeFields({ design, onChange }: { design: InformativeDesign; onChange: (d: InformativeDesign) => void }) {
  const studyId = useStudio((s) => s.selectedStudyId);
  const judges = useStudio((s) => s.reviewJudges);
  const reportError = useStudio((s) => s.reportError);
  const [groups, setGroups] = useState<{ group: string; rows: number }[]>([]);
  const judge = design.judge || judges[0]?.name || '';
  useEffect(() => {
    if (studyId === null || !judge) return;
    call('dissect.groups', { studyId, judge }).then(setGroups, (err: unknown) => reportError('review', err));
  }, [studyId, judge, reportError]);
  const group = groups.some((g) => g.group === design.group) ? design.group : groups[0]?.group ?? '';
  useEffect(() => {
    if (judge !== design.judge || group !== design.group) onChange({ judge, group });
  }, [judge, group, design, onChange]);
  return (
    <>
      <label className="field"><span className="field-label">For judge</span>
        <select value={judge} onChange={(e) => onChange({ judge: e.target.value, group })} data-testid="round-design-judge">
          {judges.map((j) => <option key={j.name} value={j.name}>{j.name}</option>)}
        </select></label>
      <label className="field"><span className="field-label">On group (about that many pairs are drawn)</span>
        <select value={group} onChange={(e) => onChange({ judge, group: e.target.value })} data-testid="round-design-group">
          {groups.map((g) => <option key={g.group} value={g.group}>{g.group} ({g.rows})</option>)}
        </select></label>
    </>
  );
}
