/** review-total: each group of table 四 adds up to its 总计. */
import { reviewColumns, reviewGroups } from '../template/layout.js';
import type { Report } from '../template/model.js';
import { exampleReport } from './example-builder.js';
import { reviewCell, reviewValue, RuleFindings, spellSum, compareSums , figureText } from './cells.js';
import type { ReportRule } from './types.js';

const partColumns = reviewColumns.filter((c) => c.key !== 'total');
const totalColumn = reviewColumns.find((c) => c.key === 'total') as (typeof reviewColumns)[number];

/** Every cell of the group holds a number and the sum holds: nothing to report, no reference made. */
function groupHolds(report: Report, group: (typeof reviewGroups)[number]): boolean {
  let sum = 0;
  for (const column of partColumns) {
    const value = reviewValue(report, group, column);
    if (value === null) return false;
    sum += value;
  }
  return sum === reviewValue(report, group, totalColumn);
}

export const reviewTotal: ReportRule = {
  id: 'review-total',
  scope: 'report',
  severity: 'error',
  title: '复议诉讼合计',
  description: '表四的行政复议、未经复议直接起诉、复议后起诉三组：结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计。',
  basis: 'structural',
  basisText: '每组的总计一栏是前四栏之和',
  examples: {
    pass: [{ title: '行政复议 2 起：维持 1、纠正 1', markdown: exampleReport({ review: { reconsideration: [1, 1, 0, 0, 2] } }) }],
    fail: [{ title: '行政复议 10 + 1 起，总计写成 0', markdown: exampleReport({ review: { reconsideration: [10, 1, 0, 0, 0] } }) }],
  },
  check(report: Report) {
    const found = new RuleFindings(reviewTotal);
    if (!report.tables.review) return found.messages;
    for (const group of reviewGroups) {
      if (groupHolds(report, group)) continue;
      const parts = partColumns.map((c) => reviewCell(report, group, c));
      const total = reviewCell(report, group, totalColumn);
      const groupName = total.name.slice(0, total.name.lastIndexOf('·'));
      const comparison = compareSums(parts, [total]);
      if (comparison.state === 'unknown') {
        found.unassessable(groupName, comparison.missing, [total, ...parts]);
        continue;
      }
      if (comparison.state === 'equal') continue;
      const partsSum = comparison.left;
      found.add(
        `${groupName}：${spellSum(parts, (r) => r.name.slice(r.name.lastIndexOf('·') + 1), partsSum)}，但总计为 ${figureText(total)}`,
        [total, ...parts],
        total.cell?.position ?? null,
      );
    }
    return found.done();
  },
};
