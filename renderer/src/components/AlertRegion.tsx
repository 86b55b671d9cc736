// The one place where failed calls are shown: always in the DOM (so screen readers announce what is added), one
// entry per source, newest first, each with the service's message exactly as it was given.
import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../store';
import type { ErrorSource } from '../store/shellSlice';

const TITLES: Record<ErrorSource, string> = {
  app: 'Could not reach the app',
  studies: 'Study action failed',
  facets: 'Could not load the filters',
  pairs: 'Could not load pairs',
  detail: 'Could not open the pair',
  import: 'Import failed',
  properties: 'Could not load the property list',
  dissect: 'Could not load the dissection',
  fit: 'Fit failed',
  explain: 'Could not explain',
  compare: 'Could not compare the judges',
  export: 'Export failed',
  review: 'Review action failed',
  annotate: 'Annotation failed',
  settings: 'Setting not saved',
};

export function AlertRegion() {
  const { errors, clearError } = useStudio(useShallow((s) => ({ errors: s.errors, clearError: s.clearError })));
  return (
    <div className="alert-region" role="alert" data-testid="alert-region">
      {errors.map((e) => (
        <div className="alert" key={e.source} data-source={e.source}>
          <div className="alert-body">
            <strong className="alert-title">{TITLES[e.source]}</strong>
            <p className="alert-message" data-testid="alert-message">{e.message}</p>
          </div>
          <button type="button" className="button subtle" onClick={() => clearError(e.source)}
            aria-label={`Dismiss: ${TITLES[e.source]}`}>Dismiss</button>
        </div>
      ))}
    </div>
  );
}
