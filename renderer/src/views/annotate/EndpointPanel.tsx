// Where the calls go: model, base URL of any OpenAI-compatible server, the client-side limits, the API key
// (kept by the keychain, or read from the environment in browser mode: never shown, never stored here) and the
// editable price table the estimate and the cost cap use.
import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../../store';
import { endpointUnsaved, type EndpointDraft, type PriceDraft } from '../../store/annotateSlice';

const LIMIT_FIELDS: { field: Exclude<keyof EndpointDraft, 'model' | 'baseUrl' | 'jsonMode' | 'moderationModel'>; label: string }[] = [
  { field: 'concurrency', label: 'Concurrency' },
  { field: 'requestsPerMinute', label: 'Requests/min' },
  { field: 'tokensPerMinute', label: 'Tokens/min' },
  { field: 'timeoutSeconds', label: 'Timeout (s)' },
  { field: 'maxAttempts', label: 'Tries' },
  { field: 'batchPollSeconds', label: 'Batch poll (s)' },
];

export function EndpointPanel() {
  const s = useStudio(useShallow((st) => ({
    settings: st.annotateSettings, draft: st.endpointDraft, setDraft: st.setEndpointDraft, save: st.saveEndpoint,
    prices: st.priceDrafts, setPrices: st.setPriceDrafts, savePrices: st.savePrices, keyDraft: st.keyDraft,
    setKeyDraft: st.setKeyDraft, saveKey: st.saveKey, busy: st.annotateBusy, check: st.connectionCheck, checking: st.checkingConnection,
    testConnection: st.checkConnection,
  })));
  if (!s.draft || !s.settings) return <section className="panel endpoint-panel"><p className="muted">Loading the endpoint settings…</p></section>;
  const d = s.draft;
  const key = s.settings.key;
  const setPrice = (i: number, patch: Partial<PriceDraft>) => s.setPrices(s.prices.map((p, j) => (j === i ? { ...p, ...patch } : p)));

  return (
    <section className="panel endpoint-panel" aria-labelledby="endpoint-title">
      <div className="panel-head">
        <h2 id="endpoint-title">Endpoint</h2>
        <span className="muted small">prompts {s.settings.promptVersion}</span>
      </div>
      <form className="endpoint-form" onSubmit={(e) => { e.preventDefault(); void s.save(); }}>
        <label className="field">
          <span className="field-label">Model</span>
          <input data-testid="annotate-model" value={d.model} onChange={(e) => s.setDraft({ model: e.target.value })} />
        </label>
        <label className="field wide">
          <span className="field-label">Base URL (empty: OpenAI; or Azure, vLLM, Ollama, LM Studio, llama.cpp …/v1)</span>
          <input data-testid="annotate-base-url" value={d.baseUrl} placeholder="https://api.openai.com/v1"
            onChange={(e) => s.setDraft({ baseUrl: e.target.value })} />
        </label>
        <label className="field">
          <span className="field-label">Moderation model (scenario jobs; empty: the endpoint has none, the prompt asks)</span>
          <input data-testid="annotate-moderation-model" value={d.moderationModel} placeholder="omni-moderation-latest"
            onChange={(e) => s.setDraft({ moderationModel: e.target.value })} />
        </label>
        <div className="limits">
          {LIMIT_FIELDS.map(({ field, label }) => (
            <label key={field} className="setting">
              <span>{label}</span>
              <input data-testid={`annotate-${field}`} inputMode="decimal" value={d[field]} onChange={(e) => s.setDraft({ [field]: e.target.value })} />
            </label>
          ))}
        </div>
        <label className="inline-field">
          <input type="checkbox" data-testid="annotate-json-mode" checked={d.jsonMode} onChange={(e) => s.setDraft({ jsonMode: e.target.checked })} />
          Ask for JSON objects (response_format)
        </label>
        <button type="submit" className="button" data-testid="annotate-save-endpoint" disabled={s.busy}>Save endpoint</button>
        <button type="button" className="button" data-testid="annotate-test-connection" disabled={s.checking}
          title="Sends one tiny request with the form as it is (saved or not)" onClick={() => void s.testConnection()}>
          {s.checking ? 'Testing…' : 'Test connection'}
        </button>
        {endpointUnsaved(d, s.settings.endpoint) && (
          <span className="muted small" data-testid="annotate-endpoint-unsaved" role="status">Unsaved changes: saved when you save or start a job.</span>
        )}
      </form>
      {s.check && (
        <p className={`connection-check ${s.check.ok ? 'ok' : 'failed'}`} data-testid="annotate-connection-check" data-ok={s.check.ok} role="status">
          <strong>{s.check.ok ? 'Connected:' : 'No connection:'}</strong> {s.check.message}
        </p>
      )}
      <div className="key-status" data-testid="annotate-key-status" data-present={key.present}>
        <strong>API key:</strong> {key.present ? 'set' : 'not set'}, read from {key.location}.
        {key.settable ? (
          <form className="key-form" onSubmit={(e) => { e.preventDefault(); void s.saveKey(); }}>
            <input type="password" autoComplete="off" data-testid="annotate-key" placeholder={key.present ? 'Replace the key' : 'sk-…'}
              value={s.keyDraft} onChange={(e) => s.setKeyDraft(e.target.value)} />
            <button type="submit" className="button small" disabled={s.busy}>Keep in keychain</button>
          </form>
        ) : (
          <span className="muted small"> It is never stored by the app; local servers need none.</span>
        )}
      </div>
      <details className="prices" data-testid="annotate-prices">
        <summary>Price table (US$ per million tokens; the Batch API costs half)</summary>
        <table className="data-table">
          <thead><tr><th>Model</th><th className="num">Input</th><th className="num">Output</th><th /></tr></thead>
          <tbody>
            {s.prices.map((p, i) => (
              <tr key={i}>
                <td><input aria-label="Model" value={p.model} onChange={(e) => setPrice(i, { model: e.target.value })} /></td>
                <td><input aria-label={`Input price of ${p.model}`} className="short" inputMode="decimal" value={p.inputPerMillion} onChange={(e) => setPrice(i, { inputPerMillion: e.target.value })} /></td>
                <td><input aria-label={`Output price of ${p.model}`} className="short" inputMode="decimal" value={p.outputPerMillion} onChange={(e) => setPrice(i, { outputPerMillion: e.target.value })} /></td>
                <td><button type="button" className="button small subtle" onClick={() => s.setPrices(s.prices.filter((_, j) => j !== i))}>Remove</button></td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="checklist-actions">
          <button type="button" className="button small" onClick={() => s.setPrices([...s.prices, { model: d.model, inputPerMillion: '', outputPerMillion: '' }])}>Add a model</button>
          <button type="button" className="button small" data-testid="annotate-save-prices" disabled={s.busy} onClick={() => void s.savePrices()}>Save prices</button>
        </div>
      </details>
    </section>
  );
}
