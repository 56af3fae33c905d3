import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FUZZ_TARGETS } from './fuzz-targets.js';

const root = mkdtempSync(join(tmpdir(), 'wordforge-fuzz-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('parsers of untrusted files throw only typed errors, never hang or pollute prototypes', () => {
  FUZZ_TARGETS.forEach(({ parser, numRuns, seed, knownBug, property }, i) => {
    // a target with a known bug (reported, in a file this suite does not own) is expected to fail
    (knownBug === undefined ? it : it.fails)(`${parser} (${numRuns} cases, seed ${seed})`, async () => {
      const before = tf.memory().numTensors;
      await fc.assert(property(join(root, String(i))), { seed, numRuns });
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
