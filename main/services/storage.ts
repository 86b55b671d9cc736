// The one connection and every domain's store over it. Each store owns its domain's SQL; a store that needs another
// domain's rows gets that domain's store, never its tables. Opened by the composition root, the CLI and tests.
import type { StudyDeleteImpact } from '../../preload/contract';
import { openDatabase, type DatabaseOptions, type DB } from './db/database';
import { AnnotationStore } from './data/annotations-store';
import { PairStore } from './data/pairs-store';
import { StudyStore } from './data/studies-store';
import { FitStore } from './dissect/store';
import { AnnotationJobStore } from './annotate/store';
import { EndpointStore } from './annotate/endpoint-store';
import { ReviewStore } from './review/store';
import { VerdictStore } from './review/verdicts-store';
import { RefitStore } from './review/refit-store';
import { SettingsStore } from './settings/store';

export class Storage {
  readonly db: DB;
  /** data: pairs' annotations, pairs with their judges and labels, studies with their imports. */
  readonly annotations: AnnotationStore;
  readonly pairs: PairStore;
  readonly studies: StudyStore;
  /** dissect: fits. */
  readonly fits: FitStore;
  /** annotate: jobs and their items; endpoint settings, prices and the request cache. */
  readonly annotate: AnnotationJobStore;
  readonly endpoint: EndpointStore;
  /** review: rounds and checkers; verdicts, returns and adjudications; refits with the corrections. */
  readonly review: ReviewStore;
  readonly verdicts: VerdictStore;
  readonly refit: RefitStore;
  /** settings: the defaults changed in the Settings view. */
  readonly settings: SettingsStore;

  constructor(path: string, options: DatabaseOptions = {}) {
    this.db = openDatabase(path, options);
    this.annotations = new AnnotationStore(this.db);
    this.pairs = new PairStore(this.db, this.annotations);
    this.studies = new StudyStore(this.db, this.annotations);
    this.fits = new FitStore(this.db, this.pairs);
    this.annotate = new AnnotationJobStore(this.db, this.annotations, this.pairs);
    this.endpoint = new EndpointStore(this.db);
    this.review = new ReviewStore(this.db);
    this.verdicts = new VerdictStore(this.db, this.review);
    this.refit = new RefitStore(this.db);
    this.settings = new SettingsStore(this.db);
  }

  /** Everything a study's deletion removes with it, counted by each domain that owns those rows. */
  studyDeleteImpact(studyId: number): StudyDeleteImpact {
    return {
      ...this.studies.deleteImpact(studyId), ...this.review.studyCounts(studyId), fits: this.fits.fitCount(studyId), jobs: this.annotate.jobCount(studyId),
    };
  }

  close(): void {
    this.db.close();
  }
}
