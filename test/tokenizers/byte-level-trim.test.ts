import { describe, expect, it } from 'vitest';
import { trimByteLevelOffsets, type Encoding } from '../../src/tokenizers/index.js';

describe('trimByteLevelOffsets with the encoded text', () => {
  // A `Ġ` token whose offsets cover an emoji, as after bytes dropped by a BPE without an unk token.
  const encoding = { ids: [1, 2], tokens: ['Ġ', 'xĠ'], offsets: [[2, 6], [6, 10]] } as unknown as Encoding;

  it('moves offsets by code points, as Hugging Face does; by UTF-16 units without the text', () => {
    expect(trimByteLevelOffsets(encoding, false, 'ab😀😀😀😀').offsets).toEqual([[4, 4], [6, 8]]);
    expect(trimByteLevelOffsets(encoding, false).offsets).toEqual([[3, 5], [6, 9]]);
    expect(trimByteLevelOffsets(encoding, true, 'ab😀😀😀😀').offsets).toEqual([[2, 4], [6, 8]]);
  });

  it('trims no end that has fewer code points before it than trailing spaces; clamps starts to ends', () => {
    const spaces = { ids: [1, 2], tokens: ['xĠĠĠ', 'ĠĠ'], offsets: [[0, 4], [0, 4]] } as unknown as Encoding;
    expect(trimByteLevelOffsets(spaces, false, '😀😀').offsets).toEqual([[0, 4], [4, 4]]);
    expect(trimByteLevelOffsets(spaces, false).offsets).toEqual([[0, 1], [2, 2]]);
  });
});
