/**
 * sha256OfTexts, which names every part of the site, hashes long lists of
 * texts in pieces: its hash must be that of a Hash updated with each text and
 * a NUL in turn, whatever the texts and wherever the pieces end.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256OfTexts } from '../src/site/hash.js';

function updatedInTurn(texts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const text of texts) hash.update(text).update('\0');
  return hash.digest('hex');
}

describe('sha256OfTexts', () => {
  it('hashes as a Hash updated with each text and a NUL, for lists short and long, in any script', () => {
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 8 }));
    fc.assert(
      fc.property(fc.array(text, { maxLength: 40 }), fc.integer({ min: 0, max: 3000 }), (texts, copies) => {
        // Repeated past the size of a piece several times over (texts of paths and keys, tens of thousands of them).
        const many = Array.from({ length: copies }, (_, i) => `示例县第${i}局/2021/index.html\0${texts[i % Math.max(1, texts.length)] ?? ''}`);
        for (const list of [texts, many, [...many, ...texts]]) expect(sha256OfTexts(list)).toBe(updatedInTurn(list));
      }),
      { numRuns: 60 },
    );
  });
});
