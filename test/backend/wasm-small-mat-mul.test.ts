import { describe, expect, it } from 'vitest';
import { smallMatMulInto } from '../../src/backend/wasm/small-mat-mul.js';

/** `[[1, 2, 3], [4, 5, 6]] @ [[7, 8], [9, 10], [11, 12]] = [[58, 64], [139, 154]]` in every layout. */
describe('smallMatMulInto', () => {
  const a = [1, 2, 3, 4, 5, 6]; // [2, 3]
  const aT = [1, 4, 2, 5, 3, 6]; // stored [3, 2]
  const b = [7, 8, 9, 10, 11, 12]; // [3, 2]
  const bT = [7, 9, 11, 8, 10, 12]; // stored [2, 3]
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      it(`multiplies hand-checked values, transposeA=${transposeA}, transposeB=${transposeB}`, () => {
        // Operands at offsets 1 and 8, output at 15, surrounded by values that must stay.
        const heap = new Float32Array(20).fill(-1);
        heap.set(transposeA ? aT : a, 1);
        heap.set(transposeB ? bT : b, 8);
        smallMatMulInto(heap, { start: 1, transposed: transposeA }, { start: 8, transposed: transposeB }, 2, 3, 2, 15);
        expect(Array.from(heap.subarray(15, 19))).toEqual([58, 64, 139, 154]);
        expect(heap[14]).toBe(-1);
        expect(heap[19]).toBe(-1);
      });
    }
  }

  it('overwrites what the output held before', () => {
    const heap = Float32Array.of(2, 3, 99);
    smallMatMulInto(heap, { start: 0, transposed: false }, { start: 1, transposed: false }, 1, 1, 1, 2);
    expect(heap[2]).toBe(6);
  });
});
