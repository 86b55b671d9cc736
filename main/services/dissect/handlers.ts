// The dissection's channels: groups and their sizes, queued fits, the instant MAP preview, stored fits.
import type { DissectChannel } from '../../../preload/contract';
import type { StudioContext, HandlerGroup } from '../context';
import { fitGroup, previewGroup, validateSettings } from './dissection';
import { GROUPS } from '../data/scenarios';
import { AppFailure } from '../errors';
import { groupLabel } from '../../../preload/contract';

export function dissectionHandlers({ storage, jobs, samplerPool }: StudioContext): HandlerGroup<DissectChannel> {
  return {
    'dissect.groups': ({ studyId, judge }) => GROUPS.map((group) => ({ group, rows: storage.pairs.labelledPairs(studyId, judge, group).length })),
    'dissect.fit': ({ studyId, judge, groups, settings }) => {
      const checked = validateSettings(settings);
      storage.pairs.judgeId(judge);
      if (groups.length === 0) throw new AppFailure('INVALID', 'Choose at least one group to fit.');
      const unknown = groups.filter((g) => !GROUPS.includes(g));
      if (unknown.length) throw new AppFailure('INVALID', `Unknown group: ${unknown.join(', ')}.`);
      const jobId = jobs.enqueue('fit', async ({ signal, progress }) => {
        let done = 0;
        const failures: string[] = [];
        for (const group of groups) {
          if (signal.aborted) break;
          progress(done, groups.length, `Fitting ${judge} on ${groupLabel(group)}`);
          try {
            await fitGroup(storage, samplerPool(), {
              studyId, judge, group, settings: checked, signal,
              // The job's ETA comes from its overall rate: groups done plus the share of the current one.
              onProgress: (p) => progress(done + p.fraction, groups.length, `Fitting ${judge} on ${groupLabel(group)}`),
            });
          } catch (err) {
            if (signal.aborted) throw err;
            failures.push(`${group}: ${(err as Error).message}`);
          }
          done++;
        }
        if (failures.length) throw new Error(`${failures.length} of ${groups.length} fits failed. ${failures.join(' ')}`);
        return `Fitted ${judge} on ${groups.length} group${groups.length === 1 ? '' : 's'}.`;
      });
      return { jobId };
    },
    'dissect.preview': (req) => previewGroup(storage, req),
    'dissect.fits': ({ studyId }) => storage.fits.latestFits(studyId),
  };
}
