export { resolveSplitRatios, SPLIT_NAMES, type SplitName, type SplitRatios } from './split-ratios.js';
export { assignSplit, contentHashUnit, splitAt, type AssignSplitOptions } from './assign-split.js';
export { takeSplit, type TakeSplitReport } from './take-split.js';
export { splitDataset, type SplitDatasetOptions } from './split-dataset.js';
