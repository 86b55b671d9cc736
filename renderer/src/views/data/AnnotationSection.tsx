// Everything annotated for one pair, laid out as the paper's Table 11: the ratings of both responses per property
// grouped as basic / query-specific / error detection with the comparison feature (+1/0/-1) of each, the
// round-one prerequisites, the round-two items (constraints, stances, mistakes) and the detected errors.
import type {
  DetectedError, ErrorCheck, PairAnnotation, PairDetail, PropertyInfo, QueryItem, QueryItemKind, Side,
} from '../../../../preload/contract';
import { useStudio } from '../../store';
import { formatCount, wordCount } from '../../lib/format';
import { Busy } from '../../components/Busy';

const GROUPS: { id: string; title: string; note: string }[] = [
  { id: 'basic', title: 'Basic', note: 'ratings 0–3, higher is better; lengthy in words' },
  { id: 'query-specific', title: 'Query-specific', note: 'ratings 0–3 where the query meets the prerequisite' },
  { id: 'error-detection', title: 'Error detection', note: 'errors found per severity; fewer is better' },
];

const SEVERITY_OF: Record<string, 'minor' | 'moderate' | 'severe'> = {
  'no minor errors': 'minor', 'no moderate errors': 'moderate', 'no severe errors': 'severe',
};

const KIND_TITLES: Record<QueryItemKind, string> = {
  constraint: 'Explicit constraints', stance: 'Subjective stances', mistake: 'Mistakes or bias',
};

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const formatRating = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

interface Cell { text: string; value: number | null; title?: string }

function cellFor(p: PropertyInfo, side: Side, detail: PairDetail, a: PairAnnotation): Cell {
  const severity = SEVERITY_OF[p.name];
  if (p.group === 'error-detection' && severity) {
    const check = a.errors?.[side];
    if (!check) return { text: '—', value: null, title: 'Error detection was not annotated' };
    if (!check.applicable) return { text: 'n/a', value: null, title: 'Not applicable: the error check could not judge this response' };
    const n = check.errors.filter((e) => e.severity === severity).length;
    return { text: String(n), value: n, title: `${n} ${severity} ${n === 1 ? 'error' : 'errors'}` };
  }
  if (p.name === 'lengthy') {
    const stored = a.ratings.lengthy?.[side];
    const n = isNumber(stored) ? stored : wordCount(side === 'A' ? detail.responseA : detail.responseB);
    return { text: `${formatCount(n)} words`, value: n };
  }
  const v = a.ratings[p.name]?.[side];
  if (isNumber(v)) return { text: formatRating(v), value: v };
  if (p.group === 'query-specific') return { text: 'n/a', value: null, title: 'The query does not meet this property’s prerequisite' };
  return { text: '—', value: null, title: 'Not rated' };
}

function Feature({ value, applicable }: { value: number | undefined; applicable: boolean }) {
  if (value === undefined) return <span className="muted">—</span>;
  if (value > 0) return <span className="phi pos" aria-label="+1, A better">+1 <small>A</small></span>;
  if (value < 0) return <span className="phi neg" aria-label="−1, B better">−1 <small>B</small></span>;
  return <span className="phi zero" aria-label={applicable ? '0, equal' : '0, not applicable'}>0{!applicable && <small> n/a</small>}</span>;
}

export function AnnotationSection({ detail, idPrefix }: { detail: PairDetail; idPrefix: string }) {
  const properties = useStudio((s) => s.properties);
  const a = detail.annotation;
  const headingId = `${idPrefix}-annotations`;
  return (
    <section className="detail-section annotations" aria-labelledby={headingId}>
      <h3 id={headingId}>Annotations</h3>
      {!a ? (
        <p className="muted" data-testid="not-annotated">This pair is not annotated: it has labels but no property ratings.</p>
      ) : (
        <>
          <p className="muted small annotation-meta">
            Annotated by {a.model ?? 'an unknown model'}{a.promptVersion ? `, prompt ${a.promptVersion}` : ''}.
            Comparison features (φ) are +1 when A satisfies the property better, −1 when B does.
          </p>
          {properties === null ? <Busy text="Loading the property list…" /> : <PropertyTable detail={detail} a={a} properties={properties} />}
          <Prerequisites a={a} idPrefix={idPrefix} />
          <ErrorsSection errors={a.errors} idPrefix={idPrefix} />
        </>
      )}
    </section>
  );
}

function PropertyTable({ detail, a, properties }: { detail: PairDetail; a: PairAnnotation; properties: PropertyInfo[] }) {
  const phi = detail.comparisonFeatures;
  return (
    <table className="data-table annotation-table" data-testid="annotation-table">
      <caption>Ratings of both responses per property, with the comparison feature</caption>
      <thead>
        <tr>
          <th scope="col">Property</th>
          <th scope="col" className="num side-A-head">A</th>
          <th scope="col" className="num side-B-head">B</th>
          <th scope="col" className="num" title="Comparison feature: +1 A better, 0 equal or not applicable, −1 B better">φ</th>
        </tr>
      </thead>
      {GROUPS.map((g) => {
        const rows = properties.filter((p) => p.group === g.id);
        if (rows.length === 0) return null;
        return (
          <tbody key={g.id} data-group={g.id}>
            <tr className="group-row">
              <th scope="colgroup" colSpan={4}>
                {g.title} <span className="muted">({rows.length}) · {g.note}</span>
              </th>
            </tr>
            {rows.map((p) => {
              const cellA = cellFor(p, 'A', detail, a);
              const cellB = cellFor(p, 'B', detail, a);
              const value = phi?.[p.position];
              const applicable = cellA.value !== null && cellB.value !== null;
              return (
                <tr key={p.name} data-property={p.name}>
                  <th scope="row" title={p.description}>{p.name}</th>
                  <td className={`num ${value !== undefined && value > 0 ? 'better' : ''}`} title={cellA.title}>{cellA.text}</td>
                  <td className={`num ${value !== undefined && value < 0 ? 'better' : ''}`} title={cellB.title}>{cellB.text}</td>
                  <td className="num"><Feature value={value} applicable={applicable} /></td>
                </tr>
              );
            })}
          </tbody>
        );
      })}
    </table>
  );
}

function Prerequisites({ a, idPrefix }: { a: PairAnnotation; idPrefix: string }) {
  const pre = a.prerequisites;
  const id = `${idPrefix}-pre`;
  const yesNo = (b: boolean) => (b ? 'yes' : 'no');
  return (
    <section className="sub-section" aria-labelledby={id}>
      <h4 id={id}>Query-specific annotation</h4>
      {!pre ? (
        <p className="muted">Round one (the prerequisite questions) was not annotated for this pair.</p>
      ) : (
        <>
          <h5>Round one: prerequisites</h5>
          <dl className="facts prerequisites" data-testid="prerequisites">
            <div><dt>Clear intent</dt><dd>{yesNo(pre.clearIntent)}</dd></div>
            <div><dt>Expresses feelings</dt><dd>{yesNo(pre.expressFeelings)}</dd></div>
            <div><dt>Explicit constraints</dt><dd>{pre.constraints.length || 'none'}</dd></div>
            <div><dt>Subjective stances</dt><dd>{pre.stances.length || 'none'}</dd></div>
            <div><dt>Mistakes or bias</dt><dd>{pre.mistakes.length || 'none'}</dd></div>
          </dl>
          <h5>Round two: each constraint, stance and mistake</h5>
          {pre.constraints.length + pre.stances.length + pre.mistakes.length === 0 ? (
            <p className="muted">The query has no constraints, stances or mistakes, so there is no round two.</p>
          ) : (
            <table className="data-table items-table" data-testid="query-items-table">
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">A: label</th>
                  <th scope="col" className="num">score</th>
                  <th scope="col">B: label</th>
                  <th scope="col" className="num">score</th>
                </tr>
              </thead>
              {(['constraint', 'stance', 'mistake'] as const).map((kind) => {
                const texts = kind === 'constraint' ? pre.constraints : kind === 'stance' ? pre.stances : pre.mistakes;
                if (texts.length === 0) return null;
                return (
                  <tbody key={kind}>
                    <tr className="group-row"><th scope="colgroup" colSpan={5}>{KIND_TITLES[kind]} ({texts.length})</th></tr>
                    {texts.map((text, i) => (
                      <ItemRow key={`${kind}-${i}`} text={text} item={a.items.find((x) => x.kind === kind && x.text === text)} />
                    ))}
                  </tbody>
                );
              })}
            </table>
          )}
        </>
      )}
    </section>
  );
}

function ItemRow({ text, item }: { text: string; item: QueryItem | undefined }) {
  if (!item) {
    return (
      <tr>
        <th scope="row">{text}</th>
        <td colSpan={4} className="muted">not annotated in round two</td>
      </tr>
    );
  }
  const score = (s: Side) => (isNumber(item.scores[s]) ? formatRating(item.scores[s]) : '—');
  return (
    <tr>
      <th scope="row">{text}</th>
      <td>{item.labels.A}</td>
      <td className="num">{score('A')}</td>
      <td>{item.labels.B}</td>
      <td className="num">{score('B')}</td>
    </tr>
  );
}

function ErrorsSection({ errors, idPrefix }: { errors: Record<Side, ErrorCheck> | null; idPrefix: string }) {
  const id = `${idPrefix}-errors`;
  return (
    <section className="sub-section" aria-labelledby={id}>
      <h4 id={id}>Detected errors</h4>
      {!errors ? (
        <p className="muted">Error detection was not annotated for this pair.</p>
      ) : (
        <div className="errors-grid" data-testid="errors">
          {(['A', 'B'] as const).map((side) => (
            <div key={side} className={`errors-col side-${side}`} data-testid={`errors-${side.toLowerCase()}`}>
              <h5>Response {side}</h5>
              <ErrorList check={errors[side]} />
            </div>
          ))}
        </div>
      )}
    </section>
  );
}

const SEVERITY_ORDER = { severe: 0, moderate: 1, minor: 2 } as const;

function ErrorList({ check }: { check: ErrorCheck }) {
  if (!check.applicable) {
    return <p className="not-applicable">Not applicable: the annotator could not reliably check this response for errors.</p>;
  }
  if (check.errors.length === 0) return <p className="muted">No errors found.</p>;
  const sorted: DetectedError[] = [...check.errors].sort((x, y) => (SEVERITY_ORDER[x.severity] ?? 3) - (SEVERITY_ORDER[y.severity] ?? 3));
  return (
    <ul className="error-list">
      {sorted.map((e, i) => (
        <li key={i}>
          <span className={`severity sev-${e.severity}`}>{e.severity}</span>{' '}
          <span className="error-type">{e.type}</span>
          <p>{e.description}</p>
        </li>
      ))}
    </ul>
  );
}
