export type { BestMetric, Callback, LogEntry, Metrics, SlotValues, TrainerControl, TrainerState, WeightSnapshot } from './callback.js';
export { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
export { MetricsLogger, type MetricsLoggerOptions } from './metrics-logger.js';
export { ProgressBar, type ProgressBarOptions, type TextSink } from './progress-bar.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
export { TensorBoardLogger, type TensorBoardLoggerOptions } from './tensorboard-logger.js';
export { TensorBoardWriter, type TensorBoardWriterOptions } from './tensorboard/index.js';
export { HtmlReport, type HtmlReportOptions } from './html-report.js';
