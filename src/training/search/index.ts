export { gridConfigs, gridValues } from './grid-configs.js';
export { hyperparameterSearch, type HyperparameterSearchOptions } from './hyperparameter-search.js';
export { medianPruner, type IntermediateValues, type MedianPrunerOptions, type Pruner, type PrunerInput } from './median-pruner.js';
export { pruningCallback, type TrialReporter } from './pruning-callback.js';
export { sampleConfig, sampleDimension } from './sample-config.js';
export { formatSearchResults, writeSearchResults, type SearchResultsFormat } from './search-results-file.js';
export {
  checkSearchSpace, choice, intRange, logUniform, uniform, type ChoiceDimension, type ChoiceValue, type Dimension, type IntRangeDimension,
  type LogUniformDimension, type SearchConfig, type SearchSpace, type UniformDimension,
} from './search-space.js';
export type { SearchObjective, SearchResult, SearchTrial, TrialContext, TrialRunner, TrialStatus } from './search-trial.js';
export { runTrialInWorker, serveTrialWorker, type TrialOutcome, type TrialWorkerData } from './trial-worker.js';
