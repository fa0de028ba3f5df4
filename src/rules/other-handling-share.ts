/** other-handling-share: a high share of （六）其他处理, especially 3.其他. */
import type { Report } from '../template/model.js';
import { exampleReport } from './example-builder.js';
import { layoutOf, requestCell, requestRowsWithRole, requestValue, RuleFindings, sumOf, totalColumnIndex } from './cells.js';
import type { ReportRule } from './types.js';

/** Shares above which a supervisor would look, and the smallest total worth a share. */
const OTHER_HANDLING_SHARE = 0.3;
const OTHER_ITEM_SHARE = 0.2;
const MIN_TOTAL = 10;

export const otherHandlingShare: ReportRule = {
  id: 'other-handling-share',
  scope: 'report',
  severity: 'info',
  title: '其他处理占比',
  description: `（六）其他处理占（七）总计的比例较高（超过 ${OTHER_HANDLING_SHARE * 100}%），或（六）3.其他超过 ${OTHER_ITEM_SHARE * 100}% 时提示；总计少于 ${MIN_TOTAL} 件不提示。`,
  basis: 'official',
  basisText: '国办公开办函〔2019〕60号要求监督机构关注“其他处理”的使用',
  examples: {
    pass: [{ title: '10 件中 1 件其他处理', markdown: exampleReport({ requests: {
      newReceived: [10, 0, 0, 0, 0, 0, 10], granted: [9, 0, 0, 0, 0, 0, 9], 'otherHandling.other': [1, 0, 0, 0, 0, 0, 1], totalProcessed: [10, 0, 0, 0, 0, 0, 10] } }) }],
    fail: [{ title: '10 件中 5 件为（六）3.其他', markdown: exampleReport({ requests: {
      newReceived: [10, 0, 0, 0, 0, 0, 10], granted: [5, 0, 0, 0, 0, 0, 5], 'otherHandling.other': [5, 0, 0, 0, 0, 0, 5], totalProcessed: [10, 0, 0, 0, 0, 0, 10] } }) }],
  },
  check(report: Report) {
    const found = new RuleFindings(otherHandlingShare);
    const layout = layoutOf(report);
    if (!layout || !report.tables.requests) return found.messages;
    const totalRow = requestRowsWithRole(layout, 'total')[0];
    if (!totalRow) return found.messages;
    // Below the threshold, or without a total, there is no share to speak of: nothing else is read.
    const all = requestValue(report, totalRow, totalColumnIndex);
    if (all === null || all < MIN_TOTAL) return found.messages;
    const otherRows = layout.requestRows.filter((r) => r.key.startsWith('otherHandling'));
    const total = requestCell(report, totalRow, totalColumnIndex);
    const others = otherRows.map((r) => requestCell(report, r, totalColumnIndex));
    const sum = sumOf([total, ...others]);
    // Advice only: without every figure there is no share to speak of.
    if (sum.missing.length > 0) return found.messages;
    const otherSum = sum.value - all;
    const otherItem = others.find((r) => r.ref === 'requests.otherHandling.other.total');
    const itemValue = otherItem?.cell?.value ?? 0;
    const percent = (n: number) => `${Math.round((n / all) * 1000) / 10}%`;
    if (otherItem && itemValue / all > OTHER_ITEM_SHARE)
      found.add(`（六）3.其他 ${itemValue} 件，占（七）总计 ${all} 件的 ${percent(itemValue)}`, [otherItem, total], otherItem.cell?.position ?? null);
    else if (otherSum / all > OTHER_HANDLING_SHARE)
      found.add(`（六）其他处理共 ${otherSum} 件，占（七）总计 ${all} 件的 ${percent(otherSum)}`, [...others, total], others[0]?.cell?.position ?? null);
    return found.done();
  },
};
