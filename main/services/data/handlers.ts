// The data domain's channels: studies, pairs, judges, the paper's properties and reference, importing a file.
import type { DataChannel } from '../../../preload/contract';
import type { HandlerGroup, StudioContext } from '../context';
import { comparisonFeatures } from './features';
import { PROPERTIES } from './properties';
import { paperReference } from './reference';
import { base64Input } from './import/input';
import { importFile } from './import/run';
import { previewImport } from './import/index';
import { headerKey } from './import/mapping';

export function dataHandlers({ storage }: StudioContext): HandlerGroup<DataChannel> {
  return {
    'studies.list': () => storage.studies.listStudies(),
    'studies.rename': ({ studyId, name }) => {
      storage.studies.renameStudy(studyId, name);
      return storage.studies.study(studyId);
    },
    'studies.deleteImpact': ({ studyId }) => storage.studyDeleteImpact(studyId),
    'studies.delete': ({ studyId }) => {
      storage.studies.deleteStudy(studyId);
      return { deleted: true };
    },
    'pairs.query': (q) => storage.pairs.queryPairs(q),
    'pairs.facets': ({ studyId }) => storage.pairs.facets(studyId),
    'pairs.get': ({ pairId }) => {
      const pair = storage.pairs.pair(pairId);
      return { ...pair, comparisonFeatures: pair.annotation ? Array.from(comparisonFeatures(pair.annotation)) : null };
    },
    'pairs.groups': ({ studyId }) => {
      storage.studies.study(studyId);
      return storage.pairs.groups(studyId);
    },
    'pairs.setScenario': (c) => {
      storage.pairs.setScenario(c);
      const pair = storage.pairs.pair(c.pairId);
      return { ...pair, comparisonFeatures: pair.annotation ? Array.from(comparisonFeatures(pair.annotation)) : null };
    },
    'judges.list': ({ studyId }) => storage.pairs.judges(studyId),
    'properties.list': () => PROPERTIES.map((p) => ({ position: p.position, name: p.name, group: p.group, description: p.description })),
    'reference.paper': () => paperReference(),
    // The upload is decoded a chunk at a time as the import reads it, not whole.
    'import.file': ({ studyName, fileName, dataBase64, format, more, mapping }) => importFile(storage.studies, {
      studyName, format, mapping,
      input: [base64Input(fileName, dataBase64), ...(more ?? []).map((f) => base64Input(f.fileName, f.dataBase64))],
    }),
    'import.preview': async ({ fileName, dataBase64 }) => {
      const preview = await previewImport(base64Input(fileName, dataBase64));
      return { fileName, ...preview, saved: storage.studies.columnMapping(headerKey(preview.columns)) };
    },
  };
}
