// The judge and group a review result is worked out for (Refit with corrections, Corrected by the check).
import { groupLabel } from '../../../../preload/contract';

export function JudgeGroupFields({ judges, groups, judge, group, onChange, testIdPrefix }: {
  judges: { name: string }[];
  groups: { group: string; rows: number }[];
  judge: string;
  group: string;
  onChange(change: { judge?: string; group?: string }): void;
  testIdPrefix: string;
}) {
  return (
    <>
      <label className="field"><span className="field-label">Judge</span>
        <select value={judge} onChange={(e) => onChange({ judge: e.target.value })} data-testid={`${testIdPrefix}-judge`}>
          {judges.map((j) => <option key={j.name} value={j.name}>{j.name}</option>)}
        </select></label>
      <label className="field"><span className="field-label">Group</span>
        <select value={group} onChange={(e) => onChange({ group: e.target.value })} data-testid={`${testIdPrefix}-group`}>
          {groups.map((g) => <option key={g.group} value={g.group}>{groupLabel(g.group)} ({g.rows})</option>)}
        </select></label>
    </>
  );
}
