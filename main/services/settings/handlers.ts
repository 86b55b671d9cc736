// The settings channels (issue 17): the defaults a user changes in the Settings view, each value checked with one
// sentence (every section of a change before anything is written), and an undo of the last change. The endpoint's
// base URL, model and concurrency are the Annotate view's endpoint (one setting shown in two places); a new job's
// cost cap and a new review round's form are this domain's rows; the data folder is the settings file's, read on
// the next start (the running app keeps its folder and its lock).
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { AppSettings, EndpointDefaults, ReviewDefaults, SettingsChange, SettingsChannel } from '../../../preload/contract';
import type { HandlerGroup, StudioContext } from '../context';
import { AppFailure } from '../errors';
import { transaction } from '../db/database';
import { DEFAULT_ENDPOINT } from '../annotate/cost';
import { checkEndpoint } from '../annotate/handlers';
import { chooseDataDir, chosenDataDir, platformDataDir, settingsFile } from '../../paths';
import { folderHolder } from '../../instance-lock';

const COST_CAP = 'endpoint.costCap';
const REVIEW = 'review.defaults';
const UNDO = 'undo';

export const REVIEW_DEFAULTS: ReviewDefaults = { pairs: 50, strategy: 'random', checkersPerPair: null, blind: true };
/** A round's pairs and checkers per pair, at most (a round is checked by people). */
const MAX_PAIRS = 100_000;
const MAX_CHECKERS = 100;
const MAX_COST_CAP = 1_000_000;

/** The sections as they were before a change: what its undo puts back. */
interface Snapshot { dataFolder?: string | null; endpoint?: EndpointDefaults; review?: ReviewDefaults }
interface UndoRecord { what: string; restore: Snapshot }

/** Each field in the words of the Settings view, for the undo button. */
const WORDS: Record<string, string> = {
  dataFolder: 'data folder', baseUrl: 'base URL', model: 'model', concurrency: 'concurrency', costCap: 'cost cap',
  pairs: 'pairs per round', strategy: 'how pairs are drawn', checkersPerPair: 'checkers per pair', blind: 'blind review',
};

function wholeNumber(value: unknown, label: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new AppFailure('INVALID', `${label} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}.`);
  }
  return value;
}

function checkCostCap(value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_COST_CAP) {
    throw new AppFailure('INVALID', `The cost cap must be a number of US dollars above 0 and at most ${MAX_COST_CAP.toLocaleString('en-US')}, or none, not ${JSON.stringify(value)}.`);
  }
  return value;
}

export function checkReviewDefaults(r: ReviewDefaults): ReviewDefaults {
  const pairs = wholeNumber(r.pairs, 'Pairs per round', 1, MAX_PAIRS);
  if (r.strategy !== 'random' && r.strategy !== 'stratified') throw new AppFailure('INVALID', `Pairs are drawn at random or stratified by scenario, not ${JSON.stringify(r.strategy)}.`);
  const checkersPerPair = r.checkersPerPair === null ? null : wholeNumber(r.checkersPerPair, 'Checkers per pair', 1, MAX_CHECKERS);
  if (typeof r.blind !== 'boolean') throw new AppFailure('INVALID', 'Blind review is on or off.');
  return { pairs, strategy: r.strategy, checkersPerPair, blind: r.blind };
}

/** The nearest folder of `path` that exists (itself, or a parent): where a new folder would be made. */
function nearestExisting(path: string): { path: string; isDirectory: boolean } {
  for (let at = path; ; at = dirname(at)) {
    try {
      return { path: at, isDirectory: statSync(at).isDirectory() };
    } catch (err) {
      // ENOTDIR: a parent is a file, which the caller names.
      const code = (err as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(at) === at) throw err;
    }
  }
}

/**
 * A data folder as typed, checked: a full path to a folder (or one that can be made there) that this user may write
 * and that no other running Preference Studio holds. Null (or the platform's default) is kept as "the default".
 */
function checkDataFolder(typed: string | null, current: string): string | null {
  if (typed === null) return null;
  const text = typed.trim();
  if (!text) throw new AppFailure('INVALID', "Type the data folder's full path, or go back to the default folder.");
  if (!isAbsolute(text)) throw new AppFailure('INVALID', `The data folder must be a full path (such as ${platformDataDir()}), not "${text}".`);
  const dir = resolve(text);
  const found = nearestExisting(dir);
  if (!found.isDirectory) throw new AppFailure('INVALID', `${found.path} is a file, not a folder: choose another data folder.`);
  try {
    accessSync(found.path, constants.W_OK);
  } catch {
    throw new AppFailure('INVALID', `Preference Studio may not write in ${found.path}: choose a folder of your own.`);
  }
  const holder = found.path === dir && dir !== resolve(current) ? folderHolder(dir) : null;
  if (holder) {
    throw new AppFailure('FOLDER_IN_USE', `${dir} is in use by another Preference Studio (pid ${holder.pid}${holder.url ? `, open ${holder.url}` : ''}): close it first or choose another folder.`);
  }
  return dir === resolve(platformDataDir()) ? null : dir;
}

const changedFields = <T extends object>(before: T, after: T) =>
  (Object.keys(after) as (keyof T & string)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));

export function settingsHandlers(context: StudioContext): HandlerGroup<SettingsChannel> {
  const { storage } = context;
  const current = context.options.dataDir;
  const endpointNow = () => ({ ...DEFAULT_ENDPOINT, ...(storage.endpoint.endpointSettings() ?? {}) });

  const read = (): AppSettings => {
    const e = endpointNow();
    return {
      dataFolder: { current, source: context.options.dataDirSource ?? 'flag', chosen: chosenDataDir(), defaultFolder: platformDataDir(), file: settingsFile() },
      endpoint: { baseUrl: e.baseUrl, model: e.model, concurrency: e.concurrency, costCap: storage.settings.value<number | null>(COST_CAP) ?? null },
      review: { ...REVIEW_DEFAULTS, ...storage.settings.value<ReviewDefaults>(REVIEW) },
      undo: storage.settings.value<UndoRecord>(UNDO)?.what ?? null,
    };
  };

  /** Every section of `next` checked, as it would be written; throws the first wrong value's sentence. */
  const check = (next: Snapshot): Snapshot => {
    const out: Snapshot = {};
    if (next.dataFolder !== undefined) out.dataFolder = checkDataFolder(next.dataFolder, current);
    if (next.endpoint) {
      const e = checkEndpoint({ ...endpointNow(), baseUrl: next.endpoint.baseUrl, model: next.endpoint.model, concurrency: next.endpoint.concurrency });
      out.endpoint = { baseUrl: e.baseUrl, model: e.model, concurrency: e.concurrency, costCap: checkCostCap(next.endpoint.costCap) };
    }
    if (next.review) out.review = checkReviewDefaults(next.review);
    return out;
  };

  /** Writes checked sections and the undo record together; the settings file last, so a file that cannot be written leaves the rows as they were. */
  const write = (next: Snapshot, undo: UndoRecord | undefined) => {
    transaction(storage.db, () => {
      if (next.endpoint) {
        storage.endpoint.saveEndpointSettings({ ...endpointNow(), baseUrl: next.endpoint.baseUrl, model: next.endpoint.model, concurrency: next.endpoint.concurrency });
        storage.settings.setValue(COST_CAP, next.endpoint.costCap ?? undefined);
      }
      if (next.review) storage.settings.setValue(REVIEW, next.review);
      storage.settings.setValue(UNDO, undo);
      if (next.dataFolder !== undefined) {
        try {
          chooseDataDir(next.dataFolder);
        } catch (err) {
          throw new AppFailure('INVALID', `The settings file ${settingsFile()} could not be written (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
        }
      }
    });
  };

  return {
    'settings.get': () => read(),
    'settings.save': (change: SettingsChange) => {
      const now = read();
      const next = check({
        dataFolder: change.dataFolder,
        endpoint: change.endpoint && { ...now.endpoint, ...change.endpoint },
        review: change.review && { ...now.review, ...change.review },
      });
      const restore: Snapshot = {};
      const fields: string[] = [];
      if (next.dataFolder !== undefined && next.dataFolder !== now.dataFolder.chosen) {
        restore.dataFolder = now.dataFolder.chosen;
        fields.push('dataFolder');
      }
      for (const section of ['endpoint', 'review'] as const) {
        const changed = next[section] ? changedFields(now[section] as object, next[section] as object) : [];
        if (changed.length > 0) {
          (restore as Record<string, unknown>)[section] = now[section];
          fields.push(...changed);
        } else delete next[section];
      }
      if (fields.length === 0) return now;
      if (next.dataFolder !== undefined && !('dataFolder' in restore)) delete next.dataFolder;
      write(next, { what: fields.map((f) => WORDS[f]).join(', '), restore });
      return read();
    },
    'settings.undo': () => {
      const undo = storage.settings.value<UndoRecord>(UNDO);
      if (!undo) throw new AppFailure('INVALID', 'There is no change of the settings to undo.');
      write(check(undo.restore), undefined);
      return read();
    },
  };
}
