import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { IncrementalDecoder, streamGenerate, streamText, type NextFn } from '../../src/generation/index.js';

/** Byte-level decode: every token is one UTF-8 byte, incomplete sequences become U+FFFD. */
const utf8 = (ids: number[]): string => new TextDecoder().decode(Uint8Array.from(ids));
const bytes = (text: string): number[] => [...new TextEncoder().encode(text)];

async function* steps(rows: number[][]): AsyncGenerator<number[]> {
  for (let i = 0; i < (rows[0]?.length ?? 0); i++) yield rows.map((r) => r[i]!);
}

describe('IncrementalDecoder', () => {
  it('never emits a replacement character for a character split over 2-4 tokens', () => {
    const text = 'aé你好😀b𝄞 x';
    const d = new IncrementalDecoder(utf8);
    const deltas = bytes(text).map((t) => d.push(t));
    expect(deltas.join('') + d.flush()).toBe(text);
    expect(deltas.some((s) => s.includes('\uFFFD'))).toBe(false);
    // "😀" is 4 bytes: nothing for three pushes, then the whole emoji at once
    const start = bytes('aé你好').length;
    expect(deltas.slice(start, start + 4)).toEqual(['', '', '', '😀']);
  });

  it('releases a truly invalid byte once later text proves it final, and at flush', () => {
    const d = new IncrementalDecoder(utf8);
    expect(d.push(0xe4)).toBe('');
    expect(d.push(0x41)).toBe('\uFFFDA'); // E4 41 can never become valid
    expect(d.push(0xf0)).toBe('');
    expect(d.flush()).toBe('\uFFFD');
  });

  it('keeps context-dependent decoders right (a decoder that drops the leading space of a text)', () => {
    const words = ['▁Hello', '▁wor', 'ld', '!'];
    const sp = (ids: number[]): string => ids.map((i) => words[i]).join('').replaceAll('▁', ' ').replace(/^ /, '');
    const d = new IncrementalDecoder(sp);
    const out = [0, 1, 2, 3].map((t) => d.push(t)).join('') + d.flush();
    expect(out).toBe('Hello world!');
  });
});

describe('streamText', () => {
  it('streams per-row deltas, skipping steps that add nothing, and joins to the full text', async () => {
    const rows = ['日本語!', 'ok🎉.'].map(bytes);
    const width = Math.max(...rows.map((r) => r.length));
    const padded = rows.map((r) => [...r, ...Array<number>(width - r.length).fill(0x20)]);
    const out: string[][] = [];
    for await (const deltas of streamText(steps(padded), utf8)) out.push(deltas);
    expect(out.every((d) => d.some((s) => s.length > 0))).toBe(true);
    expect(out.flat().some((s) => s.includes('\uFFFD'))).toBe(false);
    expect(out.map((d) => d[0]).join('')).toBe(utf8(padded[0]!));
    expect(out.map((d) => d[1]).join('')).toBe(utf8(padded[1]!));
  });

  it('turns a generation stream into text and frees everything on break', async () => {
    const script = bytes('→ 世界');
    let calls = 0;
    const next: NextFn<null> = (tokens) => {
      const id = script[calls++ % script.length]!;
      return { logits: tf.tidy(() => tf.mul(tf.oneHot(tf.fill([tokens.shape[0]!], id, 'int32'), 256), 10)), cache: null };
    };
    const before = tf.memory().numTensors;
    let text = '';
    for await (const [delta] of streamText(streamGenerate(next, [0], { maxNewTokens: script.length, disposeCache: () => undefined }), utf8)) {
      text += delta;
    }
    expect(text).toBe('→ 世界');
    calls = 0;
    for await (const [delta] of streamText(streamGenerate(next, [0], { maxNewTokens: 50, disposeCache: () => undefined }), utf8)) {
      expect(delta).toBe('→');
      break;
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
