import type { GPTConfigInput } from './gpt-config.js';

/**
 * Named GPT shapes. `tiny`, `small` and `base` are the configs of the PyTorch speed reference
 * (`bench/torch_reference.py`); `gpt2` is the 124M-parameter GPT-2 of OpenAI.
 * The reference's batch size is a training choice, not part of the model: see `bench/`.
 */
export const GPT_PRESETS = {
  /** V512 D128 L2 H4 T64: unit tests and smoke runs (~0.5M parameters). */
  tiny: { vocabSize: 512, hiddenSize: 128, numLayers: 2, numHeads: 4, contextLength: 64 },
  /** V8192 D256 L4 H4 T128 (~5M parameters). */
  small: { vocabSize: 8192, hiddenSize: 256, numLayers: 4, numHeads: 4, contextLength: 128 },
  /** V8192 D384 L6 H6 T256 (~14M parameters). */
  base: { vocabSize: 8192, hiddenSize: 384, numLayers: 6, numHeads: 6, contextLength: 256 },
  /** OpenAI GPT-2 (124M): V50257 D768 L12 H12 T1024. */
  gpt2: { vocabSize: 50257, hiddenSize: 768, numLayers: 12, numHeads: 12, contextLength: 1024 },
} as const satisfies Record<string, GPTConfigInput>;

/** Name of a built-in GPT preset. */
export type GPTPresetName = keyof typeof GPT_PRESETS;
