/**
 * Typed errors for everything a user can get wrong. Each message names the offending value, so a
 * failure can be fixed from the message alone.
 *
 * @example
 * ```ts
 * import { ConfigError } from 'wordforge';
 * let message = '';
 * try { resolveGPTConfig({ vocabSize: 512, hiddenSize: 100, numHeads: 12 }); }
 * catch (e) { if (e instanceof ConfigError) message = e.message; else throw e; }
 * ```
 */
export class WordforgeError extends Error {
  /** @param message - what went wrong, with the values involved */
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A configuration value is missing, of the wrong type, or inconsistent with another value. */
export class ConfigError extends WordforgeError {}

/** A tensor or array has a shape (rank or dimension) the operation cannot accept. */
export class ShapeError extends WordforgeError {}

/** A token id lies outside the vocabulary, or a symbol has no id. */
export class VocabularyError extends WordforgeError {}

/** A sequence is longer than the model's context window. */
export class ContextLengthError extends WordforgeError {}

/** A safetensors buffer is truncated, corrupted or describes impossible tensors. */
export class SafetensorsError extends WordforgeError {}

/** A state dict does not match a module: missing keys, unexpected keys or wrong shapes. */
export class StateDictError extends WordforgeError {}

/** A requested tfjs backend is unknown or cannot be initialised on this machine. */
export class BackendError extends WordforgeError {}

/** A value lies outside the range an argument accepts (a negative rate, a zero step count...). */
export class RangeArgumentError extends WordforgeError {}

/** Input data cannot be read as documents: invalid UTF-8, a binary file, a JSONL line without the requested field, a malformed CSV record. */
export class DataError extends WordforgeError {}

/** Training produced NaN or infinite values (a loss or a parameter's gradient); nothing was updated with them. */
export class NonFiniteError extends WordforgeError {}

/** A long operation was cancelled through its `AbortSignal`; what it had produced is discarded, nothing else changed. */
export class CancelledError extends WordforgeError {}
