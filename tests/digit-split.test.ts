/** The digit-run splitter and the column-relation narrowing, on real runs from the crawled corpus. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { narrowByRelations, splitRun, type CellGroup, type Segment } from '../src/parse/digit-split.js';

/** A run as printed: whitespace separates segments, offsets are the characters' places in the string. */
function segments(run: string): Segment[] {
  return [...run.matchAll(/\S+/g)].map((m) => ({ text: m[0], offset: m.index ?? 0 }));
}

const requestRow: CellGroup[] = [{ kinds: Array(7).fill('count'), summed: true }];
const reviewRow: CellGroup[] = [0, 1, 2].map(() => ({ kinds: Array(5).fill('count'), summed: true }));

const texts = (run: string, groups: CellGroup[], limit?: number) =>
  splitRun(segments(run), groups, limit).splits.map((reading) => reading.map((p) => p.text).join('|'));

describe('splitRun', () => {
  test('a table-三 row is split by its total (001: 15130000154)', () => {
    expect(texts('15130000154', requestRow)).toEqual(['151|3|0|0|0|0|154']);
  });

  test('every reading that satisfies the row total is listed (005: （四）1 220000325)', () => {
    expect(texts('220000325', requestRow).sort()).toEqual(['2|20|0|0|0|3|25', '22|0|0|0|0|3|25'].sort());
  });

  test('spaces are hard cell boundaries (006: 20 0 00 0 121; 005: 500000 5)', () => {
    expect(texts('20 0 00 0 121', requestRow)).toEqual(['20|0|0|0|0|1|21']);
    expect(texts('500000 5', requestRow)).toEqual(['5|0|0|0|0|0|5']);
    // A space inside 151 forbids the reading that needs it.
    expect(texts('15 130000154', requestRow)).not.toContain('151|3|0|0|0|0|154');
  });

  test('cells are canonical integers: no leading zeros', () => {
    expect(texts('0000000', requestRow)).toEqual(['0|0|0|0|0|0|0']);
    expect(texts('00000000', requestRow)).toEqual([]);
  });

  test('offsets point at each cell in the run', () => {
    const [reading] = splitRun(segments('20 0 00 0 121'), requestRow).splits;
    expect(reading?.map((p) => p.offset)).toEqual([0, 3, 5, 6, 8, 10, 11]);
  });

  test('table 四: three groups of five, each summed (001, 005)', () => {
    expect(texts('25380363300630003', reviewRow)).toEqual(['25|3|8|0|36|3|3|0|0|6|3|0|0|0|3']);
    expect(texts('10203120001200000', reviewRow)).toEqual(['1|0|2|0|3|12|0|0|0|12|0|0|0|0|0']);
  });

  test('a changed review row with two sum-consistent readings gives both', () => {
    expect(texts('11000113300630003', reviewRow).sort()).toEqual(
      ['1|10|0|0|11|3|3|0|0|6|3|0|0|0|3', '11|0|0|0|11|3|3|0|0|6|3|0|0|0|3'].sort(),
    );
  });

  test('signed columns: the sign starts a cell, a lone "-" may be a dash (006: 2648-18538, 35-15)', () => {
    const itemRow: CellGroup[] = [{ kinds: ['count', 'signedCount', 'count'], summed: false }];
    expect(texts('2648-18538', itemRow).sort()).toEqual(['2648|-1853|8', '2648|-185|38', '2648|-18|538', '2648|-1|8538', '2648|-|18538'].sort());
    const dash = splitRun(segments('2648-18538'), itemRow).splits.find((r) => r[1]?.text === '-');
    expect(dash?.[1]?.value).toBeNull();
    expect(texts('35-15', [{ kinds: ['count', 'signedCount'], summed: false }])).toEqual(['35|-15']);
  });

  test('decimals keep their printed text', () => {
    expect(texts('4166.241619', [{ kinds: ['decimal'], summed: false }])).toEqual(['4166.241619']);
    expect(texts('39573802895.90', [{ kinds: ['count', 'decimal'], summed: false }])).toContain('3957380|2895.90');
  });

  test('enumeration stops at the limit and says so', () => {
    const result = splitRun(segments('1'.repeat(30)), [{ kinds: ['count', 'count', 'count'], summed: false }], 10);
    expect(result.splits).toHaveLength(10);
    expect(result.capped).toBe(true);
  });

  test('a run beyond the work budget is capped with no readings, never a partial answer', () => {
    const digits = Array.from({ length: 80 }, (_, i) => String((i * 7 + 3) % 10)).join('');
    const result = splitRun(segments(digits), requestRow);
    expect(result.capped || result.splits.length === 0).toBe(true);
    if (result.capped) expect(result.splits).toEqual([]);
  });

  test('property: the printed row is among the readings, and every reading is canonical and sums', () => {
    const cell = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 999 }));
    fc.assert(
      fc.property(fc.array(cell, { minLength: 6, maxLength: 6 }), (applicants) => {
        const row = [...applicants, applicants.reduce((a, b) => a + b, 0)];
        const run = row.join('');
        const { splits, capped } = splitRun(segments(run), requestRow);
        expect(capped).toBe(false);
        expect(splits.map((r) => r.map((p) => p.value))).toContainEqual(row);
        for (const reading of splits) {
          const values = reading.map((p) => p.value ?? NaN);
          expect(values.slice(0, 6).reduce((a, b) => a + b, 0)).toBe(values[6]);
          for (const piece of reading) expect(piece.text).toMatch(/^(?:0|[1-9]\d*)$/);
          expect(reading.map((p) => p.text).join('')).toBe(run);
        }
      }),
      { numRuns: 300 },
    );
  });

  /** Every way to cut the run into `count` canonical integers without crossing a space, by plain enumeration. */
  function allCuts(run: string, count: number): string[][] {
    const out: string[][] = [];
    const cut = (rest: string, cells: string[]): void => {
      if (cells.length === count) {
        if (rest.trim() === '') out.push(cells);
        return;
      }
      const body = rest.replace(/^\s+/, '');
      for (let k = 1; k <= body.length; k++) {
        const cell = body.slice(0, k);
        if (!/^(?:0|[1-9]\d*)$/.test(cell)) break;
        cut(body.slice(k), [...cells, cell]);
      }
    };
    cut(run, []);
    return out;
  }

  test('property: a one-group run gives exactly the readings plain enumeration finds, summed or not', () => {
    const digit = fc.constantFrom('0', '0', '1', '2', '3', '5', '9');
    const printed = fc.array(fc.oneof(digit, digit, digit, fc.constant(' ')), { minLength: 3, maxLength: 13 }).map((units) => units.join('').trim());
    fc.assert(
      fc.property(printed, fc.integer({ min: 2, max: 7 }), fc.boolean(), (run, count, summed) => {
        const group: CellGroup[] = [{ kinds: Array(count).fill('count'), summed }];
        const expected = allCuts(run, count).filter((cells) => {
          if (!summed) return true;
          const values = cells.map(Number);
          return values.slice(0, -1).reduce((a, b) => a + b, 0) === values.at(-1);
        });
        const { splits, capped } = splitRun(segments(run), group, 5000);
        expect(capped).toBe(false);
        expect(splits.map((r) => r.map((p) => p.text)).sort()).toEqual(expected.sort());
      }),
      { numRuns: 2000 },
    );
  });
});

describe('narrowByRelations', () => {
  // Rows: 0 = a result row with two readings, 1 = a fixed result row, 2 = the total row.
  const results = { id: 'results', terms: [{ row: 2, coefficient: 1 }, { row: 0, coefficient: -1 }, { row: 1, coefficient: -1 }] };

  test('keeps only readings that take part in a combination satisfying every column', () => {
    const candidates = [
      [
        [2, 20, 0, 0, 0, 3, 25],
        [22, 0, 0, 0, 0, 3, 25],
      ],
      [[41, 0, 0, 2, 0, 1, 44]],
      [[63, 0, 0, 2, 0, 4, 69]],
    ];
    const result = narrowByRelations(candidates, [results]);
    expect(result).toEqual({ status: 'ok', viable: [[false, true], [true], [true]] });
  });

  test('two readings that both close every relation both stay viable', () => {
    const candidates = [
      [
        [1, 10, 11],
        [11, 0, 11],
      ],
      [
        [10, 0, 10],
        [0, 10, 10],
      ],
      [[11, 10, 21]],
    ];
    expect(narrowByRelations(candidates, [results])).toEqual({ status: 'ok', viable: [[true, true], [true, true], [true]] });
  });

  test('an inconsistent table has no combination at all', () => {
    const candidates = [[[1, 1]], [[1, 1]], [[3, 3]]];
    expect(narrowByRelations(candidates, [results]).status).toBe('none');
  });
});
