/** fast-check arbitraries that damage a real report the way crawlers, extractors and editors do. */
import fc from 'fast-check';

const lines = (text: string) => text.split('\n');

export type Damage = (text: string) => string;

export const damage = (text: string): fc.Arbitrary<string> => {
  const lineCount = lines(text).length;
  const index = fc.nat({ max: Math.max(0, lineCount - 1) });
  const offset = fc.nat({ max: Math.max(0, text.length) });
  return fc.oneof(
    // truncation at any point
    offset.map((at) => text.slice(0, at)),
    // a deleted line
    index.map((i) => lines(text).filter((_, j) => j !== i).join('\n')),
    // a duplicated line
    index.map((i) => lines(text).flatMap((l, j) => (j === i ? [l, l] : [l])).join('\n')),
    // two lines swapped
    fc.tuple(index, index).map(([a, b]) => {
      const all = lines(text);
      const x = all[a] as string;
      all[a] = all[b] as string;
      all[b] = x;
      return all.join('\n');
    }),
    // a stray character inside the text (often inside a number)
    fc.tuple(offset, fc.constantFrom('x', ' ', '.', '-', '|', '１', '\u200b', '，', '、', '#', '<', '\n')).map(
      ([at, ch]) => text.slice(0, at) + ch + text.slice(at),
    ),
    // digits turned full-width
    fc.constant(text.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))),
    // a random slice replaced by random text
    fc.tuple(offset, fc.nat({ max: 200 }), fc.string({ maxLength: 50 })).map(
      ([at, length, junk]) => text.slice(0, at) + junk + text.slice(at + length),
    ),
  );
};
