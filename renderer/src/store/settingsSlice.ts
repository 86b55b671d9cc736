// The Settings view: the app's defaults as saved (from the services) and the form's drafts of each section, saved
// one section at a time; the undo of the last change. The Annotate and Review views start their forms from the
// saved defaults.
import type { StateCreator } from 'zustand';
import type { AppSettings, SettingsChange } from '../../../preload/contract';
import { call } from '../api';
import type { Store } from './store';

export type SettingsSection = 'dataFolder' | 'endpoint' | 'review';

/** The form's fields as typed. */
export interface AppSettingsDraft {
  dataFolder: string;
  baseUrl: string; model: string; concurrency: string; costCap: string;
  pairs: string; strategy: 'random' | 'stratified'; checkersPerPair: string; blind: boolean;
}

export interface SettingsSlice {
  appSettings: AppSettings | null;
  appSettingsDraft: AppSettingsDraft | null;
  settingsBusy: boolean;
  /** The section whose change was saved last, for the form's "saved" note. */
  settingsSaved: SettingsSection | null;
  loadSettings(): Promise<void>;
  setAppSettingsDraft(patch: Partial<AppSettingsDraft>): void;
  saveSettings(section: SettingsSection): Promise<void>;
  /** The data folder back to the platform's default. */
  resetDataFolder(): Promise<void>;
  undoSettings(): Promise<void>;
}

declare module './store' {
  interface Store extends SettingsSlice {}
}

export function appSettingsDraftOf(s: AppSettings): AppSettingsDraft {
  return {
    dataFolder: s.dataFolder.chosen ?? s.dataFolder.defaultFolder,
    baseUrl: s.endpoint.baseUrl, model: s.endpoint.model, concurrency: String(s.endpoint.concurrency),
    costCap: s.endpoint.costCap === null ? '' : String(s.endpoint.costCap),
    pairs: String(s.review.pairs), strategy: s.review.strategy,
    checkersPerPair: s.review.checkersPerPair === null ? '' : String(s.review.checkersPerPair), blind: s.review.blind,
  };
}

/**
 * A number field as typed; empty is null where the field may be empty. Text that is no number at all cannot travel
 * as one (JSON has no NaN), so it is named here; the services check the range.
 */
function numberField(label: string, text: string, emptyMeans: string | null): number | null {
  const typed = text.trim();
  if (typed === '' && emptyMeans !== null) return null;
  const value = Number(typed.replace(/^\$/, ''));
  if (typed === '' || !Number.isFinite(value)) {
    throw new Error(`${label} must be a number${emptyMeans ? `, or empty for ${emptyMeans}` : ''}, not "${typed}".`);
  }
  return value;
}

export function settingsChange(section: SettingsSection, d: AppSettingsDraft): SettingsChange {
  if (section === 'dataFolder') return { dataFolder: d.dataFolder };
  if (section === 'endpoint') {
    return { endpoint: {
      baseUrl: d.baseUrl, model: d.model, concurrency: numberField('Concurrency', d.concurrency, null)!,
      costCap: numberField('The cost cap', d.costCap, 'no cap'),
    } };
  }
  return { review: {
    pairs: numberField('Pairs per round', d.pairs, null)!, strategy: d.strategy,
    checkersPerPair: numberField('Checkers per pair', d.checkersPerPair, 'every checker'), blind: d.blind,
  } };
}

export const createSettingsSlice: StateCreator<Store, [], [], SettingsSlice> = (set, get) => {
  const saving = async (section: SettingsSection | null, work: () => Promise<AppSettings>) => {
    set({ settingsBusy: true, settingsSaved: null });
    try {
      const saved = await work();
      // The other sections keep what is typed in them.
      const draft = get().appSettingsDraft;
      const fresh = appSettingsDraftOf(saved);
      const keep = (fields: (keyof AppSettingsDraft)[]) => Object.fromEntries(fields.map((f) => [f, draft?.[f] ?? fresh[f]]));
      const bySection: Record<SettingsSection, (keyof AppSettingsDraft)[]> = {
        dataFolder: ['dataFolder'], endpoint: ['baseUrl', 'model', 'concurrency', 'costCap'], review: ['pairs', 'strategy', 'checkersPerPair', 'blind'],
      };
      const others = section === null ? [] : (Object.keys(bySection) as SettingsSection[]).filter((x) => x !== section).flatMap((x) => bySection[x]);
      set({ appSettings: saved, appSettingsDraft: { ...fresh, ...keep(others) }, settingsSaved: section });
      get().clearError('settings');
    } catch (err) {
      get().reportError('settings', err);
    } finally {
      set({ settingsBusy: false });
    }
  };
  return {
    appSettings: null,
    appSettingsDraft: null,
    settingsBusy: false,
    settingsSaved: null,
    loadSettings: async () => {
      try {
        const appSettings = await call('settings.get', {});
        // Shown afresh: the endpoint may have been changed in Annotate meanwhile.
        set({ appSettings, appSettingsDraft: appSettingsDraftOf(appSettings), settingsSaved: null });
      } catch (err) {
        get().reportError('settings', err);
      }
    },
    setAppSettingsDraft: (patch) => set((s) => (s.appSettingsDraft ? { appSettingsDraft: { ...s.appSettingsDraft, ...patch }, settingsSaved: null } : s)),
    saveSettings: (section) => saving(section, async () => call('settings.save', settingsChange(section, get().appSettingsDraft!))),
    resetDataFolder: () => saving('dataFolder', () => call('settings.save', { dataFolder: null })),
    // An undo can touch any section: every field shows what is saved after it.
    undoSettings: () => saving(null, () => call('settings.undo', {})),
  };
};
