/** The seed's value tokens: read unit by unit, they are the tokens the pattern they were first defined by accepts. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isValueText } from '../src/parse/token-tables.js';

/** The definition the token reader follows: blank, a number, a slash, dashes or 无, between optional whitespace. */
const VALUE = /^[\s\u3000]*(?:[+\-－]?[\d０-９]+(?:[.．][\d０-９]+)?|[/／\\]|[—–\-－─]+|无)?[\s\u3000]*$/;

/** Units that matter to the pattern, its near misses, and whitespace of every kind \s takes. */
const units = [...'0123456789０１２３４５６７８９+-－.．/／\\—–─━无有a 表一、', ' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u200a', '\u200b', '\u2028', '\u202f', '\u205f', '\u3000', '\ufeff'];

describe('isValueText', () => {
  test('agrees with the pattern on 150,000 random tokens', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...units), maxLength: 8 }), (text) => {
        const expected = VALUE.test(text);
        if (expected) accepted++;
        expect(isValueText(text)).toBe(expected);
      }),
      { numRuns: 150_000, seed: 20261127 },
    );
    // Enough of both kinds were tried for the agreement to say something.
    expect(accepted).toBeGreaterThan(5_000);
  });

  test.each(['', '  ', '12', ' －3 ', '+０', '1.50', '１．５', '/', ' ／', '\\', '—', '--', '－－', '─', '无', '-'])('%j is a value', (text) => {
    expect(isValueText(text)).toBe(true);
  });

  test.each(['1.', '.5', '+', '+-1', '1-', '无无', '//', '—1', '1 2', 'a', '━', '1..2', '\u200b1'])('%j is not a value', (text) => {
    expect(isValueText(text)).toBe(false);
  });
});
