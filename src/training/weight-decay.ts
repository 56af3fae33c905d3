import type * as tf from '@tensorflow/tfjs-core';

/**
 * A dotted-name segment that denotes an embedding table: `wte`, `wpe`, `emb`, or anything
 * containing `embed` (`tokenEmbedding`, `word_embeddings`, `positionEmbeddings`...), any case.
 */
const EMBEDDING_SEGMENT = /^(wte|wpe|emb)$|embed/i;

/**
 * The default weight-decay rule of every optimizer: decay a parameter exactly when it has rank >= 2
 * and no segment of its dotted name denotes an embedding (a segment equal to `wte`, `wpe` or
 * `emb`, or containing `embed`, case-insensitive). So matrices of linear layers decay, while
 * biases, LayerNorm/RMSNorm weights (rank 1) and embedding tables do not — the split nanoGPT and
 * minGPT use. Override it per parameter with `groups` (e.g. T5's `shared` table), or replace it
 * with the `decay` option.
 *
 * @param name - the parameter's attribute path, e.g. `blocks.0.attn.qkv.weight`
 * @param variable - the parameter, of any shape
 * @returns whether the optimizer's `weightDecay` applies to it
 * @example
 * ```ts
 * defaultWeightDecayFilter('blocks.0.mlp.fc.weight', tf.variable(tf.zeros([4, 8]))); // true
 * defaultWeightDecayFilter('blocks.0.mlp.fc.bias', tf.variable(tf.zeros([8])));      // false
 * defaultWeightDecayFilter('wte.weight', tf.variable(tf.zeros([50, 8])));            // false
 * ```
 */
export function defaultWeightDecayFilter(name: string, variable: tf.Variable): boolean {
  return variable.rank >= 2 && !name.split('.').some((segment) => EMBEDDING_SEGMENT.test(segment));
}
