// GPT-2's vocab.json and merges.txt rebuilt from the BPE ranks that ship inside npm `tiktoken`:
// each token of two or more bytes is the merge of the two parts BPE gives it using lower ranks.
import { createRequire } from 'node:module';
import { BYTE_TO_CHAR } from '../../src/tokenizers/index.js';

const require = createRequire(import.meta.url);

/** BPE of `token` (bytes as a latin1 string) using only ranks below `maxRank`. */
function splitWithLowerRanks(token: string, ranks: Map<string, number>, maxRank: number): string[] {
  const parts = [...token];
  for (;;) {
    let best = -1;
    let bestRank = maxRank;
    for (let i = 0; i + 1 < parts.length; i++) {
      const rank = ranks.get(parts[i]! + parts[i + 1]!);
      if (rank !== undefined && rank < bestRank) [best, bestRank] = [i, rank];
    }
    if (best < 0) return parts;
    parts.splice(best, 2, parts[best]! + parts[best + 1]!);
  }
}

/** `vocab.json` and `merges.txt` texts of GPT-2. */
export function gpt2Files(): { vocab: string; merges: string } {
  const { bpe_ranks: data } = require('tiktoken/encoders/gpt2.json') as { bpe_ranks: string };
  const [, offset, ...encoded] = data.split(' ');
  const tokens = encoded.map((b64) => Buffer.from(b64, 'base64').toString('latin1'));
  const ranks = new Map(tokens.map((t, i) => [t, Number(offset) + i]));
  const toChars = (bytes: string): string => [...bytes].map((b) => BYTE_TO_CHAR[b.charCodeAt(0)]).join('');
  const vocab: Record<string, number> = {};
  const merges = ['#version: 0.2'];
  tokens.forEach((token, i) => {
    vocab[toChars(token)] = Number(offset) + i;
    if (token.length < 2) return;
    const parts = splitWithLowerRanks(token, ranks, Number(offset) + i);
    if (parts.length !== 2) throw new Error(`token ${i} does not split in two`);
    merges.push(`${toChars(parts[0]!)} ${toChars(parts[1]!)}`);
  });
  vocab['<|endoftext|>'] = 50256;
  return { vocab: JSON.stringify(vocab), merges: merges.join('\n') + '\n' };
}
