// Beside the effect strengths: the first chosen judge's strengths on the group shown, corrected by a review round's
// checked pairs (the Review view's "Corrected by the check"), turned on by choosing the round.
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../../store';
import { CorrectedResult } from '../review/CorrectedPanel';

export function CorrectedToggle() {
  const { studyId, rounds, roundId, setRound, loadRounds, judge, group } = useStudio(useShallow((s) => ({
    studyId: s.selectedStudyId, rounds: s.correctedRounds, roundId: s.dissectCorrectedRoundId, setRound: s.setDissectCorrectedRound,
    loadRounds: s.loadCorrectedRounds, judge: s.dissectJudges[0] ?? null, group: s.dissectGroup,
  })));
  useEffect(() => {
    if (studyId !== null) void loadRounds();
  }, [studyId, loadRounds]);
  if (!rounds || rounds.length === 0 || !judge) return null;
  return (
    <section className="panel" data-testid="dissect-corrected">
      <label className="check">
        <input type="checkbox" checked={roundId !== null} data-testid="dissect-corrected-toggle"
          onChange={(e) => setRound(e.target.checked ? rounds.at(-1)!.id : null)} />
        {' '}Corrected by the check: {judge} on {group} as corrected by
        {' '}<select value={roundId ?? rounds.at(-1)!.id} onChange={(e) => setRound(Number(e.target.value))} data-testid="dissect-corrected-round">
          {rounds.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
        </select>
      </label>
      {roundId !== null && <CorrectedResult roundId={roundId} judge={judge} group={group} />}
    </section>
  );
}
