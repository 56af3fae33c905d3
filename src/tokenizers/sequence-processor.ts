import { ConfigError } from '../utils/errors.js';
import type { PostProcessor, SourceTexts } from './components.js';

/**
 * Runs post-processors one after the other, as Hugging Face's `processors.Sequence` (e.g.
 * Llama 3's ByteLevel offset trimming, then TemplateProcessing): every processor but the last
 * works on each input alone, the last joins them. Hugging Face hands every processor the list of
 * separate pieces; that is the same as long as only the last one adds special tokens, which is
 * required here. (https://huggingface.co/docs/tokenizers/api/post-processors)
 * @throws ConfigError when the list is empty or a processor other than the last adds tokens
 * @example
 * ```ts
 * declare const template: TemplateOptions; // one that adds <s> and </s>
 * const p = sequenceProcessor([byteLevelProcessor({ trimOffsets: true }), templateProcessing(template)]);
 * p.addedTokens(false); // what the template adds
 * ```
 */
export function sequenceProcessor(processors: readonly PostProcessor[]): PostProcessor {
  if (processors.length === 0) throw new ConfigError('a Sequence post-processor needs at least one processor');
  const last = processors[processors.length - 1]!;
  const before = processors.slice(0, -1);
  const adding = before.findIndex((p) => p.addedTokens(false) > 0 || p.addedTokens(true) > 0);
  if (adding >= 0) {
    throw new ConfigError(`Sequence post-processor: only the last processor may add special tokens, but processor ${adding} (${JSON.stringify(before[adding]!.toJSON()['type'])}) adds some`);
  }
  return {
    addedTokens: (isPair) => last.addedTokens(isPair),
    process(first, second, addSpecialTokens, texts) {
      let [a, b] = [first, second];
      // Each processor before the last sees each sequence alone, with its own text.
      const textA: SourceTexts | undefined = texts && [texts[0], null];
      const textB: SourceTexts | undefined = texts?.[1] == null ? undefined : [texts[1], null];
      for (const p of before) [a, b] = [p.process(a, null, addSpecialTokens, textA), b && p.process(b, null, addSpecialTokens, textB)];
      return last.process(a, b, addSpecialTokens, texts);
    },
    toJSON: () => ({ type: 'Sequence', processors: processors.map((p) => p.toJSON()) }),
  };
}
