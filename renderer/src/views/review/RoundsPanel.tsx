// Rounds of the current study: create one (N pairs, random or stratified by scenario, a seed, checkers by name,
// blind or not), see each checker's progress, add a checker, and start or resume reviewing as one of them.
import { useCallback, useEffect, useState, type ChangeEvent, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ReviewDefaults, ReviewRound } from '../../../../preload/contract';
import { selectCurrentStudy, useStudio } from '../../store';
import type { NewRound } from '../../store/reviewSlice';
import { formatCount } from '../../lib/format';
import { groupLabel } from '../../../../preload/contract';
import { percent } from './format';
import { InformativeFields } from './InformativeFields';

const EMPTY: NewRound = { name: '', size: '50', strategy: 'random', seed: '1', checkers: '', blind: true, design: { judge: '', group: '' }, perPair: '', notes: '', includeSimulated: false };

/** The form for a new round as Settings' defaults start it. */
function blankRound(defaults: ReviewDefaults | undefined): NewRound {
  if (!defaults) return EMPTY;
  return { ...EMPTY, size: String(defaults.pairs), strategy: defaults.strategy, perPair: defaults.checkersPerPair === null ? '' : String(defaults.checkersPerPair), blind: defaults.blind };
}
const DRAWN: Record<ReviewRound['strategy'], string> = { random: 'at random', stratified: 'stratified by scenario', informative: 'where checking helps most' };

export function RoundsPanel() {
  const { study, rounds, roundId, selectRound, createRound, loadRounds, defaults, loadSettings } = useStudio(useShallow((s) => ({
    study: selectCurrentStudy(s), rounds: s.reviewRounds, roundId: s.reviewRoundId, selectRound: s.selectReviewRound,
    createRound: s.createReviewRound, loadRounds: s.loadReviewRounds, defaults: s.appSettings?.review, loadSettings: s.loadSettings,
  })));
  // Progress changes while checkers review: the list is read again whenever it is shown.
  useEffect(() => {
    void loadRounds();
    void loadSettings();
  }, [loadRounds, loadSettings]);
  // Only what the user typed is state: the rest is Settings' defaults, which may arrive after the first render.
  const [edits, setEdits] = useState<Partial<NewRound>>({});
  const form: NewRound = { ...blankRound(defaults), ...edits };
  const [busy, setBusy] = useState(false);
  const patch = (p: Partial<NewRound>) => setEdits((f) => ({ ...f, ...p }));
  const setDesign = useCallback((design: NewRound['design']) => setEdits((f) => ({ ...f, design })), []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    if (await createRound(form)) setEdits({ seed: String(Number(form.seed) + 1 || 1) });
    setBusy(false);
  };
  return (
    <div className="review-rounds">
      <section className="panel" aria-labelledby="new-round-title">
        <h2 id="new-round-title">New review round{study ? <span className="muted"> in {study.name}</span> : null}</h2>
        <p className="muted small">
          Checkers judge every annotation item of the drawn pairs as the paper&rsquo;s four authors did (section 3.4, Table 12).
          Only real annotated pairs are drawn unless simulated ones are asked for{study ? ` (${formatCount(study.annotatedCount)} in this study)` : ''}.
        </p>
        <form className="round-form" onSubmit={(e) => void submit(e)} data-testid="new-round-form">
          <label className="field"><span className="field-label">Name</span>
            <input value={form.name} placeholder={`Round ${(rounds?.length ?? 0) + 1}`} onChange={(e) => patch({ name: e.target.value })} data-testid="round-name" /></label>
          <label className="field short"><span className="field-label">Pairs</span>
            <input value={form.size} inputMode="numeric" onChange={(e) => patch({ size: e.target.value })} data-testid="round-size" /></label>
          <label className="field"><span className="field-label">Drawn</span>
            <select value={form.strategy} onChange={(e) => patch({ strategy: e.target.value as NewRound['strategy'] })} data-testid="round-strategy">
              <option value="random">at random</option>
              <option value="stratified">stratified by scenario</option>
              <option value="informative">where checking helps most</option>
            </select></label>
          {form.strategy === 'informative' && <InformativeFields design={form.design} onChange={setDesign} />}
          <label className="field short"><span className="field-label">Seed</span>
            <input value={form.seed} inputMode="numeric" onChange={(e) => patch({ seed: e.target.value })} data-testid="round-seed" /></label>
          <label className="field wide"><span className="field-label">Checkers (names, comma-separated)</span>
            <input value={form.checkers} placeholder="e.g. ana, ben" onChange={(e) => patch({ checkers: e.target.value })} data-testid="round-checkers" /></label>
          <label className="field short"><span className="field-label">Checkers per pair</span>
            <input value={form.perPair} inputMode="numeric" placeholder="all" onChange={(e) => patch({ perPair: e.target.value })} data-testid="round-per-pair"
              title="Give each pair to this many of the checkers (balanced and seeded), e.g. 2 of 4 for agreement; empty: every checker reviews every pair" /></label>
          <label className="field wide"><span className="field-label">Notes to the checkers</span>
            <textarea value={form.notes} rows={2} placeholder="Shown beside the guidelines while they review" onChange={(e) => patch({ notes: e.target.value })} data-testid="round-notes" /></label>
          <label className="check"><input type="checkbox" checked={form.blind} onChange={(e) => patch({ blind: e.target.checked })} data-testid="round-blind" />
            blind: checkers do not see each other&rsquo;s verdicts</label>
          <label className="check"><input type="checkbox" checked={form.includeSimulated} onChange={(e) => patch({ includeSimulated: e.target.checked })} data-testid="round-simulated" />
            draw simulated pairs too (placeholders, not something a checker can judge)</label>
          <button type="submit" className="button primary" disabled={busy || !study} data-testid="create-round">Create round</button>
        </form>
      </section>

      <TeamFiles />

      <section className="panel" aria-labelledby="rounds-title">
        <h2 id="rounds-title">Rounds</h2>
        {rounds === null ? <p className="muted">Loading…</p> : rounds.length === 0 ? (
          <p className="empty">No review round in this study yet.</p>
        ) : (
          <ul className="round-list">
            {[...rounds].reverse().map((r) => (
              <RoundCard key={r.id} round={r} selected={r.id === roundId} onSelect={() => selectRound(r.id)} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

const totalOf = (round: ReviewRound, field: 'decided' | 'total') => round.checkers.reduce((t, c) => t + c[field], 0);

function RoundCard({ round, selected, onSelect }: { round: ReviewRound; selected: boolean; onSelect: () => void }) {
  const { open, addChecker, deleteRound, setTab, saveFile, showLink } = useStudio(useShallow((s) => ({
    open: s.openReviewSession, addChecker: s.addReviewChecker, deleteRound: s.deleteReviewRound, setTab: s.setReviewTab, saveFile: s.saveReviewFile,
    showLink: s.showReviewLink,
  })));
  const [name, setName] = useState('');
  const [blind, setBlind] = useState(round.blind);
  const [confirming, setConfirming] = useState(false);
  return (
    <li className={`round-card ${selected ? 'selected' : ''}`} data-testid="round-card" data-round-id={round.id}>
      <header>
        <button type="button" className="link-button" onClick={onSelect}>{round.name}</button>
        <span className="muted small">
          id {round.id} · {round.pairCount} pairs {DRAWN[round.strategy]}
          {round.design && <span data-testid="round-design"> for {round.design.judge} on {groupLabel(round.design.group)}</span>}, seed {round.seed}
          {' '}· {round.perPair === null ? `${formatCount(round.itemCount)} items per checker` : `each pair to ${round.perPair} of ${round.checkers.length} checkers`}
          {' '}· {new Date(round.createdAt).toLocaleDateString()}
          {round.fromPackage && <> · opened from a package of &ldquo;{round.fromPackage.roundName}&rdquo; ({round.fromPackage.study}) for {round.fromPackage.checker}</>}
        </span>
        <span className="small" data-testid="round-progress">
          round: {percent(totalOf(round, 'total') ? totalOf(round, 'decided') / totalOf(round, 'total') : null)} decided
        </span>
        <span className="round-actions">
          <button type="button" className="button small" onClick={() => { onSelect(); setTab('agreement'); }} data-testid="round-agreement">Agreement</button>
          <button type="button" className="button small" onClick={() => { onSelect(); setTab('refit'); }}>Refit</button>
          <button type="button" className="button small" onClick={() => { onSelect(); setTab('corrected'); }} data-testid="round-corrected">Corrected by the check</button>
          {confirming ? (
            <>
              <button type="button" className="button small danger solid" onClick={() => void deleteRound(round.id)}>Delete with all verdicts</button>
              <button type="button" className="button small subtle" onClick={() => setConfirming(false)}>Keep</button>
            </>
          ) : <button type="button" className="button small subtle danger" onClick={() => setConfirming(true)}>Delete</button>}
        </span>
      </header>
      <table className="data-table checker-table">
        <thead><tr><th scope="col">Checker</th><th scope="col">Sees others</th><th scope="col" className="num">Items decided</th><th scope="col" className="num">Pairs done of their share</th><th scope="col">Left off at</th><th scope="col" /></tr></thead>
        <tbody>
          {round.checkers.map((c) => (
            <tr key={c.id} data-testid="checker-row" data-checker={c.name}>
              <th scope="row">{c.name}</th>
              <td>{c.blind ? 'no (blind)' : 'yes'}</td>
              <td className="num" data-testid="checker-decided">
                {formatCount(c.decided)} / {formatCount(c.total)} <span className="muted">({percent(c.total ? c.decided / c.total : null)})</span>
                <progress max={c.total || 1} value={c.decided} />
              </td>
              <td className="num" data-testid="checker-share">{c.pairsDone} / {c.pairs}{round.perPair !== null && <span className="muted"> of {round.pairCount}</span>}</td>
              <td className="muted small">pair {c.position + 1}{c.itemTitle ? `, ${c.itemTitle}` : ''}</td>
              <td><button type="button" className="button small primary" onClick={() => void open(c.id)} data-testid={`review-as-${c.name}`}>
                {c.decided > 0 ? 'Resume' : 'Start'} as {c.name}</button>
              {round.fromPackage ? (
                <button type="button" className="button small" onClick={() => void saveFile(c.id, 'return')} data-testid={`return-${c.name}`}
                  title="Save this checker's verdicts as one file to send back to the coordinator">Return verdicts</button>
              ) : (
                <>
                  <button type="button" className="button small" onClick={() => void saveFile(c.id, 'package')} data-testid={`package-${c.name}`}
                    title="Save this checker's pairs, their annotations, the guidelines and the round's settings as one file for their own app">Package</button>
                  <button type="button" className="button small" onClick={() => void showLink(c.id, c.name)} data-testid={`link-${c.name}`}
                    title="This checker's own link, to review in a browser on your network (when served with --host)">Link</button>
                </>
              )}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {round.perPair === null && <form className="add-checker" onSubmit={(e) => { e.preventDefault(); void addChecker(round.id, name, blind).then((ok) => ok && setName('')); }}>
        <input value={name} placeholder="Add a checker" aria-label="New checker's name" onChange={(e) => setName(e.target.value)} data-testid="add-checker-name" />
        <label className="check"><input type="checkbox" checked={blind} onChange={(e) => setBlind(e.target.checked)} /> blind</label>
        <button type="submit" className="button small" disabled={!name.trim()}>Add</button>
      </form>}
      {round.fromPackage ? (round.notes && <p className="small review-notes">Notes from the coordinator: {round.notes}</p>) : <RoundNotes round={round} />}
      {!round.fromPackage && <Returns roundId={round.id} />}
    </li>
  );
}

/** Opening a checker's package here, and merging a checker's returned verdicts into the round they came from. */
function TeamFiles() {
  const { openPackage, mergeReturn, notice } = useStudio(useShallow((s) => ({
    openPackage: s.openReviewPackage, mergeReturn: s.mergeReviewReturn, notice: s.reviewTeamNotice,
  })));
  const picked = (e: ChangeEvent<HTMLInputElement>, then: (file: File) => Promise<void>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) void then(file);
  };
  return (
    <section className="panel" aria-labelledby="team-title">
      <h2 id="team-title">Checkers on their own computers</h2>
      <p className="muted small">
        A checker&rsquo;s <strong>Package</strong> holds their pairs, the annotations, the guidelines and the round&rsquo;s settings. They open it in
        their own app, review offline and send back <strong>Return verdicts</strong>; merge it here. A verdict on an annotation changed since
        the package was made is flagged, not applied; a second, different return of a checker waits for you to settle it.
      </p>
      <div className="round-actions">
        <label className="button small">Open a package<input type="file" accept=".json,application/json" hidden onChange={(e) => picked(e, openPackage)} data-testid="open-package" /></label>
        <label className="button small">Merge a return<input type="file" accept=".json,application/json" hidden onChange={(e) => picked(e, mergeReturn)} data-testid="merge-return" /></label>
      </div>
      {notice && <p className="small" role="status" data-testid="team-notice">{notice}</p>}
    </section>
  );
}

const RETURN_STATUS = { merged: 'merged', conflict: 'in conflict with verdicts already here', kept: 'set aside: the verdicts already here stand' } as const;

function Returns({ roundId }: { roundId: number }) {
  const { records, load, settle } = useStudio(useShallow((s) => ({ records: s.reviewReturns[roundId], load: s.loadReviewReturns, settle: s.settleReviewReturn })));
  useEffect(() => {
    void load(roundId);
  }, [load, roundId]);
  if (!records || records.length === 0) return null;
  return (
    <table className="data-table" data-testid="round-returns">
      <caption className="small">Returns merged</caption>
      <thead><tr><th scope="col">Checker</th><th scope="col">Returned</th><th scope="col">Status</th><th scope="col" className="num">Verdicts</th><th scope="col">Flagged</th><th scope="col" /></tr></thead>
      <tbody>
        {records.map((r) => (
          <tr key={r.id} data-testid="return-row" data-status={r.status}>
            <th scope="row">{r.checker}</th>
            <td className="small">{new Date(r.returnedAt).toLocaleString()}</td>
            <td>{RETURN_STATUS[r.status]}{r.status === 'conflict' ? ` (${r.conflicts} item${r.conflicts === 1 ? '' : 's'} differ)` : ''}</td>
            <td className="num">{r.status === 'conflict' ? r.verdicts : `${r.applied} of ${r.verdicts} changed`}</td>
            <td className="small">{r.stale.length === 0 ? '—' : r.stale.map((p) => `${p.verdicts} on pair ${p.externalId} (annotation changed since)`).join('; ')}</td>
            <td>{r.status === 'conflict' && (
              <>
                <button type="button" className="button small" onClick={() => void settle(r, 'return')}>Use this return</button>
                <button type="button" className="button small subtle" onClick={() => void settle(r, 'current')}>Keep the verdicts here</button>
              </>
            )}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The coordinator's notes, shown to every checker beside the guidelines (and carried in their packages). */
function RoundNotes({ round }: { round: ReviewRound }) {
  const save = useStudio((s) => s.setReviewNotes);
  const [notes, setNotes] = useState(round.notes);
  return (
    <form className="round-notes" onSubmit={(e) => { e.preventDefault(); void save(round.id, notes); }}>
      <label className="field wide"><span className="field-label">Notes to the checkers</span>
        <textarea value={notes} rows={2} onChange={(e) => setNotes(e.target.value)} data-testid="round-notes-edit" /></label>
      <button type="submit" className="button small" disabled={notes.trim() === round.notes}>Save notes</button>
    </form>
  );
}
