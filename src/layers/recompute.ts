import * as tf from '@tensorflow/tfjs-core';

/**
 * Random generators that a recomputed function draws from (dropout masks), seen as one state that
 * can be saved and restored. Every {@link Module} is one (`getRandomState`/`setRandomState` cover
 * all its `Dropout`s).
 *
 * @example
 * ```ts
 * declare const block: TransformerBlock; // or any Module
 * const state: RecomputeRandomState = block;
 * const saved = state.getRandomState();
 * ```
 */
export interface RecomputeRandomState {
  /**
   * A snapshot of the generators' state.
   * @example
   * ```ts
   * declare const block: TransformerBlock;
   * const saved = block.getRandomState();
   * ```
   */
  getRandomState(): Record<string, unknown>;
  /**
   * Restores a snapshot taken by `getRandomState`.
   * @example
   * ```ts
   * declare const block: TransformerBlock;
   * const saved = block.getRandomState();
   * block.setRandomState(saved);
   * ```
   */
  setRandomState(state: Record<string, unknown>): void;
}

/** Options of {@link recompute}. */
export interface RecomputeOptions {
  /**
   * The trainable variables `f` reads. They become explicit inputs of the op, so that
   * `tf.variableGrads` around it receives their gradients; a variable left out gets none.
   * @example
   * ```ts
   * declare const block: TransformerBlock;
   * const options: RecomputeOptions = { variables: block.trainableVariables() };
   * ```
   */
  readonly variables: readonly tf.Variable[];
  /**
   * Generators `f` draws from (its dropout layers). Their state before the forward pass is
   * replayed for the recomputation, so it draws the same masks; afterwards they are left as the
   * recomputation found them.
   * @example
   * ```ts
   * declare const block: TransformerBlock;
   * const options: RecomputeOptions = { variables: block.trainableVariables(), randomState: block };
   * ```
   */
  readonly randomState?: RecomputeRandomState;
}

/**
 * Activation recomputation (gradient checkpointing): `f(...inputs)` whose forward pass keeps none
 * of its intermediate activations. Under a gradient tape only the inputs are kept; the backward
 * pass runs `f` again and differentiates that run with the incoming gradient, giving the
 * gradients of the inputs and of `options.variables`. Memory for activations drops from one set
 * per layer to one set in flight, at the cost of a second forward pass of `f` (at most about a
 * third more work in a training step, whose backward pass costs about two forwards). Outside a
 * gradient tape it is simply `f(...inputs)`.
 *
 * `f` must be a function of `inputs` and of variables only (a tensor it captures instead may be
 * disposed before the backward pass), and deterministic given `options.randomState`.
 * Integer inputs (masks) receive zero gradients.
 * Papers: https://arxiv.org/abs/1604.06174 (Chen et al. 2016, "Training Deep Nets with Sublinear Memory Cost")
 *
 * @param f - the function to recompute; it returns one tensor
 * @param inputs - every tensor `f` reads except variables
 * @returns `f(...inputs)`; the caller owns it
 * @example
 * ```ts
 * const w = tf.variable(tf.ones([3, 3]));
 * const f = (x: tf.Tensor) => tf.relu(tf.matMul(tf.matMul(x, w), w));
 * const { grads } = tf.variableGrads(() => tf.sum(recompute(f, [tf.ones([2, 3])], { variables: [w] })) as tf.Scalar);
 * // grads[w.name] equals the gradient without recomputation
 * ```
 */
export function recompute(
  f: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: readonly tf.Tensor[],
  options: RecomputeOptions,
): tf.Tensor {
  const { variables, randomState } = options;
  const stateBefore = randomState?.getRandomState();
  const differentiable = inputs.filter((x) => x.dtype === 'float32');
  const op = tf.customGrad((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    save([...inputs]); // kept clones (masks included), disposed by the engine after the backward pass
    return {
      value: f(...inputs), // runs untaped: its intermediates die with the op's tidy
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
        tf.tidy(() => rerunGradients(() => f(...saved), saved.filter((x) => x.dtype === 'float32'), variables, dy as tf.Tensor,
          { randomState, stateBefore })),
    };
  });
  // Only float inputs and the variables are inputs of the op: those are what gradients flow to.
  return (op as (...xs: tf.Tensor[]) => tf.Tensor)(...differentiable, ...variables);
}

/**
 * Runs `rerun` again on a fresh tape, with the random state replayed, and returns `dy`'s gradients
 * for each of `xs` then each variable (zeros where `rerun` does not depend on one).
 */
function rerunGradients(
  rerun: () => tf.Tensor,
  xs: tf.Tensor[],
  variables: readonly tf.Variable[],
  dy: tf.Tensor,
  replay: { randomState?: RecomputeRandomState; stateBefore?: Record<string, unknown> },
): tf.Tensor[] {
  const { randomState, stateBefore } = replay;
  const stateNow = randomState?.getRandomState();
  if (stateBefore !== undefined) randomState?.setRandomState(stateBefore);
  const engine = tf.engine();
  // The enclosing backward pass is still walking its tape; a nested gradients() call starts its own
  // and clears the engine's reference to it when done, which the enclosing pass still needs.
  const enclosingTape = engine.state.activeTape;
  const wrt = [...xs, ...variables];
  let result: { value: tf.Tensor; grads: tf.Tensor[] };
  try {
    result = engine.gradients(rerun, wrt, dy, true);
  } finally {
    engine.state.activeTape = enclosingTape;
    if (stateNow !== undefined) randomState?.setRandomState(stateNow);
  }
  result.value.dispose();
  return wrt.map((x, i) => result.grads[i] ?? tf.zeros(x.shape, 'float32'));
}
