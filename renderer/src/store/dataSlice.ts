// The Data view: pair filters, the page cache behind the virtual list, the selection, the open pair and import.
// The list never loads every row: pages of PAGE_SIZE rows are fetched as they scroll into view and a bounded
// number of them is kept. Every cached page belongs to one "list key" (study, filters, data version); a reply
// for an older key is dropped.
import type { StateCreator } from 'zustand';
import type {
  ColumnMapping, ImportPreview, ImportReport, Judge, PairDetail, PairFacets, PairQuery, PairRow, PropertyInfo, ScenarioCorrection,
} from '../../../preload/contract';
import { call, transport } from '../api';
import { fileToBase64 } from '../lib/base64';
import type { Store } from './store';

export const PAGE_SIZE = 200;
/** At most this many pages (8,000 rows) stay cached; the ones farthest from the latest page go first. */
const MAX_CACHED_PAGES = 40;

export type AnnotatedFilter = 'any' | 'yes' | 'no';
/** Real pairs (imported) or simulated ones (the demo's). */
export type OriginFilter = 'any' | 'real' | 'simulated';

export interface PairFilters {
  search: string;
  scenario: string;
  judge: string;
  sourceModel: string;
  annotated: AnnotatedFilter;
  origin: OriginFilter;
}

/** The scenario filter's value for pairs without a scenario (no scenario is named so). */
export const UNASSIGNED = 'Unassigned';

export const EMPTY_FILTERS: PairFilters = { search: '', scenario: '', judge: '', sourceModel: '', annotated: 'any', origin: 'any' };

export interface ImportProgress {
  fileName: string;
  size: number;
  phase: 'reading' | 'encoding' | 'sending';
  /** 0..1 while encoding. */
  fraction: number;
  /** The latest progress message the services pushed for this import, if any. */
  message: string | null;
}

export interface DataSlice {
  filters: PairFilters;
  /** Bumped when the current study's pairs changed (an import into it), so the list and facets reload. */
  dataVersion: number;
  facets: PairFacets | null;
  /** The study's judges with their kind (human first), loaded with the facets. */
  judges: Judge[] | null;
  facetsStudyId: number | null;
  facetsLoading: boolean;
  /** The list key the cached pages and total belong to. */
  listKey: string | null;
  total: number | null;
  /** The last total that arrived, and for which study: shown (as updating) while a new query is counted. */
  lastTotal: { studyId: number; total: number } | null;
  pages: Record<number, PairRow[]>;
  pagesLoading: number;
  selectedIndex: number | null;
  openPairId: number | null;
  detail: PairDetail | null;
  detailLoading: boolean;
  properties: PropertyInfo[] | null;
  importProgress: ImportProgress | null;
  importReport: ImportReport | null;
  /** What the user typed as the import target; null follows the current study. */
  importStudyName: string | null;

  setFilters(patch: Partial<PairFilters>): void;
  resetForStudy(): void;
  loadFacets(): Promise<void>;
  loadProperties(): Promise<void>;
  ensurePages(pages: number[]): void;
  setSelectedIndex(index: number | null): void;
  moveSelection(delta: number): void;
  openPair(pairId: number): Promise<void>;
  openSelected(): void;
  closePair(): void;
  setImportStudyName(name: string | null): void;
  /** One file, or several chosen together as one set (MT-bench, arena-hard); a mapping is for one table. */
  importFile(file: File | File[], mapping?: ColumnMapping): Promise<void>;
  /** A person's scenario and unsafe flag for the open pair; kept over later scenario jobs. */
  correctScenario(correction: ScenarioCorrection): Promise<void>;
  /** The file whose columns are being mapped, its first rows, and the mapping being edited. */
  mapping: { file: File; preview: ImportPreview; draft: ColumnMapping } | null;
  previewForMapping(file: File): Promise<void>;
  setMappingDraft(draft: ColumnMapping): void;
  closeMapping(): void;
}

declare module './store' {
  interface Store extends DataSlice {}
}

type ListInputs = Pick<Store, 'selectedStudyId' | 'filters' | 'dataVersion'>;

/** The list key of the current study, filters and data version (derived, never stored apart from the cache). */
export function listKeyOf(s: ListInputs): string | null {
  if (s.selectedStudyId === null) return null;
  return JSON.stringify([s.selectedStudyId, s.dataVersion, s.filters]);
}

const PREVIEW_BYTES = 1024 * 1024;

/** Where an import goes when no name is typed: the open study, unless it is the demo. */
export function defaultImportStudy(current: { name: string; isDemo: boolean } | undefined): string {
  return current && !current.isDemo ? current.name : '';
}

/** A new study's name from a file's name: without its extensions (.jsonl.gz, .csv, ...). */
export function studyNameOfFile(fileName: string): string {
  return fileName.replace(/(\.(gz|jsonl|json|ndjson|csv|parquet|txt))+$/i, '') || fileName;
}

/** A first guess at a mapping from column names that say what they hold; the user checks it. */
function guessMapping(columns: string[]): ColumnMapping {
  const find = (...names: RegExp[]) => names.map((re) => columns.find((c) => re.test(c))).find((c) => c !== undefined) ?? '';
  return {
    query: find(/^(query|prompt|instruction|question)$/i, /prompt|instruction|question/i),
    responseA: find(/^(response_a|output_1|answer_a|response 1|response_1)$/i, /(a|1)$/i),
    responseB: find(/^(response_b|output_2|answer_b|response 2|response_2)$/i),
    modelA: find(/^(model_a|generator_1)$/i) || undefined,
    modelB: find(/^(model_b|generator_2)$/i) || undefined,
    winner: find(/^(winner|preference|label|choice)$/i) || undefined,
  };
}

function pairQuery(studyId: number, f: PairFilters, page: number): PairQuery {
  const q: PairQuery = { studyId, offset: page * PAGE_SIZE, limit: PAGE_SIZE };
  const search = f.search.trim();
  if (search) q.search = search;
  if (f.scenario === UNASSIGNED) q.unassigned = true;
  else if (f.scenario) q.scenario = f.scenario;
  if (f.judge) q.judge = f.judge;
  if (f.sourceModel) q.sourceModel = f.sourceModel;
  if (f.annotated !== 'any') q.annotated = f.annotated === 'yes';
  if (f.origin !== 'any') q.simulated = f.origin === 'simulated';
  return q;
}

/** The row at a list index, when its page is cached. */
export function rowAt(pages: Record<number, PairRow[]>, index: number): PairRow | undefined {
  return pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
}

function withPage(pages: Record<number, PairRow[]>, page: number, rows: PairRow[]): Record<number, PairRow[]> {
  const next = { ...pages, [page]: rows };
  const keys = Object.keys(next).map(Number);
  if (keys.length > MAX_CACHED_PAGES) {
    keys.sort((a, b) => Math.abs(b - page) - Math.abs(a - page));
    for (const k of keys.slice(0, keys.length - MAX_CACHED_PAGES)) delete next[k];
  }
  return next;
}

// Requests in flight, by list key and page, so a page is never asked for twice at once.
const inflight = new Set<string>();
let detailRequest = 0;
let facetsRequest = 0;

export const createDataSlice: StateCreator<Store, [], [], DataSlice> = (set, get) => ({
  filters: EMPTY_FILTERS,
  dataVersion: 0,
  facets: null,
  judges: null,
  facetsStudyId: null,
  facetsLoading: false,
  listKey: null,
  total: null,
  lastTotal: null,
  pages: {},
  pagesLoading: 0,
  selectedIndex: null,
  openPairId: null,
  detail: null,
  detailLoading: false,
  properties: null,
  importProgress: null,
  importReport: null,
  importStudyName: null,
  mapping: null,

  setFilters: (patch) => set((s) => ({ filters: { ...s.filters, ...patch } })),

  resetForStudy: () => set({
    filters: EMPTY_FILTERS, selectedIndex: null, openPairId: null, detail: null, detailLoading: false,
  }),

  async loadFacets() {
    const studyId = get().selectedStudyId;
    if (studyId === null) return;
    const request = ++facetsRequest;
    set({ facetsLoading: true });
    try {
      const [facets, judges] = await Promise.all([call('pairs.facets', { studyId }), call('judges.list', { studyId })]);
      if (request !== facetsRequest) return;
      set({ facets, judges, facetsStudyId: studyId });
      get().clearError('facets');
    } catch (err) {
      if (request === facetsRequest) get().reportError('facets', err);
    } finally {
      if (request === facetsRequest) set({ facetsLoading: false });
    }
  },

  async loadProperties() {
    if (get().properties) return;
    try {
      const properties = await call('properties.list', {});
      set({ properties: [...properties].sort((a, b) => a.position - b.position) });
      get().clearError('properties');
    } catch (err) {
      get().reportError('properties', err);
    }
  },

  ensurePages(wanted) {
    const state = get();
    const key = listKeyOf(state);
    const studyId = state.selectedStudyId;
    if (key === null || studyId === null) return;
    if (state.listKey !== key) set({ listKey: key, total: null, pages: {}, selectedIndex: null });
    const filters = state.filters;
    for (const page of wanted) {
      const id = `${key}#${page}`;
      if (page < 0 || get().pages[page] || inflight.has(id)) continue;
      inflight.add(id);
      set((s) => ({ pagesLoading: s.pagesLoading + 1 }));
      call('pairs.query', pairQuery(studyId, filters, page))
        .then((res) => {
          if (get().listKey !== key) return;
          set((s) => ({ total: res.total, lastTotal: { studyId, total: res.total }, pages: withPage(s.pages, page, res.rows) }));
          get().clearError('pairs');
        })
        .catch((err: unknown) => {
          if (get().listKey === key) get().reportError('pairs', err);
        })
        .finally(() => {
          inflight.delete(id);
          set((s) => ({ pagesLoading: s.pagesLoading - 1 }));
        });
    }
  },

  setSelectedIndex: (index) => set({ selectedIndex: index }),

  moveSelection(delta) {
    const { total, selectedIndex } = get();
    if (!total) return;
    let next: number;
    if (!Number.isFinite(delta)) next = delta > 0 ? total - 1 : 0;
    else next = selectedIndex === null ? 0 : selectedIndex + delta;
    set({ selectedIndex: Math.max(0, Math.min(total - 1, next)) });
  },

  async openPair(pairId) {
    const request = ++detailRequest;
    set({ openPairId: pairId, detailLoading: true });
    try {
      const detail = await call('pairs.get', { pairId });
      if (request !== detailRequest) return;
      set({ detail });
      get().clearError('detail');
    } catch (err) {
      if (request === detailRequest) get().reportError('detail', err);
    } finally {
      if (request === detailRequest) set({ detailLoading: false });
    }
  },

  openSelected() {
    const { selectedIndex, pages } = get();
    if (selectedIndex === null) return;
    const row = rowAt(pages, selectedIndex);
    if (row) void get().openPair(row.id);
  },

  closePair() {
    detailRequest++;
    set({ openPairId: null, detail: null, detailLoading: false });
  },

  setImportStudyName: (name) => set({ importStudyName: name }),

  async correctScenario(correction) {
    try {
      const detail = await call('pairs.setScenario', correction);
      // The row keeps its place in the list until the list is next loaded; its chip shows the new scenario.
      set((s) => ({
        detail: s.openPairId === detail.id ? detail : s.detail,
        pages: Object.fromEntries(Object.entries(s.pages).map(([k, rows]) => [k, rows.map((r) => (r.id === detail.id
          ? { ...r, scenario: detail.scenario, unsafe: detail.unsafe } : r))])),
      }));
      get().clearError('detail');
      void get().loadFacets();
    } catch (err) {
      get().reportError('detail', err);
    }
  },

  async importFile(chosen, mapping) {
    const files = Array.isArray(chosen) ? chosen : [chosen];
    const file = files[0];
    const state = get();
    if (state.importProgress) return;
    const current = state.studies.find((s) => s.id === state.selectedStudyId);
    // Nothing typed and the demo open: a new study named after the file (never the demo).
    const studyName = (state.importStudyName ?? defaultImportStudy(current)).trim() || studyNameOfFile(file.name);
    get().clearError('import');
    const fileName = files.map((f) => f.name).join(' + ');
    const size = files.reduce((n, f) => n + f.size, 0);
    set({ importReport: null, importProgress: { fileName, size, phase: 'reading', fraction: 0, message: null } });
    const patch = (p: Partial<ImportProgress>) => set((s) => (s.importProgress ? { importProgress: { ...s.importProgress, ...p } } : s));
    const stopListening = transport.on('job.progress', (p) => {
      if (p.kind.toLowerCase().includes('import')) patch({ message: p.message });
    });
    try {
      const encoded: string[] = [];
      let done = 0;
      for (const f of files) {
        encoded.push(await fileToBase64(f, (fraction) => patch({ phase: 'encoding', fraction: (done + fraction * f.size) / Math.max(size, 1) })));
        done += f.size;
      }
      patch({ phase: 'sending' });
      const more = files.slice(1).map((f, i) => ({ fileName: f.name, dataBase64: encoded[i + 1] }));
      const report = await call('import.file', {
        studyName, fileName: file.name, dataBase64: encoded[0], ...(more.length > 0 ? { more } : {}), ...(mapping ? { mapping } : {}),
      });
      set({ importReport: report, importStudyName: null, mapping: null });
      await get().loadStudies();
      if (get().selectedStudyId === report.studyId) set((s) => ({ dataVersion: s.dataVersion + 1 }));
      else get().selectStudy(report.studyId);
    } catch (err) {
      get().reportError('import', err);
      // A layout the app cannot tell: offer the column mapping at once.
      if (!mapping && err instanceof Error && /cannot tell the format/.test(err.message)) void get().previewForMapping(file);
    } finally {
      stopListening();
      set({ importProgress: null });
    }
  },

  async previewForMapping(file) {
    get().clearError('import');
    try {
      // The first rows are in the first MiB of any table worth mapping; the body limit of a call is 4 MiB.
      const dataBase64 = await fileToBase64(file.slice(0, PREVIEW_BYTES) as File, () => {});
      const preview = await call('import.preview', { fileName: file.name, dataBase64 });
      set({ mapping: { file, preview, draft: preview.saved ?? guessMapping(preview.columns) } });
    } catch (err) {
      get().reportError('import', err);
    }
  },
  setMappingDraft: (draft) => set((s) => (s.mapping ? { mapping: { ...s.mapping, draft } } : s)),
  closeMapping: () => set({ mapping: null }),
});
