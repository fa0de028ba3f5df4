/** requests-results-total: （七）总计 is the sum of the result rows, column by column. */
import { requestColumns, requestRows2019 } from '../template/layout.js';
import type { Report } from '../template/model.js';
import { exampleReport } from './example-builder.js';
import { requestRowsWithRole, layoutOf, requestColumnSums, requestFigures, requestRowCells, RuleFindings, spellSum, compareSums, figureText, type RowCells } from './cells.js';
import type { ReportRule } from './types.js';

export const requestsResultsTotal: ReportRule = {
  id: 'requests-results-total',
  scope: 'report',
  severity: 'error',
  title: '办理结果合计',
  description:
    '表三每一列：（七）总计 = （一）予以公开 +（二）部分公开 +（三）不予公开 1–8 +（四）无法提供 1–3 +（五）不予处理 1–5 +（六）其他处理 1–3（2019 年试行格式中（六）只有一行）。',
  basis: 'structural',
  basisText: '（七）总计一行是三、本年度办理结果各项之和',
  examples: {
    pass: [
      { title: '予以公开 2 件、无法提供 1 件，总计 3 件', markdown: exampleReport({ requests: {
        newReceived: [3, 0, 0, 0, 0, 0, 3], granted: [2, 0, 0, 0, 0, 0, 2], 'unavailable.notHeld': [1, 0, 0, 0, 0, 0, 1],
        totalProcessed: [3, 0, 0, 0, 0, 0, 3] } }) },
      { title: '2019 年试行格式，（六）其他处理为一行', markdown: exampleReport({ year: 2020, frontMatterExtra: 'template: "2019"', requestRows: requestRows2019, requests: {
        newReceived: [2, 0, 0, 0, 0, 0, 2], granted: [1, 0, 0, 0, 0, 0, 1], otherHandling: [1, 0, 0, 0, 0, 0, 1],
        totalProcessed: [2, 0, 0, 0, 0, 0, 2] } }) },
    ],
    fail: [{ title: '各项之和为 3，（七）总计却为 2', markdown: exampleReport({ requests: {
      newReceived: [2, 0, 0, 0, 0, 0, 2], granted: [2, 0, 0, 0, 0, 0, 2], 'unavailable.notHeld': [1, 0, 0, 0, 0, 0, 1],
      totalProcessed: [2, 0, 0, 0, 0, 0, 2] } }) }],
  },
  check(report: Report) {
    const layout = layoutOf(report);
    const found = new RuleFindings(requestsResultsTotal);
    if (!layout || !report.tables.requests) return found.messages;
    const results = requestRowsWithRole(layout, 'result');
    const totalRow = requestRowsWithRole(layout, 'total')[0];
    if (!totalRow) return found.messages;
    const sums = requestColumnSums(report, results);
    const totals = requestFigures(report, [totalRow]);
    // Each row looked up once, when a first column does not add up.
    let resultCells: RowCells[] | undefined;
    let totalCells: RowCells | undefined;
    requestColumns.forEach((column, c) => {
      if (sums[c] === totals[c]) return;
      resultCells ??= results.map((r) => requestRowCells(report, r));
      totalCells ??= requestRowCells(report, totalRow);
      const parts = resultCells.map((cellOf) => cellOf(c));
      const total = totalCells(c);
      const comparison = compareSums(parts, [total]);
      if (comparison.state === 'unknown') {
        found.unassessable(`${column.label}列`, comparison.missing, [total, ...parts]);
        return;
      }
      if (comparison.state === 'equal') return;
      const partsSum = comparison.left;
      found.add(
        `${column.label}列：办理结果各项 ${spellSum(parts, (r) => r.name.split('·')[0] as string, partsSum)}，但（七）总计为 ${figureText(total)}`,
        [total, ...parts],
        total.cell?.position ?? null,
      );
    });
    return found.done();
  },
};
