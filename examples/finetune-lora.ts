// Fine-tunes a small pretrained GPT-2 checkpoint on Chinese poems with LoRA: the base weights stay
// frozen, low-rank adapters on every attention and MLP projection learn the new style. The
// character vocabulary of the poems is added to the checkpoint's vocabulary first (the new
// embedding rows start at the mean of the old ones and are trained with the adapters). Samples a
// poem before and after, then writes the merged model (loads in Hugging Face transformers as
// GPT2LMHeadModel). Without a vocabulary change, `savePeftAdapter` writes the adapter alone in
// PEFT's format instead.
//
//   npx tsx examples/finetune-lora.ts                                    # tang300 on the hf-tiny gpt2
//   npx tsx examples/finetune-lora.ts --data my-poems/ --base my-gpt2/ --steps 500 --rank 16
//   (--data: a file or a folder of .txt files, entries separated by lines holding '%')
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import {
  AdamW, CharTokenizer, GPTCausalLM, LoRAModel, Rng, Trainer, countParameters, initBackend, randomWindowSource,
  resizeTokenEmbeddings, sampleWindows, unfreeze,
} from 'wordforge';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: new URL('../../shared/data/tang300.txt', import.meta.url).pathname },
    base: { type: 'string', default: new URL('../../shared/fixtures/hf-tiny/gpt2/', import.meta.url).pathname },
    out: { type: 'string', default: 'runs/lora-poems' },
    steps: { type: 'string', default: '300' },
    rank: { type: 'string', default: '8' },
    alpha: { type: 'string', default: '16' },
    lr: { type: 'string', default: '3e-3' },
    'sample-length': { type: 'string', default: '48' },
  },
});

/** Every entry of a fortunes-style file, or of every .txt file of a folder. */
function readPoems(path: string): string[] {
  const files = statSync(path).isDirectory()
    ? readdirSync(path).filter((f) => f.endsWith('.txt')).sort().map((f) => join(path, f))
    : [path];
  return files.flatMap((file) => readFileSync(file, 'utf8').split(/^%$/m).map((p) => p.trim()).filter(Boolean));
}

const backend = await initBackend();
console.log(`backend: ${backend.name}`);
const poems = readPoems(args.data);
const text = poems.join('\n\n');
const model = await GPTCausalLM.load(args.base);
const contextLength = Math.min(64, model.config.contextLength);

// The poems' characters after the checkpoint's ids: the vocabulary grows to fit them.
const tokenizer = CharTokenizer.fromText(text);
const offset = model.config.vocabSize;
const encode = (s: string): number[] => tokenizer.encode(s).map((id) => id + offset);
const decode = (ids: readonly number[]): string => ids.map((id) => (id >= offset ? tokenizer.decode([id - offset]) : '·')).join(''); // · = an id of the old vocabulary
const ids = Int32Array.from(encode(text));
console.log(`${poems.length} poems, ${text.length.toLocaleString()} characters, ${tokenizer.vocabSize} symbols`);
await resizeTokenEmbeddings(model, offset + tokenizer.vocabSize, { init: 'mean' });
console.log(`vocabulary ${offset} -> ${model.config.vocabSize}`);

const prompt = encode('春');
const sample = async (): Promise<string> => {
  const [poem] = await model.generate([prompt], { maxNewTokens: Number(args['sample-length']), doSample: true, topK: 10, seed: 7 });
  return decode([...prompt, ...poem!]);
};
console.log(`--- before:\n${await sample()}`);

const lora = new LoRAModel(model);
lora.addAdapter('poems', { rank: Number(args.rank), alpha: Number(args.alpha), dropout: 0.05, seed: 1 });
unfreeze(model, 'backbone.tokenEmbedding'); // the new rows must learn too (PEFT's modules_to_save)
const { total, trainable } = countParameters(lora);
console.log(`trainable ${trainable.toLocaleString()} of ${total.toLocaleString()} parameters (${((100 * trainable) / total).toFixed(1)}%)`);

const batchSize = 8;
const probe = sampleWindows(ids, { batchSize, seqLength: contextLength, rng: new Rng(99) });
const probeLoss = async (): Promise<number> => {
  const loss = lora.computeLoss(probe, false);
  const value = (await loss.data())[0]!;
  loss.dispose();
  return value;
};
const lossBefore = await probeLoss();
const optimizer = new AdamW(lora.namedParameters(), { learningRate: Number(args.lr), weightDecay: 0 });
const trainer = new Trainer({
  model: lora, optimizer, maxSteps: Number(args.steps), maxGradNorm: 1, logEvery: 50,
  train: randomWindowSource(ids, { batchSize, seqLength: contextLength, seed: 0 }),
});
const state = await trainer.train();
console.log(`trained ${state.step} steps: probe loss ${lossBefore.toFixed(3)} -> ${(await probeLoss()).toFixed(3)}`);
console.log(`--- after:\n${await sample()}`);

lora.merge();
console.log(`--- merged (same weights folded in):\n${await sample()}`);
lora.unmerge();
lora.mergeAndUnload(); // the adapters are folded into the base weights and freed
await model.save(`${args.out}/merged`);
console.log(`wrote ${args.out}/merged (a Hugging Face GPT-2 folder)`);
optimizer.dispose();
model.dispose();
console.log(`tensors left: ${tf.memory().numTensors}`);
