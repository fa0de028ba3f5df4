/**
 * Every adapter, fed random and randomly damaged real reports: nothing
 * throws, and no number is ever produced that the text does not contain.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { toHalfWidthDigits } from '../src/template/cell-text.js';
import { tableCells } from '../src/template/model.js';
import { parseReport } from '../src/parse/index.js';
import { corpusDir } from './helpers/corpus.js';
import { damage } from './helpers/damage.js';

const textReports = readdirSync(join(corpusDir, 'reports')).filter((f) => !f.endsWith('.json'));
const runs = Number(process.env.NIANBAO_FUZZ_RUNS ?? 40);
let tried = 0;

async function assertSound(file: string, text: string): Promise<void> {
  tried++;
  const result = await parseReport(file, new TextEncoder().encode(text));
  if (!result.ok) {
    expect(result.error.line).toBeGreaterThanOrEqual(1);
    return;
  }
  const digits = toHalfWidthDigits(text).replace(/[\s\u00a0\u3000]+/g, '');
  for (const { cell } of tableCells(result.report.tables).filter(({ cell }) => cell.state === 'number')) {
    expect(digits, `${file}: ${cell.text} is not in the text`).toContain(cell.text);
  }
}

describe.each(textReports)('damaged %s', (name) => {
  const text = readFileSync(join(corpusDir, 'reports', name), 'utf8');

  test('never throws and never invents a number', async () => {
    await fc.assert(
      fc.asyncProperty(damage(text), (damaged) => assertSound(name, damaged)),
      { numRuns: runs, seed: 20261126 },
    );
  });
});

describe('random input', () => {
  test.each(['random.txt', 'random.md', 'random.html'])('%s', async (name) => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 2000, unit: 'binary' }), (text) => assertSound(name, text)),
      { numRuns: runs, seed: 20261126 },
    );
  });
});

afterAll(() => {
  console.log(`property-parse: ${tried} inputs tried`);
});
