export { assert, type ErrorClass } from './assert.js';
export { writeFileAtomic, writeFileAtomicWith } from './atomic-write.js';
export {
  BackendError, CancelledError, ConfigError, ContextLengthError, DataError, NonFiniteError, RangeArgumentError, SafetensorsError,
  ShapeError, StateDictError, VocabularyError, WordforgeError,
} from './errors.js';
export { Rng, type RngState } from './rng.js';
