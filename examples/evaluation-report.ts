// Evaluates a language model on held-out text and writes a Markdown report: perplexity with a
// strided sliding window, bits per byte and per character; BLEU, chrF and ROUGE of greedy
// continuations of held-out sentences (the first half of each sentence is the input, the rest the
// reference); distinct-1/2 and Self-BLEU of sampled texts (diversity).
//
//   npx tsx examples/evaluation-report.ts                        # trains a small char GPT on the Brown corpus first
//   npx tsx examples/evaluation-report.ts --model runs/brown-gpt --out brown-eval.md
//
// With --model, the folder's tokenizer must cover the held-out text (the last --held-out-chars
// characters of the first --files Brown files).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  AdamW, CharTokenizer, GPTCausalLM, Rng, bitsPerByte, bitsPerCharacter, distinctN, evaluate, evaluatePerplexity, initBackend,
  sampleWindows, selfBleu, trainLoop, type GenerationExample, type GenerationMetricName, type Tokenizer,
} from 'wordforge';
import { loadBrownCorpus } from './brown-corpus.js';
import { codecOf, loadGPTFolder } from './stream-server.js';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    files: { type: 'string', default: '20' },
    'held-out-chars': { type: 'string', default: '6000' },
    'train-steps': { type: 'string', default: '300' },
    'hidden-size': { type: 'string', default: '64' },
    layers: { type: 'string', default: '2' },
    'context-length': { type: 'string', default: '64' },
    stride: { type: 'string', default: '32' },
    pairs: { type: 'string', default: '16' },
    samples: { type: 'string', default: '8' },
    'max-new-tokens': { type: 'string', default: '60' },
    out: { type: 'string', default: 'evaluation-report.md' },
  },
});
const contextLength = Number(args['context-length']);
const maxNewTokens = Number(args['max-new-tokens']);

console.log(`backend: ${(await initBackend()).name}`);
const text = loadBrownCorpus(Number(args.files));
const cut = text.indexOf('\n', Math.max(0, text.length - Number(args['held-out-chars'])));
const heldOut = text.slice(cut + 1);
const { model, tokenizer } = args.model !== undefined ? await loadGPTFolder(args.model) : await trainCharGPT(text, text.slice(0, cut));
const codec = codecOf(tokenizer);

// Language modelling: every held-out token scored with up to contextLength - 1 tokens of context.
const heldOutIds = codec.encode(heldOut);
const lm = await evaluatePerplexity(model, heldOutIds, { contextLength, stride: Number(args.stride) });
const nllSum = lm.meanNll * lm.tokenCount;
const scoredShare = lm.tokenCount / heldOutIds.length; // the first token (no context) is not scored
const lmRows: Array<[string, string]> = [
  ['held-out text', `${heldOut.length.toLocaleString('en')} characters, ${heldOutIds.length.toLocaleString('en')} tokens`],
  ['tokens scored', String(lm.tokenCount)],
  ['mean NLL (nats/token)', lm.meanNll.toFixed(4)],
  ['perplexity', lm.perplexity.toFixed(3)],
  ['bits per byte', bitsPerByte(nllSum, Buffer.byteLength(heldOut, 'utf8') * scoredShare).toFixed(4)],
  ['bits per character', bitsPerCharacter(nllSum, [...heldOut].length * scoredShare).toFixed(4)],
];

// Reference-based scores: continue the first half of held-out sentences, greedily, up to the line end.
const examples: GenerationExample[] = heldOut.split('\n').map((line) => line.trim().split(/\s+/)).filter((words) => words.length >= 8)
  .slice(0, Number(args.pairs)).map((words) => {
    const half = Math.floor(words.length / 2);
    return { input: `${words.slice(0, half).join(' ')} `, references: [words.slice(half).join(' ')] };
  });
const metricNames: GenerationMetricName[] = ['bleu', 'chrf', 'rouge1', 'rouge2', 'rougeL'];
const newline = codec.encode('\n')[0] as number; // also fills rows that finished early; trimmed off
const scores = await evaluate(model, examples, metricNames, {
  tokenizer, generation: { maxNewTokens, stop: ['\n'], decode: (ids) => codec.decode(ids), padTokenId: newline },
});

// Diversity of samples from one prompt.
const samplePrompt = examples[0]?.input ?? heldOut.slice(0, 20);
const sampled = await model.generate([codec.encode(samplePrompt)], {
  maxNewTokens, doSample: true, temperature: 1, topK: 20, seed: 0, numReturnSequences: Number(args.samples),
});
const samples = sampled.map((ids) => codec.decode(ids).replace(/\s+/g, ' ').trim());
const diversityRows: Array<[string, string]> = [
  ['samples', String(samples.length)],
  ['distinct-1', distinctN(samples, 1).toFixed(4)],
  ['distinct-2', distinctN(samples, 2).toFixed(4)],
  ['Self-BLEU (lower = more diverse)', samples.length > 1 ? selfBleu(samples).score.toFixed(2) : 'n/a (one sample)'],
];

const report = [
  '# Evaluation report',
  '',
  `Model: ${args.model ?? `character GPT trained here for ${args['train-steps']} steps`}; ${model.namedParameters().reduce((n, [, v]) => n + v.size, 0).toLocaleString('en')} parameters.`,
  `Data: last ${heldOut.length.toLocaleString('en')} characters of the first ${args.files} Brown corpus files (held out from training).`,
  '',
  '## Language modelling',
  '',
  `Sliding window of ${contextLength} tokens, stride ${args.stride}. Bytes and characters are those of the scored share of the text.`,
  '',
  markdownTable(['measure', 'value'], lmRows),
  '## Continuations of held-out sentences',
  '',
  `${examples.length} sentences; input = first half of the words, reference = the rest; greedy, at most ${maxNewTokens} new tokens, stopped at the line end. BLEU and chrF on the 0-100 scale (sacrebleu defaults), ROUGE F-measures 0-1.`,
  '',
  markdownTable(['metric', 'score'], metricNames.map((name) => [name, (scores[name] ?? Number.NaN).toFixed(4)])),
  '## Diversity of samples',
  '',
  `${samples.length} samples of ${maxNewTokens} tokens (temperature 1, top-k 20, seed 0) after the prompt "${markdownCell(samplePrompt.trim())}".`,
  '',
  markdownTable(['measure', 'value'], diversityRows),
  markdownTable(['#', 'sample'], samples.map((s, i) => [String(i + 1), s])),
].join('\n');
writeFileSync(args.out, report);
console.log(report);
console.log(`\nreport written to ${args.out}`);
model.dispose();

function markdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s+/g, ' ');
}

function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(markdownCell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line), ''].join('\n');
}

/** A character GPT trained briefly on `trainText`, its vocabulary taken from all of `vocabularyText`. */
async function trainCharGPT(vocabularyText: string, trainText: string): Promise<{ model: GPTCausalLM; tokenizer: Tokenizer | CharTokenizer }> {
  const tokenizer = CharTokenizer.fromText(vocabularyText);
  const ids = Int32Array.from(tokenizer.encode(trainText));
  const model = new GPTCausalLM({
    vocabSize: tokenizer.vocabSize, contextLength, hiddenSize: Number(args['hidden-size']), numLayers: Number(args.layers), numHeads: 2, seed: 0,
  });
  const optimizer = new AdamW(model.namedParameters(), { learningRate: 3e-3 });
  const rng = new Rng(0);
  const steps = Number(args['train-steps']);
  await trainLoop(model, {
    optimizer, steps, maxGradNorm: 1, logEvery: Math.max(1, Math.floor(steps / 4)),
    nextBatch: () => sampleWindows(ids, { batchSize: 8, seqLength: contextLength, rng }),
    onLog: ({ step, loss }) => console.log(`training step ${step} loss ${loss.toFixed(3)}`),
  });
  optimizer.dispose();
  return { model, tokenizer };
}
