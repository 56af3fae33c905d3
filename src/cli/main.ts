#!/usr/bin/env node
// The `wordforge` command. Parses arguments, runs one command, prints typed errors as one line.
import { parseArgs } from 'node:util';
import { WordforgeError } from '../utils/errors.js';
import { evaluate, generateText, inspect, train, trainTokenizerCommand } from './commands.js';

const HELP = `wordforge <command> [options]

  train <config.json>              train a GPT on a text file, as the config says (characters as tokens
                                   unless "tokenizer" names a tokenizer file) [--threads N]:
                                   {"data": "corpus.txt", "out": "runs/gpt", "tokenizer": "bpe.json",
                                    "model": {"hiddenSize": 128, "numLayers": 3, "numHeads": 4, "contextLength": 64,
                                              "gradientCheckpointing": false},
                                    "training": {"steps": 500, "batchSize": 16, "learningRate": 0.002}}
                                   "gradientCheckpointing": true recomputes activations in the backward
                                   pass: less memory, slower steps (not saved with the model)
  generate <model folder>          continue a prompt: --prompt TEXT [--max-new-tokens 200]
                                   [--temperature 0.8 --top-k 40 --seed 0] [--tokenizer FILE] [--threads N]
  evaluate <model folder>          perplexity of a text file: --data FILE [--stride N] [--tokenizer FILE] [--threads N]
  inspect <folder|file.safetensors>  config, tensors and parameter count of a checkpoint
  train-tokenizer <out.json> <files...>  train a tokenizer (streamed) and save Hugging Face's tokenizer.json:
                                   [--model byte-level|char-level|wordpiece|unigram] [--vocab-size 8000]
                                   [--min-frequency N] [--special-tokens "<pad>,<eos>"]

Model folders are wordforge's (config.json + model.safetensors + tokenizer.json) or Hugging Face
GPT-2 folders. WORDFORGE_BACKEND=cpu|wasm|tensorflow picks the tfjs backend. --threads N (a whole
number from 1 to the cores; default $WORDFORGE_WASM_THREADS, else 1) sizes the wasm thread pool.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      help: { type: 'boolean', short: 'h' }, prompt: { type: 'string' }, 'max-new-tokens': { type: 'string' },
      temperature: { type: 'string' }, 'top-k': { type: 'string' }, seed: { type: 'string' }, tokenizer: { type: 'string' },
      data: { type: 'string' }, stride: { type: 'string' }, model: { type: 'string' }, 'vocab-size': { type: 'string' },
      'min-frequency': { type: 'string' }, 'special-tokens': { type: 'string' }, threads: { type: 'string' },
    },
  });
  const [command, target] = positionals;
  if (values.help || command === undefined || target === undefined) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  switch (command) {
    case 'train': await train(target, values); return 0;
    case 'generate': await generateText(target, values); return 0;
    case 'evaluate': await evaluate(target, values); return 0;
    case 'inspect': await inspect(target); return 0;
    case 'train-tokenizer': await trainTokenizerCommand(target, positionals.slice(2), values); return 0;
    default:
      console.error(`unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (error: unknown) => {
  if (error instanceof WordforgeError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`wordforge: ${(error as Error).message}`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
});
