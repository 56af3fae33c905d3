import type { BertConfigInput } from './bert-config.js';

/** Name of a built-in BERT-family preset (the Hugging Face Hub id of the checkpoint it matches). */
export type BertPresetName = 'bert-base-uncased' | 'distilbert-base-uncased' | 'roberta-base' | 'roberta-large';

/**
 * The shapes of the standard released checkpoints, for building randomly initialised models of
 * exactly their sizes (the weights themselves load with `fromHuggingFace`). Parameter counts as
 * Hugging Face reports them for the encoder class (`BertModel`... with its pooler where it has one):
 *
 * | preset | variant | V | D | L | H | FF | positions | parameters |
 * | --- | --- | --- | --- | --- | --- | --- | --- | --- |
 * | bert-base-uncased | bert | 30522 | 768 | 12 | 12 | 3072 | 512 | 109,482,240 |
 * | distilbert-base-uncased | distilbert | 30522 | 768 | 6 | 12 | 3072 | 512 | 66,362,880 |
 * | roberta-base | roberta | 50265 | 768 | 12 | 12 | 3072 | 514 | 124,645,632 |
 * | roberta-large | roberta | 50265 | 1024 | 24 | 16 | 4096 | 514 | 355,359,744 |
 *
 * @example
 * ```ts
 * const model = new BertForMaskedLM({ ...BERT_PRESETS['bert-base-uncased'], seed: 1 });
 * ```
 */
export const BERT_PRESETS: Readonly<Record<BertPresetName, BertConfigInput>> = Object.freeze({
  'bert-base-uncased': {
    variant: 'bert', vocabSize: 30522, hiddenSize: 768, numLayers: 12, numHeads: 12, intermediateSize: 3072,
    maxPositions: 512, typeVocabSize: 2, layerNormEps: 1e-12, padTokenId: 0,
  },
  'distilbert-base-uncased': {
    variant: 'distilbert', vocabSize: 30522, hiddenSize: 768, numLayers: 6, numHeads: 12, intermediateSize: 3072,
    maxPositions: 512, typeVocabSize: 0, layerNormEps: 1e-12, padTokenId: 0, classifierDropout: 0.2,
  },
  'roberta-base': {
    variant: 'roberta', vocabSize: 50265, hiddenSize: 768, numLayers: 12, numHeads: 12, intermediateSize: 3072,
    maxPositions: 514, typeVocabSize: 1, layerNormEps: 1e-5, padTokenId: 1,
  },
  'roberta-large': {
    variant: 'roberta', vocabSize: 50265, hiddenSize: 1024, numLayers: 24, numHeads: 16, intermediateSize: 4096,
    maxPositions: 514, typeVocabSize: 1, layerNormEps: 1e-5, padTokenId: 1,
  },
});
