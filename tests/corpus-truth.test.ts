/** Every corpus report with a truth file parses to exactly that truth. */
import { describe, expect, test } from 'vitest';
import type { Cell, Report } from '../src/template/model.js';
import { asTruthShape, parseCorpus, truth, truthIds } from './helpers/corpus.js';

/**
 * Cells the truth file does not list as ambiguous but whose split no relation of the
 * table fixes: 006 prints 规范性文件 as the run 7777166, and the 2019 template's
 * 本年新制作/本年新公开/对外公开总数量 have no relation between them (15 readings fit).
 */
const alsoAmbiguous: Record<string, string[]> = { '006': ['active.normativeIssued'] };

/** 011's OCR text spells 沭阳 as 沐阳 throughout; the truth file notes it. */
const publishedSpelling: Record<string, string> = { '011': '沐阳县人民政府' };

const activeCellOf: Record<string, [string, string]> = {
  regulationsIssued: ['regulations', 'issued'],
  normativeIssued: ['normativeDocuments', 'issued'],
};

function ambiguousCell(report: Report, key: string, template: '2021' | '2019'): Cell | undefined {
  const [row, column] = activeCellOf[key] ?? [];
  if (!row || !column) return undefined;
  return report.tables.active?.[row]?.[template === '2019' && column === 'issued' ? 'made' : column];
}

describe.each(truthIds())('corpus report %s', (id) => {
  const expected = truth(id);

  test('template and year', async () => {
    const { json } = await parseCorpus(id);
    expect(json.template).toBe(expected.template);
    expect(json.meta.year).toBe(expected.year);
  });

  test('agency names the body', async () => {
    const { json } = await parseCorpus(id);
    // The truth annotates names in brackets; the report's own name must contain the stem,
    // spelled as this form publishes it (names are never corrected).
    const stem = publishedSpelling[id] ?? expected.agency.replace(/（.*?）/g, '');
    expect(json.meta.agency ?? '').toContain(stem.slice(0, 4));
  });

  test('every number and every null as published', async () => {
    const { json, report } = await parseCorpus(id);
    const actual = asTruthShape(json, expected.template);
    const wanted = { requests: expected.requests, review: expected.review, active: { ...expected.active } };
    if (expected.template === '2019') wanted.active.fees = null;
    // A cell whose digits run together so that the table cannot fix the split may be reported
    // ambiguous — with the published figure among its candidates — never as another number.
    for (const ref of [...(expected.ambiguousOk ?? []), ...(alsoAmbiguous[id] ?? [])]) {
      const key = ref.replace('active.', '') as keyof typeof wanted.active;
      if (actual.active[key] !== null) continue;
      const cell = ambiguousCell(report, key, expected.template);
      expect(cell?.state, ref).toBe('ambiguous');
      expect(cell?.candidates, ref).toContain(wanted.active[key]);
      wanted.active[key] = null;
    }
    expect(actual).toEqual(wanted);
  });
});
