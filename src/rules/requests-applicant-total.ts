/** requests-applicant-total: every row's 总计 is the sum of the six applicant columns. */
import type { Report } from '../template/model.js';
import { exampleReport } from './example-builder.js';
import { requestColumns } from '../template/layout.js';
import { applicantColumnIndexes, layoutOf, requestCell, requestFigures, RuleFindings, spellSum, compareSums, totalColumnIndex , figureText } from './cells.js';
import type { ReportRule } from './types.js';

export const requestsApplicantTotal: ReportRule = {
  id: 'requests-applicant-total',
  scope: 'report',
  severity: 'error',
  title: '申请人合计',
  description: '表三每一行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他。',
  basis: 'structural',
  basisText: '总计一列是各类申请人之和',
  examples: {
    pass: [{ title: '自然人 2 件、商业企业 1 件，总计 3 件', markdown: exampleReport({ requests: {
      newReceived: [2, 1, 0, 0, 0, 0, 3], granted: [2, 1, 0, 0, 0, 0, 3], totalProcessed: [2, 1, 0, 0, 0, 0, 3] } }) }],
    fail: [{ title: '本年新收：自然人 2 件、商业企业 1 件，总计写成 2 件', markdown: exampleReport({ requests: {
      newReceived: [2, 1, 0, 0, 0, 0, 2], granted: [2, 1, 0, 0, 0, 0, 3], totalProcessed: [2, 1, 0, 0, 0, 0, 3] } }) }],
  },
  check(report: Report) {
    const layout = layoutOf(report);
    const found = new RuleFindings(requestsApplicantTotal);
    if (!layout || !report.tables.requests) return found.messages;
    const figures = requestFigures(report, layout.requestRows);
    const width = requestColumns.length;
    layout.requestRows.forEach((row, r) => {
      // Every cell a number and the sum holding: nothing to report, no reference made.
      let applicants = 0;
      for (const c of applicantColumnIndexes) applicants += figures[r * width + c] as number;
      if (applicants === figures[r * width + totalColumnIndex]) return;
      const parts = applicantColumnIndexes.map((c) => requestCell(report, row, c));
      const total = requestCell(report, row, totalColumnIndex);
      const rowName = total.name.split('·')[0] as string;
      const comparison = compareSums(parts, [total]);
      if (comparison.state === 'unknown') {
        found.unassessable(rowName, comparison.missing, [total, ...parts]);
        return;
      }
      if (comparison.state === 'equal') return;
      const partsSum = comparison.left;
      found.add(
        `${rowName}：${spellSum(parts, (r) => r.name.split('·')[1] as string, partsSum)}，但总计为 ${figureText(total)}`,
        [total, ...parts],
        total.cell?.position ?? null,
      );
    });
    return found.done();
  },
};
