/**
 * Mutation test: in every consistent corpus report with a 2021 or 2019
 * table, raising any single numeric cell of table 三 or 四 by one must draw
 * at least one error naming that cell. The one exception is a cell whose
 * every relation also holds a blank cell (015 leaves zeros blank): a blank is
 * never read as 0, so there the rule can only say, naming the cell, that the
 * relation could not be assessed — counted apart and printed.
 */
import { expect, test } from 'vitest';
import { checkReports } from '../src/rules/run.js';
import { requestColumns, reviewColumns, reviewGroups } from '../src/template/layout.js';
import type { Cell, Report } from '../src/template/model.js';
import { corpusFile, parseFixture } from './helpers/corpus.js';

const consistentIds = ['000', '001', '004', '005', '009', '010', '011', '014', '015', '021'];

function numericCells(report: Report): { ref: string; cell: Cell }[] {
  const found: { ref: string; cell: Cell }[] = [];
  for (const [row, cells] of Object.entries(report.tables.requests ?? {}))
    cells.forEach((cell, i) => cell.state === 'number' && found.push({ ref: `requests.${row}.${requestColumns[i]?.key}`, cell }));
  for (const group of reviewGroups)
    for (const column of reviewColumns) {
      const cell = report.tables.review?.[group.key]?.[column.key];
      if (cell?.state === 'number') found.push({ ref: `review.${group.key}.${column.key}`, cell });
    }
  return found;
}

test('raising any single cell of table 三 or 四 by one is caught, naming the cell', async () => {
  const missed: string[] = [];
  const onlyUnassessable: string[] = [];
  let mutations = 0;
  const perReport: string[] = [];
  for (const id of consistentIds) {
    const report = await parseFixture(corpusFile(id));
    if (report.template !== '2021' && report.template !== '2019') continue;
    expect(checkReports([report]).filter((f) => f.severity === 'error')).toEqual([]);
    const cells = numericCells(report);
    perReport.push(`${id}: ${cells.length}`);
    for (const { ref, cell } of cells) {
      const original = cell.value as number;
      cell.value = original + 1;
      mutations++;
      const findings = checkReports([report]).filter((f) => f.cells?.includes(ref));
      cell.value = original;
      if (findings.some((f) => f.severity === 'error')) continue;
      const blankBeside = findings.some((f) => f.severity === 'warning' && f.message.startsWith('无法校验') && f.message.includes('（空白）'));
      if (blankBeside) onlyUnassessable.push(`${id} ${ref}`);
      else missed.push(`${id} ${ref}`);
    }
  }
  console.log(`mutation test: ${mutations} mutations over ${perReport.length} reports (${perReport.join(', ')}); caught by an error ${mutations - missed.length - onlyUnassessable.length}; only “could not be assessed” beside a blank ${onlyUnassessable.length} (${onlyUnassessable.join(', ')}); missed ${missed.length}`);
  expect(perReport.length).toBe(consistentIds.length);
  expect(missed).toEqual([]);
  expect(onlyUnassessable.every((m) => m.startsWith('015 '))).toBe(true);
});
