// Public API of the numeric engine. worker-path.ts is deliberately not re-exported: the app
// passes its bundled worker path to SamplerPool; tests and scripts import defaultWorkerUrl
// from './worker-path' directly.

export { Rng } from './rng';
export { LogisticModel, prepareLogisticData, paddedRows } from './model';
export type { Target, LogisticData } from './model';
export { LogisticModelWasm, createLogisticTarget, resolveKernel, wasmSimdSupported } from './model-wasm';
export type { KernelKind } from './model-wasm';
export {
  Nuts,
  runChain,
  drawStride,
  SAMPLER_COLUMNS,
  N_SAMPLER_COLUMNS,
} from './nuts';
export type { NutsOptions, ChainOptions, ChainHooks, ChainResult } from './nuts';
export { WindowedSchedule, WelfordVariance, VarianceAdapter, DualAveraging } from './adaptation';
export {
  summarize,
  summarizeParameter,
  rhat,
  essBulk,
  essTail,
  essMean,
  mcseMean,
  mcseQuantile,
  ebfmi,
  quantiles,
  parameterChains,
  columnChains,
} from './diagnostics';
export type { Draws, FitSummary, ParameterSummary, Chains } from './diagnostics';
export { mapEstimate } from './map';
export type { MapOptions, MapResult } from './map';
export { SamplerPool, WorkerCrashedError, ChainFailedError } from './pool';
export type { SamplerPoolOptions, PoolProgress, PoolSampleRequest, PoolSampleOptions } from './pool';
export type { WorkerRequest, WorkerResponse, ChainTask, ChainDone, SharedLogisticData } from './protocol';
export {
  fitLogistic,
  crossFit,
  degreeOfPreference,
  posteriorMean,
  shareLogisticData,
  foldAssignment,
  heldOutScores,
  DEFAULTS,
} from './fit';
export type {
  FitLogisticOptions,
  LogisticFit,
  ChainInfo,
  DegreeOfPreference,
  CrossFitOptions,
  CrossFitResult,
  FoldResult,
} from './fit';
export { simulateComparisons, groupNonzeroRates, pearson, topThree, PAPER_NONZERO_RATES, QUERY_SPECIFIC_PROPERTY } from './simulate';
export { fitDsl, fitSandwich, planChecks, annotationErrorTable, checkPriority, checkingProbabilities, Z95 } from './dsl';
export type { DslInput, DslOptions, DslFit, Estimates, CheckPlan } from './dsl';
