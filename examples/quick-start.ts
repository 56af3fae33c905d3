// The README's quick start: train a tiny character-level GPT on a Chinese poem, sample from it,
// save it. Runs in a few seconds on any backend:  npx tsx examples/quick-start.ts
import { AdamW, CharTokenizer, GPTCausalLM, Rng, initBackend, sampleWindows, trainLoop } from 'wordforge';

await initBackend(); // tfjs-node if installed, else wasm, else cpu
const text = '床前明月光，疑是地上霜。举头望明月，低头思故乡。'.repeat(50);
const tokenizer = CharTokenizer.fromText(text);
const tokens = Int32Array.from(tokenizer.encode(text));

const model = new GPTCausalLM({ vocabSize: tokenizer.vocabSize, contextLength: 32, hiddenSize: 64, numLayers: 2, numHeads: 4 });
const optimizer = new AdamW(model.namedParameters(), { learningRate: 3e-3 });
const rng = new Rng(0);
await trainLoop(model, {
  optimizer, steps: 100, maxGradNorm: 1,
  nextBatch: () => sampleWindows(tokens, { batchSize: 8, seqLength: 32, rng }),
  onLog: ({ step, loss }) => console.log(step, loss.toFixed(3)),
});

const [ids] = await model.generate([tokenizer.encode('床前')], { maxNewTokens: 20, strategy: 'sample', topK: 5, seed: 1 });
console.log(tokenizer.decode(ids!));
await model.save('runs/poem-model'); // config.json + model.safetensors
model.dispose();
optimizer.dispose();
