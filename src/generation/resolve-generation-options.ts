import { assert } from '../utils/assert.js';
import { RangeArgumentError, ShapeError, VocabularyError } from '../utils/errors.js';
import { assertTemperature } from './apply-temperature.js';
import { assertBadWordsIds } from './bad-words.js';
import type { GenerationOptions } from './generation-options.js';
import { assertLogitBias } from './logit-bias.js';
import { assertMinP } from './min-p.js';
import { assertNGramSize } from './no-repeat-ngram.js';
import { assertAdditivePenalty } from './presence-frequency-penalty.js';
import { assertRepetitionPenalty } from './repetition-penalty.js';
import { assertTopK } from './top-k.js';
import { assertTopP } from './top-p.js';
import { assertTypicalP } from './typical-p.js';

/** {@link GenerationOptions} checked, with defaults and the prompt as rows. */
export interface ResolvedGeneration extends GenerationOptions {
  /** The prompt rows (unpadded), each repeated `numReturnSequences` times when sampling. */
  readonly rows: number[][];
  /** Whether tokens are sampled (else greedy or beam search). */
  readonly sampling: boolean;
  readonly seed: number;
  /** The end-of-sequence ids, possibly none. */
  readonly eosIds: readonly number[];
  /** What finished rows emit: `padTokenId`, else the first eos id, else undefined. */
  readonly filler: number | undefined;
  readonly numBeams: number;
  readonly lengthPenalty: number;
  readonly earlyStopping: boolean | 'never';
  readonly numReturnSequences: number;
}

const isTokenId = (id: unknown): boolean => Number.isInteger(id) && (id as number) >= 0;

/**
 * Validates a prompt and {@link GenerationOptions} before any model call, and fills in defaults.
 *
 * @param prompt - one row of token ids, or rows (lengths may differ: shorter ones are left-padded)
 * @param options - the options to check
 * @returns the resolved plan
 * @throws RangeArgumentError for an empty prompt or an option outside its range or combination
 * @throws ShapeError when the prompt mixes ids and rows
 * @throws VocabularyError for a prompt, eos or pad id that is not a non-negative integer
 * @example
 * ```ts
 * resolveGenerationOptions([1, 2], { maxNewTokens: 5, doSample: true }).rows; // [[1, 2]]
 * ```
 */
export function resolveGenerationOptions(
  prompt: readonly number[] | readonly (readonly number[])[], options: GenerationOptions,
): ResolvedGeneration {
  assert(prompt.length > 0, RangeArgumentError, () => 'prompt is empty: give at least one token');
  const rows = (Array.isArray(prompt[0]) ? prompt : [prompt]) as readonly (readonly number[])[];
  rows.forEach((row, b) => {
    assert(Array.isArray(row), ShapeError, () => `prompt mixes token ids and rows (row ${b} is ${JSON.stringify(row)})`);
    assert(row.length > 0, RangeArgumentError, () => `prompt row ${b} is empty: give at least one token`);
    const bad = row.findIndex((id) => !isTokenId(id));
    assert(bad < 0, VocabularyError, () => `prompt row ${b} position ${bad} holds ${row[bad]}, not a token id`);
  });
  const o = options;
  assert(Number.isInteger(o.maxNewTokens) && o.maxNewTokens >= 0, RangeArgumentError,
    () => `maxNewTokens (${o.maxNewTokens}) must be a non-negative integer`);
  assert(o.strategy === undefined || o.strategy === 'greedy' || o.strategy === 'sample', RangeArgumentError,
    () => `strategy (${String(o.strategy)}) must be 'greedy' or 'sample'`);
  const sampling = o.doSample ?? o.strategy === 'sample';
  assert(o.strategy === undefined || o.doSample === undefined || sampling === (o.strategy === 'sample'), RangeArgumentError,
    () => `doSample (${o.doSample}) contradicts strategy ('${o.strategy}')`);
  const seed = o.seed ?? 0;
  assert(Number.isInteger(seed), RangeArgumentError, () => `seed (${seed}) must be an integer`);
  const eosIds = o.eosTokenId === undefined ? [] : typeof o.eosTokenId === 'number' ? [o.eosTokenId] : [...o.eosTokenId];
  assert(eosIds.every(isTokenId), VocabularyError, () => `eosTokenId (${JSON.stringify(o.eosTokenId)}) must be non-negative integers`);
  assert(o.padTokenId === undefined || isTokenId(o.padTokenId), VocabularyError,
    () => `padTokenId (${o.padTokenId}) must be a non-negative integer`);
  checkWarpers(o);
  checkPenalties(o);
  const filler = o.padTokenId ?? eosIds[0];
  checkStopping(o, rows.length, filler);
  const beams = resolveBeams(o, sampling);
  const copies = sampling ? beams.numReturnSequences : 1;
  const expanded = rows.flatMap((row) => Array.from({ length: copies }, () => [...row]));
  // As Hugging Face's NoBadWordsLogitsProcessor: a lone eos id is never banned (generation must be able to end).
  const badWordsIds = o.badWordsIds?.filter((words) => !(words.length === 1 && eosIds.includes(words[0] as number)));
  return { ...o, ...(badWordsIds === undefined ? {} : { badWordsIds }), rows: expanded, sampling, seed, eosIds, filler, ...beams };
}

function checkWarpers(o: GenerationOptions): void {
  if (o.temperature !== undefined) assertTemperature(o.temperature);
  if (o.topK !== undefined) assertTopK(o.topK);
  if (o.topP !== undefined) assertTopP(o.topP);
  if (o.minP !== undefined) assertMinP(o.minP);
  if (o.typicalP !== undefined) assertTypicalP(o.typicalP);
}

function checkPenalties(o: GenerationOptions): void {
  if (o.repetitionPenalty !== undefined) assertRepetitionPenalty(o.repetitionPenalty);
  if (o.presencePenalty !== undefined) assertAdditivePenalty('presencePenalty', o.presencePenalty);
  if (o.frequencyPenalty !== undefined) assertAdditivePenalty('frequencyPenalty', o.frequencyPenalty);
  if (o.noRepeatNgramSize !== undefined) assertNGramSize(o.noRepeatNgramSize);
  if (o.badWordsIds !== undefined) assertBadWordsIds(o.badWordsIds);
  if (o.logitBias !== undefined) assertLogitBias(o.logitBias);
}

function checkStopping(o: GenerationOptions, batch: number, filler: number | undefined): void {
  if (o.stop !== undefined) {
    assert(o.stop.every((s) => typeof s === 'string' && s.length > 0), RangeArgumentError,
      () => `stop (${JSON.stringify(o.stop)}) must hold non-empty strings`);
    assert(o.decode !== undefined, RangeArgumentError, () => 'stop strings need a decode function to match them');
    assert(batch === 1 || filler !== undefined, RangeArgumentError,
      () => 'stop strings on a batch need padTokenId or eosTokenId to fill finished rows');
  }
  assert(o.maxTime === undefined || o.maxTime > 0, RangeArgumentError, () => `maxTime (${o.maxTime}) must be > 0 seconds`);
}

function resolveBeams(o: GenerationOptions, sampling: boolean): Pick<ResolvedGeneration,
  'numBeams' | 'lengthPenalty' | 'earlyStopping' | 'numReturnSequences'> {
  const { numBeams = 1, lengthPenalty = 1, earlyStopping = false, numReturnSequences = 1 } = o;
  assert(Number.isInteger(numBeams) && numBeams >= 1, RangeArgumentError, () => `numBeams (${numBeams}) must be an integer >= 1`);
  assert(Number.isFinite(lengthPenalty), RangeArgumentError, () => `lengthPenalty (${lengthPenalty}) must be finite`);
  assert(earlyStopping === true || earlyStopping === false || earlyStopping === 'never', RangeArgumentError,
    () => `earlyStopping (${String(earlyStopping)}) must be true, false or 'never'`);
  assert(Number.isInteger(numReturnSequences) && numReturnSequences >= 1, RangeArgumentError,
    () => `numReturnSequences (${numReturnSequences}) must be an integer >= 1`);
  if (numBeams > 1) {
    assert(!sampling, RangeArgumentError, () => `numBeams (${numBeams}) with sampling (beam sampling) is not supported`);
    assert(numReturnSequences <= numBeams, RangeArgumentError,
      () => `numReturnSequences (${numReturnSequences}) must not exceed numBeams (${numBeams})`);
  } else {
    assert(sampling || numReturnSequences === 1, RangeArgumentError,
      () => `numReturnSequences (${numReturnSequences}) > 1 needs sampling or beam search`);
  }
  return { numBeams, lengthPenalty, earlyStopping, numReturnSequences };
}
