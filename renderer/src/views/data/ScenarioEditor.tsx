// A person's scenario and safety for the open pair (issue 18): kept over later scenario jobs. `e` focuses the
// scenario, `u` flips the unsafe flag (DataView's keys).
import { SCENARIO_NAMES, type PairDetail } from '../../../../preload/contract';
import { useStudio } from '../../store';

const NONE = '';

export function ScenarioEditor({ detail }: { detail: PairDetail }) {
  const correctScenario = useStudio((s) => s.correctScenario);
  const set = (scenario: string | null, unsafe: boolean) => void correctScenario({ pairId: detail.id, scenario, unsafe });
  return (
    <div className="scenario-editor" data-testid="scenario-editor">
      <dt><label htmlFor="pair-scenario">Scenario</label></dt>
      <dd>
        <select
          id="pair-scenario"
          data-testid="pair-scenario"
          value={detail.scenario ?? NONE}
          title="Set by hand (e); kept when a scenario job runs again"
          onChange={(e) => set(e.target.value === NONE ? null : e.target.value, detail.unsafe)}
        >
          <option value={NONE}>Unassigned</option>
          {SCENARIO_NAMES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        {detail.fineScenario && <span className="muted"> · {detail.fineScenario}</span>}
        {detail.scenarioByHand && <span className="muted small"> · set by hand</span>}
        <label className="unsafe-toggle" title="Unsafe query (u)">
          <input
            type="checkbox"
            data-testid="pair-unsafe"
            checked={detail.unsafe}
            onChange={(e) => set(detail.scenario, e.target.checked)}
          />
          {' '}unsafe
        </label>
        {detail.moderationCategories && detail.moderationCategories.length > 0 && (
          <span className="muted small"> · moderation: {detail.moderationCategories.join(', ')}</span>
        )}
      </dd>
    </div>
  );
}
