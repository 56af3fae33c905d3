/**
 * TensorBoard event files in pure TypeScript: {@link TensorBoardWriter} appends scalars and text
 * to a run directory that `tensorboard --logdir` reads.
 * @module
 */
export { TensorBoardWriter, type TensorBoardWriterOptions } from './tensorboard-writer.js';
