import { ConfigError } from '../utils/errors.js';
import { trimByteLevelOffsets } from './byte-level.js';
import type { PostProcessor } from './components.js';
import { concatEncodings, specialEncoding, withTypeId, type Encoding } from './encoding.js';

/**
 * One element of a {@link templateProcessing} template: an input sequence (`'A'` or `'B'`) or a
 * special token, each with the type id its tokens get.
 * @example
 * ```ts
 * const piece: TemplatePiece = { Sequence: { id: 'A', type_id: 0 } };
 * ```
 */
export type TemplatePiece =
  | {
    /** Where a sequence of the input goes. */
    readonly Sequence: {
      /** `A` for the first sequence, `B` for the second of a pair. */
      readonly id: 'A' | 'B';
      /** Type id of its tokens. */
      readonly type_id: number;
    };
  }
  | {
    /** Where a special token goes. */
    readonly SpecialToken: {
      /** The special token's name in `special_tokens`. */
      readonly id: string;
      /** Type id of its tokens. */
      readonly type_id: number;
    };
  };

/**
 * A special token of a template: the name used in the template and the ids and tokens it inserts.
 * @example
 * ```ts
 * const cls: TemplateSpecialToken = { id: '[CLS]', ids: [101], tokens: ['[CLS]'] };
 * ```
 */
export interface TemplateSpecialToken {
  /** The name the template refers to. */
  readonly id: string;
  /** The ids inserted. */
  readonly ids: readonly number[];
  /** The token strings inserted (as many as `ids`). */
  readonly tokens: readonly string[];
}

/**
 * Settings of {@link templateProcessing}, in the form `tokenizer.json` stores them.
 * @example
 * ```ts
 * const t: TemplateOptions = {
 *   single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
 *   pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
 *   special_tokens: { '[CLS]': { id: '[CLS]', ids: [101], tokens: ['[CLS]'] } },
 * };
 * ```
 */
export interface TemplateOptions {
  /** Template for one sequence. */
  readonly single: readonly TemplatePiece[];
  /** Template for a pair. */
  readonly pair: readonly TemplatePiece[];
  /** The special tokens the templates name. */
  readonly special_tokens: Readonly<Record<string, TemplateSpecialToken>>;
}

function applyTemplate(template: readonly TemplatePiece[], options: TemplateOptions, inputs: readonly Encoding[], add: boolean): Encoding {
  const parts: Encoding[] = [];
  for (const piece of template) {
    if ('Sequence' in piece) {
      const input = inputs[piece.Sequence.id === 'A' ? 0 : 1];
      if (input !== undefined) parts.push(withTypeId(input, piece.Sequence.type_id));
    } else if (add) {
      const special = options.special_tokens[piece.SpecialToken.id]!;
      parts.push(specialEncoding(special.ids, special.tokens, piece.SpecialToken.type_id));
    }
  }
  return concatEncodings(parts);
}

/**
 * Adds special tokens following a template such as `[CLS] $A [SEP] $B:1 [SEP]:1`, as Hugging
 * Face's `TemplateProcessing`. (https://huggingface.co/docs/tokenizers/api/post-processors#tokenizers.processors.TemplateProcessing)
 * @throws ConfigError when a template names a special token that `special_tokens` lacks, or a
 *   special token's `ids` and `tokens` differ in length
 * @example
 * ```ts
 * const p = templateProcessing({
 *   single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
 *   pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
 *   special_tokens: { '<s>': { id: '<s>', ids: [0], tokens: ['<s>'] } },
 * });
 * p.addedTokens(false); // 1
 * ```
 */
export function templateProcessing(options: TemplateOptions): PostProcessor {
  for (const piece of [...options.single, ...options.pair]) {
    if ('SpecialToken' in piece && options.special_tokens[piece.SpecialToken.id] === undefined) {
      throw new ConfigError(`TemplateProcessing: special token ${JSON.stringify(piece.SpecialToken.id)} is missing from special_tokens`);
    }
  }
  for (const [name, t] of Object.entries(options.special_tokens)) {
    if (t.ids.length !== t.tokens.length) {
      throw new ConfigError(`TemplateProcessing: special token ${JSON.stringify(name)} has ${t.ids.length} ids but ${t.tokens.length} tokens`);
    }
  }
  const count = (template: readonly TemplatePiece[]): number =>
    template.reduce((n, p) => n + ('SpecialToken' in p ? options.special_tokens[p.SpecialToken.id]!.ids.length : 0), 0);
  return {
    addedTokens: (isPair) => count(isPair ? options.pair : options.single),
    process: (first, second, add) =>
      second === null ? applyTemplate(options.single, options, [first], add) : applyTemplate(options.pair, options, [first, second], add),
    toJSON: () => ({ type: 'TemplateProcessing', single: options.single, pair: options.pair, special_tokens: options.special_tokens }),
  };
}

/**
 * BERT's post-processor: `[CLS] A [SEP]` and `[CLS] A [SEP] B [SEP]` with type id 1 for B.
 * (https://huggingface.co/docs/tokenizers/api/post-processors#tokenizers.processors.BertProcessing)
 * @example
 * ```ts
 * bertProcessing(['[SEP]', 102], ['[CLS]', 101]).addedTokens(true); // 3
 * ```
 */
export function bertProcessing(sep: readonly [string, number], cls: readonly [string, number]): PostProcessor {
  const special = (t: readonly [string, number]): TemplatePiece => ({ SpecialToken: { id: t[0], type_id: 0 } });
  const template = templateProcessing({
    single: [special(cls), { Sequence: { id: 'A', type_id: 0 } }, special(sep)],
    pair: [special(cls), { Sequence: { id: 'A', type_id: 0 } }, special(sep), { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: sep[0], type_id: 1 } }],
    special_tokens: Object.fromEntries([cls, sep].map(([token, id]) => [token, { id: token, ids: [id], tokens: [token] }])),
  });
  return { ...template, toJSON: () => ({ type: 'BertProcessing', sep: [...sep], cls: [...cls] }) };
}

/**
 * Options of {@link robertaProcessing}.
 * @example
 * ```ts
 * const o: RobertaOptions = { sep: ['</s>', 2], cls: ['<s>', 0], trimOffsets: true, addPrefixSpace: true };
 * ```
 */
export interface RobertaOptions {
  /** Separator token and id (default `['</s>', 2]`). */
  readonly sep?: readonly [string, number];
  /** Start token and id (default `['<s>', 0]`). */
  readonly cls?: readonly [string, number];
  /** Trim `Ġ` spaces from offsets (default true). */
  readonly trimOffsets?: boolean;
  /** Whether the pre-tokenizer adds a prefix space, kept when trimming (default true). */
  readonly addPrefixSpace?: boolean;
}

/**
 * RoBERTa's post-processor: `<s> A </s>` and `<s> A </s></s> B </s>`, every type id 0, offsets
 * trimmed as the byte-level processor does. (https://huggingface.co/docs/tokenizers/api/post-processors#tokenizers.processors.RobertaProcessing)
 * @example
 * ```ts
 * robertaProcessing().addedTokens(true); // 4
 * ```
 */
export function robertaProcessing(options: RobertaOptions = {}): PostProcessor {
  const sep = options.sep ?? ['</s>', 2];
  const cls = options.cls ?? ['<s>', 0];
  const trimOffsets = options.trimOffsets ?? true;
  const addPrefixSpace = options.addPrefixSpace ?? true;
  const prepare = (e: Encoding, text?: string | null): Encoding => withTypeId(trimOffsets ? trimByteLevelOffsets(e, addPrefixSpace, text ?? undefined) : e, 0);
  const token = (t: readonly [string, number]): Encoding => specialEncoding([t[1]], [t[0]], 0);
  return {
    addedTokens: (isPair) => (isPair ? 4 : 2),
    process(first, second, add, texts) {
      const a = prepare(first, texts?.[0]);
      const b = second === null ? null : prepare(second, texts?.[1]);
      if (!add) return concatEncodings(b === null ? [a] : [a, b]);
      return concatEncodings(b === null ? [token(cls), a, token(sep)] : [token(cls), a, token(sep), token(sep), b, token(sep)]);
    },
    toJSON: () => ({ type: 'RobertaProcessing', sep: [...sep], cls: [...cls], trim_offsets: trimOffsets, add_prefix_space: addPrefixSpace }),
  };
}
